#!/usr/bin/env bash
# The out-of-memory policy (src/common/xalloc.h) holds in the converted
# directories: no raw malloc/calloc/realloc/strdup/strndup, and every json-c
# constructor goes through xjson(). A directory joins by being named here.
OOM_DIRS="src/client src/engine src/store src/common src/server"
# Where asprintf/vasprintf are converted too (xasprintf/xvasprintf).
OOM_ASPRINTF_DIRS="src/client src/engine src/store src/common src/server"
# Where json-c's adders are checked too (xjson_add/xjson_push): they fail
# silently when copying a key or growing a table fails.
OOM_JSONADD_DIRS="src/engine src/store src/common src/server"
# Where the allocating library calls that have no x-wrapper (open_memstream,
# json_tokener_new, curl_slist_append) send their failure to xalloc_die()
# within the next five lines.
OOM_LIBALLOC_DIRS="src/engine src/store src/common src/server"

. "${SB_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# C text without comments: // to the end of the line, /* */ on one line,
# and the inside lines of block comments (" * ...", not "*p = ...").
# Lines keep their numbers.
code_of() {
    sed -E -e 's://.*$::' -e 's:/\*.*\*/::g' -e 's:^[[:space:]]*\*([[:space:]/].*)?$::' \
        -e 's:/\*.*$::' "$1"
}

# FILE:LINE: text for each call of one of the functions in the ERE group $1
# that is not its x-wrapper (xmalloc, xstrdup, ...).
raw_calls() {
    fns=$1
    shift
    for f in "$@"; do
        code_of "$f" | grep -nE "(^|[^[:alnum:]_])($fns)[[:space:]]*\(" | sed "s|^|$f:|"
    done
}

# FILE:LINE: text for each json-c constructor not inside xjson(...).
unwrapped_json() {
    for f in "$@"; do
        code_of "$f" | sed -e 's/xjson(json_object_new_/xjson(/g' |
            grep -nE 'json_object_new_[a-z0-9_]+[[:space:]]*\(' | sed "s|^|$f:|"
    done
}

LIBALLOC='open_memstream|json_tokener_new|curl_slist_append'

# FILE:LINE: text for each library allocation with no xalloc_die() in the
# five lines after it (a json_tokener is no json_object: no xjson() for it).
unchecked_liballoc() {
    for f in "$@"; do
        code_of "$f" | awk -v f="$f" -v re="(^|[^[:alnum:]_])($LIBALLOC)[[:space:]]*[(]" '
            function flush() { if (at) printf "%s:%d:%s\n", f, at, what; at = 0 }
            at && index($0, "xalloc_die(") { at = 0 }
            at && NR - at > 5 { flush() }
            $0 ~ re { flush(); at = NR; what = $0 }
            END { flush() }'
    done
}

# The C files of the named directories; xalloc.c itself calls the raw functions.
sources_of() {
    for d in "$@"; do
        for f in "$SB_SRCDIR/$d"/*.c "$SB_SRCDIR/$d"/*.h; do
            [ -f "$f" ] && [ "${f##*/}" != xalloc.c ] && echo "$f"
        done
    done
}

RAW='malloc|calloc|realloc|strdup|strndup'
PRINTF='asprintf|vasprintf'
JSONADD='json_object_object_add|json_object_array_add'

# The checker itself: it must see what it is meant to catch, and only that.
cat >"$SCRATCH/planted.c" <<'EOF'
/* malloc(1) in a comment, and
 * strdup(s) on a comment line */
char *a = malloc(4); // xmalloc(4) would be right
*out = xmalloc(4), *c = xstrdup(a), *d = strndup(a, 2);
json_object *o = xjson(json_object_new_object()), *s = json_object_new_string("x");
int n = asprintf(&p, "%d", 1), m = (xasprintf("%d", 1) != NULL);
FILE *f = open_memstream(&buf, &len);
if (!f)
    xalloc_die(0);
json_tokener *t = json_tokener_new();
if (!t)
    return NULL;
xjson_add(o, "k", s); json_object_array_add(a, s); json_object_object_add_ex(o, "k", s, 0);
xjson_push(a, s);
EOF
got=$(raw_calls "$RAW" "$SCRATCH/planted.c" | sed 's|.*planted.c:||; s|:.*||' | tr '\n' ' ')
is "$got" "3 4 " "the checker finds raw allocations (lines 3 and 4), not wrappers or comments"
got=$(unwrapped_json "$SCRATCH/planted.c" | sed 's|.*planted.c:||; s|:.*||' | tr '\n' ' ')
is "$got" "5 " "the checker finds unwrapped json-c constructors, not xjson(...) ones"
got=$(raw_calls "$PRINTF" "$SCRATCH/planted.c" | sed 's|.*planted.c:||; s|:.*||' | tr '\n' ' ')
is "$got" "6 " "the checker finds asprintf, not xasprintf"
got=$(unchecked_liballoc "$SCRATCH/planted.c" | sed 's|.*planted.c:||; s|:.*||' | tr '\n' ' ')
is "$got" "10 " "the checker finds a library allocation whose failure misses xalloc_die()"
got=$(raw_calls "$JSONADD" "$SCRATCH/planted.c" | sed 's|.*planted.c:||; s|:.*||' | tr '\n' ' ')
is "$got" "13 " "the checker finds json_object_array_add, not xjson_add/xjson_push"

for d in $OOM_DIRS; do
    files=$(sources_of "$d")
    if [ -z "$files" ]; then
        ok 1 "$d has C files"
        continue
    fi
    # shellcheck disable=SC2086 # one word per file
    found=$(raw_calls "$RAW" $files)
    [ -z "$found" ]
    ok $? "no raw malloc/calloc/realloc/strdup/strndup in $d (use xalloc.h)"
    [ -z "$found" ] || diag "$found"
    # shellcheck disable=SC2086
    found=$(unwrapped_json $files)
    [ -z "$found" ]
    ok $? "every json-c constructor in $d goes through xjson()"
    [ -z "$found" ] || diag "$found"
done
# no_calls ERE NAME USE DIR...: a check per directory that no call of ERE is left.
no_calls() {
    fns=$1 name=$2 use=$3
    shift 3
    for d in "$@"; do
        # shellcheck disable=SC2086
        found=$(raw_calls "$fns" $(sources_of "$d"))
        [ -z "$found" ]
        ok $? "no raw $name in $d (use $use)"
        [ -z "$found" ] || diag "$found"
    done
}
# shellcheck disable=SC2086
no_calls "$PRINTF" asprintf/vasprintf xasprintf/xvasprintf $OOM_ASPRINTF_DIRS
# shellcheck disable=SC2086
no_calls "$JSONADD" json_object_object_add/array_add xjson_add/xjson_push $OOM_JSONADD_DIRS
for d in $OOM_LIBALLOC_DIRS; do
    # shellcheck disable=SC2086
    found=$(unchecked_liballoc $(sources_of "$d"))
    [ -z "$found" ] || diag "$found"
    [ -z "$found" ]
    ok $? "open_memstream/json_tokener_new/curl_slist_append in $d end in xalloc_die() when they fail"
done
done_testing
