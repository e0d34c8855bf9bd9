// Twins: PUT (document shape, metadata, validation, limits, If-None-Match), GET, DELETE.
#include "common/clock.h"
#include "common/json_writer.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

namespace json = boost::json;

const char kT0[] = "2023-05-18T23:08:19.7086397Z";

class TwinOperationsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
  }
};

TEST_F(TwinOperationsTest, PutStoresTheAdtDocument) {
  Result<Document> put = PutTwin("r1", R"({
    "$metadata": {"$model": "dtmi:test:Room;1",
                  "temperature": {"sourceTime": "2023-01-01T00:00:00.123456789Z"}},
    "temperature": 21.5,
    "thermostat": {"$metadata": {"setpoint": {"lastUpdateTime": "1999-01-01T00:00:00Z"}},
                   "setpoint": 20}})");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_TRUE(put->etag.starts_with("W/\"")) << put->etag;
  const std::string expected =
      R"({"$dtId":"r1","$etag":)" + WriteJson(json::value(put->etag)) +
      R"(,"temperature":21.5,"thermostat":{"setpoint":20,"$metadata":{"$lastUpdateTime":")" + kT0 +
      R"(","setpoint":{"lastUpdateTime":")" + kT0 +
      R"("}}},"$metadata":{"$model":"dtmi:test:Room;1","$lastUpdateTime":")" + kT0 +
      R"(","temperature":{"lastUpdateTime":")" + kT0 +
      R"(","sourceTime":"2023-01-01T00:00:00.123456789Z"}}})";
  EXPECT_EQ(WriteJson(put->body), expected);
  Result<Document> got = service_->GetTwin("r1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, put->body);
  EXPECT_EQ(got->etag, put->etag);
  EXPECT_EQ(data_->twins.at("r1"), expected);
  Result<SerializedDocument> serialized = service_->GetTwinJson("r1");
  ASSERT_TRUE(serialized.ok());
  EXPECT_EQ(serialized->json, expected);
  EXPECT_EQ(serialized->etag, put->etag);
  EXPECT_EQ(service_->GetTwinJson("nope").status().code(), ErrorCode::kDigitalTwinNotFound);
  // Served again (from the serialized cache) it is the same; after a write, the new state.
  EXPECT_EQ(service_->GetTwinJson("r1")->json, expected);
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "replace", "path": "/temperature", "value": 30}])").ok());
  Result<SerializedDocument> after = service_->GetTwinJson("r1");
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->json.find(R"("temperature":30)"), std::string::npos) << after->json;
  EXPECT_EQ(after->etag, service_->GetTwin("r1")->etag);
}

TEST_F(TwinOperationsTest, BodyDtIdAndEtagAreIgnoredEvenWhenNull) {
  Result<Document> put = PutTwin("r1", R"({"$dtId": null, "$etag": null,
    "$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}}})");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->body.at("$dtId"), "r1");
  Result<Document> other = PutTwin("r2", R"({"$dtId": "elsewhere", "$etag": "W/\"x\"",
    "$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}}})");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->body.at("$dtId"), "r2");
  EXPECT_NE(other->etag, "W/\"x\"");
}

TEST_F(TwinOperationsTest, InvalidBodiesCreateNothing) {
  struct Case {
    const char* body;
    ErrorCode code;
    const char* message_part;
  };
  const Case cases[] = {
      {"[]", ErrorCode::kInvalidArgument, "JSON object"},
      {R"({"temperature": 1})", ErrorCode::kValidationFailed, "$model"},
      {R"({"$metadata": {"$model": 7}})", ErrorCode::kValidationFailed, "$model"},
      {R"({"$metadata": {"$model": "dtmi:test:Nope;1"}})", ErrorCode::kValidationFailed,
       "not found"},
      {R"({"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}},
           "temperature": "hot"})",
       ErrorCode::kValidationFailed, "temperature"},
      {R"({"$metadata": {"$model": "dtmi:test:Room;1"}})", ErrorCode::kValidationFailed,
       "thermostat"},
      {R"({"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}},
           "color": "red"})",
       ErrorCode::kValidationFailed, "color"},
      {R"({"$metadata": {"$model": "dtmi:test:Room;1", "temperature": {"sourceTime": "noon"}},
           "thermostat": {"$metadata": {}}, "temperature": 1})",
       ErrorCode::kValidationFailed, "/$metadata/temperature/sourceTime"},
  };
  for (const Case& c : cases) {
    Result<Document> put = PutTwin("r1", c.body);
    EXPECT_CODE(put, c.code) << c.body;
    if (!put.ok()) {
      EXPECT_NE(put.status().message().find(c.message_part), std::string::npos)
          << put.status().message();
    }
  }
  EXPECT_CODE(service_->GetTwin("r1"), ErrorCode::kDigitalTwinNotFound);
  EXPECT_TRUE(data_->twins.empty());
}

TEST_F(TwinOperationsTest, ValidationProblemsAreDetailed) {
  Result<Document> put = PutRoom("r1", R"("temperature": "hot", "humidity": 1.5)");
  EXPECT_CODE(put, ErrorCode::kValidationFailed);
  EXPECT_EQ(put.status().details().size(), 2u);
}

TEST_F(TwinOperationsTest, DecommissionedModelsCannotBeUsed) {
  ASSERT_TRUE(UpdateModel("dtmi:test:Lamp;1",
                          R"([{"op": "replace", "path": "/decommissioned", "value": true}])")
                  .ok());
  EXPECT_CODE(PutTwin("l1", R"({"$metadata": {"$model": "dtmi:test:Lamp;1"}})"),
              ErrorCode::kModelDecommissioned);
}

TEST_F(TwinOperationsTest, StringValuesAndNamesHaveSizeLimits) {
  EXPECT_TRUE(PutRoom("r1", "\"name\": \"" + std::string(4096, 'x') + "\"").ok());
  Result<Document> long_value = PutRoom("r2", "\"name\": \"" + std::string(4097, 'x') + "\"");
  EXPECT_CODE(long_value, ErrorCode::kValidationFailed);
  EXPECT_NE(long_value.status().message().find("/name"), std::string::npos);
  Result<Document> long_key =
      PutRoom("r3", "\"tags\": {\"" + std::string(1025, 'k') + "\": \"v\"}");
  EXPECT_CODE(long_key, ErrorCode::kValidationFailed);
  EXPECT_NE(long_key.status().message().find("1 KB"), std::string::npos);
}

TEST_F(TwinOperationsTest, PutReplacesTheWholeTwin) {
  Result<Document> first = PutRoom("r1", R"("temperature": 20, "humidity": 40)");
  ASSERT_TRUE(first.ok());
  now_ += std::chrono::seconds(5);
  Result<Document> second = PutRoom("r1", R"("humidity": 41)");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(second->etag, first->etag);
  EXPECT_FALSE(second->body.contains("temperature"));
  EXPECT_FALSE(second->body.at("$metadata").as_object().contains("temperature"));
  const std::string t1 = FormatAdtTime(now_);
  EXPECT_EQ(second->body.at("$metadata").at("humidity").at("lastUpdateTime"), t1.c_str());
  EXPECT_EQ(second->body.at("$metadata").at("$lastUpdateTime"), t1.c_str());
}

TEST_F(TwinOperationsTest, IfNoneMatchStarRefusesAnExistingTwin) {
  Preconditions create_only;
  create_only.if_none_match_any = true;
  const std::string body =
      R"({"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}}})";
  ASSERT_TRUE(PutTwin("r1", body, create_only).ok());
  Result<Document> again = PutTwin("r1", body, create_only);
  EXPECT_CODE(again, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(again.status().message(),
            "If-None-Match: * header was specified but a twin with the id r1 was found. Please "
            "specify a different twin id.");
}

TEST_F(TwinOperationsTest, MissingTwinsAreNotFoundWithAdtsMessage) {
  Result<Document> got = service_->GetTwin("ghost");
  EXPECT_CODE(got, ErrorCode::kDigitalTwinNotFound);
  EXPECT_EQ(got.status().message(),
            "There is no digital twin instance that exists with the ID ghost. Please verify that "
            "the twin id is valid and ensure that the twin is not deleted. See section on "
            "querying the twins https://aka.ms/adtv2query.");
  EXPECT_CODE(PatchTwin("ghost", "[]"), ErrorCode::kDigitalTwinNotFound);
  EXPECT_CODE(DeleteTwin("ghost"), ErrorCode::kDigitalTwinNotFound);
}

TEST_F(TwinOperationsTest, DeleteHonoursIfMatch) {
  Result<Document> put = PutRoom("r1");
  ASSERT_TRUE(put.ok());
  Preconditions stale;
  stale.if_match = "W/\"00000000-0000-0000-0000-000000000000\"";
  EXPECT_CODE(DeleteTwin("r1", stale), ErrorCode::kPreconditionFailed);
  Preconditions current;
  current.if_match = put->etag;
  EXPECT_TRUE(DeleteTwin("r1", current).ok());
  EXPECT_CODE(service_->GetTwin("r1"), ErrorCode::kDigitalTwinNotFound);
  EXPECT_FALSE(data_->twins.contains("r1"));

  ASSERT_TRUE(PutRoom("r2").ok());
  Preconditions any;
  any.if_match = "*";
  EXPECT_TRUE(DeleteTwin("r2", any).ok());
}

TEST_F(TwinOperationsTest, IfMatchComparesEtagsWeakly) {
  Result<Document> put = PutRoom("r1");
  ASSERT_TRUE(put.ok());
  Preconditions strong;
  strong.if_match = put->etag.substr(2);  // "\"<uuid>\"" without W/
  EXPECT_TRUE(DeleteTwin("r1", strong).ok());
}

TEST_F(TwinOperationsTest, TwinsWithRelationshipsCannotBeDeleted) {
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_TRUE(PutRoom("r2").ok());
  ASSERT_TRUE(
      PutRelationship("r1", "a", R"({"$targetId": "r2", "$relationshipName": "adjacentTo"})").ok());
  Status outgoing = DeleteTwin("r1");
  EXPECT_CODE(outgoing, ErrorCode::kRelationshipsNotDeleted);
  EXPECT_NE(outgoing.message().find("1 outgoing"), std::string::npos) << outgoing.message();
  Status incoming = DeleteTwin("r2");
  EXPECT_CODE(incoming, ErrorCode::kRelationshipsNotDeleted);
  EXPECT_NE(incoming.message().find("1 incoming"), std::string::npos) << incoming.message();
  ASSERT_TRUE(DeleteRelationship("r1", "a").ok());
  EXPECT_TRUE(DeleteTwin("r1").ok());
  EXPECT_TRUE(DeleteTwin("r2").ok());
}

TEST_F(TwinOperationsTest, TwinsOfADeletedModelStayReadableAndDeletable) {
  ASSERT_TRUE(PutTwin("l1", R"({"$metadata": {"$model": "dtmi:test:Lamp;1"}, "on": true})").ok());
  ASSERT_TRUE(DeleteModel("dtmi:test:Lamp;1").ok());
  Result<Document> got = service_->GetTwin("l1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body.at("on"), true);
  // PUT gives it a model again.
  ASSERT_TRUE(
      PutTwin("l1", R"({"$metadata": {"$model": "dtmi:test:Sensor;1"}, "reading": 1})").ok());
  EXPECT_TRUE(DeleteTwin("l1").ok());
}

}  // namespace
}  // namespace dtwin::service
