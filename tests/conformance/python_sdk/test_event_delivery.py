"""Event routing end to end through the Python SDK: routes made with upsert_event_route, changes
and telemetry made with the SDK, and the CloudEvents that arrive at webhook receivers started
by the test (shapes as docs/events.md and adt-api.md section 8 say)."""

import re
import unittest

try:
    from azure.digitaltwins.core import DigitalTwinsEventRoute
except ImportError as missing:
    raise unittest.SkipTest(f"the official SDK is not installed ({missing}); "
                            "install Debian's python3-azure (scripts/bootstrap)")

from sdk_support import ROOM, THERMOSTAT, ServerTestCase, room_twin
from dtwin_server import DtwinServer
from webhook_receiver import WebhookReceiver

# Given as --event-source: the instance host name ADT would put in `source`.
EVENT_SOURCE = "conformance-adt.api.local.digitaltwins.azure.net"

TWIN_CREATE = "Microsoft.DigitalTwins.Twin.Create"
TWIN_UPDATE = "Microsoft.DigitalTwins.Twin.Update"
TWIN_DELETE = "Microsoft.DigitalTwins.Twin.Delete"
RELATIONSHIP_CREATE = "Microsoft.DigitalTwins.Relationship.Create"
RELATIONSHIP_UPDATE = "Microsoft.DigitalTwins.Relationship.Update"
RELATIONSHIP_DELETE = "Microsoft.DigitalTwins.Relationship.Delete"
TELEMETRY = "microsoft.iot.telemetry"

# Endpoint name -> route filter; each endpoint has its own receiver.
ROUTES = {
    "all-events": "true",
    "twin-updates": f"type = '{TWIN_UPDATE}'",
    "humid-telemetry": f"type = '{TELEMETRY}' AND $body.humidity > 40",
}

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def twin_of(event):
    """The twin an event is about: telemetry names it in its source, the others in the subject."""
    if event["type"] == TELEMETRY:
        return event["source"].rsplit("/digitaltwins/", 1)[1]
    return event["subject"].split("/relationships/")[0]


def events_of(events, twin_id):
    """The events of one twin in arrival order, a redelivered event (same id) counted once."""
    seen = set()
    out = []
    for event in events:
        if twin_of(event) == twin_id and event["id"] not in seen:
            seen.add(event["id"])
            out.append(event)
    return out


def has_event(twin_id, event_type, event_id=None):
    """A wait_for predicate: an event of this type (and id) about this twin has arrived."""
    return lambda events: any(e["type"] == event_type and twin_of(e) == twin_id and
                              (event_id is None or e["id"] == event_id) for e in events)


def by_path(patch):
    return sorted(patch, key=lambda op: op["path"])


class EventDeliveryTest(ServerTestCase):
    """One server with three webhook endpoints, one route each (ROUTES)."""

    @classmethod
    def make_server(cls):
        return DtwinServer(endpoints={name: r.url for name, r in cls.receivers.items()},
                           extra_args=["--event-source", EVENT_SOURCE])

    @classmethod
    def setUpClass(cls):
        # all-events echoes the handshake's origin, the others answer "*": both are allowed.
        cls.receivers = {name: WebhookReceiver(allowed_origin=None if name == "all-events" else "*")
                         for name in ROUTES}
        for receiver in cls.receivers.values():
            receiver.start()
        try:
            super().setUpClass()
            for name, event_filter in ROUTES.items():
                cls.client.upsert_event_route(
                    f"route-{name}", DigitalTwinsEventRoute(endpoint_name=name, filter=event_filter))
        except BaseException:
            cls.stop_receivers()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.stop_receivers()

    @classmethod
    def stop_receivers(cls):
        for receiver in cls.receivers.values():
            receiver.stop()

    def assertEnvelope(self, event, event_type, subject):
        """The CloudEvents attributes every notification has (not telemetry)."""
        self.assertEqual(event["specversion"], "1.0")
        self.assertEqual(event["type"], event_type)
        self.assertEqual(event["source"], EVENT_SOURCE)
        self.assertEqual(event["subject"], subject)
        self.assertEqual(event["datacontenttype"], "application/json")
        self.assertRegex(event["id"], _UUID)
        self.assertRegex(event["time"], _TIME)
        self.assertRegex(event["traceparent"], _TRACEPARENT)
        self.assertNotIn("dataschema", event, "dataschema is for telemetry only")

    def test_twin_lifecycle(self):
        created = self.client.upsert_digital_twin("lc-room", room_twin("Kitchen"))
        patch = [{"op": "replace", "path": "/name", "value": "Lab"},
                 {"op": "add", "path": "/temperature", "value": 21.5}]
        self.client.update_digital_twin("lc-room", patch)
        self.client.update_component("lc-room", "thermostat",
                                     [{"op": "replace", "path": "/setpoint", "value": 22}])
        # A replacing upsert is an update whose patch turns the old twin into the new one.
        self.client.upsert_digital_twin("lc-room", room_twin("Lab 2"))
        before_delete = self.client.get_digital_twin("lc-room")
        self.client.delete_digital_twin("lc-room")

        receiver = self.receivers["all-events"]
        events = events_of(receiver.wait_for(has_event("lc-room", TWIN_DELETE), "Twin.Delete of lc-room"),
                           "lc-room")
        self.assertEqual([e["type"] for e in events],
                         [TWIN_CREATE, TWIN_UPDATE, TWIN_UPDATE, TWIN_UPDATE, TWIN_DELETE],
                         "the events of one twin arrive in the order of the changes")
        for event in events:
            self.assertEnvelope(event, event["type"], "lc-room")
        self.assertEqual(len({e["id"] for e in events}), len(events))
        self.assertEqual(events[0]["data"], created, "Twin.Create carries the twin as created")
        self.assertEqual(events[1]["data"], {"modelId": ROOM, "patch": patch})
        self.assertEqual(events[2]["data"],
                         {"modelId": ROOM,
                          "patch": [{"op": "replace", "path": "/thermostat/setpoint", "value": 22}]},
                         "a component patch's paths start with the component")
        self.assertEqual(events[3]["data"]["modelId"], ROOM)
        self.assertEqual(by_path(events[3]["data"]["patch"]),
                         [{"op": "replace", "path": "/name", "value": "Lab 2"},
                          {"op": "remove", "path": "/temperature"},
                          {"op": "replace", "path": "/thermostat/setpoint", "value": 20}])
        self.assertEqual(events[4]["data"], before_delete, "Twin.Delete carries the twin as it was")
        self.assertLess(events[0]["time"], events[4]["time"])

    def test_relationship_lifecycle(self):
        self.client.upsert_digital_twin("rel-a", room_twin("A"))
        self.client.upsert_digital_twin("rel-b", room_twin("B"))
        created = self.client.upsert_relationship(
            "rel-a", "rel-1", {"$relationshipName": "adjacentTo", "$targetId": "rel-b", "door": True})
        patch = [{"op": "replace", "path": "/door", "value": False}]
        self.client.update_relationship("rel-a", "rel-1", patch)
        before_delete = self.client.get_relationship("rel-a", "rel-1")
        self.client.delete_relationship("rel-a", "rel-1")

        receiver = self.receivers["all-events"]
        events = events_of(receiver.wait_for(has_event("rel-a", RELATIONSHIP_DELETE),
                                             "Relationship.Delete of rel-a/relationships/rel-1"),
                           "rel-a")
        self.assertEqual([e["type"] for e in events],
                         [TWIN_CREATE, RELATIONSHIP_CREATE, RELATIONSHIP_UPDATE, RELATIONSHIP_DELETE])
        for event in events[1:]:
            self.assertEnvelope(event, event["type"], "rel-a/relationships/rel-1")
        self.assertEqual(events[1]["data"], created)
        self.assertEqual(events[2]["data"], {"modelId": ROOM, "patch": patch},
                         "Relationship.Update names the source twin's model")
        self.assertEqual(events[3]["data"], before_delete)

    def test_telemetry(self):
        self.client.upsert_digital_twin("tm-room", room_twin("Sensor room"))
        self.client.publish_telemetry("tm-room", {"humidity": 40.5}, message_id="tm-msg-1")
        self.client.publish_component_telemetry("tm-room", "thermostat", {"measured": 20.1},
                                                message_id="tm-msg-2")

        receiver = self.receivers["all-events"]
        events = events_of(receiver.wait_for(has_event("tm-room", TELEMETRY, "tm-msg-2"),
                                             "component telemetry tm-msg-2"), "tm-room")
        self.assertEqual([(e["type"], e["id"]) for e in events[1:]],
                         [(TELEMETRY, "tm-msg-1"), (TELEMETRY, "tm-msg-2")],
                         "telemetry ids are the Message-Ids, in the order sent")
        twin_level, component = events[1], events[2]
        for event in (twin_level, component):
            self.assertEqual(event["specversion"], "1.0")
            self.assertEqual(event["source"], f"{EVENT_SOURCE}/digitaltwins/tm-room")
            self.assertEqual(event["datacontenttype"], "application/json")
            self.assertRegex(event["traceparent"], _TRACEPARENT)
            self.assertNotIn("time", event, "telemetry has no time (ADT's example)")
        self.assertEqual(twin_level["data"], {"humidity": 40.5})
        self.assertEqual(twin_level["dataschema"], ROOM)
        self.assertNotIn("subject", twin_level, "twin telemetry has no component path")
        self.assertEqual(component["data"], {"measured": 20.1})
        self.assertEqual(component["dataschema"], THERMOSTAT)
        self.assertEqual(component["subject"], "thermostat")

    def test_filters_exclude_what_they_should(self):
        # The same mix of changes and telemetry for two twins. Each twin ends with an event that
        # one filtered endpoint takes: once it arrived there, every earlier event of that twin
        # has been delivered to it or filtered out (per-twin order), so the list is complete.
        self.client.upsert_digital_twin("flt-target", room_twin("Target"))
        for twin_id in ("flt-u", "flt-h"):
            self.client.upsert_digital_twin(twin_id, room_twin("Filtered"))
            self.client.update_digital_twin(twin_id, [{"op": "add", "path": "/temperature", "value": 19}])
            self.client.update_component(twin_id, "thermostat",
                                         [{"op": "replace", "path": "/setpoint", "value": 18}])
            self.client.publish_telemetry(twin_id, {"humidity": 30}, message_id=f"{twin_id}-dry")
            self.client.publish_telemetry(twin_id, {"humidity": 45}, message_id=f"{twin_id}-humid")
            self.client.publish_component_telemetry(twin_id, "thermostat", {"measured": 19.5},
                                                    message_id=f"{twin_id}-component")
            self.client.upsert_relationship(twin_id, "door", {"$relationshipName": "adjacentTo",
                                                              "$targetId": "flt-target"})
            self.client.delete_relationship(twin_id, "door")
        self.client.update_digital_twin("flt-u", [{"op": "replace", "path": "/name", "value": "Last"}])
        self.client.publish_telemetry("flt-h", {"humidity": 50}, message_id="flt-h-last")

        updates = events_of(self.receivers["twin-updates"].wait_for(
            lambda events: any(e["type"] == TWIN_UPDATE and twin_of(e) == "flt-u" and
                               e["data"]["patch"][0]["path"] == "/name" for e in events),
            "last Twin.Update of flt-u"), "flt-u")
        self.assertEqual([(e["type"], e["data"].get("patch")) for e in updates],
                         [(TWIN_UPDATE, [{"op": "add", "path": "/temperature", "value": 19}]),
                          (TWIN_UPDATE, [{"op": "replace", "path": "/thermostat/setpoint", "value": 18}]),
                          (TWIN_UPDATE, [{"op": "replace", "path": "/name", "value": "Last"}])])

        humid = events_of(self.receivers["humid-telemetry"].wait_for(
            has_event("flt-h", TELEMETRY, "flt-h-last"), "telemetry flt-h-last"), "flt-h")
        self.assertEqual([(e["id"], e["data"]) for e in humid],
                         [("flt-h-humid", {"humidity": 45}), ("flt-h-last", {"humidity": 50})])

    def test_traceparent_continues_the_request_trace(self):
        trace_id, parent_span = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
        self.client.upsert_digital_twin("tp-room", room_twin("Traced"))
        self.client.update_digital_twin("tp-room", [{"op": "replace", "path": "/name", "value": "T"}],
                                        headers={"traceparent": f"00-{trace_id}-{parent_span}-01"})
        events = events_of(self.receivers["all-events"].wait_for(
            has_event("tp-room", TWIN_UPDATE), "Twin.Update of tp-room"), "tp-room")
        created, updated = (_TRACEPARENT.match(e["traceparent"]) for e in events)
        self.assertEqual(updated.groups()[0::2], (trace_id, "01"), "same trace id and flags")
        self.assertNotEqual(updated.group(2), parent_span, "a new span of that trace")
        self.assertNotEqual(created.group(1), trace_id, "a request without traceparent starts a trace")

    def test_webhook_requests(self):
        self.client.upsert_digital_twin("wh-room", room_twin("Webhook"))
        receiver = self.receivers["all-events"]
        receiver.wait_for(has_event("wh-room", TWIN_CREATE), "Twin.Create of wh-room")
        requests = receiver.requests()
        self.assertEqual(requests[0].method, "OPTIONS", "the validation handshake comes first")
        self.assertEqual(requests[0].headers.get("webhook-request-origin"), EVENT_SOURCE)
        posts = [r for r in requests if r.method == "POST"]
        event = next(r for r in posts if r.json().get("subject") == "wh-room")
        self.assertEqual(event.path, "/events")
        self.assertEqual(event.headers["content-type"], "application/cloudevents+json")
        self.assertEqual(event.headers["traceparent"], event.json()["traceparent"])


if __name__ == "__main__":
    unittest.main()
