"""Recognises which ADT operation a recorded request is, reads the ids out of its path, and
tells which documents a recorded query row carries. Stateless."""

import re
import urllib.parse

# (method, fixed-segment pattern) -> operation; {} marks an id segment.
_ROUTES = [
    ("POST", "models", "models.add"),
    ("GET", "models", "models.list"),
    ("GET", "models/{}", "model.get"),
    ("PATCH", "models/{}", "model.patch"),
    ("DELETE", "models/{}", "model.delete"),
    ("GET", "digitaltwins/{}", "twin.get"),
    ("PUT", "digitaltwins/{}", "twin.put"),
    ("PATCH", "digitaltwins/{}", "twin.patch"),
    ("DELETE", "digitaltwins/{}", "twin.delete"),
    ("POST", "digitaltwins/{}/telemetry", "twin.telemetry"),
    ("GET", "digitaltwins/{}/components/{}", "component.get"),
    ("PATCH", "digitaltwins/{}/components/{}", "component.patch"),
    ("POST", "digitaltwins/{}/components/{}/telemetry", "component.telemetry"),
    ("GET", "digitaltwins/{}/relationships", "rel.list"),
    ("GET", "digitaltwins/{}/incomingrelationships", "rel.incoming"),
    ("GET", "digitaltwins/{}/relationships/{}", "rel.get"),
    ("PUT", "digitaltwins/{}/relationships/{}", "rel.put"),
    ("PATCH", "digitaltwins/{}/relationships/{}", "rel.patch"),
    ("DELETE", "digitaltwins/{}/relationships/{}", "rel.delete"),
    ("GET", "eventroutes", "route.list"),
    ("GET", "eventroutes/{}", "route.get"),
    ("PUT", "eventroutes/{}", "route.put"),
    ("DELETE", "eventroutes/{}", "route.delete"),
    ("POST", "query", "query"),
]


class Op:
    def __init__(self, name, ids, query):
        self.name = name    # e.g. "rel.put"; "jobs" or "unknown" when not an operation above
        self.ids = ids      # decoded path ids, in path order
        self.query = query  # {name: [values]}


def classify(method, target):
    path, _, query = target.partition("?")
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/")]
    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    if segments and segments[0].lower() == "jobs":
        return Op("jobs", [], params)
    for route_method, pattern, name in _ROUTES:
        fixed = pattern.split("/")
        if route_method != method or len(fixed) != len(segments):
            continue
        ids = []
        for want, got in zip(fixed, segments):
            if want == "{}":
                ids.append(got)
            elif want != got.lower():
                break
        else:
            return Op(name, ids, params)
    return Op("unknown", [], params)


def error_code(body):
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code")
    return None


def with_api_version(target, version):
    """target with its api-version query parameter(s) replaced by version."""
    return re.sub(r"(?i)(api-version=)[^&]*", lambda m: m.group(1) + version, target)


def is_twin_document(value):
    return (isinstance(value, dict) and isinstance(value.get("$dtId"), str)
            and isinstance(value.get("$etag"), str) and isinstance(value.get("$metadata"), dict)
            and isinstance(value["$metadata"].get("$model"), str))


def is_relationship_document(value):
    return isinstance(value, dict) and all(
        isinstance(value.get(key), str)
        for key in ("$relationshipId", "$sourceId", "$targetId", "$relationshipName"))


def documents_in_row(row):
    """The twin and relationship documents of a query row: the row itself (SELECT *), or the
    values of an {alias: document} row (SELECT D ... / JOIN / MATCH); else none."""
    def is_document(value):
        return is_twin_document(value) or is_relationship_document(value)

    if is_document(row):
        return [row]
    if isinstance(row, dict) and row and all(is_document(v) for v in row.values()):
        return list(row.values())
    return []
