// Endpoint delivery counters and their Prometheus rendering (see endpoint_metrics.h).
// Thread-safe: relaxed atomics, since each counter is read on its own.
#include "events/endpoint_metrics.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace dtwin::events {
namespace {

// A label value as the exposition format requires: backslash, double quote and line feed
// escaped.
std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Shortest round-trip spelling ("0.005", "1e-05"), which Prometheus parses as a Go float.
std::string FormatDouble(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : "NaN";
}

void AppendFamilyHeader(std::string_view name, std::string_view type, std::string_view help,
                        std::string& out) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// name{endpoint="e"[,extra]} value
void AppendSample(std::string_view name, const std::string& escaped_endpoint,
                  std::string_view extra_label, std::string_view value, std::string& out) {
  out.append(name).append("{endpoint=\"").append(escaped_endpoint).append("\"");
  if (!extra_label.empty()) out.append(",").append(extra_label);
  out.append("} ").append(value).append("\n");
}

}  // namespace

void EndpointMetrics::Delivered(std::chrono::nanoseconds latency) {
  latency = std::max(latency, std::chrono::nanoseconds(0));
  size_t bucket = static_cast<size_t>(
      std::lower_bound(kLatencyBucketBounds.begin(), kLatencyBucketBounds.end(), latency,
                       [](std::chrono::milliseconds bound, std::chrono::nanoseconds value) {
                         return bound < value;
                       }) -
      kLatencyBucketBounds.begin());
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<uint64_t>(latency.count()), std::memory_order_relaxed);
  delivered_.fetch_add(1, std::memory_order_relaxed);
  queue_depth_.fetch_sub(1, std::memory_order_relaxed);
}

void EndpointMetrics::DeadLettered(bool rejected) {
  if (rejected) failed_.fetch_add(1, std::memory_order_relaxed);
  dead_lettered_.fetch_add(1, std::memory_order_relaxed);
  queue_depth_.fetch_sub(1, std::memory_order_relaxed);
}

EndpointStats EndpointMetrics::Snapshot() const {
  EndpointStats stats;
  stats.delivered = delivered_.load(std::memory_order_relaxed);
  stats.retried = retried_.load(std::memory_order_relaxed);
  stats.failed = failed_.load(std::memory_order_relaxed);
  stats.dead_lettered = dead_lettered_.load(std::memory_order_relaxed);
  stats.queue_depth = queue_depth_.load(std::memory_order_relaxed);
  // Cumulated from one read of each bucket, so the buckets and the count always agree.
  uint64_t cumulative = 0;
  for (size_t i = 0; i < latency_buckets_.size(); ++i) {
    cumulative += latency_buckets_[i].load(std::memory_order_relaxed);
    if (i < stats.latency_buckets.size()) stats.latency_buckets[i] = cumulative;
  }
  stats.latency_count = cumulative;
  stats.latency_sum_seconds =
      static_cast<double>(latency_sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return stats;
}

std::string PrometheusText(const std::vector<std::pair<std::string, EndpointStats>>& endpoints) {
  struct Counter {
    std::string_view name;
    std::string_view type;
    std::string_view help;
    uint64_t EndpointStats::*field;
  };
  static constexpr Counter kCounters[] = {
      {"dtwin_events_delivered_total", "counter", "Events the endpoint acknowledged.",
       &EndpointStats::delivered},
      {"dtwin_events_retried_total", "counter",
       "Delivery attempts that failed transiently and were retried.", &EndpointStats::retried},
      {"dtwin_events_failed_total", "counter",
       "Events dead-lettered because the endpoint rejected them.", &EndpointStats::failed},
      {"dtwin_events_dead_lettered_total", "counter",
       "Events dead-lettered for any reason (rejected, time-to-live expired, outbox full).",
       &EndpointStats::dead_lettered},
      {"dtwin_events_queue_depth", "gauge",
       "Committed events waiting for delivery (queued, in flight or backing off).",
       &EndpointStats::queue_depth},
  };
  std::vector<std::pair<std::string, const EndpointStats*>> labelled;
  for (const auto& [name, stats] : endpoints) labelled.emplace_back(EscapeLabelValue(name), &stats);

  std::string out;
  for (const Counter& counter : kCounters) {
    AppendFamilyHeader(counter.name, counter.type, counter.help, out);
    for (const auto& [endpoint, stats] : labelled) {
      AppendSample(counter.name, endpoint, "", std::to_string(stats->*counter.field), out);
    }
  }
  constexpr std::string_view kLatency = "dtwin_events_delivery_latency_seconds";
  AppendFamilyHeader(kLatency, "histogram",
                     "Time from the commit of an event to its acknowledgement by the endpoint.",
                     out);
  const std::string bucket_name = std::string(kLatency) + "_bucket";
  for (const auto& [endpoint, stats] : labelled) {
    for (size_t i = 0; i < kLatencyBucketBounds.size(); ++i) {
      std::string le = "le=\"" +
                       FormatDouble(static_cast<double>(kLatencyBucketBounds[i].count()) / 1000) +
                       "\"";
      AppendSample(bucket_name, endpoint, le, std::to_string(stats->latency_buckets[i]), out);
    }
    AppendSample(bucket_name, endpoint, "le=\"+Inf\"", std::to_string(stats->latency_count), out);
    AppendSample(std::string(kLatency) + "_sum", endpoint, "",
                 FormatDouble(stats->latency_sum_seconds), out);
    AppendSample(std::string(kLatency) + "_count", endpoint, "",
                 std::to_string(stats->latency_count), out);
  }
  return out;
}

}  // namespace dtwin::events
