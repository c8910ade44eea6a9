# Tests: unit tests are C programs speaking TAP; integration and TUI tests
# are shell scripts (*.sh) speaking TAP, run against the real programs.
EXTRA_DIST += tests/tap.h tests/lib.sh

include tests/unit/local.mk
include tests/integration/local.mk
include tests/tui/local.mk
include tests/fuzz/local.mk
include tests/dynalite/local.mk
