"""Reads the real-service recordings (shared/reference/adt-recordings) into one format:
sequences of Exchanges, one sequence per upstream recording, in recorded order.

Formats: .NET SessionRecords ({"Entries": [...]}), Python vcrpy YAML, Java networkCallRecords
and the excerpts/*.jsonl transcriptions. Stateless.
"""

import glob
import json
import os
import urllib.parse

import yaml

UNRECORDED = object()  # a request body the recorder did not keep


class Exchange:
    def __init__(self, sequence, index, method, target, req_headers, req_body, status,
                 resp_headers, resp_body, note=None):
        self.sequence = sequence
        self.index = index
        self.method = method.upper()
        self.target = target            # path and query, host removed
        self.req_headers = req_headers  # {lower-case name: value}
        self.req_body = req_body        # str, None, or UNRECORDED
        self.status = status
        self.resp_headers = resp_headers  # {lower-case name: value}
        self.resp_body = resp_body      # parsed JSON, raw str, or None
        self.note = note

    @property
    def label(self):
        return f"{self.sequence}#{self.index + 1} {self.method} {self.target[:100]}"


class Sequence:
    def __init__(self, name, exchanges):
        self.name = name
        self.exchanges = exchanges


def _target_of(uri):
    parts = urllib.parse.urlsplit(uri)
    if not parts.scheme:
        return uri
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _headers(mapping):
    out = {}
    for name, value in (mapping or {}).items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out[name.lower()] = str(value)
    return out


def _body(value):
    """Recorded response bodies come as JSON values, JSON text or ''; returns JSON or text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _request_body(value):
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        if isinstance(value, dict) and "_excerpt_note" in value:
            return UNRECORDED
        return json.dumps(value)
    return value


def _load_net(root):
    for path in sorted(glob.glob(os.path.join(root, "net", "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8-sig") as f:
            entries = json.load(f)["Entries"]
        name = "net/" + os.path.relpath(path, os.path.join(root, "net"))
        yield Sequence(name, [
            Exchange(name, i, e["RequestMethod"], _target_of(e["RequestUri"]),
                     _headers(e.get("RequestHeaders")), _request_body(e.get("RequestBody")),
                     int(e["StatusCode"]), _headers(e.get("ResponseHeaders")),
                     _body(e.get("ResponseBody")))
            for i, e in enumerate(entries)])


def _load_python(root):
    for path in sorted(glob.glob(os.path.join(root, "python", "**", "*.yaml"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            interactions = yaml.safe_load(f)["interactions"]
        name = "python/" + os.path.basename(path)
        exchanges = []
        for i, e in enumerate(interactions):
            req, resp = e["request"], e["response"]
            body = resp.get("body") or {}
            exchanges.append(Exchange(
                name, i, req["method"], _target_of(req["uri"]), _headers(req.get("headers")),
                _request_body(req.get("body")), int(resp["status"]["code"]),
                _headers(resp.get("headers")), _body(body.get("string"))))
        yield Sequence(name, exchanges)


def _load_java(root):
    for path in sorted(glob.glob(os.path.join(root, "java", "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            records = json.load(f)["networkCallRecords"]
        name = "java/" + os.path.basename(path)
        exchanges = []
        for i, e in enumerate(records):
            resp = dict(e["Response"])
            status = int(resp.pop("StatusCode"))
            body = _body(resp.pop("Body", None))
            # The Java recorder keeps no request bodies at all.
            req_body = UNRECORDED if e["Method"] in ("PUT", "POST", "PATCH") else None
            exchanges.append(Exchange(name, i, e["Method"], _target_of(e["Uri"]),
                                      _headers(e.get("Headers")), req_body, status,
                                      _headers(resp), body))
        yield Sequence(name, exchanges)


def _load_excerpts(root):
    for path in sorted(glob.glob(os.path.join(root, "excerpts", "*.jsonl"))):
        source = os.path.splitext(os.path.basename(path))[0]
        grouped = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    grouped.setdefault(record["src"], []).append(record)
        for src, records in grouped.items():
            name = f"excerpts/{source}/{os.path.basename(src)}"
            exchanges = []
            for i, r in enumerate(records):
                target = r["uri"]
                if source == "js" and "?" not in target:
                    # nock drops the query string; this SDK build sent 2022-05-31.
                    target += "?api-version=2022-05-31"
                exchanges.append(Exchange(
                    name, i, r["method"], target, _headers(r.get("reqHeaders")),
                    _request_body(r.get("reqBody")), int(r["status"]),
                    _headers(r.get("respHeaders")), _body(r.get("respBody")), r.get("_note")))
            yield Sequence(name, exchanges)


def load_sequences(root):
    """Every recording under root as a Sequence, verbatim sets first."""
    sequences = []
    for loader in (_load_net, _load_python, _load_java, _load_excerpts):
        sequences.extend(loader(root))
    return sequences
