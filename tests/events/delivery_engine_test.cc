// Tests of the delivery engine with scripted in-process sinks: per-key order under parallel
// lanes, retries with backoff, Retry-After, rejections and the time-to-live dead-lettered with
// their reasons, unknown endpoints, the queue bound, prompt shutdown, and the counters.
#include "events/delivery_engine.h"

#include <gtest/gtest.h>

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
#include <string>
#include <thread>
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
  ScriptedSink(std::shared_ptr<CallLog> log, Script script)
      : log_(std::move(log)), script_(std::move(script)) {}
  DeliveryResult Deliver(const CloudEvent& event) override {
    log_->Record(event.id);
    return script_(event);
  }
  std::string DisplayUrl() const override { return "http://receiver.test/hook?code=***"; }

 private:
  std::shared_ptr<CallLog> log_;
  Script script_;
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

// An engine with one endpoint "hook" whose lanes all run `script`.
struct Harness {
  Harness(Script script, DeliveryOptions options) : log(std::make_shared<CallLog>()) {
    std::vector<std::pair<std::string, SinkFactory>> endpoints;
    endpoints.emplace_back("hook", [log = log, script]() -> Result<std::unique_ptr<EventSink>> {
      return std::unique_ptr<EventSink>(std::make_unique<ScriptedSink>(log, script));
    });
    Result<std::unique_ptr<DeliveryEngine>> made =
        DeliveryEngine::Make(std::move(endpoints), std::move(options), journal);
    if (!made.ok()) {
      ADD_FAILURE() << made.status().ToString();
      return;
    }
    engine = std::move(made).value();
  }

  RecordingJournal journal;
  std::shared_ptr<CallLog> log;
  std::unique_ptr<DeliveryEngine> engine;  // destroyed first: its threads use journal and log
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

  std::map<std::string, uint64_t> last_seq;
  std::set<uint64_t> seen;
  for (const OutboxEntry& entry : harness.journal.delivered()) {
    EXPECT_GT(entry.seq, last_seq[entry.partition_key]) << entry.partition_key;
    last_seq[entry.partition_key] = entry.seq;
    EXPECT_TRUE(seen.insert(entry.seq).second) << "delivered twice: " << entry.seq;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kKeys * kPerKey));
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
  Harness harness([gate](const CloudEvent&) { return gate->Pass(); }, FastOptions());
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
  int made_sinks = 0;
  std::vector<std::pair<std::string, SinkFactory>> endpoints;
  endpoints.emplace_back("z-hook", [&made_sinks]() -> Result<std::unique_ptr<EventSink>> {
    ++made_sinks;
    return std::unique_ptr<EventSink>(std::make_unique<ScriptedSink>(
        std::make_shared<CallLog>(), [](const CloudEvent&) { return Delivered(); }));
  });
  DeliveryOptions options = FastOptions();
  options.lanes_per_endpoint = 3;
  auto made = DeliveryEngine::Make(std::move(endpoints), options, journal);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made_sinks, 3);
  std::vector<EndpointInfo> infos = (*made)->Endpoints();
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].name, "z-hook");
  EXPECT_EQ(infos[0].display_url, "http://receiver.test/hook?code=***");
  EXPECT_EQ(infos[0].kind, "webhook");
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

}  // namespace
}  // namespace dtwin::events
