#!/usr/bin/env bash
# bench/cli.sh: wall time of `servicebot --json devices list` against curl
# fetching the same URL from the same server, in the same run, printed as a
# ratio (the aim is within 1.5x of curl). Runs against a fresh servicebotd on
# a free loopback port. Usage: bench/cli.sh [RUNS] (default 200), from the
# build directory or with SB_BUILDDIR set.
. "$(dirname "$0")/lib.sh"
RUNS=${1:-200}

start_server || { echo "bench/cli: servicebotd did not start" >&2; exit 1; }
URL="$SB_URL/api/customers/cust_002/devices"

run_cli() {
    local i
    for ((i = 0; i < RUNS; i++)); do
        "$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_002 --json \
            devices list >/dev/null || return 1
    done
}
run_curl() {
    local i
    for ((i = 0; i < RUNS; i++)); do
        curl -sf -H "Authorization: Bearer $SB_ADMIN" "$URL" >/dev/null || return 1
    done
}
# now_ns: a monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# Same answer from both, or the comparison means nothing.
A=$("$SERVICEBOT" --server "$SB_URL" --token "$SB_ADMIN" --customer cust_002 --json devices list | jq -S .)
B=$(curl -sf -H "Authorization: Bearer $SB_ADMIN" "$URL" | jq -S .)
[ "$A" = "$B" ] || { echo "bench/cli: servicebot and curl disagree" >&2; exit 1; }

# Warm up, then alternate two rounds each so drift hits both alike.
RUNS=10 run_curl && RUNS=10 run_cli || exit 1
cli_ns=0 curl_ns=0
for round in 1 2; do
    t0=$(now_ns); run_curl || exit 1; t1=$(now_ns); curl_ns=$((curl_ns + t1 - t0))
    t0=$(now_ns); run_cli || exit 1; t1=$(now_ns); cli_ns=$((cli_ns + t1 - t0))
done
n=$((RUNS * 2))
awk -v c="$cli_ns" -v u="$curl_ns" -v n="$n" 'BEGIN {
    printf "bench/cli: %d runs each of GET /api/customers/cust_002/devices\n", n
    printf "  curl:       %.2f ms per run\n", u / n / 1e6
    printf "  servicebot: %.2f ms per run (devices list --json)\n", c / n / 1e6
    printf "  ratio servicebot/curl: %.2fx (aim: <= 1.5x)\n", c / u
}'
