"""A loopback CloudEvents webhook receiver for the event delivery suites: answers the validation
handshake (OPTIONS) and records every POSTed event in arrival order.

Thread-safe: the server threads record under one lock while the test reads and waits.
"""

import http.server
import json
import threading
import time

_WAIT_TIMEOUT_S = 20


class ReceivedRequest:
    """One request as it arrived: method, path, headers (names lower case) and body bytes."""

    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


class WebhookReceiver:
    """http.server on 127.0.0.1:0 in a thread. Start with start(), stop with stop().

    allowed_origin: the WebHook-Allowed-Origin answered to OPTIONS ("*", or None to echo the
    request's origin).
    """

    def __init__(self, path="/events", allowed_origin="*"):
        self.path = path
        self.allowed_origin = allowed_origin
        self._requests = []
        self._changed = threading.Condition()
        self._server = None
        self._thread = None

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}{self.path}"

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            # HTTP/1.1 so that the sink's kept-alive connections stay open between events.
            protocol_version = "HTTP/1.1"

            def do_OPTIONS(self):  # noqa: N802 (http.server's naming)
                origin = self.headers.get("WebHook-Request-Origin", "")
                receiver._record(self, b"")
                allowed = origin if receiver.allowed_origin is None else receiver.allowed_origin
                self.send_response(200)
                self.send_header("WebHook-Allowed-Origin", allowed)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                receiver._record(self, self.rfile.read(length))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass  # the test reports what it needs

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def _record(self, handler, body):
        headers = {name.lower(): value for name, value in handler.headers.items()}
        with self._changed:
            self._requests.append(ReceivedRequest(handler.command, handler.path, headers, body))
            self._changed.notify_all()

    def requests(self, method=None):
        with self._changed:
            return [r for r in self._requests if method is None or r.method == method]

    def events(self):
        """The POSTed CloudEvents (parsed JSON bodies) in arrival order."""
        return [r.json() for r in self.requests("POST")]

    def wait_for(self, predicate, what, timeout_s=_WAIT_TIMEOUT_S):
        """Waits until predicate(events()) is true and returns events(); on timeout raises
        AssertionError naming `what` and listing the events that did arrive."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                events = [r.json() for r in self._requests if r.method == "POST"]
                if predicate(events):
                    return events
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    summary = "\n".join(f"  {e.get('type')} {e.get('subject')} {e.get('id')}"
                                        for e in events)
                    raise AssertionError(f"no {what} at {self.url} within {timeout_s} s; "
                                         f"{len(events)} events arrived:\n{summary}")
                self._changed.wait(remaining)
