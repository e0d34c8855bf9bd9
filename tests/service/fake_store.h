// An in-memory storage::Store for service tests: commits are queued and become durable on
// Flush (which then runs their callbacks, in order, on the calling thread), a commit can be
// made to fail (putting the store in the failed state, as the real store does), and the
// contents live in a FakeStoreData that a second store can share, to test a restart.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/store.h"

namespace dtwin::service {

// What a FakeStore has made durable. Models keep the order in which they were first
// written (a deleted and re-added model goes to the end), as the real store's Load does.
struct FakeStoreData {
  std::vector<std::pair<std::string, std::string>> models;
  std::map<std::string, std::string> twins;
  std::map<std::pair<std::string, std::string>, std::string> relationships;
  std::map<std::string, std::string> routes;
  // Sequence number -> (endpoint, record).
  std::map<uint64_t, std::pair<std::string, std::string>> outbox, dead_letters;
  size_t committed_batches = 0;
  // Every twin document written, in commit order.
  std::vector<std::string> twin_writes;
};

class FakeStore : public storage::Store {
 public:
  explicit FakeStore(std::shared_ptr<FakeStoreData> data = std::make_shared<FakeStoreData>())
      : data_(std::move(data)) {}

  Status Load(const storage::LoadVisitor& visitor) override;
  void Commit(storage::WriteBatch batch, storage::CommitCallback done) override;
  void Flush() override;
  Status health() const override;

  // The next batch made durable fails with status instead (and every later one with
  // kServiceUnavailable naming it).
  void FailNextCommit(Status status);

  // Makes Commit take this long (widens race windows in concurrency tests).
  void set_commit_delay(std::chrono::microseconds delay) { commit_delay_ = delay; }

  // Batches queued and not yet flushed.
  size_t pending() const;

  const std::shared_ptr<FakeStoreData>& data() const { return data_; }

 private:
  void Apply(const storage::Mutation& mutation);

  const std::shared_ptr<FakeStoreData> data_;
  std::atomic<std::chrono::microseconds> commit_delay_{std::chrono::microseconds(0)};
  mutable std::mutex mu_;
  // Guarded by mu_.
  std::vector<std::pair<storage::WriteBatch, storage::CommitCallback>> pending_;
  std::optional<Status> fail_next_;
  Status failure_;
};

}  // namespace dtwin::service
