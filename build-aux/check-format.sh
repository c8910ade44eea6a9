#!/bin/sh
# make format / make check-format: clang-format 14 with the tree's .clang-format.
# usage: check-format.sh --fix|--check CLANG_FORMAT SRCDIR FILE...
# --check is a dry run: one line per file that would change ("FILE: N places"),
# then a summary line; it exits 1 if any file deviates, 2 if it cannot run.
mode=$1 cf=$2 srcdir=$3
shift 3
if [ -z "$cf" ]; then
    echo "check-format: clang-format not found (apt-get install clang-format-14), then re-run configure" >&2
    exit 2
fi
version=$("$cf" --version 2>/dev/null | sed -n 's/.*clang-format version \([0-9]*\)\..*/\1/p')
if [ "$version" != 14 ]; then
    echo "check-format: $cf is version ${version:-unknown}, the .clang-format is written for 14 (apt-get install clang-format-14)" >&2
    exit 2
fi
if [ $# -eq 0 ]; then
    echo "check-format: no files to check (the file list comes from git ls-files in $srcdir)" >&2
    exit 2
fi
cd "$srcdir" || exit 2
if [ "$mode" = --fix ]; then
    exec "$cf" -i --style=file "$@"
fi
files=0 bad=0 places=0
for f in "$@"; do
    files=$((files + 1))
    # Each place clang-format would change is one "file:line:col: warning:" line.
    if ! out=$("$cf" --dry-run --style=file "$f" 2>&1); then
        echo "check-format: $cf failed on $f: $out" >&2
        exit 2
    fi
    n=$(printf '%s\n' "$out" | grep -c ': warning:')
    if [ "$n" -gt 0 ]; then
        if [ "$n" -eq 1 ]; then echo "$f: 1 place"; else echo "$f: $n places"; fi
        bad=$((bad + 1))
        places=$((places + n))
    fi
done
if [ "$bad" -gt 0 ]; then
    echo "check-format: $bad of $files files deviate from .clang-format ($places places); make format fixes them"
    exit 1
fi
echo "check-format: all $files files follow .clang-format"
