// FakeStore: batches apply to FakeStoreData on Flush, in the order queued.
#include "fake_store.h"

#include <algorithm>
#include <thread>

namespace dtwin::service {

Status FakeStore::Load(const storage::LoadVisitor& visitor) {
  std::lock_guard lock(mu_);
  for (const auto& [id, value] : data_->models) {
    if (Status status = visitor.model(id, value); !status.ok()) return status;
  }
  for (const auto& [id, value] : data_->twins) {
    if (Status status = visitor.twin(id, value); !status.ok()) return status;
  }
  for (const auto& [key, value] : data_->relationships) {
    if (Status status = visitor.relationship(key.first, key.second, value); !status.ok()) {
      return status;
    }
  }
  for (const auto& [id, value] : data_->routes) {
    if (Status status = visitor.route(id, value); !status.ok()) return status;
  }
  for (const auto& [seq, row] : data_->outbox) {
    if (Status status = visitor.outbox_event(seq, row.first, row.second); !status.ok()) {
      return status;
    }
  }
  for (const auto& [seq, row] : data_->dead_letters) {
    if (Status status = visitor.dead_letter(seq, row.first, row.second); !status.ok()) {
      return status;
    }
  }
  return Status::Ok();
}

void FakeStore::Commit(storage::WriteBatch batch, storage::CommitCallback done) {
  std::this_thread::sleep_for(commit_delay_.load());
  std::lock_guard lock(mu_);
  pending_.emplace_back(std::move(batch), std::move(done));
}

void FakeStore::Flush() {
  std::vector<std::pair<storage::WriteBatch, storage::CommitCallback>> batches;
  std::vector<Status> results;
  {
    std::lock_guard lock(mu_);
    batches.swap(pending_);
    for (const auto& [batch, done] : batches) {
      if (failure_.ok() && fail_next_) {
        failure_ = *fail_next_;
        fail_next_.reset();
        results.push_back(failure_);
        continue;
      }
      if (!failure_.ok()) {
        results.push_back(Status(ErrorCode::kServiceUnavailable,
                                 "the store failed earlier: " + failure_.message()));
        continue;
      }
      for (const storage::Mutation& mutation : batch.mutations) Apply(mutation);
      ++data_->committed_batches;
      results.push_back(Status::Ok());
    }
  }
  for (size_t i = 0; i < batches.size(); ++i) batches[i].second(results[i]);
}

Status FakeStore::health() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void FakeStore::FailNextCommit(Status status) {
  std::lock_guard lock(mu_);
  fail_next_ = std::move(status);
}

size_t FakeStore::pending() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

void FakeStore::Apply(const storage::Mutation& mutation) {
  using Kind = storage::Mutation::Kind;
  auto model = std::find_if(data_->models.begin(), data_->models.end(),
                            [&](const auto& entry) { return entry.first == mutation.key; });
  switch (mutation.kind) {
    case Kind::kPutModel:
      if (model != data_->models.end()) {
        model->second = mutation.value;
      } else {
        data_->models.emplace_back(mutation.key, mutation.value);
      }
      return;
    case Kind::kDeleteModel:
      if (model != data_->models.end()) data_->models.erase(model);
      return;
    case Kind::kPutTwin:
      data_->twins[mutation.key] = mutation.value;
      data_->twin_writes.push_back(mutation.value);
      return;
    case Kind::kDeleteTwin:
      data_->twins.erase(mutation.key);
      return;
    case Kind::kPutRelationship:
      data_->relationships[{mutation.key, mutation.sub_key}] = mutation.value;
      return;
    case Kind::kDeleteRelationship:
      data_->relationships.erase({mutation.key, mutation.sub_key});
      return;
    case Kind::kPutRoute:
      data_->routes[mutation.key] = mutation.value;
      return;
    case Kind::kDeleteRoute:
      data_->routes.erase(mutation.key);
      return;
    case Kind::kPutOutboxEvent:
      data_->outbox[std::stoull(mutation.key)] = {mutation.sub_key, mutation.value};
      return;
    case Kind::kSetOutboxEndpoints:
      if (auto row = data_->outbox.find(std::stoull(mutation.key)); row != data_->outbox.end()) {
        row->second.first = mutation.sub_key;
      }
      return;
    case Kind::kDeleteOutboxEvent:
      data_->outbox.erase(std::stoull(mutation.key));
      return;
    case Kind::kPutDeadLetter:
      data_->dead_letters[std::stoull(mutation.key)] = {mutation.sub_key, mutation.value};
      return;
    case Kind::kDeleteDeadLetter:
      data_->dead_letters.erase(std::stoull(mutation.key));
      return;
  }
}

}  // namespace dtwin::service
