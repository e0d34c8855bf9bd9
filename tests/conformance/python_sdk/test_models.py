"""Models through the Python SDK: create, get, list (paging, dependencies), decommission, delete."""

import datetime
import unittest

from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from sdk_support import (CORNER_ROOM, FLOOR, ROOM, THERMOSTAT, ServerTestCase, fixture_models,
                         room_twin)


def interface(dtmi, **extra):
    model = {"@id": dtmi, "@type": "Interface", "@context": "dtmi:dtdl:context;2"}
    model.update(extra)
    return model


class ModelsTest(ServerTestCase):
    upload_fixtures = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.created = cls.client.create_models(fixture_models())

    def test_create_models_returns_summaries(self):
        by_id = {m.id: m for m in self.created}
        self.assertEqual(set(by_id), {THERMOSTAT, ROOM, FLOOR, CORNER_ROOM})
        room = by_id[ROOM]
        self.assertEqual(room.display_name, {"en": "Room"})
        self.assertEqual(room.description, {"en": "A room of a floor."})
        self.assertEqual(by_id[THERMOSTAT].description, {})
        self.assertFalse(room.decommissioned)
        self.assertIsInstance(room.upload_time, datetime.datetime)
        self.assertIsNone(room.model, "a create response carries summaries, not definitions")

    def test_create_invalid_model_is_dtdl_parser_error(self):
        bad = interface("dtmi:conformance:Bad;1", contents=[{"@type": "Property", "name": "x"}])
        self.assertHttpError(HttpResponseError, lambda: self.client.create_models([bad]),
                             400, "DTDLParserError")
        self.assertHttpError(ResourceNotFoundError,
                             lambda: self.client.get_model("dtmi:conformance:Bad;1"),
                             404, "ModelNotFound")

    def test_create_is_all_or_nothing(self):
        good = interface("dtmi:conformance:Batch;1")
        bad = interface("dtmi:conformance:Batch2;1", extends="dtmi:conformance:Missing;1")
        self.assertHttpError(HttpResponseError, lambda: self.client.create_models([good, bad]),
                             400, "DTDLParserError")
        with self.assertRaises(ResourceNotFoundError):
            self.client.get_model("dtmi:conformance:Batch;1")

    def test_create_duplicate_is_409(self):
        with self.assertRaises(ResourceExistsError) as ctx:
            self.client.create_models([fixture_models()[0]])
        self.assertEqual(ctx.exception.status_code, 409)

    def test_get_model(self):
        model = self.client.get_model(ROOM)
        self.assertEqual(model.id, ROOM)
        self.assertEqual(model.display_name, {"en": "Room"})
        self.assertIsNone(model.model)
        full = self.client.get_model(ROOM, include_model_definition=True)
        expected = next(m for m in fixture_models() if m["@id"] == ROOM)
        self.assertEqual(full.model, expected)

    def test_get_missing_model(self):
        self.assertHttpError(ResourceNotFoundError,
                             lambda: self.client.get_model("dtmi:conformance:Nope;1"),
                             404, "ModelNotFound")

    def test_list_models_pages_see_every_model_once(self):
        extra = [interface(f"dtmi:conformance:Paged{i};1") for i in range(7)]
        self.client.create_models(extra)
        # results_per_page crashes SDK 1.2.1; the header is the documented workaround.
        pages = self.client.list_models(headers={"max-items-per-page": "3"}).by_page()
        seen, page_sizes = [], []
        for page in pages:
            items = list(page)
            page_sizes.append(len(items))
            seen.extend(m.id for m in items)
        self.assertEqual(len(seen), len(set(seen)), f"a model came twice: {seen}")
        self.assertTrue({m["@id"] for m in extra} <= set(seen))
        self.assertTrue({THERMOSTAT, ROOM, FLOOR, CORNER_ROOM} <= set(seen))
        self.assertGreaterEqual(len(page_sizes), 4, f"page sizes {page_sizes}")
        self.assertTrue(all(size <= 3 for size in page_sizes), f"page sizes {page_sizes}")

    def test_list_models_with_definitions(self):
        models = list(self.client.list_models(include_model_definition=True))
        self.assertTrue(all(m.model is not None for m in models))
        self.assertTrue(all(m.model["@id"] == m.id for m in models))

    def test_list_models_dependencies_for(self):
        ids = {m.id for m in self.client.list_models(dependencies_for=[CORNER_ROOM])}
        self.assertTrue({CORNER_ROOM, ROOM, THERMOSTAT} <= ids, ids)
        self.assertNotIn(FLOOR, ids)

    def test_list_models_dependencies_for_missing_model(self):
        with self.assertRaises(ResourceNotFoundError):
            list(self.client.list_models(dependencies_for=["dtmi:conformance:Nope;1"]))

    def test_decommission_model(self):
        dtmi = "dtmi:conformance:Retired;1"
        self.client.create_models([interface(dtmi)])
        self.assertIsNone(self.client.decommission_model(dtmi))
        self.assertTrue(self.client.get_model(dtmi).decommissioned)
        self.assertHttpError(HttpResponseError,
                             lambda: self.client.upsert_digital_twin(
                                 "retired-twin", {"$metadata": {"$model": dtmi}}),
                             400, "ModelDecommissioned")

    def test_decommission_missing_model(self):
        self.assertHttpError(ResourceNotFoundError,
                             lambda: self.client.decommission_model("dtmi:conformance:Nope;1"),
                             404, "ModelNotFound")

    def test_delete_model_referenced_by_another_is_409(self):
        self.assertHttpError(ResourceExistsError, lambda: self.client.delete_model(ROOM),
                             409, "ModelReferencesNotDeleted")
        self.assertEqual(self.client.get_model(ROOM).id, ROOM)

    def test_delete_model(self):
        dtmi = "dtmi:conformance:Doomed;1"
        self.client.create_models([interface(dtmi)])
        self.assertIsNone(self.client.delete_model(dtmi))
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.get_model(dtmi),
                             404, "ModelNotFound")
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.delete_model(dtmi),
                             404, "ModelNotFound")

    def test_delete_model_used_by_twins(self):
        # Twins do not block a model's deletion; the twin stays readable.
        dtmi = "dtmi:conformance:Used;1"
        self.client.create_models([interface(dtmi)])
        self.client.upsert_digital_twin("used-twin", {"$metadata": {"$model": dtmi}})
        self.client.delete_model(dtmi)
        self.assertEqual(self.client.get_digital_twin("used-twin")["$metadata"]["$model"], dtmi)

    def test_model_use_by_twin(self):
        twin = self.client.upsert_digital_twin("models-room", room_twin())
        self.assertEqual(twin["$metadata"]["$model"], ROOM)


if __name__ == "__main__":
    unittest.main()
