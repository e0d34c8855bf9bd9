// Tests of the endpoint counters and their Prometheus text: every line parsed back (HELP and
// TYPE before each family's samples, name{labels} value, label values escaped), the
// histogram's cumulative buckets, and the queue depth.
#include "events/endpoint_metrics.h"

#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace dtwin::events {
namespace {

using std::chrono::milliseconds;

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;
};

// One sample line of the text format 0.0.4, or nullopt (with a test failure) if it is not one.
std::optional<Sample> ParseSample(const std::string& line) {
  Sample sample;
  size_t i = 0;
  auto is_name_char = [](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  while (i < line.size() && is_name_char(line[i], i == 0)) sample.name += line[i++];
  if (sample.name.empty()) return std::nullopt;
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      std::string label;
      while (i < line.size() && is_name_char(line[i], label.empty())) label += line[i++];
      if (label.empty() || line.compare(i, 2, "=\"") != 0) return std::nullopt;
      i += 2;
      std::string value;
      for (; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] != '\\') {
          value += line[i];
          continue;
        }
        if (++i == line.size()) return std::nullopt;
        if (line[i] == 'n') {
          value += '\n';
        } else if (line[i] == '\\' || line[i] == '"') {
          value += line[i];
        } else {
          return std::nullopt;  // no other escape exists
        }
      }
      if (i == line.size()) return std::nullopt;
      ++i;  // closing quote
      sample.labels[label] = value;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i == line.size()) return std::nullopt;
    ++i;  // '}'
  }
  if (i == line.size() || line[i] != ' ') return std::nullopt;
  std::string value = line.substr(i + 1);
  if (value == "+Inf" || value == "NaN") return std::nullopt;  // never expected here
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), sample.value);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return sample;
}

// The samples of a whole exposition, checking its structure on the way.
std::vector<Sample> ParseExposition(const std::string& text) {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;  // family -> type
  std::set<std::string> helped;
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("# HELP ")) {
      std::string rest = line.substr(7);
      std::string family = rest.substr(0, rest.find(' '));
      EXPECT_NE(rest.find(' '), std::string::npos) << line;
      EXPECT_TRUE(helped.insert(family).second) << "HELP twice: " << line;
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream fields(line.substr(7));
      std::string family, type;
      fields >> family >> type;
      EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
      EXPECT_TRUE(helped.contains(family)) << "TYPE before HELP: " << line;
      EXPECT_TRUE(types.emplace(family, type).second) << "TYPE twice: " << line;
      continue;
    }
    std::optional<Sample> sample = ParseSample(line);
    if (!sample) {
      ADD_FAILURE() << "not a sample line: " << line;
      continue;
    }
    std::string family = sample->name;
    for (std::string suffix : {"_bucket", "_sum", "_count"}) {
      std::string base = family.substr(0, family.size() - std::min(family.size(), suffix.size()));
      if (family.ends_with(suffix) && types.contains(base) && types[base] == "histogram") {
        family = base;
      }
    }
    EXPECT_TRUE(types.contains(family)) << "sample before its TYPE: " << line;
    if (types[family] == "counter") {
      EXPECT_TRUE(family.ends_with("_total")) << line;
    }
    samples.push_back(*sample);
  }
  return samples;
}

std::optional<double> Find(const std::vector<Sample>& samples, const std::string& name,
                           const std::map<std::string, std::string>& labels) {
  for (const Sample& sample : samples) {
    if (sample.name == name && sample.labels == labels) return sample.value;
  }
  return std::nullopt;
}

TEST(EndpointMetricsTest, SnapshotCountsEachOutcomeAndTheQueueDepth) {
  EndpointMetrics metrics;
  for (int i = 0; i < 5; ++i) metrics.Enqueued();
  metrics.Retried();
  metrics.Retried();
  metrics.Delivered(milliseconds(3));
  metrics.DeadLettered(/*rejected=*/true);
  metrics.DeadLettered(/*rejected=*/false);
  EndpointStats stats = metrics.Snapshot();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.retried, 2u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.dead_lettered, 2u);
  EXPECT_EQ(stats.queue_depth, 2u);
  EXPECT_EQ(metrics.queue_depth(), 2u);
}

TEST(EndpointMetricsTest, LatencyBucketsAreCumulativeAndBoundsInclusive) {
  EndpointMetrics metrics;
  for (int i = 0; i < 4; ++i) metrics.Enqueued();
  metrics.Delivered(milliseconds(1));               // le 0.001: a bound is inclusive
  metrics.Delivered(milliseconds(30));              // le 0.05
  metrics.Delivered(milliseconds(6000));            // only +Inf
  metrics.Delivered(std::chrono::nanoseconds(-5));  // a clock step: counted as 0
  EndpointStats stats = metrics.Snapshot();
  std::array<uint64_t, 10> expected = {2, 2, 2, 2, 3, 3, 3, 3, 3, 3};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(stats.latency_buckets[i], expected[i]) << kLatencyBucketBounds[i].count() << " ms";
  }
  EXPECT_EQ(stats.latency_count, 4u);
  EXPECT_DOUBLE_EQ(stats.latency_sum_seconds, 6.031);
}

TEST(EndpointMetricsTest, PrometheusTextParsesAndCarriesEveryValue) {
  EndpointMetrics first;
  for (int i = 0; i < 3; ++i) first.Enqueued();
  first.Retried();
  first.Delivered(milliseconds(20));
  first.DeadLettered(/*rejected=*/true);
  EndpointStats empty;
  const std::string weird = "we\"ird\\name\nx";
  std::string text = PrometheusText({{"hook", first.Snapshot()}, {weird, empty}});

  std::vector<Sample> samples = ParseExposition(text);
  const std::map<std::string, std::string> hook = {{"endpoint", "hook"}};
  EXPECT_EQ(Find(samples, "dtwin_events_delivered_total", hook), 1);
  EXPECT_EQ(Find(samples, "dtwin_events_retried_total", hook), 1);
  EXPECT_EQ(Find(samples, "dtwin_events_failed_total", hook), 1);
  EXPECT_EQ(Find(samples, "dtwin_events_dead_lettered_total", hook), 1);
  EXPECT_EQ(Find(samples, "dtwin_events_queue_depth", hook), 1);
  const std::string bucket = "dtwin_events_delivery_latency_seconds_bucket";
  EXPECT_EQ(Find(samples, bucket, {{"endpoint", "hook"}, {"le", "0.01"}}), 0);
  EXPECT_EQ(Find(samples, bucket, {{"endpoint", "hook"}, {"le", "0.025"}}), 1);
  EXPECT_EQ(Find(samples, bucket, {{"endpoint", "hook"}, {"le", "5"}}), 1);
  EXPECT_EQ(Find(samples, bucket, {{"endpoint", "hook"}, {"le", "+Inf"}}), 1);
  EXPECT_EQ(Find(samples, "dtwin_events_delivery_latency_seconds_sum", hook), 0.02);
  EXPECT_EQ(Find(samples, "dtwin_events_delivery_latency_seconds_count", hook), 1);
  // The escaped name reads back as itself, in every family.
  EXPECT_EQ(Find(samples, "dtwin_events_delivered_total", {{"endpoint", weird}}), 0);
  EXPECT_EQ(Find(samples, bucket, {{"endpoint", weird}, {"le", "+Inf"}}), 0);
  // 5 single-sample families + 11 buckets, sum and count, per endpoint.
  EXPECT_EQ(samples.size(), 2u * (5 + 11 + 2));
}

TEST(EndpointMetricsTest, WithoutEndpointsOnlyTheFamiliesAreDescribed) {
  std::string text = PrometheusText({});
  EXPECT_TRUE(ParseExposition(text).empty());
  EXPECT_NE(text.find("# TYPE dtwin_events_delivery_latency_seconds histogram\n"),
            std::string::npos);
}

}  // namespace
}  // namespace dtwin::events
