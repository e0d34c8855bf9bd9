// Group commit: producers on any thread queue write batches; one committer thread takes
// everything queued (up to a limit) and applies it as one group through the engine's
// function, so one transaction and one fsync serve many batches. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "storage/store.h"

namespace dtwin::storage {

class GroupCommitter {
 public:
  // Applies a group durably and atomically (all batches, in order, or none); runs on the
  // committer thread only.
  using ApplyGroup = std::function<Status(const std::vector<WriteBatch>& group)>;

  GroupCommitter(ApplyGroup apply, size_t max_batches_per_group);
  // Flushes, then stops the thread.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Store::Commit. When a group fails, every batch in it fails with the group's error and
  // the committer latches it: later batches fail with it too, without being applied
  // (still through the committer thread, so done always runs there).
  void Commit(WriteBatch batch, CommitCallback done);

  // Store::Flush. Must not be called from a CommitCallback (it would wait for itself).
  void Flush();

  // Store::health.
  Status health() const;

 private:
  void Run();

  const ApplyGroup apply_;
  const size_t max_batches_per_group_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;      // signals the committer: work queued, or stopping_
  std::condition_variable finished_cv_;  // signals Flush: finished_count_ grew
  // Guarded by mu_:
  std::deque<WriteBatch> queued_batches_;
  std::deque<CommitCallback> queued_callbacks_;  // one per queued batch, same order
  uint64_t queued_count_ = 0;                    // batches ever queued
  uint64_t finished_count_ = 0;                  // batches whose callback has returned
  bool stopping_ = false;
  Status failure_;  // the latched error; OK while healthy

  std::thread thread_;  // last: starts once every other member is ready
};

}  // namespace dtwin::storage
