// The delivery engine (see delivery_engine.h): per endpoint, a fixed set of lanes, each a
// queue with one thread and one sink; a lane's thread moves what is queued into its
// LaneSchedule, which keeps per-key order and holds back a key being retried while the
// others go on. Thread-safe: a lane's queue is guarded by its mutex, never held across a sink
// or a journal call.
#include "events/delivery_engine.h"

#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "events/backoff.h"
#include "events/event_sink_factory.h"
#include "events/lane_schedule.h"

namespace dtwin::events {

struct DeliveryEngine::Lane {
  Lane(std::unique_ptr<EventSink> sink_in, const DeliveryOptions& options, uint64_t seed)
      : sink(std::move(sink_in)), backoff(options.initial_backoff, options.max_backoff, seed) {}

  const std::unique_ptr<EventSink> sink;  // used by this lane's thread only
  Backoff backoff;                        // used by this lane's thread only
  // Attempts in a row in which nothing got through (every event attempted is to be retried):
  // the receiver looks down, and the whole lane backs off. Used by this lane's thread only.
  uint32_t failed_attempts_in_a_row = 0;
  std::mutex mu;
  std::condition_variable wake;   // an entry arrived, or the engine stops
  std::deque<OutboxEntry> queue;  // guarded by mu: queued, not yet taken by the lane's thread
  std::thread thread;
};

struct DeliveryEngine::Endpoint {
  std::string name;
  std::string display_url;
  std::string kind;
  EndpointMetrics metrics;
  std::vector<std::unique_ptr<Lane>> lanes;
};

namespace {

std::string TimeToLiveReason(uint32_t attempts, std::chrono::seconds ttl,
                             const std::string& last_error) {
  if (attempts == 0) {
    return "time-to-live (" + std::to_string(ttl.count()) +
           " s) expired before the first delivery attempt";
  }
  return "time-to-live expired after " + std::to_string(attempts) +
         (attempts == 1 ? " attempt: " : " attempts: ") + last_error;
}

}  // namespace

DeliveryEngine::DeliveryEngine(DeliveryOptions options, DeliveryJournal& journal)
    : options_(std::move(options)), journal_(journal) {}

Result<std::unique_ptr<DeliveryEngine>> DeliveryEngine::Make(
    std::vector<std::pair<std::string, SinkFactory>> endpoints, DeliveryOptions options,
    DeliveryJournal& journal) {
  // Not make_unique: the constructor is private.
  std::unique_ptr<DeliveryEngine> engine(new DeliveryEngine(std::move(options), journal));
  std::random_device seeds;
  for (auto& [name, make_sink] : endpoints) {
    if (engine->endpoints_.contains(name)) {
      return Status(ErrorCode::kInvalidArgument, "endpoint '" + name + "' is defined twice");
    }
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->name = name;
    // The first sink tells how the endpoint delivers, and so how many lanes it gets.
    Result<std::unique_ptr<EventSink>> sink = make_sink();
    if (!sink.ok()) return std::move(sink).status();
    endpoint->display_url = sink.value()->DisplayUrl();
    endpoint->kind = std::string(EndpointKind(endpoint->display_url));
    const size_t lanes = std::max<size_t>(sink.value()->DeliversBatchTogether()
                                              ? engine->options_.batching_lanes_per_endpoint
                                              : engine->options_.lanes_per_endpoint,
                                          1);
    endpoint->lanes.push_back(
        std::make_unique<Lane>(std::move(sink).value(), engine->options_, seeds()));
    while (endpoint->lanes.size() < lanes) {
      sink = make_sink();
      if (!sink.ok()) return std::move(sink).status();
      endpoint->lanes.push_back(
          std::make_unique<Lane>(std::move(sink).value(), engine->options_, seeds()));
    }
    engine->endpoints_.emplace(name, std::move(endpoint));
  }
  // Threads start once every sink exists: an early return above has no thread to stop.
  for (auto& [name, endpoint] : engine->endpoints_) {
    for (auto& lane : endpoint->lanes) {
      lane->thread = std::thread([engine = engine.get(), endpoint = endpoint.get(),
                                  lane = lane.get()] { engine->RunLane(*endpoint, *lane); });
    }
  }
  return engine;
}

DeliveryEngine::~DeliveryEngine() {
  stopping_.store(true);
  for (auto& [name, endpoint] : endpoints_) {
    for (auto& lane : endpoint->lanes) {
      // Taking the lock orders the store before the lane's next look at stopping_, so the
      // notification cannot fall between its check and its wait.
      { std::lock_guard<std::mutex> lock(lane->mu); }
      lane->wake.notify_all();
    }
  }
  for (auto& [name, endpoint] : endpoints_) {
    for (auto& lane : endpoint->lanes) {
      if (lane->thread.joinable()) lane->thread.join();
    }
  }
}

bool DeliveryEngine::HasEndpoint(std::string_view name) const {
  return endpoints_.find(name) != endpoints_.end();
}

bool DeliveryEngine::Full(std::string_view endpoint) const {
  auto it = endpoints_.find(endpoint);
  return it != endpoints_.end() && it->second->metrics.queue_depth() >= options_.max_queue_depth;
}

void DeliveryEngine::Enqueue(std::vector<OutboxEntry> entries) {
  // Lanes are woken once all the entries are queued, so that each takes what it got as one
  // batch rather than the first entry alone while the rest are still being queued.
  std::vector<Lane*> woken;
  for (OutboxEntry& entry : entries) {
    auto it = endpoints_.find(entry.endpoint);
    if (it == endpoints_.end()) {
      journal_.DeadLettered(entry, "endpoint '" + entry.endpoint + "' is not configured");
      continue;
    }
    Endpoint& endpoint = *it->second;
    Lane& lane =
        *endpoint.lanes[std::hash<std::string>{}(entry.partition_key) % endpoint.lanes.size()];
    endpoint.metrics.Enqueued();
    {
      std::lock_guard<std::mutex> lock(lane.mu);
      lane.queue.push_back(std::move(entry));
    }
    if (std::find(woken.begin(), woken.end(), &lane) == woken.end()) woken.push_back(&lane);
  }
  for (Lane* lane : woken) lane->wake.notify_one();
}

void DeliveryEngine::CountDeadLetteredWhenFull(std::string_view endpoint) {
  auto it = endpoints_.find(endpoint);
  if (it != endpoints_.end()) it->second->metrics.DeadLetteredWhenFull();
}

EndpointStats DeliveryEngine::Stats(std::string_view endpoint) const {
  auto it = endpoints_.find(endpoint);
  return it == endpoints_.end() ? EndpointStats() : it->second->metrics.Snapshot();
}

std::vector<EndpointInfo> DeliveryEngine::Endpoints() const {
  std::vector<EndpointInfo> infos;
  for (const auto& [name, endpoint] : endpoints_) {
    infos.push_back(
        {endpoint->name, endpoint->display_url, endpoint->kind, endpoint->metrics.Snapshot()});
  }
  return infos;
}

std::string DeliveryEngine::PrometheusText() const {
  std::vector<std::pair<std::string, EndpointStats>> stats;
  for (const auto& [name, endpoint] : endpoints_) {
    stats.emplace_back(name, endpoint->metrics.Snapshot());
  }
  return events::PrometheusText(stats);
}

void DeliveryEngine::RunLane(Endpoint& endpoint, Lane& lane) {
  // Named for `top -H` and profiles: "dtwin-ev-" and as much of the endpoint's name as fits
  // Linux's 15 characters.
  pthread_setname_np(pthread_self(), ("dtwin-ev-" + endpoint.name.substr(0, 6)).c_str());
  const size_t max_batch = std::max<size_t>(options_.max_batch_size, 1);
  LaneSchedule schedule;  // this thread's own
  std::deque<OutboxEntry> arrived;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(lane.mu);
      auto has_work = [&] {
        return stopping_.load() || !lane.queue.empty() ||
               schedule.Ready(LaneSchedule::Clock::now());
      };
      if (std::optional<LaneSchedule::Clock::time_point> wake = schedule.NextWake()) {
        lane.wake.wait_until(lock, *wake, has_work);
      } else {
        lane.wake.wait(lock, has_work);
      }
      if (stopping_.load()) return;
      arrived.swap(lane.queue);
    }
    for (OutboxEntry& entry : arrived) {
      const auto expires_at = entry.committed_at + options_.time_to_live;
      schedule.Add({std::move(entry), expires_at, 0, ""});
    }
    arrived.clear();
    std::vector<PendingEntry> batch = schedule.TakeBatch(max_batch, LaneSchedule::Clock::now());
    if (!batch.empty()) DeliverBatch(endpoint, lane, std::move(batch), schedule);
  }
}

void DeliveryEngine::DeliverBatch(Endpoint& endpoint, Lane& lane, std::vector<PendingEntry> batch,
                                  LaneSchedule& schedule) {
  const std::chrono::system_clock::time_point now = options_.now();
  std::erase_if(batch, [&](const PendingEntry& p) {
    if (now <= p.expires_at) return false;
    journal_.DeadLettered(p.entry,
                          TimeToLiveReason(p.attempts, options_.time_to_live, p.last_error));
    endpoint.metrics.DeadLettered(/*rejected=*/false);
    return true;
  });
  if (batch.empty()) return;
  std::vector<const CloudEvent*> events;
  std::vector<std::string_view> keys;
  for (const PendingEntry& p : batch) {
    events.push_back(&p.entry.event);
    keys.push_back(p.entry.partition_key);
  }
  std::vector<DeliveryResult> results = lane.sink->DeliverKeyedBatch(events, keys);
  // EventSink's contract is at least one result and at most one per event; a sink that
  // breaks it must not make the lane spin or read past the batch.
  if (results.empty()) {
    results.push_back({DeliveryOutcome::kRetry, "the sink gave no result for the batch", {}});
  }
  if (results.size() > batch.size()) results.resize(batch.size());

  // Per key, the entries to go again: from the key's first retry on (even those the receiver
  // acknowledged after it, so that its last copy of each keeps the key's order), and those not
  // attempted. A key's first retry sets when they go; the others go at once.
  struct Again {
    std::vector<PendingEntry> entries;
    std::optional<LaneSchedule::Clock::time_point> retry_at;
  };
  std::map<std::string, Again, std::less<>> again;
  bool any_finished = false;
  bool any_retry = false;
  std::optional<std::chrono::milliseconds> receiver_retry_after;  // of the first retry
  for (size_t i = 0; i < batch.size(); ++i) {
    PendingEntry& p = batch[i];
    auto key = again.find(p.entry.partition_key);
    if (i >= results.size()) {  // not attempted
      again[p.entry.partition_key].entries.push_back(std::move(p));
      continue;
    }
    DeliveryResult& result = results[i];
    ++p.attempts;
    if (result.outcome == DeliveryOutcome::kRetry) p.last_error = std::move(result.reason);
    if (key != again.end()) {  // behind an entry of its key that goes again
      key->second.entries.push_back(std::move(p));
      continue;
    }
    switch (result.outcome) {
      case DeliveryOutcome::kDelivered:
        journal_.Delivered(p.entry);
        endpoint.metrics.Delivered(options_.now() - p.entry.committed_at);
        any_finished = true;
        break;
      case DeliveryOutcome::kRejected:
        journal_.DeadLettered(p.entry, result.reason);
        endpoint.metrics.DeadLettered(/*rejected=*/true);
        any_finished = true;
        break;
      case DeliveryOutcome::kRetry: {
        endpoint.metrics.Retried();
        if (!any_retry) receiver_retry_after = result.retry_after;
        any_retry = true;
        std::chrono::milliseconds wait =
            result.retry_after.value_or(lane.backoff.Delay(p.attempts));
        // No point waiting past the entry's expiry: it is dead-lettered then, not retried.
        auto until_expiry =
            std::chrono::ceil<std::chrono::milliseconds>(p.expires_at - options_.now());
        wait = std::max(std::min(wait, until_expiry), std::chrono::milliseconds(0));
        Again& key_again = again[p.entry.partition_key];
        key_again.retry_at = LaneSchedule::Clock::now() + wait;
        key_again.entries.push_back(std::move(p));
        break;
      }
    }
  }
  const auto at_once = LaneSchedule::Clock::now();
  for (auto& [key, key_again] : again) {
    schedule.Requeue(key, std::move(key_again.entries), key_again.retry_at.value_or(at_once));
  }
  // Per-twin backoff alone would try a receiver that is down once per twin per backoff; when
  // nothing got through, the lane waits as a whole, longer each time it happens again.
  if (any_finished) {
    lane.failed_attempts_in_a_row = 0;
  } else if (any_retry) {
    ++lane.failed_attempts_in_a_row;
    schedule.PauseUntil(
        at_once + receiver_retry_after.value_or(lane.backoff.Delay(lane.failed_attempts_in_a_row)));
  }
}

}  // namespace dtwin::events
