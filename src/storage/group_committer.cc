#include "storage/group_committer.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace dtwin::storage {

GroupCommitter::GroupCommitter(ApplyGroup apply, size_t max_batches_per_group)
    : apply_(std::move(apply)),
      max_batches_per_group_(std::max<size_t>(max_batches_per_group, 1)),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_one();
  thread_.join();  // Run drains the queue before it returns
}

void GroupCommitter::Commit(WriteBatch batch, CommitCallback done) {
  {
    std::lock_guard lock(mu_);
    queued_batches_.push_back(std::move(batch));
    queued_callbacks_.push_back(std::move(done));
    ++queued_count_;
  }
  work_cv_.notify_one();
}

void GroupCommitter::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = queued_count_;
  finished_cv_.wait(lock, [&] { return finished_count_ >= target; });
}

Status GroupCommitter::health() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void GroupCommitter::Run() {
  pthread_setname_np(pthread_self(), "dtwin-commit");
  // Reused across groups so their capacity is allocated once.
  std::vector<WriteBatch> group;
  std::vector<CommitCallback> callbacks;
  for (;;) {
    Status failure;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queued_batches_.empty(); });
      if (queued_batches_.empty()) return;  // stopping, and nothing is left
      size_t count = std::min(queued_batches_.size(), max_batches_per_group_);
      for (size_t i = 0; i < count; ++i) {
        group.push_back(std::move(queued_batches_.front()));
        queued_batches_.pop_front();
        callbacks.push_back(std::move(queued_callbacks_.front()));
        queued_callbacks_.pop_front();
      }
      failure = failure_;
    }
    Status status = failure.ok() ? apply_(group) : std::move(failure);
    if (!status.ok()) {
      // Latched before any callback runs, so a callback that looks at health() (or
      // retries) already sees the store failed.
      std::lock_guard lock(mu_);
      if (failure_.ok()) failure_ = status;
    }
    for (CommitCallback& done : callbacks) done(status);
    {
      std::lock_guard lock(mu_);
      finished_count_ += callbacks.size();
    }
    finished_cv_.notify_all();
    group.clear();
    callbacks.clear();
  }
}

}  // namespace dtwin::storage
