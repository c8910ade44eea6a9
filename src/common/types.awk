# data/engine/types.txt -> the model_types table (src/common/local.mk):
# "key: frag | frag = cap cap" gives one row per fragment; "key ~ other"
# one row of model_type_standins.
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
BEGIN {
    print "/* Generated from data/engine/types.txt by src/common/types.awk: do not edit. */"
    print "#include \"common/model.h\""
    print "const struct model_type model_types[] = {"
}
/^[ \t]*#/ || /^[ \t]*$/ { next }
/^[a-z_]+[ \t]*~[ \t]*[a-z_]+[ \t]*$/ {
    split($0, pair, "~")
    standin[++n_standins] = sprintf("    {\"%s\", \"%s\"},", trim(pair[1]), trim(pair[2]))
    next
}
{
    c = index($0, ":")
    if (c == 0) { printf "types.txt line %d: missing ':'\n", NR > "/dev/stderr"; bad = 1; exit 1 }
    key = trim(substr($0, 1, c - 1))
    rest = substr($0, c + 1)
    can = ""
    e = index(rest, "=")
    if (e > 0) { can = trim(substr(rest, e + 1)); rest = substr(rest, 1, e - 1) }
    n = split(rest, frags, "|")
    for (i = 1; i <= n; i++) {
        f = trim(frags[i])
        if (f != "") { printf "    {\"%s\", \"%s\", \"%s\"},\n", key, f, can; rows++ }
    }
}
END {
    if (bad) exit 1
    print "};"
    printf "const size_t model_n_types = %d;\n", rows
    print "const struct model_type_standin model_type_standins[] = {"
    for (i = 1; i <= n_standins; i++) print standin[i]
    print "    {0, 0}};"
}
