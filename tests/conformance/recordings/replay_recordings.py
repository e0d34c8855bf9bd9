#!/usr/bin/python3
"""Replays the real-service recordings in shared/reference/adt-recordings against dtwin and
compares each response with the recorded one (status, meaningful headers, body shape).

One fresh server per recording. Before each exchange, setup requests (not compared) bring the
server into the state the recorded response implies (see replay_world.py). Exchanges that use
what dtwin does not serve here (jobs, 401/429 behaviour), that the recorder did not keep whole,
or that continue a query or listing whose earlier pages are missing are skipped and counted.
Query pages are compared by row kind, not row by row: the real service lagged writes by
seconds (see shape_compare.compare_query_page).

Threshold: every applicable exchange must agree (100%). Each one is a response the real
service gave to a request the official SDKs send; the ones dtwin is not meant to reproduce
are classified as skips above, each with its reason, so any disagreement is either a server
bug or a gap in that classification - both need a human look.

Usage: replay_recordings.py [-v] [NAME-SUBSTRING...]
Exit: 0 all agree, 1 any disagreement, 77 (skip) when the recordings are absent.
"""

import collections
import json
import os
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

from dtwin_server import DtwinServer, ServerError, shared_dir  # noqa: E402
from exchange_ops import classify, documents_in_row, error_code, with_api_version  # noqa: E402
from http_call import request  # noqa: E402
from recorded_knowledge import Knowledge  # noqa: E402
from recording_loader import UNRECORDED, load_sequences  # noqa: E402
from replay_world import ReplayWorld, SetupError  # noqa: E402
from shape_compare import compare_exchange  # noqa: E402

SKIP_EXIT = 77
# Previews between GA versions: replayed at the GA version that answers with the same shapes
# (2021-06-30-preview twins have no $lastUpdateTime, like 2020-10-31).
PREVIEW_VERSIONS = {"2021-06-30-preview": "2020-10-31", "2023-02-27-preview": "2023-06-30"}
STALE_ETAG = 'W/"00000000-0000-0000-0000-000000000000"'
FORWARDED_HEADERS = ("content-type", "if-match", "if-none-match", "message-id",
                     "telemetry-source-time", "max-items-per-page")


def skip_reason(ex, op):
    if op.name == "jobs":
        return "import/delete jobs (not part of this suite)"
    if op.name == "unknown":
        return "not an ADT data-plane operation"
    if ex.status == 401:
        return "authentication failure (the server runs with --auth none)"
    if ex.status == 429:
        return "throttling (not reproducible on demand)"
    if ex.status >= 500 and ex.resp_body is None:
        return "recorder noise: an empty 5xx the README says not to copy"
    if ex.req_body is UNRECORDED:
        return "request body not recorded (Java recorder, or excerpted)"
    return None


def _json(text):
    try:
        return json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None


def prepare(world, ex, op):
    """Setup requests so that the server's state matches what the recorded response implies."""
    code = error_code(ex.resp_body)
    ok = ex.status < 300
    name = op.name
    body = _json(ex.req_body)
    if name in ("model.get", "model.patch", "model.delete"):
        if code == "ModelNotFound":
            world.ensure_model_absent(op.ids[0])
        elif ok or ex.status == 409:
            world.ensure_model(op.ids[0])
    elif name == "models.add" and ex.status == 201 and isinstance(body, list):
        for model in body:
            world.ensure_model_absent(model.get("@id", ""))
    elif name == "models.list" and ok and isinstance(ex.resp_body, dict) and \
            isinstance(ex.resp_body.get("value"), list) and "continuationToken" not in op.query \
            and "max-items-per-page" not in ex.req_headers:
        world.models_listed([m["id"] for m in ex.resp_body["value"]])
    elif name == "twin.put":
        twin = op.ids[0]
        if ex.req_headers.get("if-none-match", "").strip() == "*":
            if ex.status == 412:
                world.ensure_twin(twin)
            elif ok:
                world.ensure_twin_absent(twin)
        model = ((body or {}).get("$metadata") or {}).get("$model") if isinstance(body, dict) else None
        if ok and model:
            world.ensure_model(model)
    elif name.startswith(("twin.", "component.")) or name in ("rel.list", "rel.incoming"):
        twin = op.ids[0]
        if code == "DigitalTwinNotFound":
            world.ensure_twin_absent(twin)
        elif name == "twin.delete" and ok:
            world.ensure_twin_free(twin)
        elif code == "RelationshipsNotDeleted":
            world.ensure_twin_has_relationship(twin)
        else:
            world.ensure_twin(twin)
    elif name in ("rel.get", "rel.patch", "rel.delete"):
        source, rel_id = op.ids
        if code == "DigitalTwinNotFound":
            world.ensure_twin_absent(source)
        elif code == "RelationshipNotFound":
            world.ensure_twin(source)
            world.ensure_relationship_absent(source, rel_id)
        else:
            world.ensure_relationship(source, rel_id)
    elif name == "rel.put":
        source, rel_id = op.ids
        if code == "DigitalTwinNotFound":
            world.ensure_twin_absent(source)
            return
        world.ensure_twin(source)
        target = body.get("$targetId") if isinstance(body, dict) else None
        if code in ("TargetDigitalTwinNotFound", "TargetTwinNotFound") and target:
            world.ensure_twin_absent(target)
        elif ok and target:
            world.ensure_twin(target)
        if ex.req_headers.get("if-none-match", "").strip() == "*":
            if ex.status == 412:
                world.ensure_relationship(source, rel_id)
            elif ok:
                world.ensure_relationship_absent(source, rel_id)
    elif name in ("route.get", "route.delete"):
        if ok:
            world.ensure_route(op.ids[0])
        elif code == "EventRouteNotFound":
            world.ensure_route_absent(op.ids[0])
    elif name == "query" and ok and isinstance(ex.resp_body, dict):
        # The twins the recorded rows show existed then.
        for row in ex.resp_body.get("value") or []:
            for document in documents_in_row(row):
                if "$dtId" in document:
                    world.ensure_twin(document["$dtId"])


def entity_path(op):
    """The path whose ETag an If-Match on this operation refers to."""
    ids = [urllib.parse.quote(i, safe="") for i in op.ids]
    if op.name.startswith("rel."):
        return f"/digitaltwins/{ids[0]}/relationships/{ids[1]}"
    return f"/digitaltwins/{ids[0]}"


class SequenceReplay:
    def __init__(self, sequence, knowledge, verbose):
        self.sequence = sequence
        self.knowledge = knowledge
        self.verbose = verbose
        self.etags = {}  # recorded etag -> dtwin's etag for the same entity state
        self.links = {}  # recorded continuationToken -> dtwin's nextLink target
        # recorded query continuationToken -> (dtwin's token for the same page or None when
        # dtwin had no more pages, the query text)
        self.query_tokens = {}
        self.results = []  # (exchange, diffs or None when skipped, skip reason)
        self.rewritten = 0

    def run(self):
        if all(skip_reason(ex, classify(ex.method, ex.target)) for ex in self.sequence.exchanges):
            for ex in self.sequence.exchanges:  # nothing to replay: no server needed
                self.results.append((ex, None, skip_reason(ex, classify(ex.method, ex.target))))
            return self.results
        endpoints = {name: "http://127.0.0.1:9/events" for name in self.knowledge.endpoints if name}
        server = DtwinServer(endpoints=endpoints)
        server.start()
        try:
            world = ReplayWorld(server, self.knowledge, self.sequence.name)
            for ex in self.sequence.exchanges:
                self.replay(server, world, ex)
        finally:
            code = server.stop()
        if code != 0:
            self.results.append((None, [f"dtwin serve exited with {code} after SIGTERM"], None))
        return self.results

    def target_of(self, ex, op):
        target = ex.target
        version = urllib.parse.parse_qs(target.partition("?")[2]).get("api-version", [None])[0]
        if version in PREVIEW_VERSIONS:
            target = with_api_version(target, PREVIEW_VERSIONS[version])
            self.rewritten += 1
        if "continuationToken" in op.query:
            mapped = self.links.get(op.query["continuationToken"][0])
            if mapped is None:
                return None
            target = mapped
        return target

    def headers_of(self, ex, op, world):
        headers = {"Authorization": "Bearer replay"}
        for name in FORWARDED_HEADERS:
            if name in ex.req_headers:
                headers[name] = ex.req_headers[name]
        for name in ("if-match", "if-none-match"):
            value = headers.get(name)
            if value is None or value.strip() == "*":
                continue
            if value in self.etags:
                headers[name] = self.etags[value]
            elif ex.status < 300:
                headers[name] = world.current_etag(entity_path(op)) or STALE_ETAG
            else:
                headers[name] = STALE_ETAG  # an etag never seen (or a description of one)
        if ex.req_body is not None and "content-type" not in headers:
            headers["content-type"] = ("application/json-patch+json" if ex.method == "PATCH"
                                       else "application/json")
        return headers

    def query_request(self, ex):
        """(body to send, query text, skip reason): the recorded body, with a recorded
        continuationToken replaced by dtwin's token for the same page."""
        spec = _json(ex.req_body)
        token = spec.get("continuationToken") if isinstance(spec, dict) else None
        if not isinstance(token, str):
            text = spec.get("query") if isinstance(spec, dict) else None
            return ex.req_body, text, None
        if token not in self.query_tokens:
            return None, None, "continuation of a query whose earlier pages were not recorded"
        ours, text = self.query_tokens[token]
        if ours is None:
            return None, None, "continuation page of a query dtwin finished in fewer pages"
        return json.dumps(dict(spec, continuationToken=ours)), text, None

    def learn_query_token(self, ex, resp, text):
        recorded = ex.resp_body
        try:
            ours = resp.json()
        except ValueError:
            return
        if isinstance(recorded, dict) and isinstance(recorded.get("continuationToken"), str) and \
                isinstance(ours, dict):
            self.query_tokens[recorded["continuationToken"]] = (ours.get("continuationToken"), text)

    def learn(self, ex, resp):
        recorded_tag, our_tag = ex.resp_headers.get("etag"), resp.header("ETag")
        if recorded_tag and our_tag:
            self.etags[recorded_tag] = our_tag
        try:
            ours = resp.json()
        except ValueError:
            return
        recorded = ex.resp_body
        if isinstance(recorded, dict) and isinstance(ours, dict):
            if isinstance(recorded.get("$etag"), str) and isinstance(ours.get("$etag"), str):
                self.etags[recorded["$etag"]] = ours["$etag"]
            if isinstance(recorded.get("nextLink"), str) and isinstance(ours.get("nextLink"), str):
                token = urllib.parse.parse_qs(urllib.parse.urlsplit(recorded["nextLink"]).query)
                if "continuationToken" in token:
                    parts = urllib.parse.urlsplit(ours["nextLink"])
                    self.links[token["continuationToken"][0]] = f"{parts.path}?{parts.query}"

    def replay(self, server, world, ex):
        op = classify(ex.method, ex.target)
        reason = skip_reason(ex, op)
        target = None if reason else self.target_of(ex, op)
        if reason is None and target is None:
            reason = "continuation page of a listing dtwin finished in fewer pages"
        body, text = ex.req_body, None
        if reason is None and op.name == "query":
            body, text, reason = self.query_request(ex)
        if reason:
            self.results.append((ex, None, reason))
            return
        world.index = ex.index
        try:
            prepare(world, ex, op)
            headers = self.headers_of(ex, op, world)
        except (SetupError, OSError) as e:
            self.results.append((ex, [f"setup failed: {e}"], None))
            return
        try:
            resp = request(server.host, server.port, ex.method, target, headers, body)
        except OSError as e:
            self.results.append((ex, [f"request failed: {e!r}"], None))
            return
        same_query_rows = None
        if op.name == "query":
            same_query_rows = self.knowledge.query_rows.get(text, [])
            self.learn_query_token(ex, resp, text)
        diffs = compare_exchange(ex, resp, same_query_rows)
        if diffs and self.verbose:
            diffs.append(f"dtwin answered {resp.status}: {resp.body[:400].decode(errors='replace')}")
        if diffs and ex.note:
            diffs.append(f"(the excerpt's note: {ex.note})")
        self.learn(ex, resp)
        self.results.append((ex, diffs, None))


def main(argv):
    verbose = "-v" in argv
    filters = [a for a in argv[1:] if a != "-v"]
    root = os.path.join(shared_dir(), "reference", "adt-recordings")
    if not os.path.isdir(root):
        print(f"SKIPPED: the recordings are not there ({root}); they come with the shared "
              f"reference material beside the checkout (../shared)")
        return SKIP_EXIT
    sequences = load_sequences(root)
    with open(os.path.join(HERE, "setup_supplement.json"), encoding="utf-8") as f:
        knowledge = Knowledge(sequences, json.load(f))
    selected = [s for s in sequences if not filters or any(f in s.name for f in filters)]

    agree = disagree = rewritten = 0
    skips = collections.Counter()
    for sequence in selected:
        replay = SequenceReplay(sequence, knowledge, verbose)
        try:
            results = replay.run()
        except ServerError as e:
            print(f"FAIL {sequence.name}: could not run dtwin serve: {e}")
            disagree += sum(1 for ex in sequence.exchanges
                            if not skip_reason(ex, classify(ex.method, ex.target)))
            continue
        rewritten += replay.rewritten
        lines = []
        for ex, diffs, reason in results:
            if reason:
                skips[reason] += 1
                if verbose:
                    lines.append(f"  skip  {ex.label}: {reason}")
            elif diffs:
                disagree += 1
                label = ex.label if ex else "(server)"
                lines.append(f"  DIFF  {label}\n        " + "\n        ".join(diffs))
            else:
                agree += 1
                if verbose:
                    lines.append(f"  ok    {ex.label}")
        status = "FAIL" if any(r[1] for r in results) else "ok  "
        print(f"{status} {sequence.name}")
        for line in lines:
            print(line)

    applicable = agree + disagree
    print(f"\nreplayed {len(selected)} recordings: {applicable} applicable exchanges, "
          f"{agree} agree, {disagree} disagree "
          f"({100.0 * agree / applicable if applicable else 0:.1f}% agreement; threshold 100%)")
    print(f"skipped {sum(skips.values())} exchanges:")
    for reason, count in skips.most_common():
        print(f"  {count:3}  {reason}")
    if rewritten:
        print(f"replayed {rewritten} preview api-version requests at the matching GA version")
    print(f"{agree} passed, {disagree} failed")
    return 0 if disagree == 0 and agree > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
