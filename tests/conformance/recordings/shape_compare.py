"""Compares dtwin's response with the recorded one: status, the headers that carry meaning
(ETag presence, x-ms-error-code, Content-Type, query-charge), and the body's shape: the same
keys at every level, the same array lengths, and equal values except the instance-specific
ones (etags, times, links, messages). Query pages are compared by row kind instead (see
compare_query_page). Stateless.
"""

import re

from exchange_ops import documents_in_row, is_relationship_document, is_twin_document

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


def _document_identity(document):
    if is_twin_document(document):
        return f"twin {document['$dtId']}"
    return f"relationship {document['$sourceId']}/{document['$relationshipId']}"


def _row_identity(row):
    """Names the documents of a query row ("D=twin x"), or None for rows without documents."""
    documents = documents_in_row(row)
    if not documents:
        return None
    if documents[0] is row:
        return _document_identity(row)
    return ", ".join(f"{alias}={_document_identity(row[alias])}" for alias in sorted(row))


def row_kind(row):
    """What a query row is: a twin or relationship document, {alias: document}, the COUNT row,
    or a projection (whose members vary: undefined ones are left out)."""
    if is_twin_document(row):
        return "twin document"
    if is_relationship_document(row):
        return "relationship document"
    if documents_in_row(row):
        return "{" + ", ".join(f"{alias}: {row_kind(row[alias])}" for alias in sorted(row)) + "}"
    if isinstance(row, dict) and set(row) == {"COUNT"} and _kind(row["COUNT"]) == "number":
        return "COUNT row"
    return "projection" if isinstance(row, dict) else _kind(row)


def compare_query_page(recorded, ours, same_query_rows):
    """A 200 query page, {"value": [rows], "continuationToken": string|null}. The real service
    lagged writes by seconds, so rows are not matched one to one and COUNT values are not
    compared. Instead: every recorded row that holds documents comes back from dtwin (the
    replay created what it shows) and is compared like any document; every row dtwin sends is
    of a kind the service sent for the same query text in some recording (same_query_rows);
    and the token is null exactly when it was."""
    diffs = []
    kept = set(recorded) - {"_excerpt_note"}
    if not isinstance(ours, dict) or set(ours) != {"value", "continuationToken"}:
        return [f"body: expected {{value, continuationToken}}, got {str(ours)[:200]}"]
    if not kept <= set(ours):
        diffs.append(f"body: recorded keys {sorted(kept)}, got {sorted(ours)}")
    token = ours["continuationToken"]
    if token is not None and not isinstance(token, str):
        diffs.append(f"body/continuationToken: a string or null, got {token!r:.80}")
    elif "continuationToken" in kept and (recorded["continuationToken"] is None) != (token is None):
        diffs.append(f"body/continuationToken: recorded {recorded['continuationToken']!r:.80}, got {token!r:.80}")
    rows = ours["value"]
    if not isinstance(rows, list):
        return diffs + [f"body/value: recorded an array, got a {_kind(rows)}"]
    recorded_rows = recorded.get("value") or []
    kinds = {row_kind(row) for row in list(recorded_rows) + list(same_query_rows)}
    for i, row in enumerate(rows):
        if kinds and row_kind(row) not in kinds:
            diffs.append(f"body/value/{i}: a {row_kind(row)}; the service sent {sorted(kinds)} "
                         f"for this query")
    ours_by_identity = {_row_identity(row): row for row in rows}
    for row in recorded_rows:
        identity = _row_identity(row)
        if identity is None:
            continue
        if identity not in ours_by_identity:
            diffs.append(f"body/value: no row for {identity}")
        else:
            compare_json(row, ours_by_identity[identity], f"body/value[{identity}]", diffs)
    return diffs


def _is_number(text):
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def compare_exchange(ex, resp, same_query_rows=None):
    """Differences between recorded exchange ex and dtwin's http_call.Response, as strings.
    same_query_rows: for a query exchange, the rows the service sent for the same query text
    (see compare_query_page); None for every other operation."""
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
    if ex.resp_headers.get("query-charge") is not None and not _is_number(resp.header("query-charge")):
        diffs.append(f"query-charge: recorded {ex.resp_headers['query-charge']!r}, "
                     f"got {resp.header('query-charge')!r}")
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
    if same_query_rows is not None and ex.status == 200 and isinstance(recorded, dict):
        return diffs + compare_query_page(recorded, ours, same_query_rows)
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
