// The delivery engine (see delivery_engine.h): per endpoint, a fixed set of lanes, each a
// queue with one thread and one sink; a lane delivers its head until it is finished, so order
// within a lane (and so per partition key) is strict. Thread-safe: a lane's queue is guarded by
// its mutex, which is never held across a Deliver or a journal call.
#include "events/delivery_engine.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "events/backoff.h"
#include "events/event_sink_factory.h"

namespace dtwin::events {

struct DeliveryEngine::Lane {
  Lane(std::unique_ptr<EventSink> sink_in, const DeliveryOptions& options, uint64_t seed)
      : sink(std::move(sink_in)), backoff(options.initial_backoff, options.max_backoff, seed) {}

  const std::unique_ptr<EventSink> sink;  // used by this lane's thread only
  Backoff backoff;                        // used by this lane's thread only
  std::mutex mu;
  std::condition_variable wake;  // an entry arrived, or the engine stops
  // Guarded by mu. Only the lane's thread pops, and only after finishing the front entry, so
  // it reads the front without the lock (a deque's push_back keeps references valid).
  std::deque<OutboxEntry> queue;
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
  size_t lanes = std::max<size_t>(options.lanes_per_endpoint, 1);
  // Not make_unique: the constructor is private.
  std::unique_ptr<DeliveryEngine> engine(new DeliveryEngine(std::move(options), journal));
  std::random_device seeds;
  for (auto& [name, make_sink] : endpoints) {
    if (engine->endpoints_.contains(name)) {
      return Status(ErrorCode::kInvalidArgument, "endpoint '" + name + "' is defined twice");
    }
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->name = name;
    for (size_t i = 0; i < lanes; ++i) {
      Result<std::unique_ptr<EventSink>> sink = make_sink();
      if (!sink.ok()) return std::move(sink).status();
      endpoint->lanes.push_back(
          std::make_unique<Lane>(std::move(sink).value(), engine->options_, seeds()));
    }
    endpoint->display_url = endpoint->lanes.front()->sink->DisplayUrl();
    endpoint->kind = std::string(EndpointKind(endpoint->display_url));
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
    lane.wake.notify_one();
  }
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
  for (;;) {
    const OutboxEntry* entry = nullptr;
    {
      std::unique_lock<std::mutex> lock(lane.mu);
      lane.wake.wait(lock, [&] { return stopping_.load() || !lane.queue.empty(); });
      if (stopping_.load()) return;
      entry = &lane.queue.front();
    }
    if (!DeliverEntry(endpoint, lane, *entry)) return;
    std::lock_guard<std::mutex> lock(lane.mu);
    lane.queue.pop_front();
  }
}

bool DeliveryEngine::DeliverEntry(Endpoint& endpoint, Lane& lane, const OutboxEntry& entry) {
  const std::chrono::system_clock::time_point expires_at =
      entry.committed_at + options_.time_to_live;
  uint32_t attempts = 0;
  std::string last_error;
  for (;;) {
    if (options_.now() > expires_at) {
      journal_.DeadLettered(entry, TimeToLiveReason(attempts, options_.time_to_live, last_error));
      endpoint.metrics.DeadLettered(/*rejected=*/false);
      return true;
    }
    DeliveryResult result = lane.sink->Deliver(entry.event);
    ++attempts;
    switch (result.outcome) {
      case DeliveryOutcome::kDelivered:
        journal_.Delivered(entry);
        endpoint.metrics.Delivered(options_.now() - entry.committed_at);
        return true;
      case DeliveryOutcome::kRejected:
        journal_.DeadLettered(entry, result.reason);
        endpoint.metrics.DeadLettered(/*rejected=*/true);
        return true;
      case DeliveryOutcome::kRetry:
        break;
    }
    endpoint.metrics.Retried();
    last_error = std::move(result.reason);
    std::chrono::milliseconds wait = result.retry_after.value_or(lane.backoff.Delay(attempts));
    // No point sleeping past the expiry: the entry is dead-lettered then, not retried.
    auto until_expiry = std::chrono::ceil<std::chrono::milliseconds>(expires_at - options_.now());
    wait = std::max(std::min(wait, until_expiry), std::chrono::milliseconds(0));
    if (!WaitUnlessStopping(lane, wait)) return false;
  }
}

bool DeliveryEngine::WaitUnlessStopping(Lane& lane, std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(lane.mu);
  return !lane.wake.wait_for(lock, wait, [this] { return stopping_.load(); });
}

}  // namespace dtwin::events
