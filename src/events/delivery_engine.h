// The delivery engine: takes committed outbox entries and delivers each to its endpoint's sink,
// at least once, keeping per-key (per-twin) order, with retries, exponential backoff, a
// time-to-live and dead letters, and counts it all per endpoint. Thread-safe: every public
// method may be called from any thread; each lane delivers on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "events/delivery_journal.h"
#include "events/endpoint_metrics.h"
#include "events/event_sink.h"
#include "events/lane_schedule.h"
#include "events/outbox_entry.h"

namespace dtwin::events {

struct DeliveryOptions {
  // Concurrent deliveries per endpoint: an entry goes to lane hash(partition_key) % lanes, so
  // per-twin order holds while different twins deliver in parallel. Each lane has its own sink
  // (and connection): an EventSink is used by one thread at a time. This many for endpoints
  // whose sink sends each event on its own (webhooks' structured, binary and Event Grid modes):
  // more requests in flight for a slow receiver, and a receiver slow for one twin slows only
  // its lane's share of the others. (A twin being retried holds back no other: LaneSchedule.)
  size_t lanes_per_endpoint = 8;
  // Lanes of endpoints whose sink delivers a batch together (EventSink::DeliversBatchTogether:
  // MQTT, NATS, webhooks in batch mode), where a failure or a slow receiver holds back every
  // twin whatever its lane, so more lanes add wake-ups and connections but no isolation.
  size_t batching_lanes_per_endpoint = 1;
  // A lane hands its sink up to this many queued entries at once (EventSink::DeliverBatch):
  // one wake-up and, for sinks that batch, one exchange with the receiver for all of them.
  // 1 delivers one entry at a time.
  size_t max_batch_size = 128;
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{30000};
  // Then dead-letter "time-to-live expired after N attempts: <last error>".
  std::chrono::seconds time_to_live{24 * 3600};
  size_t max_queue_depth = 100000;  // per endpoint; see DeliveryEngine::Full
  // The clock of committed_at, for the time-to-live and latency (tests step it).
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
};

struct EndpointInfo {
  std::string name;
  std::string display_url;  // secrets masked ("***")
  std::string kind;         // "webhook", "mqtt", "nats"
  EndpointStats stats;
};

// Makes a new sink for one lane of an endpoint, e.g. [url] { return MakeEventSink(url); }.
using SinkFactory = std::function<Result<std::unique_ptr<EventSink>>()>;

class DeliveryEngine {
 public:
  // Makes a sink per lane (lanes_per_endpoint, or batching_lanes_per_endpoint for endpoints
  // whose sink delivers a batch together; at least one) for each endpoint and starts a delivery
  // thread per lane. The error of the first sink that cannot be made, or kInvalidArgument for
  // an endpoint name given twice. journal must outlive the engine.
  static Result<std::unique_ptr<DeliveryEngine>> Make(
      std::vector<std::pair<std::string, SinkFactory>> endpoints, DeliveryOptions options,
      DeliveryJournal& journal);

  // Stops promptly: waiting lanes wake (backoff waits too), an in-flight DeliverBatch is let
  // finish (bounded by the sink's timeout) and recorded; undelivered entries simply stay in the
  // outbox.
  ~DeliveryEngine();
  DeliveryEngine(const DeliveryEngine&) = delete;
  DeliveryEngine& operator=(const DeliveryEngine&) = delete;

  bool HasEndpoint(std::string_view name) const;
  // The endpoint's queue depth has reached max_queue_depth (false for an unknown endpoint): the
  // service then dead-letters new events for it at write time with reason "outbox full" instead
  // of queueing them, so writes never block.
  bool Full(std::string_view endpoint) const;
  // Entries committed, in seq order; never blocks (beyond a lane's queue lock). An entry whose
  // endpoint is not configured (e.g. removed from the configuration before a restart) is
  // dead-lettered at once with a reason saying so. Each outbox row is to be enqueued once.
  void Enqueue(std::vector<OutboxEntry> entries);
  // Counts an event the service dead-lettered at write time because Full(endpoint), so that
  // dtwin_events_dead_lettered_total shows every event the endpoint did not get.
  void CountDeadLetteredWhenFull(std::string_view endpoint);

  // Zero stats for an unknown endpoint.
  EndpointStats Stats(std::string_view endpoint) const;
  // In name order.
  std::vector<EndpointInfo> Endpoints() const;
  // Every endpoint's stats in the Prometheus text format (see endpoint_metrics.h).
  std::string PrometheusText() const;

 private:
  struct Lane;
  struct Endpoint;

  DeliveryEngine(DeliveryOptions options, DeliveryJournal& journal);
  void RunLane(Endpoint& endpoint, Lane& lane);
  // One attempt at batch (taken from schedule): each entry ends delivered or dead-lettered, or
  // goes back to schedule with its key's later entries of the batch (a retry: at its backoff;
  // not attempted: at once), so the receiver's last copy of each keeps per-key order. When
  // nothing got through, the whole lane pauses (backing off further each time in a row).
  void DeliverBatch(Endpoint& endpoint, Lane& lane, std::vector<PendingEntry> batch,
                    LaneSchedule& schedule);

  const DeliveryOptions options_;
  DeliveryJournal& journal_;
  // Immutable after construction (the map and the endpoints' names, sinks and lanes); the
  // lanes' queues are guarded by their own mutex, the metrics are atomic.
  std::map<std::string, std::unique_ptr<Endpoint>, std::less<>> endpoints_;
  std::atomic<bool> stopping_{false};
};

}  // namespace dtwin::events
