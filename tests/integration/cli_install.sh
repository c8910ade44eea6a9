#!/usr/bin/env bash
# make install prefix=P puts everything, bash completion included, under P:
# installed into a DESTDIR, no file may land outside DESTDIR/P.
. "$SB_SRCDIR/tests/lib.sh"

command -v make >/dev/null || skip_all "make is not installed"
ROOT=$SCRATCH/root
PREFIX=$SCRATCH/prefix
make -s -C "$SB_BUILDDIR" install-data install-exec prefix="$PREFIX" DESTDIR="$ROOT" \
    >"$SCRATCH/install.log" 2>&1
ok $? "make install prefix=P DESTDIR=D succeeds"
[ $? -eq 0 ] || diag "$(tail -n 20 "$SCRATCH/install.log")"
OUTSIDE=$(cd "$ROOT" && find . -type f | sed 's|^\.||' | grep -v "^$PREFIX/")
is "$OUTSIDE" "" "nothing lands outside the prefix"
for f in bin/servicebot bin/servicebotd share/man/man1/servicebot.1 \
    share/bash-completion/completions/servicebot share/zsh/vendor-completions/_servicebot \
    share/fish/vendor_completions.d/servicebot.fish; do
    [ -f "$ROOT$PREFIX/$f" ]
    ok $? "installed: P/$f"
done
# The installed bash completion works from there.
if command -v bash >/dev/null; then
    GOT=$(PATH="$ROOT$PREFIX/bin:$PATH" bash -c '. "$1"; COMP_WORDS=(servicebot devi); COMP_CWORD=1;
        _servicebot; printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT$PREFIX/share/bash-completion/completions/servicebot")
    like "$GOT" '^devices$' "the installed bash completion completes commands"
fi
make -s -C "$SB_BUILDDIR" uninstall prefix="$PREFIX" DESTDIR="$ROOT" >>"$SCRATCH/install.log" 2>&1
ok $? "make uninstall with the same prefix succeeds"
is "$(cd "$ROOT" && find . -type f)" "" "and removes every installed file"

done_testing
