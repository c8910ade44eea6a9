#!/usr/bin/env bash
# Idle WebSocket connections are pinged; a peer that never answers is
# dropped, one that answers stays. Uses --ws-ping 1 (hangup after 3 s).
. "$SB_SRCDIR/tests/lib.sh"

start_server --ws-ping 1 || { ok 1 "servicebotd starts"; done_testing; }

# A raw WebSocket peer that reads frames and never answers a ping.
python3 - "$SB_PORT" "$SB_ADMIN" >"$SCRATCH/raw" 2>&1 <<'PY'
import base64, os, socket, sys
port, token = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /ws?customer=cust_001 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
           f"Sec-WebSocket-Protocol: chat\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
buf = b""
while b"\r\n\r\n" not in buf:
    buf += s.recv(4096)
head, buf = buf.split(b"\r\n\r\n", 1)
print(head.split(b"\r\n")[0].decode())
s.settimeout(20)
names = {1: "text", 8: "close", 9: "ping", 10: "pong"}
def frame(buf):
    """(opcode, payload, rest) for the first whole frame in buf, or None."""
    if len(buf) < 2:
        return None
    n, off = buf[1] & 0x7F, 2
    if n >= 126:
        off = 4 if n == 126 else 10
        if len(buf) < off:
            return None
        n = int.from_bytes(buf[2:off], "big")
    if len(buf) < off + n:
        return None
    return buf[0] & 0x0F, buf[off:off + n], buf[off + n:]
while True:
    while (f := frame(buf)):
        print(names.get(f[0], "other"), f[1][:40])
        buf = f[2]
    try:
        data = s.recv(65536)
    except socket.timeout:
        print("timeout")
        break
    if not data:
        print("closed")
        break
    buf += data
PY
out=$(cat "$SCRATCH/raw")
like "$out" '^HTTP/1.1 101' "the raw peer is upgraded"
like "$out" 'text b.\{"type":"welcome"' "and welcomed"
like "$out" '^ping ' "an idle connection is pinged"
like "$(tail -n 1 <<<"$out")" '^closed$' "a peer that never answers is dropped"

out=$("$SB_BUILDDIR/tests/wsclient" -t "$SB_ADMIN" -n 2 -w 5 "ws://127.0.0.1:$SB_PORT/ws?customer=cust_001" 2>/dev/null)
is "$?" 3 "a peer that answers pings is still connected after the hangup time"
if grep -q '^close' <<<"$out"; then ok 1 "and was never closed"; else ok 0 "and was never closed"; fi

done_testing
