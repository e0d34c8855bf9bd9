// Delivery counters of one endpoint (delivered, retried, failed, dead-lettered, queue depth,
// latency histogram) and their Prometheus text rendering. EndpointMetrics is thread-safe
// (atomics): delivery threads update it while scrapes read it.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dtwin::events {

// Upper bounds of the delivery latency histogram's buckets (Prometheus "le"), then +Inf.
inline constexpr std::array<std::chrono::milliseconds, 10> kLatencyBucketBounds = {
    std::chrono::milliseconds(1),   std::chrono::milliseconds(5),   std::chrono::milliseconds(10),
    std::chrono::milliseconds(25),  std::chrono::milliseconds(50),  std::chrono::milliseconds(100),
    std::chrono::milliseconds(250), std::chrono::milliseconds(500), std::chrono::milliseconds(1000),
    std::chrono::milliseconds(5000)};

// A snapshot of one endpoint's counters.
struct EndpointStats {
  uint64_t delivered = 0;      // acknowledged by the endpoint
  uint64_t retried = 0;        // attempts the sink answered "retry" (outage, 5xx, 429, timeout)
  uint64_t failed = 0;         // dead-lettered because the endpoint rejected them
  uint64_t dead_lettered = 0;  // dead-lettered for any reason (rejected, time-to-live, full)
  uint64_t queue_depth = 0;    // enqueued and not finished (delivered or dead-lettered)
  // Latency from commit to acknowledgement of delivered entries: latency_buckets[i] counts
  // those within kLatencyBucketBounds[i] (cumulative, as Prometheus buckets are);
  // latency_count (the +Inf bucket) all of them.
  std::array<uint64_t, kLatencyBucketBounds.size()> latency_buckets{};
  uint64_t latency_count = 0;
  double latency_sum_seconds = 0;
};

class EndpointMetrics {
 public:
  void Enqueued() { queue_depth_.fetch_add(1, std::memory_order_relaxed); }
  void Retried() { retried_.fetch_add(1, std::memory_order_relaxed); }
  // Each ends an entry, so the queue depth drops by one. latency < 0 (clock steps) counts as 0.
  void Delivered(std::chrono::nanoseconds latency);
  void DeadLettered(bool rejected);
  // An event dead-lettered at write time, never enqueued, because the queue was full.
  void DeadLetteredWhenFull() { dead_lettered_.fetch_add(1, std::memory_order_relaxed); }

  uint64_t queue_depth() const { return queue_depth_.load(std::memory_order_relaxed); }
  EndpointStats Snapshot() const;

 private:
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> retried_{0};
  std::atomic<uint64_t> failed_{0};
  std::atomic<uint64_t> dead_lettered_{0};
  std::atomic<uint64_t> queue_depth_{0};
  // Per bucket, not cumulative; the last one is above every bound (+Inf only).
  std::array<std::atomic<uint64_t>, kLatencyBucketBounds.size() + 1> latency_buckets_{};
  std::atomic<uint64_t> latency_sum_ns_{0};
};

// The stats of these endpoints (name, stats) in the Prometheus text exposition format 0.0.4:
// families dtwin_events_delivered_total, _retried_total, _failed_total, _dead_lettered_total
// (counters), dtwin_events_queue_depth (gauge) and dtwin_events_delivery_latency_seconds
// (histogram), each sample labelled endpoint="<name>".
std::string PrometheusText(const std::vector<std::pair<std::string, EndpointStats>>& endpoints);

}  // namespace dtwin::events
