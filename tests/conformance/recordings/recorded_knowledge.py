"""What the recordings say about the entities they touch: model definitions, twin and
relationship bodies, and (for models whose DTDL was never recorded) enough evidence to write a
DTDL model that accepts everything the real service accepted.

Built once from all sequences; read-only afterwards.
"""

import hashlib
import json

from exchange_ops import classify, documents_in_row, error_code
from recording_loader import UNRECORDED

REPLAY_LINK = "replayLink"       # a relationship every synthesized model declares
HELPER_MODEL = "dtmi:replay:Helper;1"
CONTEXT = "dtmi:dtdl:context;2"


def _short_hash(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def synthetic_twin_model(twin_id):
    return f"dtmi:replay:t{_short_hash(twin_id)};1"


def _schema_of(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "double"
    if isinstance(value, dict):
        return {"@type": "Object",
                "fields": [{"name": k, "schema": _schema_of(v)} for k, v in value.items()]}
    if isinstance(value, list):
        return {"@type": "Array", "elementSchema": _schema_of(value[0]) if value else "string"}
    return "string"


def _json_or_none(text):
    if text is None or text is UNRECORDED:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class ModelEvidence:
    """Contents a synthesized model needs: name -> schema, per kind."""

    def __init__(self):
        self.properties = {}
        self.components = {}     # name -> {"properties": {}, "telemetry": {}}
        self.relationships = {}  # name -> {property: schema}
        self.telemetry = {}

    def component(self, name):
        return self.components.setdefault(name, {"properties": {}, "telemetry": {}})


class Knowledge:
    def __init__(self, sequences, supplement=None):
        """supplement: {sequence name: {"models": [DTDL], "twins": [twin bodies]}}, setup that
        an excerpt left out, known before the sequence's first exchange."""
        self.dtdl = {}         # model id -> recorded DTDL interface
        self.twin_bodies = {}  # twin id -> [(sequence, index, body)]
        self.rel_bodies = {}   # (source, relationship id) -> [(sequence, index, body)]
        self.route_bodies = {}  # route id -> body
        self.endpoints = set()  # endpoint names the real service accepted
        self.query_rows = {}   # query text -> rows of every recorded 200 response to it
        self.evidence = {}     # model key -> ModelEvidence
        self._twin_model = {}
        self._bodies_of_exchange = {}  # (sequence, index) -> twin bodies it carries
        for name, extra in (supplement or {}).items():
            if name.startswith("_"):
                continue
            for model in extra.get("models", []):
                self.dtdl.setdefault(model["@id"], model)
            for body in extra.get("twins", []):
                self.twin_bodies.setdefault(body["$dtId"], []).append((name, -1, body))
                self._twin_model.setdefault(body["$dtId"], body["$metadata"]["$model"])
        for seq in sequences:
            for ex in seq.exchanges:
                self._learn_bodies(ex)
        for seq in sequences:
            for ex in seq.exchanges:
                self._learn_evidence(ex)

    # ---- bodies ----
    def _add_twin_body(self, ex, body):
        if isinstance(body, dict) and isinstance(body.get("$dtId"), str):
            self.twin_bodies.setdefault(body["$dtId"], []).append((ex.sequence, ex.index, body))
            self._bodies_of_exchange.setdefault((ex.sequence, ex.index), []).append(body)
            model = (body.get("$metadata") or {}).get("$model")
            if model:
                self._twin_model.setdefault(body["$dtId"], model)

    def _add_rel_body(self, ex, source, rel_id, body):
        if isinstance(body, dict) and isinstance(body.get("$relationshipName"), str):
            self.rel_bodies.setdefault((source, rel_id), []).append((ex.sequence, ex.index, body))

    def _learn_bodies(self, ex):
        op = classify(ex.method, ex.target)
        ok = ex.status < 300
        request = _json_or_none(ex.req_body)
        response = ex.resp_body
        if op.name == "models.add" and ok and isinstance(request, list):
            for model in request:
                if isinstance(model, dict) and "@id" in model:
                    self.dtdl.setdefault(model["@id"], model)
        elif op.name == "model.get" and ok and isinstance(response, dict) and "model" in response:
            self.dtdl.setdefault(response["id"], response["model"])
        elif op.name == "twin.put" and ok and isinstance(request, dict):
            body = dict(request, **{"$dtId": op.ids[0]})
            self._add_twin_body(ex, body)
            self._add_twin_body(ex, response)
        elif op.name == "twin.get" and ok:
            self._add_twin_body(ex, response)
        elif op.name == "query" and ok and isinstance(response, dict):
            rows = response.get("value") or []
            if isinstance(request, dict) and isinstance(request.get("query"), str):
                self.query_rows.setdefault(request["query"], []).extend(rows)
            for row in rows:
                for document in documents_in_row(row):
                    self._add_twin_body(ex, document)
        elif op.name == "rel.put" and ok and isinstance(request, dict):
            self._add_rel_body(ex, op.ids[0], op.ids[1], request)
        elif op.name == "rel.get" and ok:
            self._add_rel_body(ex, op.ids[0], op.ids[1], response)
        elif op.name == "rel.list" and ok and isinstance(response, dict):
            for item in response.get("value") or []:
                if isinstance(item, dict) and "$relationshipId" in item:
                    self._add_rel_body(ex, op.ids[0], item["$relationshipId"], item)
        elif op.name == "route.put" and isinstance(request, dict):
            if ok:
                self.route_bodies.setdefault(op.ids[0], request)
                self.endpoints.add(request.get("endpointName"))
            elif error_code(response) == "EventRouteFilterInvalid":
                self.endpoints.add(request.get("endpointName"))

    # ---- evidence for synthesized models ----
    def model_key(self, twin_id):
        """The twin's recorded model, or a synthesized per-twin model id."""
        return self._twin_model.get(twin_id) or synthetic_twin_model(twin_id)

    def _evidence_for_twin(self, twin_id):
        return self.evidence.setdefault(self.model_key(twin_id), ModelEvidence())

    def _learn_twin_body(self, body):
        evidence = self._evidence_for_twin(body["$dtId"])
        for name, value in body.items():
            if name.startswith("$"):
                continue
            if isinstance(value, dict) and "$metadata" in value:
                component = evidence.component(name)
                for prop, v in value.items():
                    if not prop.startswith("$"):
                        component["properties"].setdefault(prop, _schema_of(v))
            else:
                evidence.properties.setdefault(name, _schema_of(value))

    def _learn_patch(self, ops, properties, components=None):
        for op in ops if isinstance(ops, list) else []:
            if not isinstance(op, dict) or op.get("op") not in ("add", "replace"):
                continue
            parts = str(op.get("path", "")).strip("/").split("/")
            if not parts or parts[0].startswith("$"):
                continue
            if len(parts) == 1:
                properties.setdefault(parts[0], _schema_of(op.get("value")))
            elif components is not None and parts[0] in components and not parts[1].startswith("$"):
                components[parts[0]]["properties"].setdefault(parts[1], _schema_of(op.get("value")))

    def _learn_evidence(self, ex):
        op = classify(ex.method, ex.target)
        ok = ex.status < 300
        code = error_code(ex.resp_body)
        request = _json_or_none(ex.req_body)
        if op.name in ("twin.put", "twin.get", "query") and ok:
            for body in self._bodies_of_exchange.get((ex.sequence, ex.index), []):
                self._learn_twin_body(body)
        elif op.name == "twin.patch" and ok:
            evidence = self._evidence_for_twin(op.ids[0])
            self._learn_patch(request, evidence.properties, evidence.components)
        elif op.name.startswith("component.") and code not in ("ComponentNotFound",
                                                                "DigitalTwinNotFound"):
            evidence = self._evidence_for_twin(op.ids[0])
            component = evidence.component(op.ids[1])
            if op.name == "component.patch" and ok:
                self._learn_patch(request, component["properties"])
            elif op.name == "component.get" and ok and isinstance(ex.resp_body, dict):
                for prop, value in ex.resp_body.items():
                    if not prop.startswith("$"):
                        component["properties"].setdefault(prop, _schema_of(value))
            elif op.name == "component.telemetry" and ok and isinstance(request, dict):
                for name, value in request.items():
                    component["telemetry"].setdefault(name, _schema_of(value))
        elif op.name == "twin.telemetry" and ok and isinstance(request, dict):
            evidence = self._evidence_for_twin(op.ids[0])
            for name, value in request.items():
                evidence.telemetry.setdefault(name, _schema_of(value))
        elif op.name in ("rel.put", "rel.get") and ok:
            body = request if op.name == "rel.put" else ex.resp_body
            if isinstance(body, dict) and isinstance(body.get("$relationshipName"), str):
                props = self._evidence_for_twin(op.ids[0]).relationships.setdefault(
                    body["$relationshipName"], {})
                for name, value in body.items():
                    if not name.startswith("$"):
                        props.setdefault(name, _schema_of(value))
        elif op.name == "rel.patch" and ok:
            body = self.relationship_body(op.ids[0], op.ids[1], ex.sequence, ex.index)
            if body:
                props = self._evidence_for_twin(op.ids[0]).relationships.setdefault(
                    body["$relationshipName"], {})
                self._learn_patch(request, props)

    # ---- lookups ----
    @staticmethod
    def _closest(candidates, sequence, index):
        """Latest candidate before (sequence, index), else the earliest after, else any."""
        same = [c for c in candidates if c[0] == sequence]
        before = [c for c in same if c[1] < index]
        if before:
            return max(before, key=lambda c: c[1])[2]
        if same:
            return min(same, key=lambda c: c[1])[2]
        return candidates[0][2] if candidates else None

    def twin_body(self, twin_id, sequence, index):
        return self._closest(self.twin_bodies.get(twin_id, []), sequence, index)

    def relationship_body(self, source, rel_id, sequence, index):
        return self._closest(self.rel_bodies.get((source, rel_id), []), sequence, index)

    def synthesize(self, model_id):
        """A DTDL v2 interface (plus its component schemas) accepting all the evidence."""
        evidence = self.evidence.get(model_id, ModelEvidence())
        contents = [{"@type": "Property", "name": n, "schema": s}
                    for n, s in sorted(evidence.properties.items())]
        contents += [{"@type": "Telemetry", "name": n, "schema": s}
                     for n, s in sorted(evidence.telemetry.items())]
        relationships = dict(evidence.relationships)
        relationships.setdefault(REPLAY_LINK, {})
        for name, props in sorted(relationships.items()):
            rel = {"@type": "Relationship", "name": name}
            if props:
                rel["properties"] = [{"@type": "Property", "name": n, "schema": s}
                                     for n, s in sorted(props.items())]
            contents.append(rel)
        extra = []
        for name, component in sorted(evidence.components.items()):
            schema_id = f"dtmi:replay:c{_short_hash(model_id + '/' + name)};1"
            contents.append({"@type": "Component", "name": name, "schema": schema_id})
            extra.append({"@id": schema_id, "@type": "Interface", "@context": CONTEXT,
                          "contents": [{"@type": "Property", "name": n, "schema": s}
                                       for n, s in sorted(component["properties"].items())] +
                                      [{"@type": "Telemetry", "name": n, "schema": s}
                                       for n, s in sorted(component["telemetry"].items())]})
        main = {"@id": model_id, "@type": "Interface", "@context": CONTEXT, "contents": contents}
        return extra + [main]

    def components_of(self, model_id):
        """Component names of a model (recorded DTDL, own contents only, or the evidence)."""
        model = self.dtdl.get(model_id)
        if model is None:
            return sorted(self.evidence.get(model_id, ModelEvidence()).components)
        contents = model.get("contents") or []
        return [c["name"] for c in contents
                if isinstance(c, dict) and c.get("@type") == "Component" and "name" in c]
