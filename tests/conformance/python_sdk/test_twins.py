"""Digital twins and components through the Python SDK: upsert, get, update (etags and match
conditions), delete, components, metadata timestamps, error codes."""

import datetime
import unittest

from azure.core import MatchConditions
from azure.core.exceptions import (HttpResponseError, ResourceExistsError, ResourceModifiedError,
                                   ResourceNotFoundError)

from sdk_support import ROOM, ServerTestCase, room_twin


def parse_time(text):
    # ADT twin times carry 7 fractional digits and Z; Python's fromisoformat takes up to 6.
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.datetime.fromisoformat(f"{head}.{frac[:6]}+00:00")


class TwinsTest(ServerTestCase):

    def test_upsert_creates_and_returns_the_stored_twin(self):
        twin = self.client.upsert_digital_twin("t-create", room_twin(temperature=21.5))
        self.assertEqual(twin["$dtId"], "t-create")
        self.assertRegex(twin["$etag"], r'^W/"[^"]+"$')
        self.assertEqual(twin["name"], "Kitchen")
        self.assertEqual(twin["temperature"], 21.5)
        self.assertEqual(twin["$metadata"]["$model"], ROOM)
        self.assertEqual(twin["thermostat"]["setpoint"], 20)
        self.assertEqual(self.client.get_digital_twin("t-create"), twin)

    def test_metadata_timestamps(self):
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        twin = self.client.upsert_digital_twin("t-times", room_twin(temperature=3))
        meta = twin["$metadata"]
        for text in (meta["$lastUpdateTime"], meta["name"]["lastUpdateTime"],
                     meta["temperature"]["lastUpdateTime"],
                     twin["thermostat"]["$metadata"]["setpoint"]["lastUpdateTime"]):
            self.assertRegex(text, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
            self.assertGreater(parse_time(text), before)
        self.client.update_digital_twin("t-times", [{"op": "replace", "path": "/temperature", "value": 4}])
        after = self.client.get_digital_twin("t-times")["$metadata"]
        self.assertGreaterEqual(parse_time(after["temperature"]["lastUpdateTime"]),
                                parse_time(meta["temperature"]["lastUpdateTime"]))
        self.assertEqual(after["name"]["lastUpdateTime"], meta["name"]["lastUpdateTime"],
                         "an untouched property keeps its lastUpdateTime")

    def test_upsert_replaces(self):
        first = self.client.upsert_digital_twin("t-replace", room_twin(temperature=1))
        second = self.client.upsert_digital_twin("t-replace", room_twin(name="Hall"))
        self.assertNotEqual(first["$etag"], second["$etag"])
        self.assertEqual(second["name"], "Hall")
        self.assertNotIn("temperature", second, "replace drops properties absent from the body")

    def test_upsert_if_missing(self):
        self.client.upsert_digital_twin("t-missing", room_twin(), match_condition=MatchConditions.IfMissing)
        with self.assertRaises(ResourceExistsError) as ctx:
            self.client.upsert_digital_twin("t-missing", room_twin(name="Other"),
                                            match_condition=MatchConditions.IfMissing)
        self.assertEqual(ctx.exception.status_code, 412)
        self.assertEqual(self.client.get_digital_twin("t-missing")["name"], "Kitchen")

    def test_upsert_invalid_twin(self):
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.upsert_digital_twin("t-bad", room_twin(name=42)),
                             400, "ValidationFailed")
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.upsert_digital_twin(
                                 "t-bad", {"$metadata": {"$model": "dtmi:conformance:Nope;1"}}),
                             400, "ValidationFailed")
        with self.assertRaises(ResourceNotFoundError):
            self.client.get_digital_twin("t-bad")

    def test_update_changes_etag_and_values(self):
        created = self.client.upsert_digital_twin("t-update", room_twin(temperature=10))
        result = self.client.update_digital_twin("t-update", [
            {"op": "replace", "path": "/temperature", "value": 12.5},
            {"op": "add", "path": "/occupied", "value": True},
            {"op": "remove", "path": "/name"}])
        self.assertIsNone(result)
        twin = self.client.get_digital_twin("t-update")
        self.assertNotEqual(twin["$etag"], created["$etag"])
        self.assertEqual(twin["temperature"], 12.5)
        self.assertIs(twin["occupied"], True)
        self.assertNotIn("name", twin)
        self.assertNotIn("name", twin["$metadata"])

    def test_update_with_etag(self):
        created = self.client.upsert_digital_twin("t-etag", room_twin(temperature=10))
        self.client.update_digital_twin("t-etag", [{"op": "replace", "path": "/temperature", "value": 11}],
                                        etag=created["$etag"], match_condition=MatchConditions.IfNotModified)
        current = self.client.get_digital_twin("t-etag")
        exc = self.assertHttpError(
            ResourceModifiedError,
            lambda: self.client.update_digital_twin(
                "t-etag", [{"op": "replace", "path": "/temperature", "value": 99}],
                etag=created["$etag"], match_condition=MatchConditions.IfNotModified),
            412, "PreconditionFailed")
        self.assertIn("etag", str(exc).lower())
        self.assertEqual(self.client.get_digital_twin("t-etag"), current)
        # IfPresent sends If-Match: *.
        self.client.update_digital_twin("t-etag", [{"op": "replace", "path": "/temperature", "value": 13}],
                                        match_condition=MatchConditions.IfPresent)
        self.assertEqual(self.client.get_digital_twin("t-etag")["temperature"], 13)

    def test_update_invalid_patch(self):
        self.client.upsert_digital_twin("t-badpatch", room_twin())
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.update_digital_twin(
                                 "t-badpatch", [{"op": "add", "path": "/temperature", "value": "hot"}]),
                             400, "ValidationFailed")
        # replace needs an existing member; room_twin() sets no temperature.
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.update_digital_twin(
                                 "t-badpatch", [{"op": "replace", "path": "/temperature", "value": 1}]),
                             400, "JsonPatchInvalid")
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.update_digital_twin(
                                 "t-badpatch", [{"op": "move", "from": "/name", "path": "/x"}]),
                             400, "JsonPatchInvalid")

    def test_missing_twin(self):
        for call in (lambda: self.client.get_digital_twin("t-ghost"),
                     lambda: self.client.update_digital_twin("t-ghost", [{"op": "add", "path": "/name", "value": "x"}]),
                     lambda: self.client.delete_digital_twin("t-ghost"),
                     lambda: self.client.get_component("t-ghost", "thermostat"),
                     lambda: list(self.client.list_relationships("t-ghost"))):
            self.assertHttpError(ResourceNotFoundError, call, 404, "DigitalTwinNotFound")

    def test_delete(self):
        created = self.client.upsert_digital_twin("t-delete", room_twin())
        self.client.update_digital_twin("t-delete", [{"op": "replace", "path": "/name", "value": "x"}])
        self.assertHttpError(ResourceModifiedError,
                             lambda: self.client.delete_digital_twin(
                                 "t-delete", etag=created["$etag"], match_condition=MatchConditions.IfNotModified),
                             412, "PreconditionFailed")
        current = self.client.get_digital_twin("t-delete")["$etag"]
        self.assertIsNone(self.client.delete_digital_twin(
            "t-delete", etag=current, match_condition=MatchConditions.IfNotModified))
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.get_digital_twin("t-delete"),
                             404, "DigitalTwinNotFound")

    def test_delete_with_relationships_is_refused(self):
        self.client.upsert_digital_twin("t-src", room_twin())
        self.client.upsert_digital_twin("t-dst", room_twin())
        self.client.upsert_relationship("t-src", "r1", {"$relationshipName": "adjacentTo", "$targetId": "t-dst"})
        for twin_id in ("t-src", "t-dst"):  # outgoing and incoming both block
            self.assertHttpError(HttpResponseError, lambda: self.client.delete_digital_twin(twin_id),
                                 400, "RelationshipsNotDeleted")
        self.client.delete_relationship("t-src", "r1")
        self.client.delete_digital_twin("t-src")
        self.client.delete_digital_twin("t-dst")

    def test_components(self):
        created = self.client.upsert_digital_twin("t-comp", room_twin())
        component = self.client.get_component("t-comp", "thermostat")
        self.assertEqual(component["setpoint"], 20)
        self.assertIn("$metadata", component)
        self.assertNotIn("$dtId", component)
        self.assertIsNone(self.client.update_component("t-comp", "thermostat",
                                                       [{"op": "replace", "path": "/setpoint", "value": 18.5}]))
        self.assertEqual(self.client.get_component("t-comp", "thermostat")["setpoint"], 18.5)
        twin = self.client.get_digital_twin("t-comp")
        self.assertEqual(twin["thermostat"]["setpoint"], 18.5)
        self.assertNotEqual(twin["$etag"], created["$etag"])
        self.assertHttpError(ResourceModifiedError,
                             lambda: self.client.update_component(
                                 "t-comp", "thermostat", [{"op": "replace", "path": "/setpoint", "value": 1}],
                                 etag=created["$etag"], match_condition=MatchConditions.IfNotModified),
                             412, "PreconditionFailed")
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.get_component("t-comp", "nothere"),
                             404, "ComponentNotFound")
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.update_component(
                                 "t-comp", "thermostat", [{"op": "add", "path": "/unknown", "value": 1}]),
                             400, "ValidationFailed")


if __name__ == "__main__":
    unittest.main()
