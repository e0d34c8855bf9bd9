// Digital twins and components through DigitalTwinsClient against `dtwin serve`: upsert, get,
// update (etags and match conditions), delete, components, ids that need percent-encoding;
// the scenarios of tests/conformance/python_sdk/test_twins.py with the same expected results.
#include <algorithm>
#include <cctype>
#include <regex>

#include "client_e2e_fixture.h"

namespace dtwin::client::testing {
namespace {

MatchConditions IfMatch(std::string etag) {
  MatchConditions conditions;
  conditions.if_match = std::move(etag);
  return conditions;
}

MatchConditions IfNoneMatchAny() {
  MatchConditions conditions;
  conditions.if_none_match_any = true;
  return conditions;
}

std::string EtagOf(const boost::json::object& document) {
  return std::string(document.at("$etag").as_string());
}

class TwinsClientE2eTest : public ClientE2eTest {
 protected:
  static void SetUpTestSuite() { StartServer(/*upload_fixture_models=*/true); }
};

TEST_F(TwinsClientE2eTest, UpsertCreatesAndReturnsTheStoredTwin) {
  boost::json::object twin =
      client().UpsertDigitalTwin("t-create", RoomTwin("Kitchen", {{"temperature", 21.5}}));
  EXPECT_EQ(twin.at("$dtId").as_string(), "t-create");
  EXPECT_TRUE(std::regex_match(EtagOf(twin), std::regex(R"(^W/"[^"]+"$)"))) << EtagOf(twin);
  EXPECT_EQ(twin.at("name").as_string(), "Kitchen");
  EXPECT_EQ(twin.at("temperature").as_double(), 21.5);
  EXPECT_EQ(twin.at("$metadata").at("$model").as_string(), kRoom);
  EXPECT_EQ(twin.at("thermostat").at("setpoint").to_number<double>(), 20);
  EXPECT_EQ(client().GetDigitalTwin("t-create"), twin);
}

TEST_F(TwinsClientE2eTest, IdsArePercentEncodedInPaths) {
  for (const std::string id :
       {"room 1", "a/b", "x?y#z&w=1", "\xC3\xA9t\xC3\xA9 \xE2\x98\x83", "50%"}) {
    boost::json::object twin = client().UpsertDigitalTwin(id, RoomTwin(id));
    EXPECT_EQ(twin.at("$dtId").as_string(), id);
    EXPECT_EQ(client().GetDigitalTwin(id).at("name").as_string(), id);
    client().UpdateDigitalTwin(id, JsonArray(R"([{"op":"add","path":"/temperature","value":1}])"));
    EXPECT_EQ(client().GetComponent(id, "thermostat").at("setpoint").to_number<double>(), 20);
    client().DeleteDigitalTwin(id);
    ExpectError<ResourceNotFoundError>([&] { client().GetDigitalTwin(id); }, 404,
                                       "DigitalTwinNotFound");
  }
}

TEST_F(TwinsClientE2eTest, UpsertReplaces) {
  boost::json::object first =
      client().UpsertDigitalTwin("t-replace", RoomTwin("Kitchen", {{"temperature", 1}}));
  boost::json::object second = client().UpsertDigitalTwin("t-replace", RoomTwin("Hall"));
  EXPECT_NE(EtagOf(first), EtagOf(second));
  EXPECT_EQ(second.at("name").as_string(), "Hall");
  EXPECT_FALSE(second.contains("temperature")) << "replace drops properties absent from the body";
}

TEST_F(TwinsClientE2eTest, UpsertIfNoneMatchCreatesOnlyOnce) {
  client().UpsertDigitalTwin("t-missing", RoomTwin(), IfNoneMatchAny());
  ExpectError<ResourceExistsError>(
      [&] { client().UpsertDigitalTwin("t-missing", RoomTwin("Other"), IfNoneMatchAny()); }, 412,
      "PreconditionFailed");
  EXPECT_EQ(client().GetDigitalTwin("t-missing").at("name").as_string(), "Kitchen");
}

TEST_F(TwinsClientE2eTest, UpsertIfMatchReplacesOnlyTheSameVersion) {
  boost::json::object created = client().UpsertDigitalTwin("t-ifmatch", RoomTwin());
  boost::json::object replaced =
      client().UpsertDigitalTwin("t-ifmatch", RoomTwin("Hall"), IfMatch(EtagOf(created)));
  ExpectError<ResourceModifiedError>(
      [&] { client().UpsertDigitalTwin("t-ifmatch", RoomTwin("Attic"), IfMatch(EtagOf(created))); },
      412, "PreconditionFailed");
  EXPECT_EQ(client().GetDigitalTwin("t-ifmatch"), replaced);
}

TEST_F(TwinsClientE2eTest, UpsertInvalidTwin) {
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpsertDigitalTwin("t-bad", RoomTwin("Kitchen", {{"name", 42}}));
      },
      400, "ValidationFailed");
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpsertDigitalTwin(
            "t-bad", JsonObject(R"({"$metadata":{"$model":"dtmi:conformance:Nope;1"}})"));
      },
      400, "ValidationFailed");
  ExpectError<ResourceNotFoundError>([&] { client().GetDigitalTwin("t-bad"); }, 404,
                                     "DigitalTwinNotFound");
}

TEST_F(TwinsClientE2eTest, UpdateChangesEtagAndValuesAndReturnsTheNewEtag) {
  boost::json::object created =
      client().UpsertDigitalTwin("t-update", RoomTwin("Kitchen", {{"temperature", 10}}));
  std::string etag = client().UpdateDigitalTwin("t-update", JsonArray(R"([
      {"op": "replace", "path": "/temperature", "value": 12.5},
      {"op": "add", "path": "/occupied", "value": true},
      {"op": "remove", "path": "/name"}])"));
  boost::json::object twin = client().GetDigitalTwin("t-update");
  EXPECT_EQ(etag, EtagOf(twin)) << "the ETag header of the answer is the twin's new $etag";
  EXPECT_NE(EtagOf(twin), EtagOf(created));
  EXPECT_EQ(twin.at("temperature").as_double(), 12.5);
  EXPECT_EQ(twin.at("occupied"), true);
  EXPECT_FALSE(twin.contains("name"));
  EXPECT_FALSE(twin.at("$metadata").as_object().contains("name"));
}

TEST_F(TwinsClientE2eTest, UpdateWithEtag) {
  boost::json::object created =
      client().UpsertDigitalTwin("t-etag", RoomTwin("Kitchen", {{"temperature", 10}}));
  client().UpdateDigitalTwin("t-etag",
                             JsonArray(R"([{"op":"replace","path":"/temperature","value":11}])"),
                             IfMatch(EtagOf(created)));
  boost::json::object current = client().GetDigitalTwin("t-etag");
  DigitalTwinsError error = ExpectError<ResourceModifiedError>(
      [&] {
        client().UpdateDigitalTwin(
            "t-etag", JsonArray(R"([{"op":"replace","path":"/temperature","value":99}])"),
            IfMatch(EtagOf(created)));
      },
      412, "PreconditionFailed");
  std::string message = error.message();
  std::transform(message.begin(), message.end(), message.begin(), ::tolower);
  EXPECT_NE(message.find("etag"), std::string::npos) << error.message();
  EXPECT_EQ(client().GetDigitalTwin("t-etag"), current);
  // If-Match: * (Python's IfPresent) updates whatever the version.
  client().UpdateDigitalTwin(
      "t-etag", JsonArray(R"([{"op":"replace","path":"/temperature","value":13}])"), IfMatch("*"));
  EXPECT_EQ(client().GetDigitalTwin("t-etag").at("temperature").to_number<double>(), 13);
}

TEST_F(TwinsClientE2eTest, UpdateInvalidPatch) {
  client().UpsertDigitalTwin("t-badpatch", RoomTwin());
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpdateDigitalTwin(
            "t-badpatch", JsonArray(R"([{"op":"add","path":"/temperature","value":"hot"}])"));
      },
      400, "ValidationFailed");
  // replace needs an existing member; RoomTwin() sets no temperature.
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpdateDigitalTwin(
            "t-badpatch", JsonArray(R"([{"op":"replace","path":"/temperature","value":1}])"));
      },
      400, "JsonPatchInvalid");
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpdateDigitalTwin("t-badpatch",
                                   JsonArray(R"([{"op":"move","from":"/name","path":"/x"}])"));
      },
      400, "JsonPatchInvalid");
}

TEST_F(TwinsClientE2eTest, MissingTwin) {
  const boost::json::array patch = JsonArray(R"([{"op":"add","path":"/name","value":"x"}])");
  ExpectError<ResourceNotFoundError>([&] { client().GetDigitalTwin("t-ghost"); }, 404,
                                     "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().UpdateDigitalTwin("t-ghost", patch); }, 404,
                                     "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().DeleteDigitalTwin("t-ghost"); }, 404,
                                     "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().GetComponent("t-ghost", "thermostat"); }, 404,
                                     "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>(
      [&] {
        for (const boost::json::object& relationship : client().ListRelationships("t-ghost")) {
          ADD_FAILURE() << boost::json::value(relationship);
        }
      },
      404, "DigitalTwinNotFound");
}

TEST_F(TwinsClientE2eTest, DeleteWithEtag) {
  boost::json::object created = client().UpsertDigitalTwin("t-delete", RoomTwin());
  client().UpdateDigitalTwin("t-delete",
                             JsonArray(R"([{"op":"replace","path":"/name","value":"x"}])"));
  ExpectError<ResourceModifiedError>(
      [&] { client().DeleteDigitalTwin("t-delete", IfMatch(EtagOf(created))); }, 412,
      "PreconditionFailed");
  std::string current = EtagOf(client().GetDigitalTwin("t-delete"));
  client().DeleteDigitalTwin("t-delete", IfMatch(current));
  ExpectError<ResourceNotFoundError>([&] { client().GetDigitalTwin("t-delete"); }, 404,
                                     "DigitalTwinNotFound");
}

TEST_F(TwinsClientE2eTest, DeleteWithRelationshipsIsRefused) {
  client().UpsertDigitalTwin("t-src", RoomTwin());
  client().UpsertDigitalTwin("t-dst", RoomTwin());
  client().UpsertRelationship(
      "t-src", "r1", JsonObject(R"({"$relationshipName":"adjacentTo","$targetId":"t-dst"})"));
  for (const char* twin_id : {"t-src", "t-dst"}) {  // outgoing and incoming both block
    ExpectError<DigitalTwinsError>([&] { client().DeleteDigitalTwin(twin_id); }, 400,
                                   "RelationshipsNotDeleted");
  }
  client().DeleteRelationship("t-src", "r1");
  client().DeleteDigitalTwin("t-src");
  client().DeleteDigitalTwin("t-dst");
}

TEST_F(TwinsClientE2eTest, Components) {
  boost::json::object created = client().UpsertDigitalTwin("t-comp", RoomTwin());
  boost::json::object component = client().GetComponent("t-comp", "thermostat");
  EXPECT_EQ(component.at("setpoint").to_number<double>(), 20);
  EXPECT_TRUE(component.contains("$metadata"));
  EXPECT_FALSE(component.contains("$dtId"));
  std::string etag = client().UpdateComponent(
      "t-comp", "thermostat", JsonArray(R"([{"op":"replace","path":"/setpoint","value":18.5}])"));
  EXPECT_EQ(client().GetComponent("t-comp", "thermostat").at("setpoint").as_double(), 18.5);
  boost::json::object twin = client().GetDigitalTwin("t-comp");
  EXPECT_EQ(twin.at("thermostat").at("setpoint").as_double(), 18.5);
  EXPECT_NE(EtagOf(twin), EtagOf(created));
  EXPECT_EQ(etag, EtagOf(twin)) << "UpdateComponent returns the twin's new etag";
  ExpectError<ResourceModifiedError>(
      [&] {
        client().UpdateComponent("t-comp", "thermostat",
                                 JsonArray(R"([{"op":"replace","path":"/setpoint","value":1}])"),
                                 IfMatch(EtagOf(created)));
      },
      412, "PreconditionFailed");
  client().UpdateComponent("t-comp", "thermostat",
                           JsonArray(R"([{"op":"replace","path":"/setpoint","value":17}])"),
                           IfMatch(EtagOf(twin)));
  EXPECT_EQ(client().GetComponent("t-comp", "thermostat").at("setpoint").to_number<double>(), 17);
  ExpectError<ResourceNotFoundError>([&] { client().GetComponent("t-comp", "nothere"); }, 404,
                                     "ComponentNotFound");
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpdateComponent("t-comp", "thermostat",
                                 JsonArray(R"([{"op":"add","path":"/unknown","value":1}])"));
      },
      400, "ValidationFailed");
}

}  // namespace
}  // namespace dtwin::client::testing
