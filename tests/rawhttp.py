#!/usr/bin/env python3
"""Sends hand-made bytes to servicebotd over a bare socket, for the tests of
what curl would never send (pipelining, smuggling shapes, slow bodies,
unmasked WebSocket frames).

    rawhttp.py PORT BYTES [--trickle N] [--wait S] [--error] [--tls CAFILE]
    rawhttp.py PORT --ws-unmasked PATH TOKEN

BYTES takes \\r \\n \\xNN escapes. Reads until the server closes the
connection or stays silent for --wait seconds (default 3), then prints one
line per answer, "STATUS CODE" (CODE: the JSON error code, or -; with
--error also the error sentence), and "closed" if the server closed it.
--trickle N sends the last N bytes one per second. --tls speaks TLS,
trusting the CA in CAFILE.
--ws-unmasked upgrades PATH with the token, sends one unmasked text frame and
prints "close CODE" (the close frame's status) or "no close"."""
import base64
import json
import os
import socket
import ssl
import struct
import sys
import time


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin1")


def read_all(s, wait):
    s.settimeout(wait)
    data, closed = b"", False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            data += chunk
    except socket.timeout:
        pass
    except (ConnectionResetError, ssl.SSLError):
        closed = True
    return data, closed


def answers(data, closed, with_error):
    while data.startswith(b"HTTP/1.1 "):
        head, _, rest = data.partition(b"\r\n\r\n")
        status = head.split(b" ")[1].decode()
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body, data = rest[:length], rest[length:]
        code, error = "-", ""
        try:
            j = json.loads(body)
            code, error = j.get("code") or "-", j.get("error") or ""
        except ValueError:
            pass
        print(status, code, error) if with_error else print(status, code)
    if closed:
        print("closed")


def ws_unmasked(port, path, token):
    s = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET %s HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Protocol: chat\r\nAuthorization: Bearer %s\r\n\r\n"
               % (path, key, token)).encode())
    s.settimeout(10)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            print("no upgrade")
            return
        buf += chunk
    if not buf.startswith(b"HTTP/1.1 101"):
        print("no upgrade", buf.split(b"\r\n")[0].decode())
        return
    payload = b'{"type":"message","id":"u1","text":"hello"}'
    s.sendall(bytes([0x81, len(payload)]) + payload)  # FIN+text, no mask bit
    data, _ = read_all(s, 5)
    data = buf.partition(b"\r\n\r\n")[2] + data
    while len(data) >= 2:
        op, n = data[0] & 0x0F, data[1] & 0x7F
        off = 2
        if n == 126:
            n, off = struct.unpack(">H", data[2:4])[0], 4
        elif n == 127:
            n, off = struct.unpack(">Q", data[2:10])[0], 10
        frame, data = data[off:off + n], data[off + n:]
        if op == 0x8:
            print("close", struct.unpack(">H", frame[:2])[0] if len(frame) >= 2 else "none")
            return
    print("no close")


def main():
    port = int(sys.argv[1])
    if sys.argv[2] == "--ws-unmasked":
        ws_unmasked(port, sys.argv[3], sys.argv[4])
        return
    raw = unescape(sys.argv[2])
    args = sys.argv[3:]
    trickle = int(args[args.index("--trickle") + 1]) if "--trickle" in args else 0
    wait = float(args[args.index("--wait") + 1]) if "--wait" in args else 3
    s = socket.create_connection(("127.0.0.1", port))
    if "--tls" in args:
        ctx = ssl.create_default_context(cafile=args[args.index("--tls") + 1])
        s = ctx.wrap_socket(s, server_hostname="localhost")
    head = raw[:len(raw) - trickle] if trickle else raw
    s.sendall(head)
    try:
        for i in range(len(raw) - trickle, len(raw)):
            time.sleep(1)
            s.sendall(raw[i:i + 1])
    except (BrokenPipeError, ConnectionResetError):
        pass
    data, closed = read_all(s, wait)
    answers(data, closed, "--error" in args)


if __name__ == "__main__":
    main()
