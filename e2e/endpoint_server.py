#!/usr/bin/env python3
"""Tiny HTTP server for workload endpoint tests (runs inside a network namespace).

usage: endpoint_server.py BIND_ADDR PORT CONFIG_JSON

CONFIG_JSON maps a path to {"status": int, "body": str, "delayMs": int, "contentType": str}.
It is re-read on every request so a test can change answers without restarting the server.
Unknown paths answer 404. Only GET/HEAD are served.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def load(config_path):
    try:
        with open(config_path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


class Handler(BaseHTTPRequestHandler):
    config_path = ""

    def answer(self, with_body):
        route = load(self.config_path).get(self.path.split("?", 1)[0])
        if route is None:
            status, body, ctype, delay = 404, "not found\n", "text/plain", 0
        else:
            status = int(route.get("status", 200))
            body = str(route.get("body", ""))
            ctype = route.get("contentType", "text/plain; version=0.0.4")
            delay = int(route.get("delayMs", 0))
        if delay > 0:
            time.sleep(min(delay, 60_000) / 1000)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if 300 <= status < 400:
            self.send_header("Location", route.get("location", "/") if route else "/")
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (http.server naming)
        self.answer(True)

    def do_HEAD(self):  # noqa: N802
        self.answer(False)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    Handler.config_path = sys.argv[3]
    server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
