// The asynchronous forms of DigitalTwinsClient against `dtwin serve`: a twin's life (create,
// read, patch with its etag, components, relationships, telemetry, delete) with the same
// results as the synchronous forms give, and the server's errors as the same exception types.
#include <string>

#include "await_async.h"
#include "client_e2e_fixture.h"

namespace dtwin::client::testing {
namespace {

class AsyncClientE2eTest : public ClientE2eTest {
 protected:
  static void SetUpTestSuite() { StartServer(/*upload_fixture_models=*/true); }

  static boost::json::object AwaitObject(
      const std::function<void(AsyncCallback<boost::json::object>)>& start) {
    return AwaitAsync<boost::json::object>(start).value();
  }
  static std::string AwaitEtag(const std::function<void(AsyncCallback<std::string>)>& start) {
    return AwaitAsync<std::string>(start).value();
  }
  static void AwaitDone(const std::function<void(AsyncCallback<void>)>& start) {
    AwaitAsync<void>(start).value();
  }
};

TEST_F(AsyncClientE2eTest, ATwinsLifeThroughTheAsynchronousForms) {
  boost::json::object created = AwaitObject(
      [](auto done) { client().UpsertDigitalTwinAsync("async-a", RoomTwin("Hall"), done); });
  EXPECT_EQ(created.at("$dtId").as_string(), "async-a");
  EXPECT_EQ(AwaitObject([](auto done) { client().GetDigitalTwinAsync("async-a", done); }),
            client().GetDigitalTwin("async-a"));

  MatchConditions if_match;
  if_match.if_match = std::string(created.at("$etag").as_string());
  std::string etag = AwaitEtag([&](auto done) {
    client().UpdateDigitalTwinAsync(
        "async-a", JsonArray(R"([{"op":"add","path":"/temperature","value":23.5}])"), done,
        if_match);
  });
  boost::json::object patched = client().GetDigitalTwin("async-a");
  EXPECT_EQ(patched.at("temperature").as_double(), 23.5);
  EXPECT_EQ(patched.at("$etag").as_string(), etag);
  // The old etag no longer matches.
  ExpectError<ResourceModifiedError>(
      [&] {
        AwaitEtag([&](auto done) {
          client().UpdateDigitalTwinAsync(
              "async-a", JsonArray(R"([{"op":"add","path":"/temperature","value":1}])"), done,
              if_match);
        });
      },
      412, "PreconditionFailed");

  AwaitEtag([](auto done) {
    client().UpdateComponentAsync("async-a", "thermostat",
                                  JsonArray(R"([{"op":"replace","path":"/setpoint","value":18}])"),
                                  done);
  });
  EXPECT_EQ(
      AwaitObject([](auto done) { client().GetComponentAsync("async-a", "thermostat", done); })
          .at("setpoint")
          .to_number<double>(),
      18);
  AwaitDone([](auto done) {
    client().PublishComponentTelemetryAsync("async-a", "thermostat", {{"measured", 18.2}}, done);
  });
  AwaitDone([](auto done) { client().PublishTelemetryAsync("async-a", {{"humidity", 40}}, done); });

  client().UpsertDigitalTwin("async-b", RoomTwin("Office"));
  boost::json::object relationship = AwaitObject([](auto done) {
    client().UpsertRelationshipAsync(
        "async-a", "a-b",
        JsonObject(R"({"$relationshipName":"adjacentTo","$targetId":"async-b","door":true})"),
        done);
  });
  EXPECT_EQ(relationship.at("$targetId").as_string(), "async-b");
  AwaitEtag([](auto done) {
    client().UpdateRelationshipAsync(
        "async-a", "a-b", JsonArray(R"([{"op":"replace","path":"/door","value":false}])"), done);
  });
  EXPECT_EQ(AwaitObject([](auto done) { client().GetRelationshipAsync("async-a", "a-b", done); })
                .at("door")
                .as_bool(),
            false);
  AwaitDone([](auto done) { client().DeleteRelationshipAsync("async-a", "a-b", done); });
  AwaitDone([](auto done) { client().DeleteDigitalTwinAsync("async-a", done); });
  ExpectError<ResourceNotFoundError>(
      [] { AwaitObject([](auto done) { client().GetDigitalTwinAsync("async-a", done); }); }, 404,
      "DigitalTwinNotFound");
}

}  // namespace
}  // namespace dtwin::client::testing
