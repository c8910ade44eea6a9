#!/usr/bin/env python3
"""Sends hand-made bytes to servicebotd over a bare socket, for the tests of
what curl would never send (pipelining, smuggling shapes, slow bodies;
WebSocket frames are tests/wsframes.py's).

    rawhttp.py PORT BYTES [--trickle N] [--wait S] [--error] [--tls CAFILE]

BYTES takes \\r \\n \\xNN escapes. Reads until the server closes the
connection or stays silent for --wait seconds (default 3), then prints one
line per answer, "STATUS CODE" (CODE: the JSON error code, or -; with
--error also the error sentence), and "closed" if the server closed it.
--trickle N sends the last N bytes one per second. --tls speaks TLS,
trusting the CA in CAFILE."""
import json
import socket
import ssl
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


def main():
    port = int(sys.argv[1])
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
