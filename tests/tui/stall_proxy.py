#!/usr/bin/env python3
"""A TCP proxy in front of servicebotd that can hold requests back, so that
tests see the chat while the server "stalls" a real answer.

usage: stall_proxy.py UPSTREAM_PORT PORT_FILE HOLD_FILE

Listens on a free loopback port (written to PORT_FILE once listening). For
each connection it reads the request head; while HOLD_FILE exists and its
content (a regular expression) matches the request line, the request is not
forwarded: HOLD_FILE.seen is created and the proxy waits until HOLD_FILE is
removed. Everything else (the WebSocket upgrade, other requests) passes
through at once."""
import os
import re
import select
import socket
import sys
import threading
import time

upstream_port, port_file, hold_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def held(request_line):
    try:
        with open(hold_file) as f:
            pattern = f.read().strip()
    except FileNotFoundError:
        return False
    return bool(pattern) and re.search(pattern, request_line) is not None


def pipe(a, b):
    socks = [a, b]
    while True:
        readable, _, _ = select.select(socks, [], [])
        for s in readable:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


def serve(client):
    try:
        head = b""
        while b"\r\n" not in head:
            data = client.recv(65536)
            if not data:
                return
            head += data
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        if held(line):
            open(hold_file + ".seen", "w").close()
            # the proxy's own wait; the test waits on what the screen shows
            while held(line):
                time.sleep(0.05)
        up = socket.create_connection(("127.0.0.1", upstream_port))
        up.sendall(head)
        pipe(client, up)
        up.close()
    except OSError:
        pass
    finally:
        client.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
with open(port_file + ".tmp", "w") as f:
    f.write(str(listener.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
