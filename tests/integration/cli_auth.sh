#!/usr/bin/env bash
# login, logout, auth status against a real servicebotd: the token is
# checked before it is saved, saved with mode 0600 among the file's other
# lines, never echoed on a terminal, and removed again by logout.
. "$SB_SRCDIR/tests/lib.sh"
. "$SB_SRCDIR/tests/integration/cli_lib.sh"

CONFIG=$XDG_CONFIG_HOME/servicebot/config
start_server || { ok 1 "servicebotd starts"; done_testing; }
TOKEN=$(customer_token cust_001)

sb auth status
is "$RC" 5 "auth status without a token exits 5"
like "$ERR" "not logged in: no token for http://127.0.0.1:8080" "and says so"
like "$ERR" "servicebot login" "and how to log in"

printf '# my settings\ncustomer = cust_001\ntimeout = 10\n' >"$CONFIG"
chmod 644 "$CONFIG"
sb login < <(printf '%s\nnot-a-token\n' "$SB_URL")
is "$RC" 5 "login with a token the server refuses exits 5"
like "$ERR" "nothing was saved" "and says nothing was saved"
is "$(cat "$CONFIG")" $'# my settings\ncustomer = cust_001\ntimeout = 10' "the config file is untouched"
DOWN="http://127.0.0.1:$(free_port)"
sb login < <(printf '%s\n%s\n' "$DOWN" "$TOKEN")
is "$RC" 6 "login to a server that is down exits 6"
sb login < <(printf 'ftp://x\n%s\n' "$TOKEN")
is "$RC" 2 "login with a bad URL exits 2"
like "$ERR" "server must be an http:// or https:// URL" "and says why"
sb login < <(printf '%s\n' "$SB_URL")
is "$RC" 2 "login without a token exits 2"

sb login < <(printf '%s\n  %s  \n' "$SB_URL" "$TOKEN")
is "$RC" 0 "login with a good token exits 0"
like "$ERR" "logged in to $SB_URL as customer cust_001 \\(Jane Smith\\), Basic plan \\(free\\); saved in $CONFIG" \
    "and says who, which plan and where"
is "$(stat -c %a "$CONFIG")" 600 "the config file is now mode 0600"
is "$(cat "$CONFIG")" "# my settings
customer = cust_001
timeout = 10
server = $SB_URL
token = $TOKEN" "server and token are added, the other lines kept"
[ -z "$(find "$XDG_CONFIG_HOME/servicebot" -name 'config.*')" ]
ok $? "no temporary file is left behind"

sb devices list
is "$RC" 0 "the saved server and token are used"
sb auth status
is "$RC" 0 "auth status exits 0"
like "$OUT" "Server +$SB_URL \\(from $CONFIG:4\\)" "auth status: which server, from where"
like "$OUT" "Token +sbt_.*${TOKEN: -4} \\(from $CONFIG:5\\)" "auth status: the token masked, from where"
if printf '%s' "$OUT" | grep -qF -- "$TOKEN"; then ok 1 "auth status never shows the whole token"; else ok 0 "auth status never shows the whole token"; fi
like "$OUT" "Logged in as +customer cust_001 \\(Jane Smith\\), Basic plan \\(free\\)" "auth status: who and which plan"
sb --json auth status
json_ok '.role == "customer" and .customer.id == "cust_001" and .level.level == "basic" and .server == "'"$SB_URL"'"' \
    "auth status --json"
SERVICEBOT_TOKEN=$SB_ADMIN sb auth status --jq .role
is "$OUT" admin "an admin token is the admin"
SERVICEBOT_TOKEN=$SB_ADMIN sb auth status
like "$OUT" "Token +.* \\(from SERVICEBOT_TOKEN\\)" "the environment wins and auth status says so"
SERVICEBOT_TOKEN=nope sb auth status
is "$RC" 5 "auth status with a refused token exits 5"

# Server given as an option: only the token is asked; again: the token is replaced.
TOKEN2=$(customer_token cust_002)
sb --server "$SB_URL" -q login < <(printf '%s\n' "$TOKEN2")
is "$RC" 0 "login --server asks only for the token"
is "$ERR" "" "-q: nothing printed"
is "$(grep -c '^token = ' "$CONFIG")" 1 "one token line"
like "$(cat "$CONFIG")" "token = $TOKEN2" "the new token replaced the old"

sb logout
is "$RC" 0 "logout exits 0"
like "$ERR" "logged out: the token is removed from $CONFIG" "logout says what it did"
is "$(cat "$CONFIG")" "# my settings
customer = cust_001
timeout = 10
server = $SB_URL" "the token is gone, the rest kept"
sb auth status
is "$RC" 5 "after logout auth status exits 5"
sb logout
is "$RC" 0 "logout again exits 0"
like "$ERR" "no token is saved in $CONFIG" "and says there was nothing to remove"
SERVICEBOT_TOKEN=x sb logout
like "$ERR" "SERVICEBOT_TOKEN is still set" "logout notes a token still in the environment"

# On a terminal: both questions asked, the token not echoed.
if command -v python3 >/dev/null; then
    rm -f "$CONFIG"
    python3 "$SB_SRCDIR/tests/integration/pty_run.py" "$SCRATCH/login.pty" \
        --expect 'Server [' --send "$SB_URL" --expect 'Token: ' --send "$TOKEN" \
        "$SERVICEBOT" login
    is "$?" 0 "login on a terminal exits 0"
    like "$(cat "$SCRATCH/login.pty")" 'Server \[http://127.0.0.1:8080\]: ' "asks for the server, offering the current one"
    if grep -qF -- "$TOKEN" "$SCRATCH/login.pty"; then ok 1 "the token is not echoed"; else ok 0 "the token is not echoed"; fi
    like "$(cat "$CONFIG")" "token = $TOKEN" "and it is saved"
fi

done_testing
