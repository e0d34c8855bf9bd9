"""Brings a dtwin server into the state a recorded exchange implies (this model exists, that
twin is absent, this twin still has relationships...) with setup requests that are not
compared. The recordings are excerpts of longer runs on shared instances, so their setup is
often missing or out of order; this makes each exchange meet the state the real service had.

One ReplayWorld per server; not thread-safe.
"""

import json
import urllib.parse

from http_call import request
from recorded_knowledge import HELPER_MODEL, REPLAY_LINK, CONTEXT

API = "api-version=2023-10-31"
AUTH = {"Authorization": "Bearer replay"}


class SetupError(Exception):
    pass


def _quote(segment):
    return urllib.parse.quote(segment, safe="")


class ReplayWorld:
    def __init__(self, server, knowledge, sequence_name):
        self.server = server
        self.knowledge = knowledge
        self.sequence = sequence_name
        self.index = 0  # the exchange being prepared, to pick the closest recorded body
        self._helpers = 0

    # ---- plumbing ----
    def call(self, method, path, body=None, headers=None, expect=None):
        sep = "&" if "?" in path else "?"
        all_headers = dict(AUTH)
        if body is not None:
            all_headers["Content-Type"] = ("application/json-patch+json" if method == "PATCH"
                                           else "application/json")
        all_headers.update(headers or {})
        resp = request(self.server.host, self.server.port, method, f"{path}{sep}{API}", all_headers,
                       None if body is None else json.dumps(body))
        if expect is not None and resp.status not in expect:
            raise SetupError(f"setup {method} {path} -> {resp.status}: "
                             f"{resp.body[:300].decode(errors='replace')}")
        return resp

    # ---- models ----
    def model_exists(self, model_id):
        return self.call("GET", f"/models/{_quote(model_id)}").status == 200

    def ensure_model(self, model_id, _depth=0):
        if self.model_exists(model_id):
            return
        recorded = self.knowledge.dtdl.get(model_id)
        if recorded is not None and _depth < 8:
            for dependency in _references(recorded):
                if dependency != model_id:
                    self.ensure_model(dependency, _depth + 1)
            if self.call("POST", "/models", [recorded]).status == 201:
                return
        # No recorded DTDL, or dtwin refused it: a model accepting what the service accepted.
        models = [m for m in self.knowledge.synthesize(model_id) if not self.model_exists(m["@id"])]
        self.call("POST", "/models", models, expect=(201,))

    def ensure_model_absent(self, model_id):
        if self.model_exists(model_id):
            self.call("DELETE", f"/models/{_quote(model_id)}", expect=(204,))

    def models_listed(self, ids):
        """Makes the model listing hold exactly ids (as far as deletion allows)."""
        for model_id in ids:
            self.ensure_model(model_id)
        listing = self.call("GET", "/models", expect=(200,)).json()
        for item in listing.get("value", []):
            if item["id"] not in ids:
                self.call("DELETE", f"/models/{_quote(item['id'])}")

    # ---- twins ----
    def twin_exists(self, twin_id):
        return self.call("GET", f"/digitaltwins/{_quote(twin_id)}").status == 200

    def ensure_twin(self, twin_id):
        if self.twin_exists(twin_id):
            return
        recorded = self.knowledge.twin_body(twin_id, self.sequence, self.index)
        model_id = self.knowledge.model_key(twin_id)
        body = {"$metadata": {"$model": model_id}}
        for component in self.knowledge.components_of(model_id):
            body[component] = {"$metadata": {}}
        for name, value in (recorded or {}).items():
            if name.startswith("$"):
                continue
            if isinstance(value, dict) and "$metadata" in value:
                value = {k: v for k, v in value.items() if not k.startswith("$")}
                value["$metadata"] = {}
            body[name] = value
        self.ensure_model(model_id)
        self.call("PUT", f"/digitaltwins/{_quote(twin_id)}", body, expect=(200,))

    def _relationships_of(self, twin_id):
        out = self.call("GET", f"/digitaltwins/{_quote(twin_id)}/relationships", expect=(200,))
        inc = self.call("GET", f"/digitaltwins/{_quote(twin_id)}/incomingrelationships", expect=(200,))
        pairs = [(twin_id, r["$relationshipId"]) for r in out.json().get("value", [])]
        pairs += [(r["$sourceId"], r["$relationshipId"]) for r in inc.json().get("value", [])]
        return pairs

    def ensure_twin_free(self, twin_id):
        """The twin exists and has no relationships in or out."""
        self.ensure_twin(twin_id)
        for source, rel_id in self._relationships_of(twin_id):
            self.call("DELETE", f"/digitaltwins/{_quote(source)}/relationships/{_quote(rel_id)}",
                      expect=(204, 404))

    def ensure_twin_absent(self, twin_id):
        if self.twin_exists(twin_id):
            self.ensure_twin_free(twin_id)
            self.call("DELETE", f"/digitaltwins/{_quote(twin_id)}", expect=(204,))

    def _helper_twin(self):
        if not self.model_exists(HELPER_MODEL):
            self.call("POST", "/models", [{
                "@id": HELPER_MODEL, "@type": "Interface", "@context": CONTEXT,
                "contents": [{"@type": "Relationship", "name": REPLAY_LINK}]}], expect=(201,))
        self._helpers += 1
        twin_id = f"replay-helper-{self._helpers}"
        self.call("PUT", f"/digitaltwins/{twin_id}", {"$metadata": {"$model": HELPER_MODEL}},
                  expect=(200,))
        return twin_id

    def ensure_twin_has_relationship(self, twin_id):
        self.ensure_twin(twin_id)
        if not self._relationships_of(twin_id):
            helper = self._helper_twin()
            self.call("PUT", f"/digitaltwins/{helper}/relationships/replay-incoming",
                      {"$relationshipName": REPLAY_LINK, "$targetId": twin_id}, expect=(200,))

    # ---- relationships ----
    def relationship_exists(self, source, rel_id):
        return self.call("GET", f"/digitaltwins/{_quote(source)}/relationships/{_quote(rel_id)}"
                         ).status == 200

    def ensure_relationship(self, source, rel_id):
        self.ensure_twin(source)
        if self.relationship_exists(source, rel_id):
            return
        recorded = self.knowledge.relationship_body(source, rel_id, self.sequence, self.index)
        if recorded:
            body = {k: v for k, v in recorded.items() if not k.startswith("$") or k in (
                "$relationshipName", "$targetId")}
        else:
            body = {"$relationshipName": REPLAY_LINK, "$targetId": self._helper_twin()}
        self.ensure_twin(body["$targetId"])
        self.call("PUT", f"/digitaltwins/{_quote(source)}/relationships/{_quote(rel_id)}", body,
                  expect=(200,))

    def ensure_relationship_absent(self, source, rel_id):
        self.call("DELETE", f"/digitaltwins/{_quote(source)}/relationships/{_quote(rel_id)}",
                  expect=(204, 404))

    # ---- event routes ----
    def ensure_route(self, route_id):
        if self.call("GET", f"/eventroutes/{_quote(route_id)}").status == 200:
            return
        body = self.knowledge.route_bodies.get(route_id) or {
            "endpointName": sorted(self.knowledge.endpoints)[0], "filter": "true"}
        self.call("PUT", f"/eventroutes/{_quote(route_id)}", body, expect=(204,))

    def ensure_route_absent(self, route_id):
        self.call("DELETE", f"/eventroutes/{_quote(route_id)}", expect=(204, 404))

    # ---- etags ----
    def current_etag(self, path):
        resp = self.call("GET", path)
        return resp.header("ETag") if resp.status == 200 else None


def _references(model):
    """Model ids an interface refers to (extends, component schemas, relationship targets)."""
    found = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("extends", "schema", "target") and \
                value.startswith("dtmi:"):
            found.append(value)

    walk({k: v for k, v in model.items() if k != "@id"})
    return found
