// Tests of the delivery engine with scripted in-process sinks: per-key order under parallel
// lanes, retries with backoff, Retry-After, rejections and the time-to-live dead-lettered with
// their reasons, unknown endpoints, the queue bound, prompt shutdown, the counters, and
// batches (partial results, a retry or a rejection in the middle, per-key order).
#include "events/delivery_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace dtwin::events {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Limits on waiting for something the engine does on its own threads: far beyond what it
// needs, so they only stop a broken test from hanging.
constexpr seconds kPatience{30};

bool WaitFor(const std::function<bool()>& condition) {
  auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

// Records what the engine reports, in the order it reports it.
class RecordingJournal final : public DeliveryJournal {
 public:
  void Delivered(const OutboxEntry& entry) override {
    std::lock_guard<std::mutex> lock(mu_);
    delivered_.push_back(entry);
  }
  void DeadLettered(const OutboxEntry& entry, std::string_view reason) override {
    std::lock_guard<std::mutex> lock(mu_);
    dead_letters_.emplace_back(entry, std::string(reason));
  }

  std::vector<OutboxEntry> delivered() const {
    std::lock_guard<std::mutex> lock(mu_);
    return delivered_;
  }
  std::vector<std::pair<OutboxEntry, std::string>> dead_letters() const {
    std::lock_guard<std::mutex> lock(mu_);
    return dead_letters_;
  }
  size_t finished() const {
    std::lock_guard<std::mutex> lock(mu_);
    return delivered_.size() + dead_letters_.size();
  }

 private:
  mutable std::mutex mu_;
  std::vector<OutboxEntry> delivered_;                             // guarded by mu_
  std::vector<std::pair<OutboxEntry, std::string>> dead_letters_;  // guarded by mu_
};

// What a scripted sink answers; called from the lanes' threads, concurrently.
using Script = std::function<DeliveryResult(const CloudEvent&)>;

// Counts every Deliver by event id; shared by the sinks of all lanes of an endpoint.
class CallLog {
 public:
  void Record(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    ++attempts_[id];
  }
  int Attempts(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = attempts_.find(id);
    return it == attempts_.end() ? 0 : it->second;
  }
  int Total() const {
    std::lock_guard<std::mutex> lock(mu_);
    int total = 0;
    for (const auto& [id, count] : attempts_) total += count;
    return total;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, int> attempts_;  // guarded by mu_
};

class ScriptedSink final : public EventSink {
 public:
  ScriptedSink(std::shared_ptr<CallLog> log, Script script,
               std::string display_url = "http://receiver.test/hook?code=***",
               bool delivers_batch_together = false)
      : log_(std::move(log)),
        script_(std::move(script)),
        display_url_(std::move(display_url)),
        delivers_batch_together_(delivers_batch_together) {}
  DeliveryResult Deliver(const CloudEvent& event) override {
    log_->Record(event.id);
    return script_(event);
  }
  std::string DisplayUrl() const override { return display_url_; }
  bool DeliversBatchTogether() const override { return delivers_batch_together_; }

 private:
  std::shared_ptr<CallLog> log_;
  Script script_;
  std::string display_url_;
  bool delivers_batch_together_;
};

DeliveryResult Delivered() { return {DeliveryOutcome::kDelivered, "", std::nullopt}; }
DeliveryResult Retry(std::string reason, std::optional<milliseconds> retry_after = {}) {
  return {DeliveryOutcome::kRetry, std::move(reason), retry_after};
}
DeliveryResult Rejected(std::string reason) {
  return {DeliveryOutcome::kRejected, std::move(reason), std::nullopt};
}

DeliveryOptions FastOptions() {
  DeliveryOptions options;
  options.lanes_per_endpoint = 4;
  options.initial_backoff = milliseconds(1);
  options.max_backoff = milliseconds(4);
  return options;
}

OutboxEntry Entry(uint64_t seq, std::string key, std::string endpoint = "hook") {
  OutboxEntry entry;
  entry.seq = seq;
  entry.endpoint = std::move(endpoint);
  entry.partition_key = key;
  entry.committed_at = std::chrono::system_clock::now();
  entry.event.id = "event-" + std::to_string(seq);
  entry.event.source = "dtwin.test";
  entry.event.type = "Microsoft.DigitalTwins.Twin.Update";
  entry.event.subject = std::move(key);
  entry.event.data = "{}";
  return entry;
}

// What a batch-scripted sink answers to the ids of a batch; called from the lanes' threads.
using BatchScript = std::function<std::vector<DeliveryResult>(const std::vector<std::string>&)>;

// Records every batch it is given (the events' ids), shared by the sinks of all lanes.
class BatchLog {
 public:
  void Record(std::vector<std::string> ids) {
    std::lock_guard<std::mutex> lock(mu_);
    batches_.push_back(std::move(ids));
  }
  std::vector<std::vector<std::string>> batches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::vector<std::string>> batches_;  // guarded by mu_
};

// A sink that overrides DeliverBatch, as batching sinks do; Deliver is never to be used.
class BatchScriptedSink final : public EventSink {
 public:
  BatchScriptedSink(std::shared_ptr<BatchLog> log, BatchScript script)
      : log_(std::move(log)), script_(std::move(script)) {}
  DeliveryResult Deliver(const CloudEvent& event) override {
    ADD_FAILURE() << "Deliver called for " << event.id;
    return Rejected("Deliver called");
  }
  std::vector<DeliveryResult> DeliverBatch(std::span<const CloudEvent* const> events) override {
    std::vector<std::string> ids;
    for (const CloudEvent* event : events) ids.push_back(event->id);
    log_->Record(ids);
    return script_(ids);
  }
  std::string DisplayUrl() const override { return "http://receiver.test/batch"; }

 private:
  std::shared_ptr<BatchLog> log_;
  BatchScript script_;
};

// An engine with one endpoint "hook" whose lanes all run `script`.
struct Harness {
  Harness(Script script, DeliveryOptions options)
      : Harness(
            [script](Harness& self) -> std::unique_ptr<EventSink> {
              return std::make_unique<ScriptedSink>(self.log, script);
            },
            std::move(options)) {}
  Harness(BatchScript script, DeliveryOptions options)
      : Harness(
            [script](Harness& self) -> std::unique_ptr<EventSink> {
              return std::make_unique<BatchScriptedSink>(self.batch_log, script);
            },
            std::move(options)) {}

  RecordingJournal journal;
  std::shared_ptr<CallLog> log = std::make_shared<CallLog>();
  std::shared_ptr<BatchLog> batch_log = std::make_shared<BatchLog>();
  std::unique_ptr<DeliveryEngine> engine;  // destroyed first: its threads use journal and log

 private:
  // make_sink runs during Make, once the members it may use exist.
  Harness(std::function<std::unique_ptr<EventSink>(Harness&)> make_sink, DeliveryOptions options) {
    std::vector<std::pair<std::string, SinkFactory>> endpoints;
    endpoints.emplace_back("hook", [this, make_sink]() -> Result<std::unique_ptr<EventSink>> {
      return make_sink(*this);
    });
    Result<std::unique_ptr<DeliveryEngine>> made =
        DeliveryEngine::Make(std::move(endpoints), std::move(options), journal);
    if (!made.ok()) {
      ADD_FAILURE() << made.status().ToString();
      return;
    }
    engine = std::move(made).value();
  }
};

// Destroys the engine, or ends the test binary if that hangs (a hang is the bug under test).
void DestroyOrAbort(std::unique_ptr<DeliveryEngine>& engine) {
  std::promise<void> destroyed;
  std::future<void> done = destroyed.get_future();
  std::thread destroyer([&] {
    engine.reset();
    destroyed.set_value();
  });
  if (done.wait_for(kPatience) != std::future_status::ready) {
    std::cerr << "~DeliveryEngine did not return within " << kPatience.count() << " s\n";
    std::abort();
  }
  destroyer.join();
}

// Every one of `count` entries journalled as delivered exactly once, in seq order per key.
void ExpectEachOnceInPerKeyOrder(const std::vector<OutboxEntry>& delivered, size_t count) {
  std::map<std::string, uint64_t> last_seq;
  std::set<uint64_t> seen;
  for (const OutboxEntry& entry : delivered) {
    EXPECT_GT(entry.seq, last_seq[entry.partition_key]) << entry.partition_key;
    last_seq[entry.partition_key] = entry.seq;
    EXPECT_TRUE(seen.insert(entry.seq).second) << "delivered twice: " << entry.seq;
  }
  EXPECT_EQ(seen.size(), count);
}

TEST(DeliveryEngineTest, KeepsPerKeyOrderWhileKeysDeliverInParallel) {
  // Some first attempts fail, so lanes back off at different times and interleave.
  std::mutex mu;
  std::set<std::string> failed_once;
  Harness harness(
      [&](const CloudEvent& event) {
        std::lock_guard<std::mutex> lock(mu);
        if (std::hash<std::string>{}(event.id) % 4 == 0 && failed_once.insert(event.id).second) {
          return Retry("HTTP 503");
        }
        return Delivered();
      },
      FastOptions());
  ASSERT_NE(harness.engine, nullptr);

  constexpr int kKeys = 100;
  constexpr int kPerKey = 20;
  std::vector<OutboxEntry> batch;
  uint64_t seq = 0;
  for (int round = 0; round < kPerKey; ++round) {
    for (int key = 0; key < kKeys; ++key)
      batch.push_back(Entry(++seq, "twin-" + std::to_string(key)));
    if (batch.size() >= 150) harness.engine->Enqueue(std::exchange(batch, {}));
  }
  harness.engine->Enqueue(std::move(batch));
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == kKeys * kPerKey; }));

  ExpectEachOnceInPerKeyOrder(harness.journal.delivered(), kKeys * kPerKey);
  EXPECT_TRUE(harness.journal.dead_letters().empty());
  EXPECT_FALSE(failed_once.empty());
  EndpointStats stats = harness.engine->Stats("hook");
  EXPECT_EQ(stats.delivered, static_cast<uint64_t>(kKeys * kPerKey));
  EXPECT_EQ(stats.retried, failed_once.size());
  EXPECT_EQ(stats.queue_depth, 0u);
}

TEST(DeliveryEngineTest, AKeyWaitingOnItsSinkDoesNotHoldBackOtherKeys) {
  // "stuck" blocks until some other key was delivered: only a parallel lane can do that.
  std::atomic<int> others_delivered{0};
  std::atomic<bool> stuck_saw_others{false};
  Harness harness(
      [&](const CloudEvent& event) {
        if (event.subject == "stuck") {
          stuck_saw_others = WaitFor([&] { return others_delivered.load() > 0; });
        } else {
          ++others_delivered;
        }
        return Delivered();
      },
      FastOptions());
  ASSERT_NE(harness.engine, nullptr);
  std::vector<OutboxEntry> entries = {Entry(1, "stuck")};
  for (uint64_t seq = 2; seq <= 40; ++seq)
    entries.push_back(Entry(seq, "twin-" + std::to_string(seq)));
  harness.engine->Enqueue(std::move(entries));
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == 40; }));
  EXPECT_TRUE(stuck_saw_others.load());
}

TEST(DeliveryEngineTest, ATwinBeingRetriedHoldsBackOnlyItselfInItsLane) {
  // One lane: "sick" fails until every other twin's events are delivered, which can only
  // happen if its retries hold back nothing but its own later events. Of seqs 2..31, those
  // divisible by 3 are the sick twin's too: 10 of them, 20 of others.
  std::atomic<int> others_delivered{0};
  constexpr int kEntries = 31;
  constexpr int kOthers = 20;
  Harness harness(
      [&](const CloudEvent& event) {
        if (event.subject != "sick") {
          ++others_delivered;
          return Delivered();
        }
        return others_delivered.load() < kOthers ? Retry("HTTP 500") : Delivered();
      },
      [] {
        DeliveryOptions options = FastOptions();
        options.lanes_per_endpoint = 1;
        return options;
      }());
  ASSERT_NE(harness.engine, nullptr);
  std::vector<OutboxEntry> entries = {Entry(1, "sick")};
  for (uint64_t seq = 2; seq <= kEntries; ++seq) {
    entries.push_back(Entry(seq, seq % 3 ? "twin-" + std::to_string(seq % 5) : "sick"));
  }
  harness.engine->Enqueue(std::move(entries));
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == kEntries; }));
  std::vector<OutboxEntry> delivered = harness.journal.delivered();
  ExpectEachOnceInPerKeyOrder(delivered, kEntries);
  // Every other twin's events came before the sick twin's first.
  size_t first_sick = 0;
  while (delivered[first_sick].partition_key != "sick") ++first_sick;
  for (size_t i = first_sick; i < delivered.size(); ++i) {
    EXPECT_EQ(delivered[i].partition_key, "sick") << delivered[i].seq;
  }
  EXPECT_GT(harness.engine->Stats("hook").retried, 0u);
}

TEST(DeliveryEngineTest, AReceiverThatIsDownIsTriedOncePerBackoffNotOncePerTwin) {
  // Every attempt fails; the backoff is an hour. Per-twin backoff alone would try each of the
  // 50 twins in turn at once; the lane, seeing nothing get through, waits as a whole.
  DeliveryOptions options = FastOptions();
  options.lanes_per_endpoint = 1;
  options.initial_backoff = std::chrono::hours(1);
  options.max_backoff = std::chrono::hours(1);
  Harness harness([](const CloudEvent&) { return Retry("connection refused"); }, options);
  ASSERT_NE(harness.engine, nullptr);
  std::vector<OutboxEntry> entries;
  for (uint64_t seq = 1; seq <= 50; ++seq)
    entries.push_back(Entry(seq, "twin-" + std::to_string(seq)));
  harness.engine->Enqueue(std::move(entries));
  ASSERT_TRUE(WaitFor([&] { return harness.log->Total() >= 1; }));
  std::this_thread::sleep_for(milliseconds(200));  // time for attempts that must not happen
  EXPECT_EQ(harness.log->Total(), 1);
  EXPECT_EQ(harness.engine->Stats("hook").queue_depth, 50u);
  DestroyOrAbort(harness.engine);  // the pause ends at once when the engine stops
}

TEST(DeliveryEngineTest, RetriesWithBackoffUntilDelivered) {
  std::atomic<int> calls{0};
  Harness harness([&](const CloudEvent&) { return ++calls <= 3 ? Retry("HTTP 503") : Delivered(); },
                  FastOptions());
  ASSERT_NE(harness.engine, nullptr);
  harness.engine->Enqueue({Entry(1, "a")});
  ASSERT_TRUE(WaitFor([&] { return harness.engine->Stats("hook").delivered == 1; }));
  EXPECT_EQ(harness.log->Attempts("event-1"), 4);
  ASSERT_EQ(harness.journal.delivered().size(), 1u);
  EXPECT_EQ(harness.journal.delivered()[0].seq, 1u);
  EndpointStats stats = harness.engine->Stats("hook");
  EXPECT_EQ(stats.retried, 3u);
  EXPECT_EQ(stats.dead_lettered, 0u);
  EXPECT_EQ(stats.queue_depth, 0u);
}

TEST(DeliveryEngineTest, HonoursTheSinksRetryAfterOverItsOwnBackoff) {
  // The engine's own backoff is an hour: only the sink's 1 ms Retry-After lets the test end.
  DeliveryOptions options = FastOptions();
  options.initial_backoff = std::chrono::hours(1);
  options.max_backoff = std::chrono::hours(1);
  std::atomic<int> calls{0};
  Harness harness(
      [&](const CloudEvent&) {
        return ++calls == 1 ? Retry("HTTP 429", milliseconds(1)) : Delivered();
      },
      options);
  ASSERT_NE(harness.engine, nullptr);
  harness.engine->Enqueue({Entry(1, "a")});
  EXPECT_TRUE(WaitFor([&] { return harness.engine->Stats("hook").delivered == 1; }));
  EXPECT_EQ(calls.load(), 2);
}

TEST(DeliveryEngineTest, DeadLettersWhatTheSinkRejectsAndGoesOn) {
  Harness harness(
      [](const CloudEvent& event) {
        return event.id == "event-2" ? Rejected("delivery: HTTP 400") : Delivered();
      },
      FastOptions());
  ASSERT_NE(harness.engine, nullptr);
  harness.engine->Enqueue({Entry(1, "a"), Entry(2, "a"), Entry(3, "a")});
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == 3; }));
  auto dead = harness.journal.dead_letters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].first.seq, 2u);
  EXPECT_EQ(dead[0].second, "delivery: HTTP 400");
  EXPECT_EQ(harness.log->Attempts("event-2"), 1);  // a rejection is never retried
  ASSERT_EQ(harness.journal.delivered().size(), 2u);
  EXPECT_EQ(harness.journal.delivered()[1].seq, 3u);
  EXPECT_TRUE(WaitFor([&] { return harness.engine->Stats("hook").queue_depth == 0; }));
  EndpointStats stats = harness.engine->Stats("hook");
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.dead_lettered, 1u);
}

TEST(DeliveryEngineTest, DeadLettersWhenTheTimeToLiveExpires) {
  const auto start = std::chrono::system_clock::now();
  auto clock_offset = std::make_shared<std::atomic<int64_t>>(0);  // seconds
  DeliveryOptions options = FastOptions();
  options.time_to_live = seconds(60);
  options.now = [start, clock_offset] { return start + seconds(clock_offset->load()); };
  Harness harness([](const CloudEvent&) { return Retry("delivery: HTTP 503"); }, options);
  ASSERT_NE(harness.engine, nullptr);

  OutboxEntry entry = Entry(1, "a");
  entry.committed_at = start;
  harness.engine->Enqueue({entry});
  ASSERT_TRUE(WaitFor([&] { return harness.log->Attempts("event-1") >= 3; }));
  EXPECT_TRUE(harness.journal.dead_letters().empty());  // retried for as long as the clock stands
  clock_offset->store(61);
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == 1; }));
  auto dead = harness.journal.dead_letters();
  ASSERT_EQ(dead.size(), 1u);
  int attempts = harness.log->Attempts("event-1");
  EXPECT_EQ(dead[0].second, "time-to-live expired after " + std::to_string(attempts) +
                                " attempts: delivery: HTTP 503");
  ASSERT_TRUE(WaitFor([&] { return harness.engine->Stats("hook").queue_depth == 0; }));
  EndpointStats stats = harness.engine->Stats("hook");
  EXPECT_EQ(stats.dead_lettered, 1u);
  EXPECT_EQ(stats.failed, 0u);  // expired, not rejected
  EXPECT_EQ(stats.retried, static_cast<uint64_t>(attempts));
}

TEST(DeliveryEngineTest, AnEntryAlreadyExpiredIsDeadLetteredWithoutAnAttempt) {
  Harness harness([](const CloudEvent&) { return Delivered(); }, FastOptions());
  ASSERT_NE(harness.engine, nullptr);
  OutboxEntry entry = Entry(1, "a");
  entry.committed_at = std::chrono::system_clock::now() - std::chrono::hours(25);
  harness.engine->Enqueue({entry});
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == 1; }));
  ASSERT_EQ(harness.journal.dead_letters().size(), 1u);
  EXPECT_EQ(harness.journal.dead_letters()[0].second,
            "time-to-live (86400 s) expired before the first delivery attempt");
  EXPECT_EQ(harness.log->Total(), 0);
}

TEST(DeliveryEngineTest, EntriesForAnUnknownEndpointAreDeadLetteredAtOnce) {
  Harness harness([](const CloudEvent&) { return Delivered(); }, FastOptions());
  ASSERT_NE(harness.engine, nullptr);
  EXPECT_TRUE(harness.engine->HasEndpoint("hook"));
  EXPECT_FALSE(harness.engine->HasEndpoint("gone"));
  harness.engine->Enqueue({Entry(1, "a", "gone")});
  auto dead = harness.journal.dead_letters();  // synchronously, in Enqueue
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].second, "endpoint 'gone' is not configured");
  EXPECT_EQ(harness.log->Total(), 0);
}

// A sink script that holds every delivery until released.
struct Gate {
  std::mutex mu;
  std::condition_variable changed;
  bool open = false;
  int waiting = 0;

  DeliveryResult Pass() {
    std::unique_lock<std::mutex> lock(mu);
    ++waiting;
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
    --waiting;
    return Delivered();
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    changed.notify_all();
  }
  bool WaitForWaiting(int count) {
    std::unique_lock<std::mutex> lock(mu);
    return changed.wait_for(lock, kPatience, [&] { return waiting >= count; });
  }
};

TEST(DeliveryEngineTest, FullOnceTheQueueDepthReachesTheBound) {
  auto gate = std::make_shared<Gate>();
  DeliveryOptions options = FastOptions();
  options.max_queue_depth = 3;
  Harness harness([gate](const CloudEvent&) { return gate->Pass(); }, options);
  ASSERT_NE(harness.engine, nullptr);
  harness.engine->Enqueue({Entry(1, "a"), Entry(2, "b")});
  EXPECT_FALSE(harness.engine->Full("hook"));
  harness.engine->Enqueue({Entry(3, "c")});
  EXPECT_TRUE(harness.engine->Full("hook"));
  EXPECT_EQ(harness.engine->Stats("hook").queue_depth, 3u);
  harness.engine->Enqueue({Entry(4, "d")});  // Enqueue itself never refuses nor blocks
  EXPECT_EQ(harness.engine->Stats("hook").queue_depth, 4u);
  EXPECT_FALSE(harness.engine->Full("unknown"));
  harness.engine->CountDeadLetteredWhenFull("hook");  // what the service does instead of queueing
  harness.engine->CountDeadLetteredWhenFull("unknown");
  EXPECT_EQ(harness.engine->Stats("hook").dead_lettered, 1u);
  EXPECT_EQ(harness.engine->Stats("hook").queue_depth, 4u);
  gate->Open();
  ASSERT_TRUE(WaitFor([&] { return harness.engine->Stats("hook").queue_depth == 0; }));
  EXPECT_FALSE(harness.engine->Full("hook"));
  EXPECT_EQ(harness.journal.delivered().size(), 4u);
  EXPECT_EQ(harness.engine->Stats("hook").dead_lettered, 1u);
}

TEST(DeliveryEngineTest, StopsPromptlyWhileALaneWaitsInALongBackoff) {
  DeliveryOptions options = FastOptions();
  options.initial_backoff = std::chrono::hours(1);
  options.max_backoff = std::chrono::hours(1);
  Harness harness([](const CloudEvent&) { return Retry("delivery: HTTP 503"); }, options);
  ASSERT_NE(harness.engine, nullptr);
  harness.engine->Enqueue({Entry(1, "a"), Entry(2, "a")});
  ASSERT_TRUE(WaitFor([&] { return harness.log->Attempts("event-1") == 1; }));
  DestroyOrAbort(harness.engine);
  EXPECT_EQ(harness.log->Total(), 1);
  EXPECT_EQ(harness.journal.finished(), 0u);  // both stay in the outbox for the next start
}

TEST(DeliveryEngineTest, StopLetsTheDeliveryInFlightFinishAndStartsNoOther) {
  auto gate = std::make_shared<Gate>();
  // One entry per batch: with more, entry 2 would be part of the batch in flight.
  DeliveryOptions options = FastOptions();
  options.max_batch_size = 1;
  Harness harness([gate](const CloudEvent&) { return gate->Pass(); }, options);
  ASSERT_NE(harness.engine, nullptr);
  harness.engine->Enqueue({Entry(1, "a"), Entry(2, "a")});
  ASSERT_TRUE(gate->WaitForWaiting(1));
  std::thread opener([gate] {
    // Lets the destructor raise its stop flag first; were it later, entry 2 would be attempted
    // and the test would fail, never pass wrongly.
    std::this_thread::sleep_for(milliseconds(200));
    gate->Open();
  });
  DestroyOrAbort(harness.engine);
  opener.join();
  ASSERT_EQ(harness.journal.delivered().size(), 1u);  // the acknowledged one is recorded
  EXPECT_EQ(harness.journal.delivered()[0].seq, 1u);
  EXPECT_EQ(harness.log->Attempts("event-2"), 0);
}

TEST(DeliveryEngineTest, MakeRefusesAnEndpointNamedTwiceAndPassesOnSinkErrors) {
  RecordingJournal journal;
  auto ok_sink = []() -> Result<std::unique_ptr<EventSink>> {
    return std::unique_ptr<EventSink>(std::make_unique<ScriptedSink>(
        std::make_shared<CallLog>(), [](const CloudEvent&) { return Delivered(); }));
  };
  std::vector<std::pair<std::string, SinkFactory>> twice;
  twice.emplace_back("a", ok_sink);
  twice.emplace_back("a", ok_sink);
  auto made = DeliveryEngine::Make(std::move(twice), FastOptions(), journal);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().message(), "endpoint 'a' is defined twice");

  std::vector<std::pair<std::string, SinkFactory>> failing;
  failing.emplace_back("b", []() -> Result<std::unique_ptr<EventSink>> {
    return Status(ErrorCode::kInvalidArgument, "bad URL");
  });
  made = DeliveryEngine::Make(std::move(failing), FastOptions(), journal);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().message(), "bad URL");
}

TEST(DeliveryEngineTest, MakesOneSinkPerLaneAndListsEndpoints) {
  RecordingJournal journal;
  std::map<std::string, int> made_sinks;
  std::vector<std::pair<std::string, SinkFactory>> endpoints;
  // The sink, not the URL, says whether it delivers a batch together: "batch" is a webhook
  // that does (as in batch mode), "http" one that sends each event on its own.
  const std::tuple<std::string, std::string, bool> sinks[] = {
      {"http", "http://receiver.test/hook?code=***", false},
      {"batch", "http://receiver.test/hook?mode=batch", true},
      {"mqtt", "mqtt://broker.test/t", true},
      {"nats", "nats://broker.test/s", true}};
  for (const auto& [name, url, together] : sinks) {
    endpoints.emplace_back(name, [&made_sinks, name, url, together] {
      ++made_sinks[name];
      return Result<std::unique_ptr<EventSink>>(std::make_unique<ScriptedSink>(
          std::make_shared<CallLog>(), [](const CloudEvent&) { return Delivered(); }, url,
          together));
    });
  }
  DeliveryOptions options = FastOptions();
  options.lanes_per_endpoint = 3;
  options.batching_lanes_per_endpoint = 2;
  auto made = DeliveryEngine::Make(std::move(endpoints), options, journal);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made_sinks,
            (std::map<std::string, int>{{"batch", 2}, {"http", 3}, {"mqtt", 2}, {"nats", 2}}));
  std::vector<EndpointInfo> infos = (*made)->Endpoints();
  ASSERT_EQ(infos.size(), 4u);
  EXPECT_EQ(infos[0].name, "batch");
  EXPECT_EQ(infos[0].kind, "webhook");
  EXPECT_EQ(infos[1].name, "http");
  EXPECT_EQ(infos[1].display_url, "http://receiver.test/hook?code=***");
  EXPECT_EQ(infos[1].kind, "webhook");
  EXPECT_EQ(infos[2].kind, "mqtt");
  EXPECT_EQ(infos[3].kind, "nats");
  // The defaults: 8 lanes for sinks that send each event on its own, 1 for the others.
  EXPECT_EQ(DeliveryOptions().lanes_per_endpoint, 8u);
  EXPECT_EQ(DeliveryOptions().batching_lanes_per_endpoint, 1u);
}

TEST(DeliveryEngineTest, CountsLatencyFromCommitToAcknowledgement) {
  const auto now = std::chrono::system_clock::now();
  DeliveryOptions options = FastOptions();
  options.now = [now] { return now; };  // a clock that stands: every latency is exact
  Harness harness([](const CloudEvent&) { return Delivered(); }, options);
  ASSERT_NE(harness.engine, nullptr);
  std::vector<OutboxEntry> entries;
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    entries.push_back(Entry(seq, "k" + std::to_string(seq)));
    entries.back().committed_at = now - milliseconds(7);
  }
  entries.push_back(Entry(4, "k4"));
  entries.back().committed_at = now - milliseconds(2000);
  harness.engine->Enqueue(std::move(entries));
  ASSERT_TRUE(WaitFor([&] { return harness.engine->Stats("hook").delivered == 4; }));
  EndpointStats stats = harness.engine->Stats("hook");
  // Bounds 1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000 ms; cumulative.
  std::array<uint64_t, 10> expected = {0, 0, 3, 3, 3, 3, 3, 3, 3, 4};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(stats.latency_buckets[i], expected[i]) << kLatencyBucketBounds[i].count() << " ms";
  }
  EXPECT_EQ(stats.latency_count, 4u);
  EXPECT_DOUBLE_EQ(stats.latency_sum_seconds, 3 * 0.007 + 2.0);
}

// --- batches (EventSink::DeliverBatch) ---

std::vector<DeliveryResult> AllDelivered(size_t count) {
  return std::vector<DeliveryResult>(count, Delivered());
}

std::vector<OutboxEntry> OneToFiveOnA() {
  return {Entry(1, "a"), Entry(2, "a"), Entry(3, "a"), Entry(4, "a"), Entry(5, "a")};
}

// One lane, whose first batch ("event-0" alone) is held while `next` is enqueued, so that
// those entries make up the next batch together; `then` answers the batches after the first.
struct HeldBatch {
  explicit HeldBatch(BatchScript then, std::vector<OutboxEntry> next = OneToFiveOnA())
      : harness(
            [this, then](const std::vector<std::string>& ids) {
              if (ids.front() == "event-0") {
                EXPECT_TRUE(WaitFor([&] { return released.load(); }));
                return AllDelivered(ids.size());
              }
              return then(ids);
            },
            Options()) {
    if (!harness.engine) return;
    harness.engine->Enqueue({Entry(0, "a")});
    EXPECT_TRUE(WaitFor([&] { return harness.batch_log->batches().size() == 1; }));
    harness.engine->Enqueue(std::move(next));
    released = true;
  }
  static DeliveryOptions Options() {
    DeliveryOptions options = FastOptions();
    options.lanes_per_endpoint = 1;
    return options;
  }
  std::vector<uint64_t> DeliveredSeqs() const {
    std::vector<uint64_t> seqs;
    for (const OutboxEntry& entry : harness.journal.delivered()) seqs.push_back(entry.seq);
    return seqs;
  }

  std::atomic<bool> released{false};
  Harness harness;
};

using Ids = std::vector<std::string>;

TEST(DeliveryEngineBatchTest, TheDefaultDeliverBatchStopsAfterTheFirstFailure) {
  auto log = std::make_shared<CallLog>();
  ScriptedSink sink(log, [](const CloudEvent& event) {
    return event.id == "b" ? Retry("HTTP 503") : Delivered();
  });
  CloudEvent a, b, c;
  a.id = "a";
  b.id = "b";
  c.id = "c";
  const CloudEvent* events[] = {&a, &b, &c};
  std::vector<DeliveryResult> results = sink.DeliverBatch(events);
  ASSERT_EQ(results.size(), 2u);  // c was not attempted
  EXPECT_EQ(results[0].outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(results[1].outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(results[1].reason, "HTTP 503");
  EXPECT_EQ(log->Attempts("c"), 0);
}

TEST(DeliveryEngineBatchTest, QueuedEntriesGoToTheSinkTogether) {
  HeldBatch held([](const Ids& ids) { return AllDelivered(ids.size()); });
  ASSERT_NE(held.harness.engine, nullptr);
  ASSERT_TRUE(WaitFor([&] { return held.harness.journal.finished() == 6; }));
  EXPECT_EQ(
      held.harness.batch_log->batches(),
      (std::vector<Ids>{{"event-0"}, {"event-1", "event-2", "event-3", "event-4", "event-5"}}));
  EXPECT_EQ(held.DeliveredSeqs(), (std::vector<uint64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(WaitFor([&] { return held.harness.engine->Stats("hook").queue_depth == 0; }));
}

// After the held batch, 1..5 went together and then 3..5 again; each was journalled once.
void ExpectSentAgainFromEvent3(const HeldBatch& held) {
  ASSERT_TRUE(WaitFor([&] { return held.harness.journal.finished() == 6; }));
  EXPECT_EQ(held.harness.batch_log->batches(),
            (std::vector<Ids>{{"event-0"},
                              {"event-1", "event-2", "event-3", "event-4", "event-5"},
                              {"event-3", "event-4", "event-5"}}));
  EXPECT_EQ(held.DeliveredSeqs(), (std::vector<uint64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(DeliveryEngineBatchTest, FewerResultsThanEventsOffersTheRestAgainAtOnce) {
  std::atomic<int> calls{0};
  HeldBatch held([&](const Ids& ids) {
    // The first time only the first two are attempted.
    return ++calls == 1 ? AllDelivered(2) : AllDelivered(ids.size());
  });
  ASSERT_NE(held.harness.engine, nullptr);
  ExpectSentAgainFromEvent3(held);
  EXPECT_EQ(held.harness.engine->Stats("hook").retried, 0u);
}

TEST(DeliveryEngineBatchTest, ARetryInTheMiddleResendsFromItWithEverythingAfterIt) {
  std::atomic<int> calls{0};
  HeldBatch held([&](const Ids& ids) {
    if (++calls > 1) return AllDelivered(ids.size());
    // event-4 and event-5 arrived, but behind event-3, which did not.
    return std::vector<DeliveryResult>{Delivered(), Delivered(), Retry("no PUBACK"), Delivered(),
                                       Delivered()};
  });
  ASSERT_NE(held.harness.engine, nullptr);
  ExpectSentAgainFromEvent3(held);
  // Each journalled once, in order: the copies of 4 and 5 before 3 do not count.
  EndpointStats stats = held.harness.engine->Stats("hook");
  EXPECT_EQ(stats.retried, 1u);
  EXPECT_EQ(stats.delivered, 6u);
}

TEST(DeliveryEngineBatchTest, ARejectionInTheMiddleIsDeadLetteredAndTheRestDelivered) {
  HeldBatch held([](const Ids& ids) {
    std::vector<DeliveryResult> results = AllDelivered(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == "event-2") results[i] = Rejected("delivery: HTTP 400");
    }
    return results;
  });
  ASSERT_NE(held.harness.engine, nullptr);
  ASSERT_TRUE(WaitFor([&] { return held.harness.journal.finished() == 6; }));
  EXPECT_EQ(held.harness.batch_log->batches().size(), 2u);  // never sent again
  EXPECT_EQ(held.DeliveredSeqs(), (std::vector<uint64_t>{0, 1, 3, 4, 5}));
  auto dead = held.harness.journal.dead_letters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].first.seq, 2u);
  EXPECT_EQ(dead[0].second, "delivery: HTTP 400");
  EXPECT_EQ(held.harness.engine->Stats("hook").failed, 1u);
}

TEST(DeliveryEngineBatchTest, AnExpiredEntryInABatchIsDeadLetteredWithoutAnAttempt) {
  OutboxEntry expired = Entry(2, "a");
  expired.committed_at -= std::chrono::hours(25);
  HeldBatch held([](const Ids& ids) { return AllDelivered(ids.size()); },
                 {Entry(1, "a"), expired, Entry(3, "a")});
  ASSERT_NE(held.harness.engine, nullptr);
  ASSERT_TRUE(WaitFor([&] { return held.harness.journal.finished() == 4; }));
  auto dead = held.harness.journal.dead_letters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].first.seq, 2u);
  EXPECT_EQ(dead[0].second, "time-to-live (86400 s) expired before the first delivery attempt");
  EXPECT_EQ(held.harness.batch_log->batches(),
            (std::vector<Ids>{{"event-0"}, {"event-1", "event-3"}}));
  EXPECT_EQ(held.DeliveredSeqs(), (std::vector<uint64_t>{0, 1, 3}));
}

TEST(DeliveryEngineBatchTest, KeepsPerKeyOrderWithRetriesAnywhereInBatches) {
  // Every batch's first attempt fails at a position chosen by its first id; the sink records
  // what the receiver got, duplicates included.
  std::mutex mu;
  std::set<std::string> failed_once;
  std::vector<std::string> received;  // guarded by mu
  DeliveryOptions options = FastOptions();
  options.max_batch_size = 8;
  Harness harness(
      [&](const Ids& ids) {
        std::lock_guard<std::mutex> lock(mu);
        EXPECT_LE(ids.size(), 8u);
        std::vector<DeliveryResult> results = AllDelivered(ids.size());
        if (failed_once.insert(ids.front()).second) {
          size_t at = std::hash<std::string>{}(ids.front()) % ids.size();
          results[at] = Retry("HTTP 503");
        }
        for (size_t i = 0; i < ids.size(); ++i) {
          if (results[i].outcome == DeliveryOutcome::kDelivered) received.push_back(ids[i]);
        }
        return results;
      },
      options);
  ASSERT_NE(harness.engine, nullptr);
  constexpr int kKeys = 20;
  constexpr int kPerKey = 50;
  std::vector<OutboxEntry> entries;
  std::map<std::string, std::string> key_of;
  uint64_t seq = 0;
  for (int round = 0; round < kPerKey; ++round) {
    for (int key = 0; key < kKeys; ++key) {
      entries.push_back(Entry(++seq, "twin-" + std::to_string(key)));
      key_of[entries.back().event.id] = entries.back().partition_key;
    }
  }
  harness.engine->Enqueue(std::move(entries));
  ASSERT_TRUE(WaitFor([&] { return harness.journal.finished() == kKeys * kPerKey; }));

  ExpectEachOnceInPerKeyOrder(harness.journal.delivered(), kKeys * kPerKey);
  // At the receiver, the last copy of each event keeps per-key order.
  std::lock_guard<std::mutex> lock(mu);
  std::map<std::string, size_t> last_copy;
  for (size_t i = 0; i < received.size(); ++i) last_copy[received[i]] = i;
  std::map<std::string, std::pair<uint64_t, size_t>> previous;  // key -> (seq, position)
  for (uint64_t s = 1; s <= seq; ++s) {
    std::string id = "event-" + std::to_string(s);
    ASSERT_TRUE(last_copy.contains(id)) << id;
    auto& [prev_seq, prev_position] = previous[key_of[id]];
    if (prev_seq != 0) {
      EXPECT_GT(last_copy[id], prev_position) << id;
    }
    previous[key_of[id]] = {s, last_copy[id]};
  }
  EXPECT_GT(harness.engine->Stats("hook").retried, 0u);
}

}  // namespace
}  // namespace dtwin::events
