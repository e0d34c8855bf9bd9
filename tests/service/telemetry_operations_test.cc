// Telemetry: target checks only; nothing is stored.
#include "service_test_base.h"

namespace dtwin::service {
namespace {

class TelemetryOperationsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    ASSERT_TRUE(PutRoom("r1").ok());
  }
};

TEST_F(TelemetryOperationsTest, AcceptedTelemetryChangesNothing) {
  const Document before = *service_->GetTwin("r1");
  const size_t batches = data_->committed_batches;
  EXPECT_TRUE(SendTelemetry("r1", "", R"({"temperature": 21})").ok());
  EXPECT_TRUE(SendTelemetry("r1", "thermostat", R"({"anything": [1, 2]})").ok());
  // The JS SDK sends a JSON string as the body of component telemetry.
  EXPECT_TRUE(SendTelemetry("r1", "thermostat", R"("msg-js-2")").ok());
  EXPECT_EQ(data_->committed_batches, batches);
  EXPECT_EQ(store_->pending(), 0u);
  EXPECT_EQ(service_->GetTwin("r1")->etag, before.etag);
}

TEST_F(TelemetryOperationsTest, TargetAndMessageIdAreChecked) {
  EXPECT_CODE(SendTelemetry("ghost", "", "{}"), ErrorCode::kDigitalTwinNotFound);
  EXPECT_CODE(SendTelemetry("r1", "heater", "{}"), ErrorCode::kComponentNotFound);
  EXPECT_CODE(SendTelemetry("r1", "temperature", "{}"), ErrorCode::kComponentNotFound);
  Status no_id = SendTelemetry("r1", "", "{}", "");
  EXPECT_CODE(no_id, ErrorCode::kInvalidArgument);
  EXPECT_NE(no_id.message().find("Message-Id"), std::string::npos);
}

TEST_F(TelemetryOperationsTest, ModelLessTwinsAcceptTelemetryForTheirComponents) {
  ASSERT_TRUE(DeleteModel("dtmi:test:Room;1").ok());
  EXPECT_TRUE(SendTelemetry("r1", "thermostat", "{}").ok());
  EXPECT_CODE(SendTelemetry("r1", "heater", "{}"), ErrorCode::kComponentNotFound);
}

}  // namespace
}  // namespace dtwin::service
