# Integration tests: shell scripts speaking TAP against a real servicebotd
# (servicebotd's own, server_*.sh, are still listed in src/server/local.mk).

# The DynamoDB backend on a local dynalite (helpers in tests/dynalite/).
DYNAMODB_SHELL_TESTS = tests/integration/dynamodb_conformance.sh \
	tests/integration/dynamodb_backend.sh tests/integration/dynamodb_server.sh \
	tests/integration/dynamodb_server_suite.sh tests/integration/dynamodb_routines.sh \
	tests/integration/dynamodb_conversation.sh tests/integration/dynamodb_exchange.sh
TESTS += $(DYNAMODB_SHELL_TESTS)
EXTRA_DIST += $(DYNAMODB_SHELL_TESTS)

# Conversation state in the store and one commit per exchange, on SQLite
# (the DynamoDB run is dynamodb_conversation.sh).
TESTS += tests/integration/conversation_state.sh
EXTRA_DIST += tests/integration/conversation_state.sh tests/integration/exchange_lib.sh

# Playback control end to end (REST, WebSocket, CLI) on a real servicebotd.
ENGINE_SHELL_TESTS = tests/integration/engine_playback.sh
TESTS += $(ENGINE_SHELL_TESTS)
EXTRA_DIST += $(ENGINE_SHELL_TESTS)

# The CLI against a real servicebotd.
CLI_SHELL_TESTS = tests/integration/cli_commands.sh tests/integration/cli_errors.sh \
	tests/integration/cli_settings.sh tests/integration/cli_completion.sh \
	tests/integration/cli_man.sh tests/integration/cli_terminal.sh tests/integration/cli_devices.sh \
	tests/integration/cli_history.sh tests/integration/cli_demo.sh tests/integration/cli_install.sh \
	tests/integration/cli_json.sh tests/integration/cli_output.sh tests/integration/cli_auth.sh \
	tests/integration/cli_send.sh tests/integration/cli_watch.sh
CLI_SHELL_TESTS += tests/integration/cli_routines.sh
TESTS += $(CLI_SHELL_TESTS)
EXTRA_DIST += $(CLI_SHELL_TESTS) tests/integration/cli_lib.sh tests/integration/pty_run.py

# servicebotd against real clients.
# One test per line, so that branches adding tests do not collide.
SERVER_SHELL_TESTS = tests/integration/server_rest.sh
SERVER_SHELL_TESTS += tests/integration/server_auth.sh
SERVER_SHELL_TESTS += tests/integration/server_robust.sh
SERVER_SHELL_TESTS += tests/integration/server_ws.sh
SERVER_SHELL_TESTS += tests/integration/server_lifecycle.sh
SERVER_SHELL_TESTS += tests/integration/server_man.sh
SERVER_SHELL_TESTS += tests/integration/server_ping.sh
SERVER_SHELL_TESTS += tests/integration/server_pipeline.sh
SERVER_SHELL_TESTS += tests/integration/server_routines.sh
SERVER_SHELL_TESTS += tests/integration/server_multiroom.sh
SERVER_SHELL_TESTS += tests/integration/server_hostile.sh
SERVER_SHELL_TESTS += tests/integration/server_hostile_frames.sh
SERVER_SHELL_TESTS += tests/integration/server_storage.sh
SERVER_SHELL_TESTS += tests/integration/server_dbwatch.sh
SERVER_SHELL_TESTS += tests/integration/server_rowcache.sh
SERVER_SHELL_TESTS += tests/integration/server_checkpoint.sh
SERVER_SHELL_TESTS += tests/integration/bench_walframes.sh
SERVER_SHELL_TESTS += tests/integration/server_tls.sh
SERVER_SHELL_TESTS += tests/integration/tls_suites.sh
SERVER_SHELL_TESTS += tests/integration/server_tokens.sh
SERVER_SHELL_TESTS += tests/integration/server_limits.sh
SERVER_SHELL_TESTS += tests/integration/server_retention.sh
TESTS += $(SERVER_SHELL_TESTS)
EXTRA_DIST += tests/integration/routines_lib.sh
EXTRA_DIST += tests/integration/tls_lib.sh
EXTRA_DIST += $(SERVER_SHELL_TESTS)
