#!/bin/sh
# The out-of-memory policy (src/common/xalloc.h) holds in the converted
# directories: no raw malloc/calloc/realloc/strdup/strndup/asprintf/
# vasprintf, every json-c constructor wrapped in xjson(), and the library
# allocators that have no wrapper (open_memstream, json_tokener_new,
# curl_slist_append) followed closely by an xalloc_die() for their failure.
# A directory joins the policy by being added here.
OOM_DIRS="src/store src/common src/server"
OOM_EXCLUDE="src/common/xalloc.c"

. "$SB_SRCDIR/tests/lib.sh"

# oom_scan FILE...: prints FILE:LINE: WHAT for each place that breaks the policy.
oom_scan() {
    awk '
    function report(what) { printf "%s:%d: %s\n", FILENAME, FNR, what; bad = 1 }
    function unchecked(file) {
        if (pend_n)
            printf "%s:%d: %s without xalloc_die() for its failure\n", file, pend_at, pend_what
        bad = bad || pend_n
        pend_n = 0
    }
    FNR == 1 { unchecked(last_file); incomment = 0; prev = ""; last_file = FILENAME }
    {
        line = $0
        # comments and string literals cannot break the policy
        if (incomment) {
            if (index(line, "*/") == 0) next
            line = substr(line, index(line, "*/") + 2)
            incomment = 0
        }
        gsub(/"([^"\\]|\\.)*"/, "\"\"", line)
        gsub(/\/\*([^*]|\*[^\/])*\*\//, "", line)
        sub(/\/\/.*/, "", line)
        if (index(line, "/*")) {
            line = substr(line, 1, index(line, "/*") - 1)
            incomment = 1
        }
        # an unwrapped library allocator waiting for its xalloc_die
        if (pend_n && index(line, "xalloc_die("))
            pend_n = 0
        else if (pend_n && FNR - pend_at > 5)
            unchecked(FILENAME)
        rest = line
        while (match(rest, /(^|[^A-Za-z0-9_])(malloc|calloc|realloc|strdup|strndup|asprintf|vasprintf)[ \t]*\(/)) {
            call = substr(rest, RSTART, RLENGTH)
            sub(/^[^A-Za-z0-9_]/, "", call)
            sub(/[ \t]*\($/, "", call)
            report("raw " call "() (use x" call "() from common/xalloc.h)")
            rest = substr(rest, RSTART + RLENGTH)
        }
        if (match(line, /(^|[^A-Za-z0-9_])(open_memstream|json_tokener_new|curl_slist_append)[ \t]*\(/)) {
            pend_what = substr(line, RSTART, RLENGTH)
            sub(/^[^A-Za-z0-9_]/, "", pend_what)
            sub(/[ \t]*\($/, "", pend_what)
            pend_at = FNR
            pend_n = 1
        }
        rest = line
        before = prev
        while (match(rest, /json_object_new_[A-Za-z0-9_]*[ \t]*\(/)) {
            head = before substr(rest, 1, RSTART - 1)
            if (head !~ /xjson\([ \t]*$/)
                report("unwrapped " substr(rest, RSTART, RLENGTH) ") (wrap it in xjson())")
            before = ""
            rest = substr(rest, RSTART + RLENGTH)
        }
        # a constructor may start the line after "xjson(" when clang-format breaks it
        prev = line ~ /[^ \t]/ ? line : prev
    }
    END { unchecked(last_file); exit bad }
    ' "$@"
}

# The scanner itself, on planted lines: it must catch each breach and pass each allowed form.
cat >"$SCRATCH/bad.c" <<'EOF'
char *a = malloc(4);
char *b = strdup(s);
char *c = NULL; asprintf(&c, "%d", 1);
json_object *o = json_object_new_object();
json_object_object_add(o, "k", json_object_new_string("v"));
FILE *f = open_memstream(&buf, &len);
int unrelated1;
int unrelated2;
int unrelated3;
int unrelated4;
int unrelated5;
EOF
cat >"$SCRATCH/good.c" <<'EOF'
/* malloc(n) in a comment, and a multi-line one:
 * strdup(s) */
char *a = xmalloc(4);
char *b = xstrdup(s); // calloc( in a line comment
log("strdup(s) in a string");
json_object *o = xjson(json_object_new_object());
json_object_object_add(o, "k", xjson(json_object_new_string("v")));
json_object_object_add(o, "long",
                       xjson(
                           json_object_new_string("v")));
FILE *f = open_memstream(&buf, &len);
if (!f)
    xalloc_die(0);
struct x *sqlite3_malloc_user = my_malloc(3);
EOF
found=$(oom_scan "$SCRATCH/bad.c")
is "$(printf '%s\n' "$found" | wc -l | tr -d ' ')" 6 "the scanner finds each of six planted breaches"
like "$found" 'bad.c:1: raw malloc\(\)' "a raw malloc"
like "$found" 'bad.c:3: raw asprintf\(\)' "a raw asprintf"
like "$found" 'bad.c:5: unwrapped json_object_new_string' "an unwrapped constructor inside a call"
like "$found" 'bad.c:6: open_memstream without xalloc_die' "a memory stream whose failure goes nowhere"
found=$(oom_scan "$SCRATCH/good.c")
ok $? "the allowed forms pass"
is "$found" "" "and nothing is reported for them"

# The tree.
for dir in $OOM_DIRS; do
    files=$(cd "$SB_SRCDIR" && ls "$dir"/*.[ch] | grep -vxF "$(printf '%s\n' $OOM_EXCLUDE)")
    found=$(cd "$SB_SRCDIR" && oom_scan $files)
    status=$?
    [ -n "$found" ] && diag "$found"
    ok $status "$dir follows the out-of-memory policy ($(printf '%s\n' $files | wc -l | tr -d ' ') files)"
done

done_testing
