// The service's side of event delivery. Under the instance lock a write turns each of its
// notifications into outbox rows of its own WriteBatch (one per endpoint that a route's filter
// sends it to), so a change and its events are durable together; once the batch is durable
// the rows go to the delivery engine, which reports back here (Delivered / DeadLettered) to
// delete or dead-letter them durably. Also keeps the dead letters for listing and replay.
//
// Thread-safety: the methods marked "instance lock" require the instance's exclusive lock
// (InstanceState::mu), which guards the pending events and the sequence numbers; the dead
// letters are guarded by dead_letters_mu_; the engine is set once by Start, before serving.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "events/delivery_engine.h"
#include "events/delivery_journal.h"
#include "events/notification_builder.h"
#include "events/outbox_entry.h"
#include "events/route_filter.h"
#include "service/digital_twins_service.h"
#include "service/outbox_records.h"
#include "storage/store.h"

namespace dtwin::service {

// What one write adds to delivery once its batch is durable.
struct PendingEvents {
  std::vector<events::OutboxEntry> queued;     // to the delivery engine
  std::vector<DeadLetterRecord> dead_letters;  // refused at write time (outbox full)
};

using RouteMap = std::map<std::string, EventRoute, std::less<>>;

class EventOutbox final : public events::DeliveryJournal {
 public:
  explicit EventOutbox(storage::Store& store);
  // Stops delivery, then flushes the store: the journal's commit callbacks refer to this.
  ~EventOutbox() override;
  EventOutbox(const EventOutbox&) = delete;
  EventOutbox& operator=(const EventOutbox&) = delete;

  // ---- start-up (before Start) ----
  Status LoadOutboxRow(uint64_t seq, const std::string& endpoint, const std::string& value);
  Status LoadDeadLetter(uint64_t seq, const std::string& endpoint, const std::string& value);

  // Starts delivery: the engine takes the rows the store kept, then every new one; source is
  // the CloudEvents source of new notifications. Once.
  Status Start(std::vector<std::pair<std::string, events::SinkFactory>> endpoints,
               events::DeliveryOptions options, std::string source);

  // ---- instance lock ----
  // Whether this write's notifications go anywhere (delivery started and a route exists);
  // operations build their events only then.
  bool Active(const RouteMap& routes) const { return engine_ != nullptr && !routes.empty(); }
  // What the events of one operation share: its time, trace and event ids.
  events::NotificationContext Context(std::chrono::system_clock::time_point now);
  // Sends event through every route: an outbox row per matching endpoint (or a dead letter
  // when that endpoint's queue is full), added to batch and to the pending events.
  void Emit(const RouteMap& routes, std::string partition_key, events::CloudEvent event,
            std::chrono::system_clock::time_point now, storage::WriteBatch& batch);
  // The pending events of the write being prepared (cleared).
  PendingEvents TakePending() { return std::exchange(pending_, {}); }
  // Moves the endpoint's dead letters back into the outbox (new sequence numbers, a fresh
  // time-to-live), adding the rows to batch and to the pending events; how many.
  size_t Replay(std::string_view endpoint, std::chrono::system_clock::time_point now,
                storage::WriteBatch& batch);

  // ---- any thread ----
  // Once the write's batch is durable: queue its events, keep its dead letters.
  void Committed(PendingEvents events);
  bool HasEndpoint(std::string_view name) const;
  std::vector<events::EndpointInfo> Endpoints() const;
  std::string MetricsText() const;
  // The endpoint's dead letters in id order, from after_id on, at most max_items.
  std::vector<DeadLetterRecord> DeadLetters(std::string_view endpoint, uint64_t after_id,
                                            size_t max_items) const;

  // events::DeliveryJournal (delivery threads).
  // Deletes of delivered rows are coalesced: while one batch of deletes is being committed,
  // the next deliveries gather into the following one, so the store sees a few large batches
  // rather than a commit per event.
  void Delivered(const events::OutboxEntry& entry) override;
  void DeadLettered(const events::OutboxEntry& entry, std::string_view reason) override;

 private:
  // Commits the gathered deletes (if any) and marks a delete batch in flight; else clears
  // the mark. Called with acks_mu_ NOT held.
  void CommitDeliveredRows();

  storage::Store& store_;
  std::unique_ptr<events::DeliveryEngine> engine_;  // set by Start
  std::string source_;                              // set by Start

  // Guarded by the instance lock.
  uint64_t next_seq_ = 1;
  PendingEvents pending_;
  std::mt19937_64 trace_random_{std::random_device{}()};
  std::map<std::string, RouteFilter, std::less<>> filters_;  // by filter text
  std::vector<events::OutboxEntry> loaded_;                  // the stored outbox, until Start

  std::mutex acks_mu_;
  std::vector<uint64_t> delivered_rows_;  // guarded by acks_mu_: to delete
  bool deletes_in_flight_ = false;        // guarded by acks_mu_

  mutable std::mutex dead_letters_mu_;
  std::map<uint64_t, DeadLetterRecord> dead_letters_;  // guarded by dead_letters_mu_
};

}  // namespace dtwin::service
