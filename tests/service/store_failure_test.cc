// The write pipeline: completions run once the batch is durable, rejections at once, a
// failed commit leaves the instance read-only, and concurrent writes reach the store in the
// order they were applied.
#include <atomic>
#include <thread>

#include "common/json_writer.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

class StoreFailureTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    ASSERT_TRUE(PutRoom("r1").ok());
  }
};

TEST_F(StoreFailureTest, CompletionRunsOnlyOnceTheBatchIsDurable) {
  std::optional<Result<std::string>> result;
  service_->PatchTwin("r1", Json(R"([{"op": "add", "path": "/humidity", "value": 3}])"), {},
                      [&](Result<std::string> etag) { result.emplace(std::move(etag)); });
  EXPECT_FALSE(result.has_value());
  EXPECT_EQ(store_->pending(), 1u);
  store_->Flush();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->ok());
  EXPECT_NE(data_->twins.at("r1").find("\"humidity\":3"), std::string::npos);
}

TEST_F(StoreFailureTest, RejectionsCompleteAtOnceAndQueueNothing) {
  std::optional<Status> result;
  service_->DeleteTwin("ghost", {}, [&](Status status) { result.emplace(std::move(status)); });
  ASSERT_TRUE(result.has_value());
  EXPECT_CODE(*result, ErrorCode::kDigitalTwinNotFound);
  EXPECT_EQ(store_->pending(), 0u);
}

TEST_F(StoreFailureTest, AFailedCommitMakesTheInstanceReadOnly) {
  store_->FailNextCommit(Status(ErrorCode::kInternal, "disk I/O error"));
  Result<Document> failed = PutRoom("r2");
  EXPECT_CODE(failed, ErrorCode::kInternal);
  Status health = service_->health();
  EXPECT_CODE(health, ErrorCode::kServiceUnavailable);
  EXPECT_NE(health.message().find("disk I/O error"), std::string::npos) << health.message();

  // Every write is refused at once, naming the cause.
  std::vector<Status> refusals;
  auto collect = [&](Status status) { refusals.push_back(std::move(status)); };
  const boost::json::value room =
      Json(R"({"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}}})");
  service_->PutTwin("r3", room, {}, [&](Result<Document> r) { collect(r.status()); });
  service_->PatchTwin("r1", Json("[]"), {}, [&](Result<std::string> r) { collect(r.status()); });
  service_->DeleteTwin("r1", {}, collect);
  service_->AddModels(Json(R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:A;1",
    "@type": "Interface"}])"),
                      [&](Result<std::vector<ModelInfo>> r) { collect(r.status()); });
  service_->DeleteModel("dtmi:test:Lamp;1", collect);
  service_->PutEventRoute("x", Json(R"({"endpointName": "hub", "filter": "true"})"), collect);
  ASSERT_EQ(refusals.size(), 6u);
  for (const Status& refusal : refusals) {
    EXPECT_CODE(refusal, ErrorCode::kServiceUnavailable);
    EXPECT_NE(refusal.message().find("disk I/O error"), std::string::npos) << refusal.message();
  }
  EXPECT_EQ(store_->pending(), 0u);

  // Reads keep working.
  EXPECT_TRUE(service_->GetTwin("r1").ok());
  EXPECT_TRUE(service_->GetModel("dtmi:test:Lamp;1", false).ok());
  EXPECT_EQ(service_->ListModels({}, false, {})->items.size(), 7u);
}

TEST_F(StoreFailureTest, ConcurrentWritesReachTheStoreInTheOrderTheyWereApplied) {
  // Every patch adds one more key to the twin's tags, so in the order the patches were
  // applied each document has one key more than the one before: the store must see them so.
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "add", "path": "/tags", "value": {}}])").ok());
  data_->twin_writes.clear();
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 100;
  std::atomic<int> succeeded{0};
  std::atomic<bool> writing{true};
  store_->set_commit_delay(std::chrono::microseconds(20));
  std::thread flusher([&] {
    while (writing) store_->Flush();
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const std::string patch = R"([{"op": "add", "path": "/tags/k)" + std::to_string(t) + "_" +
                                  std::to_string(i) + R"(", "value": "v"}])";
        service_->PatchTwin("r1", Json(patch), {}, [&](Result<std::string> etag) {
          if (etag.ok()) ++succeeded;
        });
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  writing = false;
  flusher.join();
  store_->Flush();
  EXPECT_EQ(succeeded, kThreads * kWritesPerThread);
  ASSERT_EQ(data_->twin_writes.size(), static_cast<size_t>(kThreads * kWritesPerThread));
  for (size_t i = 0; i < data_->twin_writes.size(); ++i) {
    ASSERT_EQ(Json(data_->twin_writes[i]).at("tags").as_object().size(), i + 1) << "write " << i;
  }
  EXPECT_EQ(data_->twins.at("r1"), WriteJson(service_->GetTwin("r1")->body));
}

}  // namespace
}  // namespace dtwin::service
