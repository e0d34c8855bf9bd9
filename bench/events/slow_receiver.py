#!/usr/bin/env python3
"""A webhook receiver that answers every request after DELAY_MS, as a receiver across a network
or one doing work per event does: one thread per connection (ThreadingHTTPServer), so requests
on different connections wait at the same time. Answers the CloudEvents validation handshake
(OPTIONS) too. Prints "listening PORT" once it serves.

  slow_receiver.py DELAY_MS
"""
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the sink expects

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        time.sleep(DELAY)
        self.send_response(200)
        self.send_header("WebHook-Allowed-Origin", "*")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = _answer
    do_OPTIONS = _answer

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default 5 would drop the SYNs of a burst of new connections


DELAY = float(sys.argv[1]) / 1000
server = Server(("127.0.0.1", 0), Handler)
print("listening", server.server_address[1], flush=True)
server.serve_forever()
