"""Compares dtwin's response with the recorded one: status, the headers that carry meaning
(ETag presence, x-ms-error-code, Content-Type), and the body's shape: the same keys at every
level, the same array lengths, and equal values except the instance-specific ones (etags,
times, links, messages). Stateless.
"""

import re

# Values that belong to one instance or one run: compared by JSON type only.
_INSTANCE_KEYS = {"$etag", "message", "uploadTime", "lastUpdateTime", "$lastUpdateTime",
                  "sourceTime", "$relationshipLink", "traceId", "createdDateTime",
                  "lastActionDateTime", "purgeDateTime", "finishedDateTime"}
# Links and tokens: only whether they are null matters.
_NULLNESS_KEYS = {"nextLink", "continuationToken"}
# Optional members of ADT's Error schema: dtwin may add them (they are additive), but must
# keep them where the service sent them.
_OPTIONAL_ERROR_KEYS = {"details", "innererror"}
# Language maps: the service answered "en" and, once, "en-US" for the same plain string.
_LANGUAGE_MAP_KEYS = {"displayName", "description"}
_INSTANCE_STRING = re.compile(r'^(W/".*"|\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)|https?://.*)$')
_IDENTITY_KEYS = ("$relationshipId", "$dtId", "id")


def _kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string", type(None): "null"}[type(value)]


def _identity(item):
    if isinstance(item, dict):
        for key in _IDENTITY_KEYS:
            if isinstance(item.get(key), str):
                return item[key]
    return ""


def compare_json(recorded, ours, path="body", diffs=None):
    diffs = [] if diffs is None else diffs
    if _kind(recorded) != _kind(ours):
        diffs.append(f"{path}: recorded a {_kind(recorded)}, got a {_kind(ours)}")
    elif isinstance(recorded, dict):
        missing = sorted(set(recorded) - set(ours))
        extra = sorted(set(ours) - set(recorded))
        if path.endswith("/error"):
            extra = [k for k in extra if k not in _OPTIONAL_ERROR_KEYS]
        if missing or extra:
            diffs.append(f"{path}: keys differ: missing {missing}, unexpected {extra}")
        for key in recorded.keys() & ours.keys():
            here = f"{path}/{key}"
            if key in _INSTANCE_KEYS:
                if _kind(recorded[key]) != _kind(ours[key]):
                    diffs.append(f"{here}: recorded a {_kind(recorded[key])}, got a {_kind(ours[key])}")
            elif key in _NULLNESS_KEYS:
                if (recorded[key] is None) != (ours[key] is None):
                    diffs.append(f"{here}: recorded {recorded[key]!r:.80}, got {ours[key]!r:.80}")
            elif key in _LANGUAGE_MAP_KEYS and isinstance(recorded[key], dict) and \
                    isinstance(ours[key], dict):
                if sorted(map(str, recorded[key].values())) != sorted(map(str, ours[key].values())):
                    diffs.append(f"{here}: recorded {recorded[key]}, got {ours[key]}")
            else:
                compare_json(recorded[key], ours[key], here, diffs)
    elif isinstance(recorded, list):
        if len(recorded) != len(ours):
            diffs.append(f"{path}: recorded {len(recorded)} items, got {len(ours)}")
        else:
            for i, (r, o) in enumerate(zip(sorted(recorded, key=_identity),
                                           sorted(ours, key=_identity))):
                compare_json(r, o, f"{path}/{i}", diffs)
    elif isinstance(recorded, str):
        if recorded != ours and not (_INSTANCE_STRING.match(recorded) and _INSTANCE_STRING.match(ours)):
            diffs.append(f"{path}: recorded {recorded!r:.120}, got {ours!r:.120}")
    elif recorded != ours:
        diffs.append(f"{path}: recorded {recorded!r}, got {ours!r}")
    return diffs


def compare_exchange(ex, resp):
    """Differences between recorded exchange ex and dtwin's http_call.Response, as strings."""
    diffs = []
    if resp.status != ex.status:
        diffs.append(f"status: recorded {ex.status}, got {resp.status}")
    rec_etag = ex.resp_headers.get("etag")
    if (rec_etag is None) != (resp.header("ETag") is None):
        diffs.append(f"ETag header: recorded {'present' if rec_etag else 'absent'}, "
                     f"got {resp.header('ETag')!r}")
    rec_code = ex.resp_headers.get("x-ms-error-code")
    if rec_code is not None and resp.header("x-ms-error-code") != rec_code:
        diffs.append(f"x-ms-error-code: recorded {rec_code!r}, got {resp.header('x-ms-error-code')!r}")
    rec_type = ex.resp_headers.get("content-type", "")
    if "problem+json" in rec_type:
        return diffs  # an ASP.NET model-binding error page: only the status is ADT's contract
    if ex.resp_body is not None and rec_type:
        ours_type = resp.header("Content-Type") or ""
        if rec_type.replace(" ", "").lower() != ours_type.replace(" ", "").lower():
            diffs.append(f"Content-Type: recorded {rec_type!r}, got {ours_type!r}")
    try:
        ours = resp.json()
    except ValueError:
        diffs.append(f"body is not JSON: {resp.body[:200]!r}")
        return diffs
    recorded = ex.resp_body
    if isinstance(recorded, dict) and "_excerpt_note" in recorded:
        # A transcription that left part of the body out: only the keys it kept are compared.
        kept = set(recorded) - {"_excerpt_note"}
        if not isinstance(ours, dict) or not kept <= set(ours):
            diffs.append(f"body: recorded keys {sorted(kept)} not all present in {str(ours)[:200]}")
        return diffs
    if recorded is None:
        if resp.body:
            diffs.append(f"body: recorded empty, got {resp.body[:200]!r}")
        return diffs
    return compare_json(recorded, ours, "body", diffs)
