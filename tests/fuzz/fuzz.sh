#!/bin/sh
# Builds the libFuzzer targets (clang): the parser, the engine, the HTTP
# request layer and the byte guard in front of lws, and runs each for
# FUZZ_SECONDS (default 60), starting from the phrase corpus: any crash,
# sanitizer report or timeout fails. `make fuzz` runs this too.
. "$SB_SRCDIR/tests/lib.sh"
cd "$SB_BUILDDIR" || exit 1
secs=${FUZZ_SECONDS:-60}
if ! MAKEFLAGS= make -s fuzz/parser fuzz/engine fuzz/seeds fuzz/http fuzz/http-seeds fuzz/rxguard >"$SCRATCH/build.log" 2>&1; then
    if grep -q 'needs clang' "$SCRATCH/build.log"; then
        skip_all "clang is not installed"
    fi
    ok 1 "the fuzz targets build"
    diag "$(tail -20 "$SCRATCH/build.log")"
    done_testing
fi
ok 0 "the fuzz targets build"
for target in parser engine http rxguard; do
    mkdir -p "fuzz/corpus-$target" fuzz/crashes
    # the engine keeps bounded memories across inputs by design: no LSan
    leaks=1
    [ "$target" != parser ] && leaks=0
    seeds=fuzz/seeds
    [ "$target" = http ] || [ "$target" = rxguard ] && seeds=fuzz/http-seeds
    dict=
    [ "$target" = rxguard ] && dict=-dict=$SB_SRCDIR/tests/fuzz/rxguard.dict
    ./fuzz/$target $dict -max_total_time="$secs" -max_len=600 -timeout=10 -rss_limit_mb=4096 \
        -detect_leaks=$leaks -print_final_stats=1 -artifact_prefix=fuzz/crashes/$target- \
        "fuzz/corpus-$target" "$seeds" >"$SCRATCH/$target.log" 2>&1
    status=$?
    ok $status "fuzzing the $target for ${secs}s finds nothing"
    if [ $status -ne 0 ]; then
        diag "$(grep -A30 -E '^==[0-9]+==|ERROR|SUMMARY' "$SCRATCH/$target.log" | head -40)"
    else
        diag "$target: $(grep -E 'stat::(number_of_executed_units|average_exec_per_sec)' \
            "$SCRATCH/$target.log" | tr '\n' ' ')"
    fi
done
done_testing
