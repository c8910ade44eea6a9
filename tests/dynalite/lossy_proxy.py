#!/usr/bin/env python3
"""A proxy in front of dynalite that loses answers: every conditional
PutItem is forwarded, and once dynalite has carried it out the client gets
its connection closed instead of the answer, as when a network drops a
response. The client's retry then meets its own earlier write.

usage: lossy_proxy.py PORTFILE UPSTREAM_URL
Writes the port it listens on (127.0.0.1) to PORTFILE.
"""
import os
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

PORTFILE, UPSTREAM = sys.argv[1:3]
lost = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global lost
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        req = urllib.request.Request(UPSTREAM, data=body, method="POST")
        for name in ("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date"):
            if self.headers.get(name):
                req.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(req) as r:
                status, data = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        target = self.headers.get("X-Amz-Target", "")
        if target.endswith(".PutItem") and b"ConditionExpression" in body and status == 200:
            lost += 1
            sys.stderr.write("lossy_proxy: dropped the answer to PutItem #%d\n" % lost)
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
