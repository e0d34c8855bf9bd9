// Event routes and telemetry through DigitalTwinsClient against `dtwin serve` (started with
// the conformance sink endpoint configured); the scenarios of
// tests/conformance/python_sdk/test_routes_telemetry.py with the same expected results.
#include <algorithm>

#include "client_e2e_fixture.h"

namespace dtwin::client::testing {
namespace {

EventRoute Route(std::string endpoint_name, std::string filter) {
  EventRoute route;
  route.endpoint_name = std::move(endpoint_name);
  route.filter = std::move(filter);
  return route;
}

class EventRoutesClientE2eTest : public ClientE2eTest {
 protected:
  static void SetUpTestSuite() { StartServer(/*upload_fixture_models=*/false); }
};

TEST_F(EventRoutesClientE2eTest, Lifecycle) {
  const std::string filter = "$eventType = 'DigitalTwinTelemetryMessages'";
  client().UpsertEventRoute("route-1", Route(kSinkEndpoint, filter));
  EventRoute got = client().GetEventRoute("route-1");
  EXPECT_EQ(got.id, "route-1");
  EXPECT_EQ(got.endpoint_name, kSinkEndpoint);
  EXPECT_EQ(got.filter, filter);
  client().UpsertEventRoute("route-1", Route(kSinkEndpoint, "true"));
  EXPECT_EQ(client().GetEventRoute("route-1").filter, "true");
  client().DeleteEventRoute("route-1");
  ExpectError<ResourceNotFoundError>([&] { client().GetEventRoute("route-1"); }, 404,
                                     "EventRouteNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().DeleteEventRoute("route-1"); }, 404,
                                     "EventRouteNotFound");
}

TEST_F(EventRoutesClientE2eTest, TheRouteIdComesFromTheUrlNotTheArgument) {
  EventRoute route = Route(kSinkEndpoint, "true");
  route.id = "ignored";
  client().UpsertEventRoute("route-by-url", route);
  EXPECT_EQ(client().GetEventRoute("route-by-url").id, "route-by-url");
  ExpectError<ResourceNotFoundError>([&] { client().GetEventRoute("ignored"); }, 404,
                                     "EventRouteNotFound");
  client().DeleteEventRoute("route-by-url");
}

TEST_F(EventRoutesClientE2eTest, ListPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back("listed-" + std::to_string(i));
  for (const std::string& id : ids) client().UpsertEventRoute(id, Route(kSinkEndpoint, "true"));

  Pager<EventRoute> pager = client().ListEventRoutes(PageSize(2));
  std::vector<std::string> seen;
  int pages = 0;
  while (std::optional<Page<EventRoute>> page = pager.NextPage()) {
    ++pages;
    for (const EventRoute& route : page->items) {
      seen.push_back(route.id);
      EXPECT_EQ(route.endpoint_name, kSinkEndpoint);
      EXPECT_EQ(route.filter, "true");
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 3);

  std::vector<std::string> all;
  for (const EventRoute& route : client().ListEventRoutes()) all.push_back(route.id);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, ids);
  for (const std::string& id : ids) client().DeleteEventRoute(id);
  Pager<EventRoute> empty = client().ListEventRoutes();
  EXPECT_TRUE(empty.begin() == empty.end());
}

TEST_F(EventRoutesClientE2eTest, UnknownEndpoint) {
  ExpectError<DigitalTwinsError>(
      [&] { client().UpsertEventRoute("bad-endpoint", Route("not-configured", "true")); }, 400,
      "EventRouteEndpointInvalid");
  ExpectError<ResourceNotFoundError>([&] { client().GetEventRoute("bad-endpoint"); }, 404,
                                     "EventRouteNotFound");
}

TEST_F(EventRoutesClientE2eTest, BadFilter) {
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpsertEventRoute("bad-filter",
                                  Route(kSinkEndpoint, "this is not a valid filter string"));
      },
      400, "EventRouteFilterInvalid");
}

class TelemetryClientE2eTest : public ClientE2eTest {
 protected:
  static void SetUpTestSuite() {
    StartServer(/*upload_fixture_models=*/true);
    client().UpsertDigitalTwin("sensor-room", RoomTwin());
  }
};

TEST_F(TelemetryClientE2eTest, PublishTelemetry) {
  std::string etag(client().GetDigitalTwin("sensor-room").at("$etag").as_string());
  client().PublishTelemetry("sensor-room", JsonObject(R"({"humidity":40.5})"));
  TelemetryOptions options;
  options.message_id = "m-1";
  options.source_time = "2024-05-01T12:00:00.123Z";
  client().PublishTelemetry("sensor-room", JsonObject(R"({"humidity":41})"), options);
  EXPECT_EQ(client().GetDigitalTwin("sensor-room").at("$etag").as_string(), etag)
      << "telemetry is not stored on the twin";
}

TEST_F(TelemetryClientE2eTest, PublishComponentTelemetry) {
  client().PublishComponentTelemetry("sensor-room", "thermostat",
                                     JsonObject(R"({"measured":20.1})"));
  TelemetryOptions options;
  options.message_id = "m-component";
  client().PublishComponentTelemetry("sensor-room", "thermostat",
                                     JsonObject(R"({"measured":20.2})"), options);
}

TEST_F(TelemetryClientE2eTest, TelemetryErrors) {
  ExpectError<ResourceNotFoundError>(
      [&] { client().PublishTelemetry("ghost", JsonObject(R"({"humidity":1})")); }, 404,
      "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>(
      [&] {
        client().PublishComponentTelemetry("sensor-room", "nothere",
                                           JsonObject(R"({"measured":1})"));
      },
      404, "ComponentNotFound");
}

}  // namespace
}  // namespace dtwin::client::testing
