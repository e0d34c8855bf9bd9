"""Relationships through the Python SDK: upsert, get, update, delete, outgoing lists (with the
name filter and paging), incoming lists, conditions and errors."""

import unittest

from azure.core import MatchConditions
from azure.core.exceptions import (HttpResponseError, ResourceExistsError, ResourceModifiedError,
                                   ResourceNotFoundError)

from sdk_support import FLOOR, ServerTestCase, room_twin

RELATIONSHIP_KEYS = {"$relationshipId", "$etag", "$sourceId", "$relationshipName", "$targetId"}


class RelationshipsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.upsert_digital_twin("floor", {"$metadata": {"$model": FLOOR}, "level": 1})
        for name in ("roomA", "roomB", "roomC"):
            cls.client.upsert_digital_twin(name, room_twin(name=name))

    def test_upsert_get_update_delete(self):
        created = self.client.upsert_relationship(
            "roomA", "adj-ab", {"$relationshipName": "adjacentTo", "$targetId": "roomB", "door": True})
        self.assertEqual(set(created), RELATIONSHIP_KEYS | {"door"})
        self.assertEqual((created["$relationshipId"], created["$sourceId"], created["$targetId"],
                          created["$relationshipName"], created["door"]),
                         ("adj-ab", "roomA", "roomB", "adjacentTo", True))
        self.assertEqual(self.client.get_relationship("roomA", "adj-ab"), created)

        self.assertIsNone(self.client.update_relationship(
            "roomA", "adj-ab", [{"op": "replace", "path": "/door", "value": False}]))
        updated = self.client.get_relationship("roomA", "adj-ab")
        self.assertIs(updated["door"], False)
        self.assertNotEqual(updated["$etag"], created["$etag"])

        self.assertHttpError(ResourceModifiedError,
                             lambda: self.client.update_relationship(
                                 "roomA", "adj-ab", [{"op": "replace", "path": "/door", "value": True}],
                                 etag=created["$etag"], match_condition=MatchConditions.IfNotModified),
                             412, "PreconditionFailed")
        self.assertHttpError(ResourceModifiedError,
                             lambda: self.client.delete_relationship(
                                 "roomA", "adj-ab", etag=created["$etag"],
                                 match_condition=MatchConditions.IfNotModified),
                             412, "PreconditionFailed")
        self.assertIsNone(self.client.delete_relationship(
            "roomA", "adj-ab", etag=updated["$etag"], match_condition=MatchConditions.IfNotModified))
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.get_relationship("roomA", "adj-ab"),
                             404, "RelationshipNotFound")
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.delete_relationship("roomA", "adj-ab"),
                             404, "RelationshipNotFound")

    def test_upsert_replaces_and_if_missing(self):
        first = self.client.upsert_relationship(
            "roomB", "adj-bc", {"$relationshipName": "adjacentTo", "$targetId": "roomC", "door": True},
            match_condition=MatchConditions.IfMissing)
        with self.assertRaises(ResourceExistsError):
            self.client.upsert_relationship(
                "roomB", "adj-bc", {"$relationshipName": "adjacentTo", "$targetId": "roomC"},
                match_condition=MatchConditions.IfMissing)
        second = self.client.upsert_relationship(
            "roomB", "adj-bc", {"$relationshipName": "adjacentTo", "$targetId": "roomA"})
        self.assertNotEqual(first["$etag"], second["$etag"])
        self.assertEqual(second["$targetId"], "roomA")
        self.assertNotIn("door", second)
        self.client.delete_relationship("roomB", "adj-bc")

    def test_lists_and_name_filter(self):
        self.client.upsert_relationship("floor", "has-a", {"$relationshipName": "contains", "$targetId": "roomA",
                                                           "since": "2020"})
        self.client.upsert_relationship("floor", "has-b", {"$relationshipName": "contains", "$targetId": "roomB"})
        self.client.upsert_relationship("roomC", "next-a", {"$relationshipName": "adjacentTo", "$targetId": "roomA"})
        try:
            outgoing = list(self.client.list_relationships("floor"))
            self.assertEqual(sorted(r["$relationshipId"] for r in outgoing), ["has-a", "has-b"])
            self.assertTrue(all(RELATIONSHIP_KEYS <= set(r) for r in outgoing))
            # relationship_id is (despite its name) the relationshipName filter.
            named = list(self.client.list_relationships("floor", relationship_id="contains"))
            self.assertEqual(len(named), 2)
            self.assertEqual(list(self.client.list_relationships("floor", relationship_id="other")), [])

            incoming = sorted(self.client.list_incoming_relationships("roomA"), key=lambda r: r.relationship_id)
            self.assertEqual([(r.relationship_id, r.source_id, r.relationship_name) for r in incoming],
                             [("has-a", "floor", "contains"), ("next-a", "roomC", "adjacentTo")])
            self.assertRegex(incoming[0].relationship_link,
                             r"^https?://[^/]+/digitaltwins/floor/relationships/has-a\?api-version=")
            self.assertEqual(list(self.client.list_incoming_relationships("floor")), [])
        finally:
            for source, rel in (("floor", "has-a"), ("floor", "has-b"), ("roomC", "next-a")):
                self.client.delete_relationship(source, rel)

    def test_many_relationships_page_through_next_links(self):
        count = 130  # more than one page at the service's default page size (100)
        self.client.upsert_digital_twin("hub", room_twin(name="hub"))
        for i in range(count):
            self.client.upsert_relationship("hub", f"link{i:03}", {"$relationshipName": "adjacentTo",
                                                                  "$targetId": "roomC"})
        pages = list(self.client.list_relationships("hub").by_page())
        seen = [r["$relationshipId"] for page in pages for r in page]
        self.assertEqual(sorted(seen), [f"link{i:03}" for i in range(count)])
        self.assertGreaterEqual(len(pages), 2)
        incoming = [r.relationship_id for r in self.client.list_incoming_relationships("roomC")]
        self.assertEqual(sorted(incoming), [f"link{i:03}" for i in range(count)])

    def test_missing_source_twin(self):
        self.assertHttpError(ResourceNotFoundError,
                             lambda: self.client.upsert_relationship(
                                 "ghost", "x", {"$relationshipName": "contains", "$targetId": "roomA"}),
                             404, "DigitalTwinNotFound")
        self.assertHttpError(ResourceNotFoundError, lambda: list(self.client.list_incoming_relationships("ghost")),
                             404, "DigitalTwinNotFound")
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.get_relationship("ghost", "x"),
                             404, "DigitalTwinNotFound")

    def test_missing_target_twin(self):
        with self.assertRaises(ResourceNotFoundError) as ctx:
            self.client.upsert_relationship("floor", "x", {"$relationshipName": "contains", "$targetId": "ghost"})
        self.assertEqual(ctx.exception.status_code, 404)

    def test_missing_relationship_name(self):
        # Recorded: 400 InvalidArgument "Could not deserialize relationship create body."
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.upsert_relationship("floor", "x", {"$targetId": "roomA"}),
                             400, "InvalidArgument")

    def test_self_relationship(self):
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.upsert_relationship(
                                 "roomA", "self", {"$relationshipName": "adjacentTo", "$targetId": "roomA"}),
                             400, "OperationNotAllowed")

    def test_undeclared_relationship_name(self):
        with self.assertRaises(HttpResponseError) as ctx:
            self.client.upsert_relationship("floor", "x", {"$relationshipName": "owns", "$targetId": "roomA"})
        self.assertEqual(ctx.exception.status_code, 400)
        with self.assertRaises(ResourceNotFoundError):
            self.client.get_relationship("floor", "x")

if __name__ == "__main__":
    unittest.main()
