#!/usr/bin/env python3
"""A hand-made WebSocket client for the tests of what real clients never
send (unmasked frames, frame headers split across writes).

    wsframes.py [--tls CAFILE] PORT PATH TOKEN STEP...

Upgrades PATH with the bearer TOKEN (over TLS with --tls), then runs the
steps in order:
    masked:TEXT          a masked text frame (as every client must send)
    unmasked:TEXT        an unmasked text frame
    split:TEXT           an unmasked text frame, its first header byte in
                         one write and the rest in another
    wait:TYPE            reads frames until a text frame of that "type"
    bye                  a masked close frame with 1000
Prints one line per frame received: "text TYPE" or "close CODE REASON",
answers a close as a client must (a masked close frame back) and ends with
"closed" once the server has closed the connection, or "open" if it stays
silent for 10 s."""
import base64
import json
import os
import socket
import ssl
import struct
import sys
import time


def frame(opcode, payload, masked):
    head = bytes([0x80 | opcode])
    n = len(payload)
    bit = 0x80 if masked else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if not masked:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.buf = b""
        self.closed = False

    def fill(self):
        try:
            chunk = self.s.recv(65536)
        except (socket.timeout, ssl.SSLError, OSError):
            return False
        if not chunk:
            self.closed = True
            return False
        self.buf += chunk
        return True

    def next_frame(self):
        """(opcode, payload), or None when closed or silent."""
        while True:
            if len(self.buf) >= 2:
                n, off = self.buf[1] & 0x7F, 2
                if n == 126 and len(self.buf) >= 4:
                    n, off = struct.unpack(">H", self.buf[2:4])[0], 4
                elif n == 127 and len(self.buf) >= 10:
                    n, off = struct.unpack(">Q", self.buf[2:10])[0], 10
                if n < 126 or off > 2:
                    if len(self.buf) >= off + n:
                        op, payload = self.buf[0] & 0x0F, self.buf[off:off + n]
                        self.buf = self.buf[off + n:]
                        return op, payload
            if self.closed or not self.fill():
                return None

    def send(self, data):
        try:
            self.s.sendall(data)
        except OSError:
            pass


def report(conn, want=None):
    """Prints frames until a text frame of type want (None: until the end)."""
    while True:
        f = conn.next_frame()
        if f is None:
            return False
        op, payload = f
        if op == 0x1:
            try:
                kind = json.loads(payload).get("type", "-")
            except ValueError:
                kind = "-"
            print("text", kind, flush=True)
            if want and kind == want:
                return True
        elif op == 0x8:
            code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else "none"
            print("close", code, payload[2:].decode("utf-8", "replace"), flush=True)
            conn.send(frame(0x8, payload[:2], True))
            while conn.next_frame() is not None:
                pass
            return False


def main():
    args = sys.argv[1:]
    ca = None
    if args[0] == "--tls":
        ca, args = args[1], args[2:]
    port, path, token, steps = int(args[0]), args[1], args[2], args[3:]
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if ca:
        sock = ssl.create_default_context(cafile=ca).wrap_socket(sock, server_hostname="localhost")
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET %s HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                  "Sec-WebSocket-Protocol: chat\r\nAuthorization: Bearer %s\r\n\r\n"
                  % (path, key, token)).encode())
    sock.settimeout(10)
    conn = Conn(sock)
    while b"\r\n\r\n" not in conn.buf:
        if not conn.fill():
            print("no upgrade")
            return
    head, _, conn.buf = conn.buf.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        print("no upgrade", head.split(b"\r\n")[0].decode())
        return
    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "masked":
            conn.send(frame(0x1, arg.encode(), True))
        elif kind == "unmasked":
            conn.send(frame(0x1, arg.encode(), False))
        elif kind == "split":
            data = frame(0x1, arg.encode(), False)
            conn.send(data[:1])
            time.sleep(0.5)  # two writes, so two reads at the server
            conn.send(data[1:])
        elif kind == "bye":
            conn.send(frame(0x8, struct.pack(">H", 1000), True))
        elif kind == "wait":
            if not report(conn, arg):
                break
    report(conn)
    print("closed" if conn.closed else "open")


if __name__ == "__main__":
    main()
