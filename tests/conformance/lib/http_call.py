"""One HTTP/1.1 request on a fresh connection, returning status, headers and raw body.

Used by the HTTP scenario runner and the recording replay. Stateless; thread-safe.
"""

import http.client
import json


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value) as received
        self.body = body        # bytes

    def header(self, name):
        """The value of a header (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None


def request(host, port, method, target, headers=None, body=None, timeout=30):
    """Sends target (path and query, sent as given) with headers; body is bytes, str or None."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, target, body=body, headers=dict(headers or {}))
        resp = conn.getresponse()
        return Response(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()
