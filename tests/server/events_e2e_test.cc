// Notifications end to end: `dtwin serve` with a webhook endpoint delivering to a receiver in
// this process; the CloudEvents that arrive, the trace they continue, dead letters and their
// replay through /extensions/endpoints, /metrics, and a crash test (receiver down, server
// killed with SIGKILL mid-delivery, restarted): every committed change arrives at least once,
// in per-twin order, duplicates carrying the same event id.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "client/fake_http_server.h"
#include "client/webhook_receiver.h"
#include "dtwin_server_process.h"
#include "mosquitto_broker.h"
#include "raw_http_client.h"

namespace dtwin::server {
namespace {

namespace json = boost::json;
using client::testing::Eventually;
using client::testing::FakeHttpServer;
using client::testing::RecordedRequest;
using client::testing::ScriptedResponse;
using testing::CallOnce;
using testing::RawResponse;

constexpr const char* kApi = "?api-version=2023-10-31";
constexpr const char* kModels = R"([{"@id": "dtmi:e2e:Meter;1", "@type": "Interface",
  "@context": "dtmi:dtdl:context;3",
  "contents": [{"@type": "Property", "name": "reading", "schema": "integer"}]}])";

// A webhook receiver's answer: the CloudEvents validation handshake (OPTIONS) allowed for
// any origin, then status for every event.
ScriptedResponse ReceiverAnswer(const RecordedRequest& request, int status,
                                std::chrono::milliseconds delay = {}) {
  ScriptedResponse response;
  if (request.method == "OPTIONS") {
    response.headers = {{"WebHook-Allowed-Origin", "*"}};
    return response;
  }
  response.status = status;
  response.delay = delay;
  return response;
}

// The events posted to a receiver, in arrival order.
std::vector<RecordedRequest> Posts(const FakeHttpServer& receiver) {
  std::vector<RecordedRequest> posts;
  for (RecordedRequest& request : receiver.Requests()) {
    if (request.method == "POST") posts.push_back(std::move(request));
  }
  return posts;
}

std::vector<json::object> PostedEvents(const FakeHttpServer& receiver) {
  std::vector<json::object> events;
  for (const RecordedRequest& post : Posts(receiver)) {
    events.push_back(json::parse(post.body).as_object());
  }
  return events;
}

class EventsE2eTest : public ::testing::Test {
 protected:
  // Starts a server whose endpoint "hook" posts to url.
  bool StartServer(dtwin::testing::DtwinServerProcess& server, const std::string& url,
                   const std::filesystem::path& data_dir = {}) {
    return server.Start({"--endpoint", "hook=" + url, "--event-source", "dt.example.test"},
                        data_dir);
  }
  static void Expect(const RawResponse& response, int status) {
    EXPECT_EQ(response.status, status) << response.body;
  }
  static void SetUpInstance(int port) {
    Expect(CallOnce(port, "POST", std::string("/models") + kApi, kModels), 201);
    Expect(CallOnce(port, "PUT", std::string("/eventroutes/all") + kApi,
                    R"({"endpointName": "hook", "filter": "true"})"),
           204);
  }
  static void PutMeter(int port, const std::string& id) {
    Expect(CallOnce(port, "PUT", "/digitaltwins/" + id + kApi,
                    R"({"$metadata": {"$model": "dtmi:e2e:Meter;1"}, "reading": 0})"),
           200);
  }
  static void PatchReading(int port, const std::string& id, int reading,
                           const std::vector<std::string>& headers = {}) {
    Expect(CallOnce(port, "PATCH", "/digitaltwins/" + id + kApi,
                    R"([{"op": "replace", "path": "/reading", "value": )" +
                        std::to_string(reading) + "}]",
                    headers),
           204);
  }
};

TEST_F(EventsE2eTest, ChangesAndTelemetryArriveAsCloudEvents) {
  FakeHttpServer receiver;
  receiver.SetHandler([](const RecordedRequest& request) { return ReceiverAnswer(request, 200); });
  dtwin::testing::DtwinServerProcess server;
  ASSERT_TRUE(StartServer(server, receiver.Url() + "/events")) << server.Stderr();
  SetUpInstance(server.port());
  PutMeter(server.port(), "m1");
  PatchReading(server.port(), "m1", 7,
               {"traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"});
  Expect(CallOnce(server.port(), "POST", std::string("/digitaltwins/m1/telemetry") + kApi,
                  R"({"power": 3.5})", {"Message-Id: msg-1"}),
         204);
  ASSERT_TRUE(Eventually([&] { return Posts(receiver).size() >= 3; }));
  std::vector<RecordedRequest> requests = Posts(receiver);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].Path(), "/events");
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/cloudevents+json");
  std::vector<json::object> events = PostedEvents(receiver);
  EXPECT_EQ(events[0].at("type"), "Microsoft.DigitalTwins.Twin.Create");
  EXPECT_EQ(events[0].at("source"), "dt.example.test");
  EXPECT_EQ(events[0].at("subject"), "m1");
  EXPECT_EQ(events[0].at("data").at("$metadata").at("$model"), "dtmi:e2e:Meter;1");
  EXPECT_EQ(events[1].at("type"), "Microsoft.DigitalTwins.Twin.Update");
  EXPECT_EQ(events[1].at("data"), json::parse(R"({"modelId": "dtmi:e2e:Meter;1",
                            "patch": [{"value": 7, "path": "/reading", "op": "replace"}]})"));
  EXPECT_TRUE(json::value_to<std::string>(events[1].at("traceparent"))
                  .starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
  EXPECT_EQ(events[2].at("type"), "microsoft.iot.telemetry");
  EXPECT_EQ(events[2].at("id"), "msg-1");
  EXPECT_EQ(events[2].at("source"), "dt.example.test/digitaltwins/m1");
  EXPECT_EQ(events[2].at("dataschema"), "dtmi:e2e:Meter;1");
  EXPECT_EQ(events[2].at("data"), json::parse(R"({"power": 3.5})"));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(EventsE2eTest, RejectedEventsAreDeadLetteredListedAndReplayed) {
  FakeHttpServer receiver;
  std::mutex mu;
  int answer = 400;  // guarded by mu
  receiver.SetHandler([&](const RecordedRequest& request) {
    std::lock_guard lock(mu);
    return ReceiverAnswer(request, answer);
  });
  dtwin::testing::DtwinServerProcess server;
  // The URL's password must never be shown.
  const std::string url = "http://user:hunter2@127.0.0.1:" + std::to_string(receiver.port()) + "/e";
  ASSERT_TRUE(StartServer(server, url)) << server.Stderr();
  SetUpInstance(server.port());
  PutMeter(server.port(), "m1");

  RawResponse letters;
  ASSERT_TRUE(Eventually([&] {
    letters = CallOnce(server.port(), "GET",
                       std::string("/extensions/endpoints/hook/deadletters") + kApi);
    return letters.status == 200 && !json::parse(letters.body).at("value").as_array().empty();
  })) << letters.body;
  json::object letter = json::parse(letters.body).at("value").at(0).as_object();
  EXPECT_EQ(letter.at("endpoint"), "hook");
  EXPECT_NE(json::value_to<std::string>(letter.at("reason")).find("400"), std::string::npos)
      << letter;
  EXPECT_EQ(letter.at("event").at("subject"), "m1");

  RawResponse endpoints =
      CallOnce(server.port(), "GET", std::string("/extensions/endpoints") + kApi);
  EXPECT_EQ(endpoints.status, 200);
  EXPECT_EQ(endpoints.body.find("hunter2"), std::string::npos) << endpoints.body;
  json::object hook = json::parse(endpoints.body).at("value").at(0).as_object();
  EXPECT_EQ(hook.at("name"), "hook");
  EXPECT_EQ(hook.at("kind"), "webhook");
  EXPECT_EQ(hook.at("deadLettered"), 1);
  EXPECT_EQ(CallOnce(server.port(), "GET", std::string("/extensions/endpoints/nope") + kApi).status,
            404);

  {
    std::lock_guard lock(mu);
    answer = 200;
  }
  RawResponse replay = CallOnce(
      server.port(), "POST", std::string("/extensions/endpoints/hook/deadletters/replay") + kApi);
  EXPECT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(json::parse(replay.body).at("replayed"), 1);
  ASSERT_TRUE(Eventually([&] { return Posts(receiver).size() >= 2; }));
  EXPECT_EQ(PostedEvents(receiver)[1].at("subject"), "m1");
  EXPECT_TRUE(json::parse(CallOnce(server.port(), "GET",
                                   std::string("/extensions/endpoints/hook/deadletters") + kApi)
                              .body)
                  .at("value")
                  .as_array()
                  .empty());

  // The receiver has the event a moment before the engine counts it.
  RawResponse metrics;
  EXPECT_TRUE(Eventually([&] {
    metrics = CallOnce(server.port(), "GET", "/metrics");
    return metrics.body.find("dtwin_events_delivered_total{endpoint=\"hook\"} 1") !=
           std::string::npos;
  }));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_TRUE(metrics.Header("content-type").value_or("").starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(metrics.body.find("dtwin_events_delivered_total{endpoint=\"hook\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("dtwin_events_dead_lettered_total{endpoint=\"hook\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(EventsE2eTest, EveryCommittedChangeArrivesAfterAnOutageAndACrash) {
  constexpr int kTwins = 3;
  constexpr int kPatchesPerTwin = 20;
  // A port for the receiver, which is down at first.
  int receiver_port = 0;
  { receiver_port = FakeHttpServer().port(); }
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver_port) + "/e";

  auto server = std::make_unique<dtwin::testing::DtwinServerProcess>();
  ASSERT_TRUE(StartServer(*server, url)) << server->Stderr();
  const std::filesystem::path data_dir = server->data_dir();
  SetUpInstance(server->port());
  for (int t = 0; t < kTwins; ++t) PutMeter(server->port(), "m" + std::to_string(t));
  for (int i = 1; i <= kPatchesPerTwin; ++i) {
    for (int t = 0; t < kTwins; ++t) PatchReading(server->port(), "m" + std::to_string(t), i);
  }
  // The receiver comes up slow; the server dies while delivering to it.
  FakeHttpServer receiver(receiver_port);
  receiver.SetHandler([](const RecordedRequest& request) {
    return ReceiverAnswer(request, 200, std::chrono::milliseconds(20));
  });
  ASSERT_TRUE(Eventually([&] { return Posts(receiver).size() >= 5; }));
  server->Kill();
  const size_t before_crash = Posts(receiver).size();
  EXPECT_LT(before_crash, static_cast<size_t>(kTwins * (kPatchesPerTwin + 1)));

  dtwin::testing::DtwinServerProcess restarted;
  ASSERT_TRUE(StartServer(restarted, url, data_dir)) << restarted.Stderr();
  // Every event id of every change, first arrivals in order per twin.
  std::map<std::string, std::vector<int>> readings;  // twin -> readings in first-arrival order
  std::set<std::string> ids;
  ASSERT_TRUE(Eventually([&] {
    readings.clear();
    ids.clear();
    for (const json::object& event : PostedEvents(receiver)) {
      const std::string id = json::value_to<std::string>(event.at("id"));
      if (!ids.insert(id).second) continue;  // a redelivery: same id
      const std::string twin = json::value_to<std::string>(event.at("subject"));
      if (event.at("type") == "Microsoft.DigitalTwins.Twin.Create") {
        readings[twin].push_back(0);
      } else {
        readings[twin].push_back(
            static_cast<int>(event.at("data").at("patch").at(0).at("value").as_int64()));
      }
    }
    return ids.size() == static_cast<size_t>(kTwins * (kPatchesPerTwin + 1));
  })) << ids.size()
      << " distinct events arrived";
  std::vector<int> expected;
  for (int i = 0; i <= kPatchesPerTwin; ++i) expected.push_back(i);
  for (int t = 0; t < kTwins; ++t) EXPECT_EQ(readings["m" + std::to_string(t)], expected);
  EXPECT_EQ(restarted.Stop(), 0);
}

TEST_F(EventsE2eTest, MqttEndpointsGetTheEventsOnTheirTopics) {
  if (!std::filesystem::exists(dtwin::testing::kBrokerBinary)) {
    GTEST_SKIP() << dtwin::testing::kMissingBroker;
  }
  const std::filesystem::path broker_dir = dtwin::testing::MakeTempDir();
  const int broker_port = dtwin::testing::FreeLoopbackPort();
  dtwin::testing::MosquittoBroker broker(
      broker_dir, "listener " + std::to_string(broker_port) + " 127.0.0.1\nallow_anonymous true\n");
  ASSERT_TRUE(broker.Start(broker_port)) << broker.Log();
  dtwin::testing::MqttSubscriber subscriber(broker_port);
  ASSERT_TRUE(subscriber.ok());
  dtwin::testing::DtwinServerProcess server;
  ASSERT_TRUE(server.Start({"--endpoint", "broker=mqtt://127.0.0.1:" + std::to_string(broker_port) +
                                              "/twins/{type}/{subject}"}))
      << server.Stderr();
  Expect(CallOnce(server.port(), "POST", std::string("/models") + kApi, kModels), 201);
  Expect(CallOnce(server.port(), "PUT", std::string("/eventroutes/updates") + kApi,
                  R"({"endpointName": "broker",
                      "filter": "type = 'Microsoft.DigitalTwins.Twin.Update'"})"),
         204);
  PutMeter(server.port(), "m1");
  PatchReading(server.port(), "m1", 1);
  PatchReading(server.port(), "m1", 2);
  std::vector<dtwin::testing::MqttMessage> messages = subscriber.WaitFor(2);
  ASSERT_EQ(messages.size(), 2u);  // the create is filtered out
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(messages[i].topic, "twins/Microsoft.DigitalTwins.Twin.Update/m1");
    json::value event = json::parse(messages[i].payload);
    EXPECT_EQ(event.at("data").at("patch").at(0).at("value"), i + 1);
    // Without --event-source, the source is the address the server listens on.
    EXPECT_EQ(json::value_to<std::string>(event.at("source")),
              "127.0.0.1:" + std::to_string(server.port()));
  }
  EXPECT_EQ(server.Stop(), 0);
  broker.Stop();
  std::filesystem::remove_all(broker_dir);
}

}  // namespace
}  // namespace dtwin::server
