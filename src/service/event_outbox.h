// The service's side of event delivery. Under the instance lock a write turns each of its
// notifications into an outbox row of its own WriteBatch (one row per event, listing the
// endpoints that routes' filters send it to), so a change and its events are durable together;
// once the batch is durable the event goes to the delivery engine once per endpoint, which
// reports back here (Delivered / DeadLettered): a row is deleted when every endpoint is done
// with it, and an endpoint that gives an event up gets a dead letter of its own. Also keeps the
// dead letters for listing and replay.
//
// Thread-safety: the methods marked "instance lock" require the instance's exclusive lock
// (InstanceState::mu), which guards the pending events; sequence numbers are atomic; the rows'
// waiting endpoints and the deletes are guarded by acks_mu_, the dead letters by
// dead_letters_mu_; the engine is set once by Start, before serving.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
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
  // Stops delivery, rewrites the rows some endpoints are done with (see Delivered), then
  // flushes the store: the journal's commit callbacks refer to this.
  ~EventOutbox() override;
  EventOutbox(const EventOutbox&) = delete;
  EventOutbox& operator=(const EventOutbox&) = delete;

  // ---- start-up (before Start) ----
  // endpoints: the names the row still waits for, separated by commas.
  Status LoadOutboxRow(uint64_t seq, const std::string& endpoints, const std::string& value);
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
  // Sends event through every route: one outbox row for the endpoints it matches (a dead letter
  // instead for each whose queue is full), added to batch and to the pending events.
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

  // events::DeliveryJournal (delivery threads). What they report is written to the store in
  // batches, one at a time: while one commits, the next reports gather into the following
  // one, so the store sees a few large batches rather than a commit per event.
  // A row whose last endpoint is done is deleted; a row that still waits for other endpoints a
  // second later is rewritten to list only those (kRewritePartlyDoneRowsAfter).
  void Delivered(const events::OutboxEntry& entry) override;
  // A dead letter for the entry's endpoint, and with it the row deleted or, when other
  // endpoints still wait for it, rewritten to list only those (so a restart does not offer
  // this endpoint the event again).
  void DeadLettered(const events::OutboxEntry& entry, std::string_view reason) override;

 private:
  // Notes which endpoints each entry's row waits for; before the entries reach the engine.
  void TrackRows(const std::vector<events::OutboxEntry>& entries);
  // acks_mu_ held: entry's row stops waiting for its endpoint; true when no endpoint waits for
  // it any more.
  bool FinishRow(const events::OutboxEntry& entry);
  // acks_mu_ held: true when no batch of row writes is in flight, and marks one (the caller
  // then calls CommitRowWrites); false when the one in flight's callback will take what was
  // gathered along.
  bool StartsRowWrites();
  // Commits the gathered row writes (if any) and keeps the in-flight mark; else clears it.
  // Called with acks_mu_ NOT held, by whoever set the mark, then by its own callback.
  void CommitRowWrites();

  storage::Store& store_;
  std::unique_ptr<events::DeliveryEngine> engine_;  // set by Start
  std::string source_;                              // set by Start

  // The next outbox row's or dead letter's id; delivery threads take ids for dead letters.
  std::atomic<uint64_t> next_seq_{1};

  // Guarded by the instance lock.
  PendingEvents pending_;
  std::mt19937_64 trace_random_{std::random_device{}()};
  std::map<std::string, RouteFilter, std::less<>> filters_;  // by filter text
  std::vector<events::OutboxEntry> loaded_;                  // the stored outbox, until Start

  std::mutex acks_mu_;
  // Guarded by acks_mu_: each queued row's endpoints not yet done with it.
  std::unordered_map<uint64_t, std::vector<std::string>> waiting_endpoints_;
  // Guarded by acks_mu_: what the delivery reports have to write, gathered until the batch
  // in flight (if any) is done.
  struct RowWrites {
    std::vector<uint64_t> deletes;   // rows no endpoint waits for
    std::vector<uint64_t> rewrites;  // rows to list their waiting endpoints (after a dead letter)
    // Rows an endpoint was done with while others still waited, and since when (oldest first).
    std::deque<std::pair<uint64_t, std::chrono::steady_clock::time_point>> partly_done;
    std::vector<std::pair<DeadLetterRecord, storage::Mutation>> dead_letters;
    bool in_flight = false;  // a batch is committing; its callback commits the next
  } row_writes_;

  mutable std::mutex dead_letters_mu_;
  std::map<uint64_t, DeadLetterRecord> dead_letters_;  // guarded by dead_letters_mu_
};

}  // namespace dtwin::service
