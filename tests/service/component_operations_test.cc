// Components: GET with the twin's etag, PATCH with paths relative to the component.
#include "common/clock.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

class ComponentOperationsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    ASSERT_TRUE(PutTwin("r1", R"({"$metadata": {"$model": "dtmi:test:Room;1"},
                                  "thermostat": {"$metadata": {}, "setpoint": 20}})")
                    .ok());
  }
};

TEST_F(ComponentOperationsTest, GetReturnsTheComponentWithTheTwinsEtag) {
  Result<Document> component = service_->GetComponent("r1", "thermostat");
  ASSERT_TRUE(component.ok()) << component.status().ToString();
  EXPECT_EQ(component->etag, service_->GetTwin("r1")->etag);
  EXPECT_EQ(component->body.at("setpoint"), 20);
  EXPECT_TRUE(component->body.at("$metadata").as_object().contains("$lastUpdateTime"));
  EXPECT_FALSE(component->body.contains("$dtId"));
}

TEST_F(ComponentOperationsTest, OnlyComponentsOfTheModelAreFound) {
  EXPECT_CODE(service_->GetComponent("r1", "heater"), ErrorCode::kComponentNotFound);
  EXPECT_CODE(service_->GetComponent("r1", "temperature"), ErrorCode::kComponentNotFound);
  EXPECT_CODE(service_->GetComponent("r1", "$metadata"), ErrorCode::kComponentNotFound);
  EXPECT_CODE(service_->GetComponent("ghost", "thermostat"), ErrorCode::kDigitalTwinNotFound);
  EXPECT_CODE(PatchComponent("r1", "heater", "[]"), ErrorCode::kComponentNotFound);
  EXPECT_CODE(PatchComponent("ghost", "thermostat", "[]"), ErrorCode::kDigitalTwinNotFound);
}

TEST_F(ComponentOperationsTest, PatchPathsAreRelativeToTheComponent) {
  now_ += std::chrono::seconds(1);
  const std::string t1 = FormatAdtTime(now_);
  Result<std::string> etag = PatchComponent("r1", "thermostat", R"([
    {"op": "replace", "path": "/setpoint", "value": 18.5},
    {"op": "add", "path": "/$metadata/setpoint/sourceTime", "value": "2024-02-01T00:00:00Z"}])");
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  Result<Document> twin = service_->GetTwin("r1");
  EXPECT_EQ(twin->etag, *etag);
  const boost::json::value& component = twin->body.at("thermostat");
  EXPECT_EQ(component.at("setpoint"), 18.5);
  EXPECT_EQ(component.at("$metadata").at("setpoint"),
            Json(R"({"lastUpdateTime": ")" + t1 + R"(", "sourceTime": "2024-02-01T00:00:00Z"})"));
  EXPECT_EQ(component.at("$metadata").at("$lastUpdateTime"), t1.c_str());
  EXPECT_EQ(twin->body.at("$metadata").at("$lastUpdateTime"), t1.c_str());
}

TEST_F(ComponentOperationsTest, PatchIsValidatedAgainstTheComponentsInterface) {
  const std::string etag = service_->GetTwin("r1")->etag;
  Result<std::string> wrong_type = PatchComponent(
      "r1", "thermostat", R"([{"op": "replace", "path": "/setpoint", "value": "warm"}])");
  EXPECT_CODE(wrong_type, ErrorCode::kValidationFailed);
  EXPECT_CODE(
      PatchComponent("r1", "thermostat", R"([{"op": "add", "path": "/temperature", "value": 1}])"),
      ErrorCode::kValidationFailed);
  Result<std::string> model = PatchComponent(
      "r1", "thermostat",
      R"([{"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Lamp;1"}])");
  EXPECT_CODE(model, ErrorCode::kJsonPatchInvalid);
  // Messages quote the path as the client sent it.
  EXPECT_NE(model.status().message().find("(replace /$metadata/$model)"), std::string::npos)
      << model.status().message();
  EXPECT_EQ(service_->GetTwin("r1")->etag, etag);
}

TEST_F(ComponentOperationsTest, PatchHonoursIfMatch) {
  Preconditions stale;
  stale.if_match = "W/\"stale\"";
  EXPECT_CODE(
      PatchComponent("r1", "thermostat", R"([{"op": "remove", "path": "/setpoint"}])", stale),
      ErrorCode::kPreconditionFailed);
  Preconditions current;
  current.if_match = service_->GetTwin("r1")->etag;
  EXPECT_TRUE(
      PatchComponent("r1", "thermostat", R"([{"op": "remove", "path": "/setpoint"}])", current)
          .ok());
  EXPECT_FALSE(service_->GetTwin("r1")
                   ->body.at("thermostat")
                   .at("$metadata")
                   .as_object()
                   .contains("setpoint"));
}

}  // namespace
}  // namespace dtwin::service
