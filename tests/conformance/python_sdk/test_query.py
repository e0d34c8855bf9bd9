"""Queries through the Python SDK's query_twins: paging with continuation tokens, COUNT, TOP,
projections, JOIN, MATCH, IS_OF_MODEL with inheritance, RELATIONSHIPS, errors, the
query-charge header, read-your-writes, and the ORDER BY / GROUP BY / aggregate extensions.

SDK 1.2.1 takes the page size only as query_twins_options=QueryTwinsOptions(...) (its
results_per_page reaches the transport and raises TypeError) and exposes query-charge only
through the generated layer's `cls` callback.
"""

import json
import unittest

from azure.core.exceptions import HttpResponseError
from azure.digitaltwins.core._generated.models import QueryTwinsOptions

from sdk_support import CORNER_ROOM, FLOOR, ROOM, ServerTestCase, room_twin

PAGED_TWINS = [f"paged-{i:02}" for i in range(25)]


def page_size(n):
    return {"query_twins_options": QueryTwinsOptions(max_items_per_page=n)}


class QueryWire:
    """Records every POST /query one query_twins call sends: the request body, the
    max-items-per-page header and the response body, via azure-core's raw_response_hook."""

    def __init__(self):
        self.exchanges = []

    def __call__(self, pipeline_response):
        request = pipeline_response.http_request
        self.exchanges.append((json.loads(request.body), request.headers.get("max-items-per-page"),
                               json.loads(pipeline_response.http_response.text())))


def pages_of(pager):
    return [list(page) for page in pager.by_page()]


def sorted_by(rows, key):
    return sorted(rows, key=lambda row: json.dumps(row[key], sort_keys=True) if key in row else "")


class QueryTestCase(ServerTestCase):

    def query(self, text, **kwargs):
        return list(self.client.query_twins(text, **kwargs))

    def ids(self, text, **kwargs):
        """The $dtId of each twin-document row, sorted."""
        return sorted(row["$dtId"] for row in self.query(text, **kwargs))

    def assertQueryError(self, text, code="SqlQueryError"):
        return self.assertHttpError(HttpResponseError, lambda: self.query(text), 400, code)


class QueryPagingTest(QueryTestCase):
    """25 twins paged through continuation tokens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for i, twin_id in enumerate(PAGED_TWINS):
            cls.client.upsert_digital_twin(twin_id, room_twin(name=twin_id, temperature=i))

    def test_pages_follow_continuation_tokens_and_see_every_twin_once(self):
        wire = QueryWire()
        pages = pages_of(self.client.query_twins("SELECT * FROM DIGITALTWINS", raw_response_hook=wire,
                                                 **page_size(4)))
        seen = [twin["$dtId"] for page in pages for twin in page]
        self.assertEqual(sorted(seen), PAGED_TWINS, "every twin exactly once")
        self.assertGreaterEqual(len(pages), 7, f"pages of {[len(p) for p in pages]}")
        self.assertTrue(all(0 < len(page) <= 4 for page in pages[:-1]), [len(p) for p in pages])
        self.assertLessEqual(len(pages[-1]), 4)

        self.assertEqual(len(wire.exchanges), len(pages), "one POST /query per page")
        self.assertTrue(all(size == "4" for _, size, _ in wire.exchanges), "max-items-per-page on every page")
        first_body = wire.exchanges[0][0]
        self.assertEqual(first_body["query"], "SELECT * FROM DIGITALTWINS")
        self.assertIsNone(first_body.get("continuationToken"))
        for (_, _, previous), (body, _, _) in zip(wire.exchanges, wire.exchanges[1:]):
            self.assertIsInstance(previous["continuationToken"], str)
            self.assertEqual(body["continuationToken"], previous["continuationToken"],
                             "the SDK sends back the previous page's token")
        last = wire.exchanges[-1][2]
        self.assertIn("continuationToken", last)
        self.assertIsNone(last["continuationToken"], "the last page says null explicitly")

    def test_filtered_query_pages(self):
        rows = [row for page in pages_of(self.client.query_twins(
            "SELECT T.$dtId FROM DIGITALTWINS T WHERE T.temperature >= 10", **page_size(3)))
            for row in page]
        self.assertEqual(sorted(row["$dtId"] for row in rows), PAGED_TWINS[10:])

    def test_resume_from_a_token_in_a_new_pager(self):
        pager = self.client.query_twins("SELECT * FROM DIGITALTWINS", **page_size(10)).by_page()
        first = [twin["$dtId"] for twin in next(pager)]
        token = pager.continuation_token
        self.assertIsInstance(token, str)
        rest = self.client.query_twins("SELECT * FROM DIGITALTWINS", **page_size(10)).by_page(
            continuation_token=token)
        later = [twin["$dtId"] for page in rest for twin in page]
        self.assertEqual(len(first), 10)
        self.assertEqual(sorted(first + later), PAGED_TWINS)

    def test_query_text_is_ignored_with_a_continuation_token(self):
        # The SDK sends the query text on every page; ADT: "The query is ignored if a
        # continuation token is provided."
        pager = self.client.query_twins("SELECT * FROM DIGITALTWINS", **page_size(5)).by_page()
        first = [twin["$dtId"] for twin in next(pager)]
        other = self.client.query_twins("SELECT COUNT() FROM RELATIONSHIPS", **page_size(5)).by_page(
            continuation_token=pager.continuation_token)
        later = [twin["$dtId"] for page in other for twin in page]
        self.assertEqual(sorted(first + later), PAGED_TWINS)

    def test_top_limits_rows_across_pages(self):
        pages = pages_of(self.client.query_twins("SELECT TOP(10) FROM DIGITALTWINS", **page_size(4)))
        rows = [twin for page in pages for twin in page]
        self.assertEqual(len(rows), 10)
        self.assertEqual(len({twin["$dtId"] for twin in rows}), 10)
        self.assertTrue(set(twin["$dtId"] for twin in rows) <= set(PAGED_TWINS))
        self.assertTrue(all(len(page) <= 4 for page in pages))
        self.assertEqual(len(self.query("SELECT TOP(100) FROM DIGITALTWINS")), 25)

    def test_count_is_one_row_whatever_the_page_size(self):
        self.assertEqual(pages_of(self.client.query_twins("SELECT COUNT() FROM DIGITALTWINS", **page_size(4))),
                         [[{"COUNT": 25}]])
        self.assertEqual(self.query("select count() from digitaltwins where temperature < 5"), [{"COUNT": 5}])

    def test_query_charge_per_page(self):
        charges = []

        def keep_headers(pipeline_response, deserialized, headers):
            charges.append(headers["query-charge"])
            return deserialized

        rows = self.query("SELECT * FROM DIGITALTWINS", cls=keep_headers, **page_size(10))
        self.assertEqual(len(rows), 25)
        self.assertGreaterEqual(len(charges), 3)
        for charge in charges:
            self.assertIsInstance(charge, float, "the SDK parses query-charge as a float")
            self.assertGreater(charge, 0)

    def test_bad_continuation_token(self):
        self.assertHttpError(HttpResponseError,
                             lambda: list(self.client.query_twins("SELECT * FROM DIGITALTWINS").by_page(
                                 continuation_token="not-a-token")),
                             400, "BadRequest")

    def test_order_by_extension_holds_across_pages(self):
        pages = pages_of(self.client.query_twins(
            "SELECT T.$dtId, T.temperature FROM DIGITALTWINS T ORDER BY T.temperature DESC", **page_size(6)))
        self.assertGreaterEqual(len(pages), 5)
        temperatures = [row["temperature"] for page in pages for row in page]
        self.assertEqual(temperatures, list(range(24, -1, -1)))


class QueryLanguageTest(QueryTestCase):
    """A small graph: two floors containing rooms (one a CornerRoom), rooms adjacent to rooms."""

    ROOMS = ["corner1", "room1", "room2", "room3"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        client = cls.client
        client.upsert_digital_twin("floor1", {"$metadata": {"$model": FLOOR}, "level": 1})
        client.upsert_digital_twin("floor2", {"$metadata": {"$model": FLOOR}, "level": 2})
        client.upsert_digital_twin("room1", room_twin(name="Kitchen", temperature=21, occupied=True))
        client.upsert_digital_twin("room2", room_twin(name="Hall", temperature=18))
        client.upsert_digital_twin("room3", room_twin(name="Store"))
        corner = room_twin(name="Corner", temperature=25, windows=2)
        corner["$metadata"]["$model"] = CORNER_ROOM
        client.upsert_digital_twin("corner1", corner)
        for source, rel_id, name, target, props in [
                ("floor1", "f1-r1", "contains", "room1", {"since": "2020"}),
                ("floor1", "f1-c1", "contains", "corner1", {"since": "2021"}),
                ("floor1", "f1-r2", "contains", "room2", {}),
                ("floor2", "f2-r3", "contains", "room3", {"since": "2020"}),
                ("room1", "r1-c1", "adjacentTo", "corner1", {"door": True}),
                ("corner1", "c1-r2", "adjacentTo", "room2", {"door": False})]:
            client.upsert_relationship(source, rel_id, dict({"$relationshipName": name, "$targetId": target},
                                                            **props))

    def test_select_star_rows_are_twin_documents(self):
        twin = self.query("SELECT * FROM DIGITALTWINS WHERE $dtId = 'room1'")
        self.assertEqual(twin, [self.client.get_digital_twin("room1")])

    def test_count(self):
        self.assertEqual(self.query("SELECT COUNT() FROM DIGITALTWINS"), [{"COUNT": 6}])
        self.assertEqual(self.query("SELECT COUNT() FROM DIGITALTWINS T WHERE T.temperature > 20"),
                         [{"COUNT": 2}])
        self.assertEqual(self.query("SELECT COUNT() FROM RELATIONSHIPS"), [{"COUNT": 6}])
        self.assertEqual(self.query("SELECT COUNT() FROM DIGITALTWINS WHERE name = 'nobody'"), [{"COUNT": 0}])

    def test_top(self):
        rows = self.query("SELECT TOP(2) FROM DIGITALTWINS")
        self.assertEqual(len(rows), 2)
        self.assertTrue(all("$dtId" in row and "$metadata" in row for row in rows), rows)
        self.assertEqual(len(self.query("SELECT TOP (3) FROM DIGITALTWINS WHERE IS_OF_MODEL('%s')" % ROOM)), 3)

    def test_projections_with_as_and_omitted_members(self):
        rows = self.query("SELECT T.$dtId AS id, T.name, T.temperature AS temp FROM DIGITALTWINS T "
                          "WHERE IS_OF_MODEL(T, '%s', exact)" % ROOM)
        self.assertEqual(sorted_by(rows, "id"), [
            {"id": "room1", "name": "Kitchen", "temp": 21},
            {"id": "room2", "name": "Hall", "temp": 18},
            {"id": "room3", "name": "Store"}])  # no temperature: the member is left out
        rows = self.query("SELECT name, windows FROM DIGITALTWINS WHERE $dtId IN ['room1', 'corner1']")
        self.assertEqual(sorted_by(rows, "name"), [{"name": "Corner", "windows": 2}, {"name": "Kitchen"}])

    def test_projection_of_objects_and_metadata(self):
        rows = self.query("SELECT T.thermostat, T.$metadata.$model FROM DIGITALTWINS T WHERE T.$dtId = 'corner1'")
        self.assertEqual(len(rows), 1)
        self.assertEqual(set(rows[0]), {"thermostat", "$model"})
        self.assertEqual(rows[0]["$model"], CORNER_ROOM)
        self.assertEqual(rows[0]["thermostat"]["setpoint"], 20)

    def test_alias_projection_wraps_the_document(self):
        rows = self.query("SELECT D FROM DIGITALTWINS D WHERE D.$dtId = 'room2'")
        self.assertEqual(rows, [{"D": self.client.get_digital_twin("room2")}])

    def test_is_of_model_with_inheritance(self):
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('%s')" % ROOM), self.ROOMS)
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('%s', exact)" % ROOM),
                         ["room1", "room2", "room3"])
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '%s')" % CORNER_ROOM),
                         ["corner1"])
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE NOT IS_OF_MODEL('%s')" % ROOM),
                         ["floor1", "floor2"])
        # Recorded from the real service: upper-case EXACT and a lower-case collection name.
        self.assertEqual(self.ids("SELECT * FROM digitaltwins WHERE IS_OF_MODEL('%s', EXACT) AND occupied = true"
                                  % ROOM), ["room1"])

    def test_where_functions_and_operators(self):
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'room') AND temperature < 20"),
                         ["room2"])
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS T WHERE IS_DEFINED(T.temperature) "
                                  "AND NOT IS_DEFINED(T.occupied)"), ["corner1", "room2"])
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE name IN ['Hall', 'Store'] OR level = 2"),
                         ["floor2", "room2", "room3"])
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE Name = 'Hall'"), [],
                         "property names are case-sensitive; a miss is no error")

    def test_join_with_relationship_alias_and_filter(self):
        rows = self.query("SELECT F, Room, Rel FROM DIGITALTWINS F JOIN Room RELATED F.contains Rel "
                          "WHERE F.$dtId = 'floor1' AND Rel.since = '2021'")
        self.assertEqual(len(rows), 1, rows)
        row = rows[0]
        self.assertEqual(set(row), {"F", "Room", "Rel"})
        self.assertEqual(row["F"], self.client.get_digital_twin("floor1"))
        self.assertEqual(row["Room"], self.client.get_digital_twin("corner1"))
        self.assertEqual(row["Rel"], self.client.get_relationship("floor1", "f1-c1"))

        rows = self.query("SELECT Room.name AS room, Rel.since FROM DIGITALTWINS F "
                          "JOIN Room RELATED F.contains Rel WHERE F.$dtId = 'floor1'")
        self.assertEqual(sorted_by(rows, "room"), [{"room": "Corner", "since": "2021"}, {"room": "Hall"},
                                                   {"room": "Kitchen", "since": "2020"}])

    def test_join_chain_and_anchor_on_any_alias(self):
        rows = self.query("SELECT B FROM DIGITALTWINS F JOIN A RELATED F.contains JOIN B RELATED A.adjacentTo "
                          "WHERE F.$dtId = 'floor1'")
        self.assertEqual(sorted(row["B"]["$dtId"] for row in rows), ["corner1", "room2"])
        rows = self.query("SELECT F.$dtId AS floor FROM DIGITALTWINS F JOIN R RELATED F.contains "
                          "WHERE R.$dtId IN ['room3', 'room2']")
        self.assertEqual(sorted(row["floor"] for row in rows), ["floor1", "floor2"])

    def test_match(self):
        rows = self.query("SELECT F, R FROM DIGITALTWINS MATCH (F)-[:contains]->(R) WHERE F.$dtId = 'floor1'")
        self.assertEqual(sorted(row["R"]["$dtId"] for row in rows), ["corner1", "room1", "room2"])
        self.assertTrue(all(row["F"]["$dtId"] == "floor1" for row in rows))

        rows = self.query("SELECT A.$dtId AS a, B.$dtId AS b FROM DIGITALTWINS "
                          "MATCH (F)-[:contains]->(A)-[:adjacentTo]->(B) WHERE F.$dtId = 'floor1'")
        self.assertEqual(sorted_by(rows, "a"), [{"a": "corner1", "b": "room2"}, {"a": "room1", "b": "corner1"}])

        rows = self.query("SELECT B.$dtId AS b FROM DIGITALTWINS MATCH (A)-[:adjacentTo*..2]->(B) "
                          "WHERE A.$dtId = 'room1'")
        self.assertEqual(sorted(row["b"] for row in rows), ["corner1", "room2"])

        rows = self.query("SELECT F.$dtId AS f FROM DIGITALTWINS MATCH (R)<-[:contains]-(F) WHERE R.$dtId = 'room3'")
        self.assertEqual(rows, [{"f": "floor2"}])

        rows = self.query("SELECT E FROM DIGITALTWINS MATCH (F)-[E:contains]->(X) "
                          "WHERE F.$dtId = 'floor1' AND E.since = '2020'")
        self.assertEqual(rows, [{"E": self.client.get_relationship("floor1", "f1-r1")}])

    def test_relationships_collection(self):
        rows = self.query("SELECT * FROM RELATIONSHIPS WHERE $sourceId = 'floor1'")
        self.assertEqual(sorted(row["$relationshipId"] for row in rows), ["f1-c1", "f1-r1", "f1-r2"])
        self.assertEqual(sorted_by(rows, "$relationshipId")[0], self.client.get_relationship("floor1", "f1-c1"))
        rows = self.query("SELECT R.$relationshipId FROM RELATIONSHIPS R WHERE R.door = false")
        self.assertEqual(rows, [{"$relationshipId": "c1-r2"}])

    def test_bad_queries_are_sql_query_errors(self):
        exc = self.assertQueryError("foo")
        self.assertTrue(exc.error.message, "the error says what is wrong")
        for text in ("SELECT * FROM DIGITALTWINS WHERE",
                     "SELECT * FROM DIGITALTWINS WHERE NO_SUCH_FUNCTION(name)",
                     "SELECT * FROM DIGITALTWINS F JOIN R RELATED F.contains WHERE F.$dtId = 'floor1'",
                     "SELECT R FROM DIGITALTWINS F JOIN R RELATED F.contains",
                     "SELECT T FROM DIGITALTWINS T WHERE X.name = 'Hall'",
                     "SELECT A.name, B.name FROM DIGITALTWINS A JOIN B RELATED A.contains WHERE A.$dtId = 'floor1'",
                     "SELECT * FROM RELATIONSHIPS WHERE IS_OF_MODEL('%s')" % ROOM):
            with self.subTest(text):
                self.assertQueryError(text)

    def test_group_by_and_aggregates_extension(self):
        rows = self.query("SELECT T.$metadata.$model, COUNT() FROM DIGITALTWINS T GROUP BY T.$metadata.$model")
        self.assertEqual(rows, [{"$model": CORNER_ROOM, "COUNT": 1}, {"$model": FLOOR, "COUNT": 2},
                                {"$model": ROOM, "COUNT": 3}], "groups in key order")
        rows = self.query("SELECT MIN(T.temperature), MAX(T.temperature) AS hottest, SUM(T.temperature), "
                          "AVG(T.temperature) FROM DIGITALTWINS T WHERE IS_OF_MODEL('%s')" % ROOM)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["MIN"], 18)
        self.assertEqual(rows[0]["hottest"], 25)
        self.assertEqual(rows[0]["SUM"], 64)
        self.assertAlmostEqual(rows[0]["AVG"], 64 / 3)
        self.assertQueryError("SELECT T.name, COUNT() FROM DIGITALTWINS T GROUP BY T.$metadata.$model")

    def test_order_by_extension(self):
        rows = self.query("SELECT T.$dtId AS id FROM DIGITALTWINS T WHERE IS_OF_MODEL('%s') "
                          "ORDER BY T.temperature DESC" % ROOM)
        # room3 has no temperature: undefined sorts first ascending, so last descending.
        self.assertEqual([row["id"] for row in rows], ["corner1", "room1", "room2", "room3"])
        rows = self.query("SELECT T.$dtId AS id FROM DIGITALTWINS T ORDER BY T.name ASC, T.$dtId DESC")
        self.assertEqual([row["id"] for row in rows], ["floor2", "floor1", "corner1", "room2", "room1", "room3"])


class QueryReadYourWritesTest(QueryTestCase):
    """ADT lags writes by seconds; dtwin's queries see every acknowledged write at once."""

    def test_created_patched_deleted_twin(self):
        text = "SELECT T.temperature FROM DIGITALTWINS T WHERE T.$dtId = 'ryw'"
        self.assertEqual(self.query(text), [])
        self.client.upsert_digital_twin("ryw", room_twin(temperature=1))
        self.assertEqual(self.query(text), [{"temperature": 1}])
        self.client.update_digital_twin("ryw", [{"op": "replace", "path": "/temperature", "value": 99}])
        self.assertEqual(self.query(text), [{"temperature": 99}])
        self.assertEqual(self.ids("SELECT * FROM DIGITALTWINS WHERE temperature = 99"), ["ryw"])
        self.client.update_digital_twin("ryw", [{"op": "remove", "path": "/temperature"}])
        self.assertEqual(self.query(text), [{}])
        self.client.delete_digital_twin("ryw")
        self.assertEqual(self.query(text), [])

    def test_count_follows_creates_and_deletes(self):
        text = "SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('%s')" % CORNER_ROOM
        self.assertEqual(self.query(text), [{"COUNT": 0}])
        for i in range(3):
            twin = room_twin(name=f"c{i}")
            twin["$metadata"]["$model"] = CORNER_ROOM
            self.client.upsert_digital_twin(f"ryw-corner{i}", twin)
            self.assertEqual(self.query(text), [{"COUNT": i + 1}])
        self.client.delete_digital_twin("ryw-corner1")
        self.assertEqual(self.query(text), [{"COUNT": 2}])

    def test_relationships_show_in_joins_at_once(self):
        self.client.upsert_digital_twin("ryw-floor", {"$metadata": {"$model": FLOOR}, "level": 3})
        self.client.upsert_digital_twin("ryw-room", room_twin())
        text = "SELECT R.$dtId AS id FROM DIGITALTWINS F JOIN R RELATED F.contains WHERE F.$dtId = 'ryw-floor'"
        self.assertEqual(self.query(text), [])
        self.client.upsert_relationship("ryw-floor", "ryw-rel", {"$relationshipName": "contains",
                                                                 "$targetId": "ryw-room"})
        self.assertEqual(self.query(text), [{"id": "ryw-room"}])
        since = ("SELECT R.$dtId AS id FROM DIGITALTWINS F JOIN R RELATED F.contains Rel "
                 "WHERE F.$dtId = 'ryw-floor' AND Rel.since = '2030'")
        self.assertEqual(self.query(since), [])
        self.client.update_relationship("ryw-floor", "ryw-rel", [{"op": "add", "path": "/since", "value": "2030"}])
        self.assertEqual(self.query(since), [{"id": "ryw-room"}])
        self.client.delete_relationship("ryw-floor", "ryw-rel")
        self.assertEqual(self.query(text), [])


if __name__ == "__main__":
    unittest.main()
