// The fixture of the service tests: a DigitalTwinsService over a FakeStore with a fixed,
// settable clock; synchronous wrappers of the asynchronous writes (each flushes the store,
// so a write completes as it would once durable); and a small set of test models.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fake_store.h"
#include "service/digital_twins_service.h"

namespace dtwin::service {

// The models of the tests (DTDL v3):
//   Space;1      property name (string); relationship adjacentTo (any target)
//   Room;1       extends Space; temperature (double), humidity (integer), info (Object
//                {floor: integer, wing: string}), tags (Map of string); component
//                thermostat (Thermostat;1); relationship hasSensor -> Sensor;1 with
//                property weight (double)
//   Thermostat;1 setpoint (double), mode (string)
//   Sensor;1     reading (double)
//   Floor;1      extends Space; relationship contains -> Space;1
//   Room;2       extends Space; temperature (double), occupancy (integer); component
//                thermostat (Thermostat;1)
//   Lamp;1       on (boolean); no components
extern const char kTestModels[];

// A fixed instant with a full 7-digit fraction: 2023-05-18T23:08:19.7086397Z.
std::chrono::system_clock::time_point TestEpoch();

boost::json::value Json(std::string_view text);

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Options of every service the fixture starts; tests may change them before Restart().
  ServiceOptions options_;
  // Replaces the service with a new one over the same stored data (and options_).
  void Restart();

  void UploadTestModels();
  // A Room;1 twin with its (empty) thermostat component, plus extra members (JSON object
  // members text, e.g. "\"temperature\": 21").
  Result<Document> PutRoom(std::string_view id, std::string_view extra = "");

  // ---- synchronous wrappers ----
  Result<std::vector<ModelInfo>> AddModels(std::string_view json);
  Status UpdateModel(std::string_view id, std::string_view patch);
  Status DeleteModel(std::string_view id);
  Result<Document> PutTwin(std::string_view id, std::string_view json, Preconditions pre = {});
  Result<std::string> PatchTwin(std::string_view id, std::string_view patch,
                                Preconditions pre = {});
  Status DeleteTwin(std::string_view id, Preconditions pre = {});
  Result<std::string> PatchComponent(std::string_view id, std::string_view component,
                                     std::string_view patch, Preconditions pre = {});
  Result<Document> PutRelationship(std::string_view source, std::string_view id,
                                   std::string_view json, Preconditions pre = {});
  Result<std::string> PatchRelationship(std::string_view source, std::string_view id,
                                        std::string_view patch, Preconditions pre = {});
  Status DeleteRelationship(std::string_view source, std::string_view id, Preconditions pre = {});
  Status SendTelemetry(std::string_view id, std::string_view component, std::string_view json,
                       std::string_view message_id = "m1");
  Status PutRoute(std::string_view id, std::string_view json);
  Status DeleteRoute(std::string_view id);

  // Runs start(done), flushes the store, and returns what done received.
  template <typename T, typename Start>
  Result<T> Await(Start start) {
    std::optional<Result<T>> result;
    start([&](Result<T> value) { result.emplace(std::move(value)); });
    store_->Flush();
    if (!result) return Status(ErrorCode::kInternal, "the completion never ran");
    return std::move(*result);
  }
  template <typename Start>
  Status AwaitStatus(Start start) {
    std::optional<Status> result;
    start([&](Status status) { result.emplace(std::move(status)); });
    store_->Flush();
    if (!result) return Status(ErrorCode::kInternal, "the completion never ran");
    return std::move(*result);
  }

  std::chrono::system_clock::time_point now_ = TestEpoch();
  std::shared_ptr<FakeStoreData> data_ = std::make_shared<FakeStoreData>();
  FakeStore* store_ = nullptr;  // owned by service_
  std::unique_ptr<DigitalTwinsService> service_;
};

// Checks a Status/Result code with its message in the failure output.
#define EXPECT_CODE(result_or_status, expected_code)                   \
  EXPECT_EQ(::dtwin::service::CodeOf(result_or_status), expected_code) \
      << ::dtwin::service::MessageOf(result_or_status)

inline ErrorCode CodeOf(const Status& status) { return status.code(); }
template <typename T>
ErrorCode CodeOf(const Result<T>& result) {
  return result.ok() ? ErrorCode::kOk : result.status().code();
}
inline std::string MessageOf(const Status& status) { return status.ToString(); }
template <typename T>
std::string MessageOf(const Result<T>& result) {
  return result.ok() ? "OK" : result.status().ToString();
}

}  // namespace dtwin::service
