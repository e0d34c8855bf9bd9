// Notifications through the service: which writes emit which events, routing by filter,
// the outbox in the same batch as the change, delivery after a restart, dead letters and
// their replay, and the bounded queue. Sinks are in-test recorders.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "events/event_sink.h"
#include "service/request_trace.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

namespace json = boost::json;
using events::CloudEvent;
using events::DeliveryOutcome;
using events::DeliveryResult;

// What every sink of one endpoint shares: the events delivered, and scripted answers.
struct SinkRecord {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<CloudEvent> delivered;   // guarded by mu
  std::deque<DeliveryOutcome> script;  // answers before the default kDelivered
  bool hold = false;                   // while true, Deliver waits

  // Waits (at most 10 s, a hang guard) until count events arrived.
  bool WaitFor(size_t count) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, std::chrono::seconds(10),
                            [&] { return delivered.size() >= count; });
  }
  std::vector<CloudEvent> Delivered() {
    std::lock_guard lock(mu);
    return delivered;
  }
  void Release() {
    {
      std::lock_guard lock(mu);
      hold = false;
    }
    changed.notify_all();
  }
};

class RecordingSink : public events::EventSink {
 public:
  explicit RecordingSink(std::shared_ptr<SinkRecord> record) : record_(std::move(record)) {}
  DeliveryResult Deliver(const CloudEvent& event) override {
    std::unique_lock lock(record_->mu);
    record_->changed.wait(lock, [&] { return !record_->hold; });
    DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
    if (!record_->script.empty()) {
      outcome = record_->script.front();
      record_->script.pop_front();
    }
    if (outcome == DeliveryOutcome::kDelivered) record_->delivered.push_back(event);
    record_->changed.notify_all();
    return {outcome, outcome == DeliveryOutcome::kDelivered ? "" : "scripted failure", {}};
  }
  std::string DisplayUrl() const override { return "test://recorder"; }

 private:
  std::shared_ptr<SinkRecord> record_;
};

class EventDeliveryTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    StartDelivery();
  }

  void StartDelivery(size_t max_queue_depth = 1000) {
    events::DeliveryOptions options;
    options.lanes_per_endpoint = 1;  // one lane: the endpoint's order is the commit order
    options.initial_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(5);
    options.max_queue_depth = max_queue_depth;
    std::vector<std::pair<std::string, events::SinkFactory>> endpoints;
    for (auto& [name, record] : {std::pair{"hub", hub_}, std::pair{"grid", grid_}}) {
      endpoints.emplace_back(name, [record] {
        return Result<std::unique_ptr<events::EventSink>>(std::make_unique<RecordingSink>(record));
      });
    }
    Status started = service_->StartEventDelivery(std::move(endpoints), options, "localhost");
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  // A new service on the same store whose endpoints queue at most max_queue_depth events.
  void RestartWithQueueDepth(size_t max_queue_depth) {
    service_.reset();
    Restart();
    StartDelivery(max_queue_depth);
  }

  Result<size_t> ReplayDeadLetters(const std::string& endpoint) {
    return Await<size_t>(
        [&](auto done) { service_->ReplayDeadLetters(endpoint, std::move(done)); });
  }

  // Makes the service's own commits (deliveries, dead letters) durable.
  void FlushStore() { store_->Flush(); }

  // Flushes until the store holds count dead letters; false after 5 s (a hang guard).
  bool DeadLettersReach(size_t count) {
    for (int i = 0; i < 1000 && data_->dead_letters.size() < count; ++i) {
      FlushStore();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return data_->dead_letters.size() >= count;
  }

  // Flushes until every delivered event's outbox row is deleted (deletes are coalesced, so a
  // flush may queue the next batch of them); false after 10 s (a hang guard).
  bool OutboxDrains() {
    for (int i = 0; i < 1000; ++i) {
      FlushStore();
      if (data_->outbox.empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::shared_ptr<SinkRecord> hub_ = std::make_shared<SinkRecord>();
  std::shared_ptr<SinkRecord> grid_ = std::make_shared<SinkRecord>();
};

TEST_F(EventDeliveryTest, WithoutRoutesNothingIsQueued) {
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_TRUE(SendTelemetry("r1", "", R"({"t": 1})").ok());
  EXPECT_TRUE(data_->outbox.empty());
  EXPECT_TRUE(hub_->Delivered().empty());
}

TEST_F(EventDeliveryTest, EveryChangeEmitsItsNotificationInOrder) {
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  ASSERT_TRUE(PutRoom("r1", R"("temperature": 20)").ok());
  ASSERT_TRUE(PutRoom("r2").ok());
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "replace", "path": "/temperature", "value": 21}])").ok());
  ASSERT_TRUE(
      PatchComponent("r1", "thermostat", R"([{"op": "add", "path": "/setpoint", "value": 19.5}])")
          .ok());
  ASSERT_TRUE(
      PutRelationship("r1", "adj", R"({"$targetId": "r2", "$relationshipName": "adjacentTo"})")
          .ok());
  ASSERT_TRUE(SendTelemetry("r1", "thermostat", R"({"setpoint": 19})", "msg-7").ok());
  ASSERT_TRUE(DeleteRelationship("r1", "adj").ok());
  ASSERT_TRUE(DeleteTwin("r2").ok());
  ASSERT_TRUE(hub_->WaitFor(8)) << hub_->Delivered().size() << " delivered, outbox "
                                << data_->outbox.size();
  std::vector<CloudEvent> got = hub_->Delivered();
  ASSERT_EQ(got.size(), 8u);
  std::vector<std::string> types;
  for (const CloudEvent& event : got) types.push_back(event.type + " " + event.subject);
  EXPECT_EQ(types, (std::vector<std::string>{
                       "Microsoft.DigitalTwins.Twin.Create r1",
                       "Microsoft.DigitalTwins.Twin.Create r2",
                       "Microsoft.DigitalTwins.Twin.Update r1",
                       "Microsoft.DigitalTwins.Twin.Update r1",
                       "Microsoft.DigitalTwins.Relationship.Create r1/relationships/adj",
                       "microsoft.iot.telemetry thermostat",
                       "Microsoft.DigitalTwins.Relationship.Delete r1/relationships/adj",
                       "Microsoft.DigitalTwins.Twin.Delete r2",
                   }));
  EXPECT_EQ(got[0].source, "localhost");
  EXPECT_EQ(json::parse(got[0].data).at("temperature"), 20);
  EXPECT_EQ(json::parse(got[2].data), json::parse(R"({"modelId": "dtmi:test:Room;1",
                            "patch": [{"value": 21, "path": "/temperature", "op": "replace"}]})"));
  EXPECT_EQ(json::parse(got[3].data).at("patch"),
            json::parse(R"([{"value": 19.5, "path": "/thermostat/setpoint", "op": "add"}])"));
  EXPECT_EQ(got[5].id, "msg-7");
  EXPECT_EQ(got[5].source, "localhost/digitaltwins/r1");
  EXPECT_EQ(got[5].data_schema, "dtmi:test:Thermostat;1");
  EXPECT_EQ(json::parse(got[7].data).at("$dtId"), "r2");
  EXPECT_TRUE(OutboxDrains());  // every delivered row is deleted
}

TEST_F(EventDeliveryTest, ReplacingATwinEmitsTheDifferenceAsAnUpdate) {
  ASSERT_TRUE(PutRoom("r1", R"("temperature": 20, "humidity": 40)").ok());
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  ASSERT_TRUE(PutRoom("r1", R"("temperature": 22, "tags": {"a": "x"})").ok());
  ASSERT_TRUE(hub_->WaitFor(1));
  CloudEvent update = hub_->Delivered().at(0);
  EXPECT_EQ(update.type, "Microsoft.DigitalTwins.Twin.Update");
  EXPECT_EQ(json::parse(update.data).at("patch"),
            json::parse(R"([{"path": "/humidity", "op": "remove"},
                            {"value": 22, "path": "/temperature", "op": "replace"},
                            {"value": {"a": "x"}, "path": "/tags", "op": "add"}])"));
}

TEST_F(EventDeliveryTest, FiltersChooseTheEndpointsAndARouteChangeAppliesToTheNextEvent) {
  ASSERT_TRUE(PutRoute("creates", R"({"endpointName": "hub",
      "filter": "type = 'Microsoft.DigitalTwins.Twin.Create'"})")
                  .ok());
  ASSERT_TRUE(
      PutRoute("warm", R"({"endpointName": "grid", "filter": "$body.temperature > 25"})").ok());
  ASSERT_TRUE(PutRoom("cold", R"("temperature": 10)").ok());
  ASSERT_TRUE(PutRoom("warm", R"("temperature": 30)").ok());
  ASSERT_TRUE(hub_->WaitFor(2));
  ASSERT_TRUE(grid_->WaitFor(1));
  ASSERT_TRUE(DeleteRoute("creates").ok());
  ASSERT_TRUE(PutRoom("later").ok());
  ASSERT_TRUE(PutRoute("again", R"({"endpointName": "hub", "filter": "true"})").ok());
  ASSERT_TRUE(DeleteTwin("later").ok());
  ASSERT_TRUE(hub_->WaitFor(3));
  std::vector<CloudEvent> hub = hub_->Delivered();
  ASSERT_EQ(hub.size(), 3u);
  EXPECT_EQ(hub[0].subject, "cold");
  EXPECT_EQ(hub[1].subject, "warm");
  EXPECT_EQ(hub[2].type, "Microsoft.DigitalTwins.Twin.Delete");  // not the Create of "later"
  std::vector<CloudEvent> grid = grid_->Delivered();
  ASSERT_EQ(grid.size(), 1u);
  EXPECT_EQ(grid[0].subject, "warm");
}

TEST_F(EventDeliveryTest, TheRequestTraceIsContinued) {
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  {
    ScopedRequestTrace trace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    ASSERT_TRUE(PutRoom("traced").ok());
  }
  ASSERT_TRUE(PutRoom("untraced").ok());
  ASSERT_TRUE(hub_->WaitFor(2));
  std::vector<CloudEvent> got = hub_->Delivered();
  EXPECT_TRUE(got[0].traceparent.starts_with("00-0af7651916cd43dd8448eb211c80319c-"))
      << got[0].traceparent;
  EXPECT_NE(got[0].traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_FALSE(got[1].traceparent.starts_with("00-0af7651916cd43dd8448eb211c80319c-"));
  EXPECT_EQ(got[1].traceparent.size(), 55u);
}

TEST_F(EventDeliveryTest, TelemetryNoRouteTakesCommitsNothing) {
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_TRUE(PutRoute("creates", R"({"endpointName": "hub",
      "filter": "type = 'Microsoft.DigitalTwins.Twin.Create'"})")
                  .ok());
  const size_t batches = data_->committed_batches;
  ASSERT_TRUE(SendTelemetry("r1", "", R"({"t": 1})").ok());
  EXPECT_EQ(data_->committed_batches, batches);
  ASSERT_TRUE(PutRoute("telemetry", R"({"endpointName": "hub",
      "filter": "type = 'microsoft.iot.telemetry'"})")
                  .ok());
  ASSERT_TRUE(SendTelemetry("r1", "", R"({"t": 2})", "m2").ok());
  EXPECT_EQ(data_->committed_batches, batches + 2);  // the route, then the routed telemetry
  ASSERT_TRUE(hub_->WaitFor(1));
  EXPECT_EQ(hub_->Delivered()[0].id, "m2");
}

TEST_F(EventDeliveryTest, TheChangeAndItsEventAreInOneBatch) {
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->hold = true;  // nothing is delivered (or deleted) yet
  const size_t batches = data_->committed_batches;
  ASSERT_TRUE(PutRoom("r1").ok());
  EXPECT_EQ(data_->committed_batches, batches + 1);
  ASSERT_EQ(data_->outbox.size(), 1u);
  EXPECT_EQ(data_->outbox.begin()->second.first, "hub");
  EXPECT_TRUE(data_->twins.contains("r1"));
  hub_->Release();
}

TEST_F(EventDeliveryTest, AnEventForTwoEndpointsIsOneRowDeletedWhenBothAreDone) {
  ASSERT_TRUE(PutRoute("a", R"({"endpointName": "hub", "filter": "true"})").ok());
  ASSERT_TRUE(PutRoute("b", R"({"endpointName": "grid", "filter": "true"})").ok());
  hub_->hold = true;
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_EQ(data_->outbox.size(), 1u);
  EXPECT_EQ(data_->outbox.begin()->second.first, "hub,grid");
  ASSERT_TRUE(grid_->WaitFor(1));
  FlushStore();
  EXPECT_EQ(data_->outbox.size(), 1u);  // the hub has not taken it yet
  hub_->Release();
  ASSERT_TRUE(hub_->WaitFor(1));
  EXPECT_TRUE(OutboxDrains());
  EXPECT_EQ(hub_->Delivered()[0].id, grid_->Delivered()[0].id);  // one event, two endpoints
}

TEST_F(EventDeliveryTest, AnEndpointThatGivesUpLeavesTheRowToTheOthersAcrossARestart) {
  ASSERT_TRUE(PutRoute("a", R"({"endpointName": "hub", "filter": "true"})").ok());
  ASSERT_TRUE(PutRoute("b", R"({"endpointName": "grid", "filter": "true"})").ok());
  hub_->script = {DeliveryOutcome::kRejected};
  grid_->hold = true;
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_EQ(data_->outbox.size(), 1u);
  const uint64_t row = data_->outbox.begin()->first;
  ASSERT_TRUE(DeadLettersReach(1));
  ASSERT_EQ(data_->dead_letters.size(), 1u);
  EXPECT_NE(data_->dead_letters.begin()->first, row);  // a dead letter has an id of its own
  EXPECT_EQ(data_->dead_letters.begin()->second.first, "hub");
  ASSERT_EQ(data_->outbox.size(), 1u);
  EXPECT_EQ(data_->outbox.begin()->second.first, "grid");  // only the grid still waits

  // After a restart the row goes to the grid alone: the hub gave it up already.
  grid_->script = {DeliveryOutcome::kRetry};  // the held attempt fails as the service stops
  grid_->Release();
  service_.reset();
  hub_ = std::make_shared<SinkRecord>();
  grid_ = std::make_shared<SinkRecord>();
  Restart();
  StartDelivery();
  ASSERT_TRUE(grid_->WaitFor(1));
  EXPECT_EQ(grid_->Delivered()[0].subject, "r1");
  ASSERT_TRUE(OutboxDrains());
  EXPECT_TRUE(hub_->Delivered().empty());
  Result<Page<DeadLetter>> letters = service_->ListDeadLetters("hub", {});
  ASSERT_TRUE(letters.ok());
  EXPECT_EQ(letters->items.size(), 1u);
}

TEST_F(EventDeliveryTest, ARowTheOtherEndpointsAreDoneWithListsTheWaitingOneAfterASecond) {
  ASSERT_TRUE(PutRoute("a", R"({"endpointName": "hub", "filter": "true"})").ok());
  ASSERT_TRUE(PutRoute("b", R"({"endpointName": "grid", "filter": "true"})").ok());
  hub_->script.assign(100000, DeliveryOutcome::kRetry);  // the hub is down
  ASSERT_TRUE(PutRoom("r1").ok());
  const uint64_t r1_row = data_->outbox.begin()->first;
  ASSERT_TRUE(grid_->WaitFor(1));
  FlushStore();
  EXPECT_EQ(data_->outbox.at(r1_row).first, "hub,grid");  // young: not rewritten
  // A second later, the next delivery report rewrites r1's row; r2's is young.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(PutRoom("r2").ok());
  ASSERT_TRUE(grid_->WaitFor(2));
  for (int i = 0; i < 1000 && data_->outbox.at(r1_row).first != "hub"; ++i) {
    FlushStore();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(data_->outbox.at(r1_row).first, "hub");
  ASSERT_EQ(data_->outbox.size(), 2u);
  EXPECT_EQ(std::prev(data_->outbox.end())->second.first, "hub,grid");

  // A stop rewrites the young row too; after it, the grid is offered nothing again.
  service_.reset();
  EXPECT_EQ(std::prev(data_->outbox.end())->second.first, "hub");
  EXPECT_TRUE(hub_->Delivered().empty());
  hub_ = std::make_shared<SinkRecord>();
  grid_ = std::make_shared<SinkRecord>();
  Restart();
  StartDelivery();
  ASSERT_TRUE(hub_->WaitFor(2));
  ASSERT_TRUE(OutboxDrains());
  EXPECT_TRUE(grid_->Delivered().empty());
}

TEST_F(EventDeliveryTest, DeletesOfDeliveredRowsAreCoalesced) {
  constexpr int kEvents = 50;
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->hold = true;
  for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(PutRoom("r" + std::to_string(i)).ok());
  const size_t batches = data_->committed_batches;
  hub_->Release();
  ASSERT_TRUE(hub_->WaitFor(kEvents));
  ASSERT_TRUE(OutboxDrains());
  // One batch in flight gathers the deletes of everything delivered meanwhile.
  EXPECT_LT(data_->committed_batches - batches, static_cast<size_t>(kEvents) / 5);
}

TEST_F(EventDeliveryTest, EventsLeftInTheOutboxAreDeliveredAfterARestart) {
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->hold = true;
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "add", "path": "/temperature", "value": 5}])").ok());
  ASSERT_EQ(data_->outbox.size(), 2u);
  // The first sink answers "retry" once released, then the service goes away.
  hub_->script.push_back(DeliveryOutcome::kRetry);
  hub_->Release();
  service_.reset();
  auto fresh = std::make_shared<SinkRecord>();
  hub_ = fresh;
  Restart();
  StartDelivery();
  ASSERT_TRUE(hub_->WaitFor(2));
  std::vector<CloudEvent> got = hub_->Delivered();
  EXPECT_EQ(got[0].type, "Microsoft.DigitalTwins.Twin.Create");
  EXPECT_EQ(got[1].type, "Microsoft.DigitalTwins.Twin.Update");
  EXPECT_TRUE(OutboxDrains());
  // New events continue after the loaded sequence numbers.
  ASSERT_TRUE(DeleteTwin("r1").ok());
  ASSERT_TRUE(hub_->WaitFor(3));
}

TEST_F(EventDeliveryTest, RejectedEventsAreDeadLetteredListedAndReplayed) {
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->script = {DeliveryOutcome::kRejected};
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_TRUE(PutRoom("r2").ok());
  ASSERT_TRUE(hub_->WaitFor(1));  // r2's create; r1's was rejected
  Result<Page<DeadLetter>> letters = Status(ErrorCode::kInternal, "not listed");
  for (int i = 0; i < 1000; ++i) {  // the dead letter is recorded once its batch commits
    FlushStore();
    letters = service_->ListDeadLetters("hub", {});
    if (letters.ok() && !letters->items.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(letters.ok()) << letters.status().ToString();
  ASSERT_EQ(letters->items.size(), 1u);
  EXPECT_EQ(letters->items[0].endpoint, "hub");
  EXPECT_NE(letters->items[0].reason.find("scripted failure"), std::string::npos);
  EXPECT_NE(letters->items[0].event_json.find("\"subject\":\"r1\""), std::string::npos);
  EXPECT_EQ(data_->dead_letters.size(), 1u);
  EXPECT_CODE(service_->ListDeadLetters("nowhere", {}), ErrorCode::kNotFound);

  Result<size_t> replayed = ReplayDeadLetters("hub");
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(*replayed, 1u);
  ASSERT_TRUE(hub_->WaitFor(2));
  EXPECT_EQ(hub_->Delivered()[1].subject, "r1");
  EXPECT_TRUE(service_->ListDeadLetters("hub", {})->items.empty());
  EXPECT_TRUE(data_->dead_letters.empty());
}

TEST_F(EventDeliveryTest, AFullQueueDeadLettersAtWriteTimeAndTheWriteSucceeds) {
  RestartWithQueueDepth(1);
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->hold = true;
  ASSERT_TRUE(PutRoom("r1").ok());
  ASSERT_TRUE(PutRoom("r2").ok());  // the queue holds r1's event
  EXPECT_EQ(data_->dead_letters.size(), 1u);
  Result<Page<DeadLetter>> letters = service_->ListDeadLetters("hub", {});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->items.size(), 1u);
  EXPECT_NE(letters->items[0].reason.find("outbox full"), std::string::npos);
  EXPECT_TRUE(service_->GetTwin("r2").ok());
  hub_->Release();
}

TEST_F(EventDeliveryTest, AReplayGoesInCommitOrderWhateverOrderTheLettersWereWrittenIn) {
  RestartWithQueueDepth(1);
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->hold = true;
  hub_->script = {DeliveryOutcome::kRejected};
  ASSERT_TRUE(PutRoom("r1").ok());  // queued: the hub takes it and waits
  ASSERT_TRUE(PatchTwin("r1", R"([{"op": "add", "path": "/temperature", "value": 5}])").ok());
  ASSERT_EQ(data_->dead_letters.size(), 1u);  // the update, refused at write time: queue full
  hub_->Release();  // now the create is rejected: dead-lettered after the update
  ASSERT_TRUE(DeadLettersReach(2));
  Result<Page<DeadLetter>> letters = service_->ListDeadLetters("hub", {});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->items.size(), 2u);
  EXPECT_NE(letters->items[0].reason.find("outbox full"), std::string::npos);  // listed first

  Result<size_t> replayed = ReplayDeadLetters("hub");
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(*replayed, 2u);
  ASSERT_TRUE(hub_->WaitFor(2));
  EXPECT_EQ(hub_->Delivered()[0].type, "Microsoft.DigitalTwins.Twin.Create");
  EXPECT_EQ(hub_->Delivered()[1].type, "Microsoft.DigitalTwins.Twin.Update");
}

TEST_F(EventDeliveryTest, DeadLettersPageByContinuation) {
  ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  hub_->script.assign(5, DeliveryOutcome::kRejected);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(PutRoom("r" + std::to_string(i)).ok());
  ASSERT_TRUE(DeadLettersReach(5));
  std::vector<uint64_t> ids;
  PageRequest request{.continuation = "", .max_items = 2};
  do {
    Result<Page<DeadLetter>> page = service_->ListDeadLetters("hub", request);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->items.size(), 2u);
    for (const DeadLetter& letter : page->items) ids.push_back(letter.id);
    request.continuation = page->continuation;
  } while (!request.continuation.empty());
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_CODE(service_->ListDeadLetters("hub", {.continuation = "bogus", .max_items = 0}),
              ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace dtwin::service
