#!/usr/bin/env bash
# bench/rest.sh: wrk against servicebotd's GET /api/customers/{id}/devices
# and against nginx serving the same response bytes from a file, in the same
# run; prints both and the ratio (the aim is at least half of nginx).
# Run from the build directory (make bench-rest) or with SB_BUILDDIR.
#   bench/rest.sh [SECONDS] [CONNECTIONS]   (default 5 s, 16 connections)
. "$(dirname "$0")/lib.sh"
SECS=${1:-5}
CONNS=${2:-16}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "bench/rest: nginx is not installed" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/rest: wrk is not installed" >&2; exit 1; }

start_server || { echo "bench/rest: servicebotd did not start" >&2; exit 1; }
PATH_DEV=/api/customers/cust_002/devices
mkdir -p "$SCRATCH/www/api/customers/cust_002" "$SCRATCH/nginx"
curl -sf -H "Authorization: Bearer $SB_ADMIN" "$SB_URL$PATH_DEV" \
    >"$SCRATCH/www/api/customers/cust_002/devices"
NGINX_PORT=$(free_port)
cat >"$SCRATCH/nginx/nginx.conf" <<CONF
master_process off;
daemon off;
pid $SCRATCH/nginx/nginx.pid;
error_log $SCRATCH/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    client_body_temp_path $SCRATCH/nginx;
    proxy_temp_path $SCRATCH/nginx;
    fastcgi_temp_path $SCRATCH/nginx;
    uwsgi_temp_path $SCRATCH/nginx;
    scgi_temp_path $SCRATCH/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $SCRATCH/www;
        add_header access-control-allow-origin *;
    }
}
CONF
"$NGINX" -p "$SCRATCH/nginx" -c "$SCRATCH/nginx/nginx.conf" 2>"$SCRATCH/nginx/stderr" &
SB_PIDS="$SB_PIDS $!"
wait_for curl -sf "http://127.0.0.1:$NGINX_PORT$PATH_DEV" ||
    { echo "bench/rest: nginx did not start: $(cat "$SCRATCH/nginx/stderr" "$SCRATCH/nginx/error.log" 2>/dev/null)" >&2; exit 1; }
cmp -s <(curl -s "http://127.0.0.1:$NGINX_PORT$PATH_DEV") \
    <(curl -s -H "Authorization: Bearer $SB_ADMIN" "$SB_URL$PATH_DEV") ||
    { echo "bench/rest: the two bodies differ" >&2; exit 1; }

# rps URL: requests per second reported by wrk.
rps() {
    wrk -t1 -c"$CONNS" -d"${SECS}s" -H "Authorization: Bearer $SB_ADMIN" "$1" |
        awk '/^Requests\/sec/ { print $2 }'
}
echo "machine: $(nproc) cores; wrk -t1 -c$CONNS -d${SECS}s; body $(wc -c <"$SCRATCH/www$PATH_DEV") bytes"
# Alternate so that drift hits both alike.
n1=$(rps "http://127.0.0.1:$NGINX_PORT$PATH_DEV")
s1=$(rps "$SB_URL$PATH_DEV")
n2=$(rps "http://127.0.0.1:$NGINX_PORT$PATH_DEV")
s2=$(rps "$SB_URL$PATH_DEV")
# For reading the ratio: the same server answering from its loop thread alone.
h=$(rps "$SB_URL/healthz")
awk -v n1="$n1" -v n2="$n2" -v s1="$s1" -v s2="$s2" -v h="$h" 'BEGIN {
    n = (n1 + n2) / 2; s = (s1 + s2) / 2
    printf "nginx (1 process): %.0f req/s\nservicebotd:      %.0f req/s\nratio servicebotd/nginx: %.2f\n", n, s, s / n
    printf "(servicebotd GET /healthz, no worker or store: %.0f req/s)\n", h }'
