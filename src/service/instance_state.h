// The state of one instance (models, twin graph, routes) and the write pipeline every
// operation shares: validate and apply under the exclusive lock, then queue one batch.
// Private to src/service. Thread-safety: members are grouped by what guards them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "dtdl/element.h"
#include "dtdl/model_registry.h"
#include "graph/twin_graph.h"
#include "service/event_outbox.h"
#include "service/model_families.h"
#include "service/serialized_twin_cache.h"
#include "service/digital_twins_service.h"
#include "storage/store.h"

namespace dtwin::service {

// The value of a write that completes with a Status only.
struct NoValue {};

class InstanceState {
 public:
  InstanceState(std::unique_ptr<storage::Store> store_in, ServiceOptions options_in)
      : store(std::move(store_in)), options(std::move(options_in)) {}

  // ---- immutable after construction ----
  const std::unique_ptr<storage::Store> store;
  const ServiceOptions options;

  // ---- the instance lock: readers take it shared, writers exclusive ----
  mutable std::shared_mutex mu;
  // Guarded by mu.
  dtdl::ModelRegistry models;
  std::map<std::string, uint64_t, std::less<>> model_batches;  // model id -> its upload batch
  uint64_t next_batch = 1;
  graph::TwinGraph graph;
  std::map<std::string, EventRoute, std::less<>> routes;

  // IS_OF_MODEL's model families (internally locked; cleared by every model change under mu).
  ModelFamilies model_families;

  // Notifications: routing, the outbox rows of each write, delivery and dead letters
  // (its pending events and sequence numbers are guarded by mu; see event_outbox.h).
  EventOutbox outbox{*store};

  // Serialized twins for GET (internally locked; valid per etag, so never stale).
  mutable SerializedTwinCache serialized_twins{options.serialized_twin_cache_bytes};

  // Taken by a write before it releases mu and held until its batch is queued, so batches
  // reach the store in the order their changes were applied to memory. (The store runs
  // completions on its committer thread, never inside Commit, so none runs under it.)
  std::mutex commit_order_mu;

  // options.now at ADT's resolution (100 ns), so a time survives a round trip through text.
  std::chrono::system_clock::time_point Now() const;

  // OK, or kServiceUnavailable naming why the store failed (the instance is then read-only).
  Status Writable() const;

  // Appends the twin's full ADT document as JSON, from (and into) serialized_twins. Requires
  // mu (shared is enough).
  void AppendTwinJson(const graph::Twin& twin, std::string& out) const;
  // The same, reading serialized_twins but not filling it: queries may touch any number of
  // twins, and would push out the ones GETs keep asking for.
  void AppendTwinJsonUncached(const graph::Twin& twin, std::string& out) const;

  // The resolved Interface of a registered model; nullptr when the model was deleted (its
  // twins stay, model-less). Requires mu.
  const dtdl::Element* FindInterface(std::string_view model_id) const;

  // One write: under the exclusive lock, checks that the store is writable and runs
  // prepare(batch), which validates everything, applies the change to memory and fills
  // batch, its notifications included (EmitEvent), or returns an error having changed
  // nothing. The batch is then queued outside the lock and done runs once it is durable,
  // with prepare's value or the store's error; the notifications go to delivery just
  // before. A rejected write, or one that changed nothing durable, calls done at once.
  template <typename T, typename Prepare>
  void Write(Prepare&& prepare, Completion<T> done);

  // Routes event (whose twin, or relationship source, is partition_key) into batch, when
  // delivery is on and a route exists; build_event runs only then. Requires mu exclusive.
  template <typename BuildEvent>
  void EmitEvent(std::string_view partition_key, storage::WriteBatch& batch,
                 BuildEvent&& build_event) {
    if (!outbox.Active(routes)) return;
    const auto now = Now();
    outbox.Emit(routes, std::string(partition_key), build_event(outbox.Context(now)), now, batch);
  }

  // Write for operations that complete with a Status: prepare returns a Status.
  template <typename Prepare>
  void WriteStatus(Prepare&& prepare, StatusCompletion done);
};

// The pimpl of DigitalTwinsService is the instance state itself.
struct DigitalTwinsService::Impl : InstanceState {
  using InstanceState::InstanceState;
};

template <typename T, typename Prepare>
void InstanceState::Write(Prepare&& prepare, Completion<T> done) {
  storage::WriteBatch batch;
  std::unique_lock lock(mu);
  Result<T> result = [&]() -> Result<T> {
    if (Status writable = Writable(); !writable.ok()) return writable;
    return prepare(batch);
  }();
  PendingEvents events = outbox.TakePending();
  if (!result.ok() || batch.mutations.empty()) {
    // Refused, or nothing to make durable (e.g. telemetry no route takes): answer at once.
    lock.unlock();
    done(std::move(result));
    return;
  }
  std::unique_lock order(commit_order_mu);
  lock.unlock();
  store->Commit(std::move(batch), [this, events = std::move(events), done = std::move(done),
                                   value = std::move(result).value()](Status committed) mutable {
    if (committed.ok()) {
      outbox.Committed(std::move(events));
      done(value);
    } else {
      done(std::move(committed));
    }
  });
}

template <typename Prepare>
void InstanceState::WriteStatus(Prepare&& prepare, StatusCompletion done) {
  Write<NoValue>(
      [&prepare](storage::WriteBatch& batch) -> Result<NoValue> {
        Status status = prepare(batch);
        if (!status.ok()) return status;
        return NoValue{};
      },
      Completion<NoValue>([done = std::move(done)](Result<NoValue> result) {
        done(result.ok() ? Status::Ok() : result.status());
      }));
}

}  // namespace dtwin::service
