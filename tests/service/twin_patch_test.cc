// PATCH of twins: writable paths, metadata timestamps, sourceTime, atomicity, migration to
// another model, and twins whose model was deleted.
#include "common/clock.h"
#include "common/json_writer.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

namespace json = boost::json;

class TwinPatchTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    Result<Document> put = PutRoom("r1", R"("temperature": 20, "humidity": 40)");
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    t0_ = FormatAdtTime(now_);
    now_ += std::chrono::seconds(3);
    t1_ = FormatAdtTime(now_);
  }

  json::object Twin() { return service_->GetTwin("r1")->body; }
  json::value Metadata(std::string_view property) { return Twin().at("$metadata").at(property); }

  std::string t0_;
  std::string t1_;
};

TEST_F(TwinPatchTest, ReplaceUpdatesTheValueTheEtagAndOnlyTouchedTimestamps) {
  const std::string old_etag = service_->GetTwin("r1")->etag;
  Result<std::string> etag =
      PatchTwin("r1", R"([{"op": "replace", "path": "/temperature", "value": 22.5}])");
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  Result<Document> twin = service_->GetTwin("r1");
  EXPECT_EQ(twin->etag, *etag);
  EXPECT_NE(*etag, old_etag);
  EXPECT_EQ(twin->body.at("$etag"), etag->c_str());
  EXPECT_EQ(twin->body.at("temperature"), 22.5);
  EXPECT_EQ(Metadata("temperature").at("lastUpdateTime"), t1_.c_str());
  EXPECT_EQ(Metadata("humidity").at("lastUpdateTime"), t0_.c_str());
  EXPECT_EQ(Metadata("$lastUpdateTime"), t1_.c_str());
  // The component was not touched.
  EXPECT_EQ(twin->body.at("thermostat").at("$metadata").at("$lastUpdateTime"), t0_.c_str());
  EXPECT_EQ(data_->twins.at("r1"), WriteJson(twin->body));
}

TEST_F(TwinPatchTest, SubPropertiesNeedTheirParent) {
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "add", "path": "/info/wing", "value": "east"}])"),
              ErrorCode::kJsonPatchInvalid);
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "add", "path": "/info", "value": {"floor": 1}}])").ok());
  now_ += std::chrono::seconds(1);
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "add", "path": "/info/wing", "value": "east"}])").ok());
  EXPECT_EQ(Twin().at("info"), Json(R"({"floor": 1, "wing": "east"})"));
  EXPECT_EQ(Metadata("info").at("lastUpdateTime"), FormatAdtTime(now_).c_str());
}

TEST_F(TwinPatchTest, RemoveDropsThePropertysMetadata) {
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "remove", "path": "/humidity"}])").ok());
  EXPECT_FALSE(Twin().contains("humidity"));
  EXPECT_FALSE(Twin().at("$metadata").as_object().contains("humidity"));
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "remove", "path": "/humidity"}])"),
              ErrorCode::kJsonPatchInvalid);
}

TEST_F(TwinPatchTest, ComponentPropertiesStampTheComponent) {
  ASSERT_TRUE(
      PatchTwin("r1", R"([{"op": "add", "path": "/thermostat/setpoint", "value": 19}])").ok());
  const json::value component = Twin().at("thermostat");
  EXPECT_EQ(component.at("setpoint"), 19);
  EXPECT_EQ(component.at("$metadata").at("$lastUpdateTime"), t1_.c_str());
  EXPECT_EQ(component.at("$metadata").at("setpoint").at("lastUpdateTime"), t1_.c_str());
}

TEST_F(TwinPatchTest, SourceTimeIsWritableAndKept) {
  ASSERT_TRUE(PatchTwin("r1", R"([
    {"op": "replace", "path": "/temperature", "value": 21},
    {"op": "replace", "path": "/$metadata/temperature/sourceTime", "value": "2022-05-31T12:00:00.000125009Z"},
    {"op": "add", "path": "/thermostat/mode", "value": "eco"},
    {"op": "add", "path": "/thermostat/$metadata/mode/sourceTime", "value": "2022-05-31T12:00:00Z"}
  ])")
                  .ok());
  EXPECT_EQ(Metadata("temperature"), Json(R"({"lastUpdateTime": ")" + t1_ +
                                          R"(", "sourceTime": "2022-05-31T12:00:00.000125009Z"})"));
  EXPECT_EQ(Twin().at("thermostat").at("$metadata").at("mode").at("sourceTime"),
            "2022-05-31T12:00:00Z");
  // A later write of the value keeps the sourceTime.
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "replace", "path": "/temperature", "value": 22}])").ok());
  EXPECT_EQ(Metadata("temperature").at("sourceTime"), "2022-05-31T12:00:00.000125009Z");
}

TEST_F(TwinPatchTest, SourceTimeMustBeADateTimeOfASetProperty) {
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "add", "path": "/$metadata/temperature/sourceTime",
                                   "value": "yesterday"}])"),
              ErrorCode::kValidationFailed);
  Result<std::string> unset = PatchTwin(
      "r1",
      R"([{"op": "add", "path": "/$metadata/name/sourceTime", "value": "2022-05-31T12:00:00Z"}])");
  EXPECT_CODE(unset, ErrorCode::kValidationFailed);
  EXPECT_NE(unset.status().message().find("'name' has no value"), std::string::npos)
      << unset.status().message();
}

TEST_F(TwinPatchTest, SystemPathsAreNotWritable) {
  const std::string before = data_->twins.at("r1");
  for (
      const char* patch : {
          R"([{"op": "replace", "path": "/$dtId", "value": "x"}])",
          R"([{"op": "replace", "path": "/$etag", "value": "x"}])",
          R"([{"op": "replace", "path": "/$metadata/$lastUpdateTime", "value": "2022-05-31T12:00:00Z"}])",
          R"([{"op": "replace", "path": "/$metadata/temperature/lastUpdateTime", "value": "2022-05-31T12:00:00Z"}])",
          R"([{"op": "replace", "path": "/$metadata", "value": {}}])",
          R"([{"op": "add", "path": "/$metadata/$model", "value": "dtmi:test:Room;2"}])",
          R"([{"op": "replace", "path": "/thermostat/$metadata/$lastUpdateTime", "value": "x"}])",
          R"([{"op": "replace", "path": "", "value": {}}])",
          R"([{"op": "move", "from": "/temperature", "path": "/humidity"}])",
      }) {
    EXPECT_CODE(PatchTwin("r1", patch), ErrorCode::kJsonPatchInvalid) << patch;
  }
  EXPECT_EQ(data_->twins.at("r1"), before);
}

TEST_F(TwinPatchTest, APatchAppliesWhollyOrNotAtAll) {
  const Document before = *service_->GetTwin("r1");
  const size_t batches = data_->committed_batches;
  Result<std::string> patched = PatchTwin("r1", R"([
    {"op": "replace", "path": "/temperature", "value": 30},
    {"op": "replace", "path": "/humidity", "value": "damp"}])");
  EXPECT_CODE(patched, ErrorCode::kValidationFailed);
  EXPECT_NE(patched.status().message().find("humidity"), std::string::npos);
  Result<std::string> missing = PatchTwin("r1", R"([
    {"op": "replace", "path": "/temperature", "value": 30},
    {"op": "replace", "path": "/name", "value": "never set"}])");
  EXPECT_CODE(missing, ErrorCode::kJsonPatchInvalid);
  const Document after = *service_->GetTwin("r1");
  EXPECT_EQ(after.body, before.body);
  EXPECT_EQ(after.etag, before.etag);
  EXPECT_EQ(data_->committed_batches, batches);
}

TEST_F(TwinPatchTest, IfMatchMustHoldTheCurrentEtag) {
  const std::string etag = service_->GetTwin("r1")->etag;
  Preconditions stale;
  stale.if_match = "W/\"stale\"";
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "remove", "path": "/humidity"}])", stale),
              ErrorCode::kPreconditionFailed);
  Preconditions current;
  current.if_match = etag;
  EXPECT_TRUE(PatchTwin("r1", R"([{"op": "remove", "path": "/humidity"}])", current).ok());
  // The etag changed: the same precondition now fails.
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "remove", "path": "/temperature"}])", current),
              ErrorCode::kPreconditionFailed);
}

TEST_F(TwinPatchTest, ReplacingTheModelMigratesAndValidatesAgainstTheNewModel) {
  // humidity is not in Room;2: the migration must remove it in the same patch.
  Result<std::string> incomplete = PatchTwin("r1", R"([
    {"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Room;2"}])");
  EXPECT_CODE(incomplete, ErrorCode::kValidationFailed);
  EXPECT_NE(incomplete.status().message().find("humidity"), std::string::npos);
  EXPECT_EQ(Metadata("$model"), "dtmi:test:Room;1");

  ASSERT_TRUE(PatchTwin("r1", R"([
    {"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Room;2"},
    {"op": "remove", "path": "/humidity"},
    {"op": "add", "path": "/occupancy", "value": 3}])")
                  .ok());
  EXPECT_EQ(Metadata("$model"), "dtmi:test:Room;2");
  EXPECT_EQ(Metadata("occupancy").at("lastUpdateTime"), t1_.c_str());
  EXPECT_EQ(Metadata("temperature").at("lastUpdateTime"), t0_.c_str());
  // The new model is in force: Room;1's properties are refused now.
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "add", "path": "/humidity", "value": 1}])"),
              ErrorCode::kValidationFailed);
}

TEST_F(TwinPatchTest, MigrationCanDropAndAddComponents) {
  ASSERT_TRUE(PatchTwin("r1", R"([
    {"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Lamp;1"},
    {"op": "remove", "path": "/thermostat"},
    {"op": "remove", "path": "/temperature"},
    {"op": "remove", "path": "/humidity"},
    {"op": "add", "path": "/on", "value": true}])")
                  .ok());
  // Back to a model with a component: it is added whole and stamped.
  ASSERT_TRUE(PatchTwin("r1", R"([
    {"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Room;2"},
    {"op": "remove", "path": "/on"},
    {"op": "add", "path": "/thermostat", "value": {"$metadata": {}, "mode": "eco"}}])")
                  .ok());
  EXPECT_EQ(Twin().at("thermostat"),
            Json(R"({"mode": "eco", "$metadata": {"$lastUpdateTime": ")" + t1_ +
                 R"(", "mode": {"lastUpdateTime": ")" + t1_ + R"("}}})"));
}

TEST_F(TwinPatchTest, MigrationTargetsMustExistAndBeInService) {
  EXPECT_CODE(
      PatchTwin("r1",
                R"([{"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Nope;1"}])"),
      ErrorCode::kValidationFailed);
  EXPECT_CODE(PatchTwin("r1", R"([{"op": "replace", "path": "/$metadata/$model", "value": 5}])"),
              ErrorCode::kJsonPatchInvalid);
  ASSERT_TRUE(UpdateModel("dtmi:test:Room;2",
                          R"([{"op": "replace", "path": "/decommissioned", "value": true}])")
                  .ok());
  EXPECT_CODE(PatchTwin("r1", R"([
    {"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Room;2"},
    {"op": "remove", "path": "/humidity"}])"),
              ErrorCode::kModelDecommissioned);
  // Twins of a decommissioned model can still be patched.
  ASSERT_TRUE(UpdateModel("dtmi:test:Room;1",
                          R"([{"op": "replace", "path": "/decommissioned", "value": true}])")
                  .ok());
  EXPECT_TRUE(PatchTwin("r1", R"([{"op": "replace", "path": "/humidity", "value": 1}])").ok());
}

TEST_F(TwinPatchTest, TwinsOfADeletedModelCanOnlyBeMigrated) {
  ASSERT_TRUE(PutTwin("l1", R"({"$metadata": {"$model": "dtmi:test:Lamp;1"}, "on": true})").ok());
  ASSERT_TRUE(DeleteModel("dtmi:test:Lamp;1").ok());
  Result<std::string> edit =
      PatchTwin("l1", R"([{"op": "replace", "path": "/on", "value": false}])");
  EXPECT_CODE(edit, ErrorCode::kValidationFailed);
  EXPECT_NE(edit.status().message().find("was deleted"), std::string::npos)
      << edit.status().message();
  EXPECT_TRUE(PatchTwin("l1", R"([
    {"op": "replace", "path": "/$metadata/$model", "value": "dtmi:test:Space;1"},
    {"op": "remove", "path": "/on"},
    {"op": "add", "path": "/name", "value": "hall"}])")
                  .ok());
  EXPECT_EQ(service_->GetTwin("l1")->body.at("$metadata").at("$model"), "dtmi:test:Space;1");
}

}  // namespace
}  // namespace dtwin::service
