#!/usr/bin/env python3
"""A misbehaving proxy in front of dynalite, in one of three modes:

lose-answers  every conditional PutItem is forwarded, and once dynalite has
              carried it out the client gets its connection closed instead
              of the answer, as when a network drops a response;
flaky         of every three requests, the first gets 400
              ThrottlingException, the second 500, the third is forwarded;
throttle      every request gets 400 ThrottlingException;
slow          every request is forwarded after a pause of 0.3 s.

usage: lossy_proxy.py PORTFILE UPSTREAM_URL [MODE]
Writes the port it listens on (127.0.0.1) to PORTFILE.
"""
import os
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTFILE, UPSTREAM = sys.argv[1:3]
MODE = sys.argv[3] if len(sys.argv) > 3 else "lose-answers"
THROTTLED = b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}'
lost = 0
seen = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, data):
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        global lost, seen
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        seen += 1
        if MODE == "throttle" or (MODE == "flaky" and seen % 3 == 1):
            return self.answer(400, THROTTLED)
        if MODE == "flaky" and seen % 3 == 2:
            return self.answer(500, b'{"__type":"InternalServerError","message":"boom"}')
        if MODE == "slow":
            sys.stderr.write("slow: %s\n" % self.headers.get("X-Amz-Target", ""))
            sys.stderr.flush()
            time.sleep(0.3)
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
        if (MODE == "lose-answers" and target.endswith(".PutItem")
                and b"ConditionExpression" in body and status == 200):
            lost += 1
            sys.stderr.write("lossy_proxy: dropped the answer to PutItem #%d\n" % lost)
            self.close_connection = True
            return
        self.answer(status, data)

    def log_message(self, fmt, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
