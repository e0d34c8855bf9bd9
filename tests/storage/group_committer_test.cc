#include "storage/group_committer.h"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

namespace dtwin::storage {
namespace {

WriteBatch BatchWithKey(const std::string& key) {
  return WriteBatch{{Mutation{Mutation::Kind::kPutTwin, key, "", "{}"}}};
}

// An apply function that records each group (as the keys of its batches) and holds the
// first group until Release(), so a test can queue more work behind it.
class RecordingApply {
 public:
  GroupCommitter::ApplyGroup Function() {
    return [this](const std::vector<WriteBatch>& group) {
      std::vector<std::string> keys;
      for (const WriteBatch& batch : group) keys.push_back(batch.mutations[0].key);
      groups_.push_back(keys);
      if (groups_.size() == 1) {
        entered_.set_value();
        released_.wait();
      }
      return groups_.size() == fail_group_ ? Status(ErrorCode::kServiceUnavailable, "disk gone")
                                           : Status::Ok();
    };
  }
  void WaitUntilFirstGroupIsApplying() { entered_.get_future().wait(); }
  void Release() { release_.set_value(); }
  void FailGroup(size_t number) { fail_group_ = number; }
  // Read after Flush (which orders it after the committer's writes).
  const std::vector<std::vector<std::string>>& groups() const { return groups_; }

 private:
  std::promise<void> entered_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  size_t fail_group_ = 0;  // 1-based; 0 = never
  std::vector<std::vector<std::string>> groups_;
};

TEST(GroupCommitterTest, GroupsEverythingQueuedUpToTheLimitInOrder) {
  RecordingApply apply;
  GroupCommitter committer(apply.Function(), 2);
  std::vector<Status> results(6, Status(ErrorCode::kInternal, "not called"));
  for (int i = 0; i < 6; ++i) {
    committer.Commit(BatchWithKey(std::to_string(i)), [&results, i](Status s) { results[i] = s; });
    if (i == 0) apply.WaitUntilFirstGroupIsApplying();
  }
  apply.Release();
  committer.Flush();
  std::vector<std::vector<std::string>> expected = {{"0"}, {"1", "2"}, {"3", "4"}, {"5"}};
  EXPECT_EQ(apply.groups(), expected);
  for (const Status& result : results) EXPECT_TRUE(result.ok()) << result.ToString();
  EXPECT_TRUE(committer.health().ok());
}

TEST(GroupCommitterTest, ZeroLimitCommitsOneBatchPerGroup) {
  RecordingApply apply;
  GroupCommitter committer(apply.Function(), 0);
  committer.Commit(BatchWithKey("a"), [](Status) {});
  apply.WaitUntilFirstGroupIsApplying();
  committer.Commit(BatchWithKey("b"), [](Status) {});
  committer.Commit(BatchWithKey("c"), [](Status) {});
  apply.Release();
  committer.Flush();
  std::vector<std::vector<std::string>> expected = {{"a"}, {"b"}, {"c"}};
  EXPECT_EQ(apply.groups(), expected);
}

TEST(GroupCommitterTest, FailedGroupFailsEachOfItsBatchesAndLatches) {
  RecordingApply apply;
  apply.FailGroup(2);
  GroupCommitter committer(apply.Function(), 10);
  std::vector<Status> results;
  int calls = 0;
  auto record = [&](Status s) {
    ++calls;
    results.push_back(std::move(s));
  };
  committer.Commit(BatchWithKey("ok"), record);
  apply.WaitUntilFirstGroupIsApplying();
  committer.Commit(BatchWithKey("x"), record);
  committer.Commit(BatchWithKey("y"), record);
  committer.Commit(BatchWithKey("z"), record);
  apply.Release();
  committer.Flush();
  ASSERT_EQ(calls, 4);
  EXPECT_TRUE(results[0].ok());
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(results[i].code(), ErrorCode::kServiceUnavailable);
    EXPECT_EQ(results[i].message(), "disk gone");
  }
  EXPECT_EQ(committer.health().message(), "disk gone");

  // Latched: a later batch fails with the original error and is never applied.
  committer.Commit(BatchWithKey("later"), record);
  committer.Flush();
  ASSERT_EQ(calls, 5);
  EXPECT_EQ(results[4].code(), ErrorCode::kServiceUnavailable);
  EXPECT_EQ(results[4].message(), "disk gone");
  EXPECT_EQ(apply.groups().size(), 2u);
}

TEST(GroupCommitterTest, HealthIsLatchedBeforeTheFailedCallbacksRun) {
  RecordingApply apply;
  apply.FailGroup(1);
  GroupCommitter committer(apply.Function(), 10);
  Status health_seen_in_callback;
  committer.Commit(BatchWithKey("a"),
                   [&](Status) { health_seen_in_callback = committer.health(); });
  apply.Release();
  committer.Flush();
  EXPECT_EQ(health_seen_in_callback.message(), "disk gone");
}

TEST(GroupCommitterTest, DestructorRunsEveryQueuedCallback) {
  RecordingApply apply;
  int calls = 0;
  {
    GroupCommitter committer(apply.Function(), 1);
    committer.Commit(BatchWithKey("a"), [&](Status) { ++calls; });
    apply.WaitUntilFirstGroupIsApplying();
    committer.Commit(BatchWithKey("b"), [&](Status) { ++calls; });
    committer.Commit(BatchWithKey("c"), [&](Status) { ++calls; });
    apply.Release();
  }
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(apply.groups().size(), 3u);
}

}  // namespace
}  // namespace dtwin::storage
