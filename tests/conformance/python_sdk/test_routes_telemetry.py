"""Event routes and telemetry through the Python SDK."""

import unittest

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.digitaltwins.core import DigitalTwinsEventRoute

from sdk_support import SINK_ENDPOINT, ServerTestCase, room_twin


class EventRoutesTest(ServerTestCase):
    upload_fixtures = False

    def test_lifecycle(self):
        route = DigitalTwinsEventRoute(endpoint_name=SINK_ENDPOINT,
                                       filter="$eventType = 'DigitalTwinTelemetryMessages'")
        self.assertIsNone(self.client.upsert_event_route("route-1", route))
        got = self.client.get_event_route("route-1")
        self.assertEqual((got.id, got.endpoint_name, got.filter),
                         ("route-1", SINK_ENDPOINT, "$eventType = 'DigitalTwinTelemetryMessages'"))
        self.client.upsert_event_route("route-1", DigitalTwinsEventRoute(endpoint_name=SINK_ENDPOINT,
                                                                         filter="true"))
        self.assertEqual(self.client.get_event_route("route-1").filter, "true")
        self.assertIsNone(self.client.delete_event_route("route-1"))
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.get_event_route("route-1"),
                             404, "EventRouteNotFound")
        self.assertHttpError(ResourceNotFoundError, lambda: self.client.delete_event_route("route-1"),
                             404, "EventRouteNotFound")

    def test_list_pages(self):
        ids = [f"listed-{i}" for i in range(5)]
        for route_id in ids:
            self.client.upsert_event_route(route_id, DigitalTwinsEventRoute(endpoint_name=SINK_ENDPOINT,
                                                                            filter="true"))
        try:
            pages = list(self.client.list_event_routes(headers={"max-items-per-page": "2"}).by_page())
            seen = [r.id for page in pages for r in page]
            self.assertEqual(sorted(seen), ids)
            self.assertEqual(len(pages), 3)
        finally:
            for route_id in ids:
                self.client.delete_event_route(route_id)

    def test_unknown_endpoint(self):
        route = DigitalTwinsEventRoute(endpoint_name="not-configured", filter="true")
        self.assertHttpError(HttpResponseError, lambda: self.client.upsert_event_route("bad-endpoint", route),
                             400, "EventRouteEndpointInvalid")
        with self.assertRaises(ResourceNotFoundError):
            self.client.get_event_route("bad-endpoint")

    def test_bad_filter(self):
        route = DigitalTwinsEventRoute(endpoint_name=SINK_ENDPOINT, filter="this is not a valid filter string")
        self.assertHttpError(HttpResponseError, lambda: self.client.upsert_event_route("bad-filter", route),
                             400, "EventRouteFilterInvalid")


class TelemetryTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.upsert_digital_twin("sensor-room", room_twin())

    def test_publish_telemetry(self):
        etag = self.client.get_digital_twin("sensor-room")["$etag"]
        self.assertIsNone(self.client.publish_telemetry("sensor-room", {"humidity": 40.5}))
        self.assertIsNone(self.client.publish_telemetry("sensor-room", {"humidity": 41}, message_id="m-1"))
        self.assertEqual(self.client.get_digital_twin("sensor-room")["$etag"], etag,
                         "telemetry is not stored on the twin")

    def test_publish_component_telemetry(self):
        self.assertIsNone(self.client.publish_component_telemetry("sensor-room", "thermostat",
                                                                  {"measured": 20.1}))

    def test_telemetry_errors(self):
        self.assertHttpError(ResourceNotFoundError,
                             lambda: self.client.publish_telemetry("ghost", {"humidity": 1}),
                             404, "DigitalTwinNotFound")
        self.assertHttpError(ResourceNotFoundError,
                             lambda: self.client.publish_component_telemetry("sensor-room", "nothere",
                                                                             {"measured": 1}),
                             404, "ComponentNotFound")


if __name__ == "__main__":
    unittest.main()
