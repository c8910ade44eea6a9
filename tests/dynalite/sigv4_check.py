#!/usr/bin/env python3
"""A stand-in DynamoDB endpoint that checks AWS Signature Version 4.

dynalite accepts any signature, so this server recomputes each request's
signature from the secret it is given (stdlib only, following the SigV4
specification) and answers like DynamoDB: 200 with every table ACTIVE when
the signature, region, service, key id, body hash and session token are
right, otherwise 400 InvalidSignatureException / UnrecognizedClientException.

usage: sigv4_check.py PORTFILE KEY_ID SECRET REGION [SESSION_TOKEN]
Writes the port it listens on (127.0.0.1) to PORTFILE, and one line per
request (operation, verdict, body) to stderr.
"""
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PORTFILE, KEY_ID, SECRET, REGION = sys.argv[1:5]
TOKEN = sys.argv[5] if len(sys.argv) > 5 else None


def hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def problem(headers, body):
    """None when the request is correctly signed, else what is wrong."""
    auth = headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return "UnrecognizedClientException", "no SigV4 Authorization header"
    fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    key_id, date, region, service, term = fields["Credential"].split("/")
    if key_id != KEY_ID:
        return "UnrecognizedClientException", "unknown key id %s" % key_id
    if (region, service, term) != (REGION, "dynamodb", "aws4_request"):
        return "InvalidSignatureException", "bad scope %s/%s/%s" % (region, service, term)
    signed = fields["SignedHeaders"].split(";")
    for needed in ("host", "x-amz-date", "x-amz-target", "content-type"):
        if needed not in signed:
            return "InvalidSignatureException", "%s is not signed" % needed
    if TOKEN is not None:
        if headers.get("X-Amz-Security-Token") != TOKEN or "x-amz-security-token" not in signed:
            return "UnrecognizedClientException", "session token missing or unsigned"
    amz_date = headers.get("X-Amz-Date", "")
    if not amz_date.startswith(date):
        return "InvalidSignatureException", "x-amz-date does not match the scope"
    canonical_headers = "".join(
        "%s:%s\n" % (h, " ".join(headers.get(h, "").split())) for h in signed)
    canonical = "\n".join(["POST", "/", "", canonical_headers, ";".join(signed),
                           hashlib.sha256(body).hexdigest()])
    scope = "/".join([date, region, service, term])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = hmac256(("AWS4" + SECRET).encode(), date)
    for part in (region, service, term):
        key = hmac256(key, part)
    want = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, fields["Signature"]):
        return "InvalidSignatureException", "The request signature we calculated does not match"
    return None


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        wrong = problem(self.headers, body)
        sys.stderr.write("sigv4_check: %s %s %s\n" % (
            self.headers.get("X-Amz-Target", ""), "refused" if wrong else "ok", body.decode()))
        if wrong:
            status, answer = 400, {"__type": "com.amazon.coral.service#" + wrong[0],
                                   "message": wrong[1]}
        else:
            status, answer = 200, {"Table": {"TableStatus": "ACTIVE"}}
        data = json.dumps(answer).encode()
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
# renamed last, so a reader never sees a partial file
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
