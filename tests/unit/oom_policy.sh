#!/usr/bin/env bash
# The out-of-memory policy (src/common/xalloc.h) stays applied: in the
# directories listed here every allocation goes through xmalloc, xcalloc,
# xrealloc, xstrdup, xstrndup (or xasprintf) and every json-c constructor
# through xjson(). A directory joins the list once it is converted.
OOM_POLICY_DIRS="src/engine"
# The wrappers themselves call the raw functions.
OOM_POLICY_EXEMPT="src/common/xalloc.c"

. "$SB_SRCDIR/tests/lib.sh"

# oom_scan FILE...: prints "FILE:LINE: what: code" for each raw allocation
# and each json-c constructor not wrapped in xjson(). Comments and the
# insides of string and character literals are blanked first, so prose that
# names malloc( is not code; an xjson( that ends a line covers the next one.
oom_scan() {
    awk '
    FNR == 1 { incomment = 0; carry = 0 }
    {
        code = ""; i = 1; n = length($0)
        while (i <= n) {
            c = substr($0, i, 1); c2 = substr($0, i, 2)
            if (incomment) {
                if (c2 == "*/") { incomment = 0; i += 2 } else i++
                continue
            }
            if (c2 == "/*") { incomment = 1; code = code " "; i += 2; continue }
            if (c2 == "//") break
            if (c == "\"" || c == "\047") {
                code = code c; i++
                while (i <= n && substr($0, i, 1) != c)
                    i += substr($0, i, 1) == "\\" ? 2 : 1
                code = code c; i++
                continue
            }
            code = code c; i++
        }
        if (code ~ /(^|[^A-Za-z0-9_])(malloc|calloc|realloc|reallocarray|strdup|strndup|v?asprintf)[ \t]*\(/)
            printf "%s:%d: raw allocation: %s\n", FILENAME, FNR, $0
        s = (carry ? "xjson(" : "") code
        gsub(/xjson\([ \t]*json_object_new_/, "", s)
        if (s ~ /json_object_new_[a-z0-9_]*[ \t]*\(/)
            printf "%s:%d: json-c constructor outside xjson(): %s\n", FILENAME, FNR, $0
        carry = code ~ /xjson\([ \t]*$/
    }' "$@"
}

# The scanner itself: it finds what it must and nothing else.
cat >"$SCRATCH/bad.c" <<'EOF'
char *s = strdup(name);
struct x *p = malloc (sizeof *p);
json_object *o = json_object_new_object();
if (asprintf(&s, "%d", 1) < 0)
    json_object_object_add(o, "k", xjson(json_object_new_int(1)), json_object_new_int(2));
EOF
cat >"$SCRATCH/good.c" <<'EOF'
/* strdup(s) would return NULL here,
 * and so would calloc(1, n) */
char *s = xstrdup(name); // not realloc(p, n)
struct x *p = xcalloc(1, sizeof *p), *q = xmalloc(sizeof *q);
const char *msg = "malloc(3) failed", c = '(';
json_object *o = xjson(json_object_new_object()), *a = xjson( json_object_new_array());
json_object_object_add(o, "a-long-key-name-that-makes-clang-format-break-the-line", xjson(
    json_object_new_string("value")));
void *xmalloc(size_t n);
EOF
BAD=$(cd "$SCRATCH" && oom_scan bad.c)
is "$(printf '%s\n' "$BAD" | cut -d: -f1-3)" "bad.c:1: raw allocation
bad.c:2: raw allocation
bad.c:3: json-c constructor outside xjson()
bad.c:4: raw allocation
bad.c:5: json-c constructor outside xjson()" "the scanner finds raw allocations and unchecked json-c constructors"
is "$(cd "$SCRATCH" && oom_scan good.c)" "" \
    "the scanner passes the wrappers, xjson() (also across a line), comments and strings"

for dir in $OOM_POLICY_DIRS; do
    files=$(cd "$SB_SRCDIR" && find "$dir" -name '*.[ch]' | sort)
    for exempt in $OOM_POLICY_EXEMPT; do
        files=$(printf '%s\n' "$files" | grep -vx "$exempt")
    done
    # shellcheck disable=SC2086 # one word a file
    found=$(cd "$SB_SRCDIR" && oom_scan $files)
    ok "$([ -n "$files" ] && [ -z "$found" ]; echo $?)" \
        "$dir ($(printf '%s\n' "$files" | wc -l) files) allocates only through xalloc and xjson()"
    [ -z "$found" ] || diag "$found"
done

done_testing
