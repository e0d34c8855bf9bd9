// Tests of the webhook sink against the scripted loopback HTTP(S) receiver of the client tests:
// each mode's exact headers and body (batch mode too), ordering over one kept-alive connection,
// outcome classification, Retry-After, timeouts, reconnects, the validation handshake, TLS with
// a self-signed certificate made by the openssl command, secrets kept out of DisplayUrl, bad URLs.
#include "events/webhook_sink.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/fake_http_server.h"
#include "common/clock.h"
#include "loopback_certificate.h"

namespace dtwin::events {
namespace {

using client::testing::FakeHttpServer;
using client::testing::FakeTlsOptions;
using client::testing::RecordedRequest;
using client::testing::ScriptedResponse;
using client::testing::UnusedLoopbackPort;

constexpr const char* kHost = "contoso-adt.api.wus2.digitaltwins.azure.net";

CloudEvent TwinUpdateEvent(const std::string& id = "d047e992-dddc-4a5a-b0af-fa79832235f8") {
  CloudEvent event;
  event.id = id;
  event.source = kHost;
  event.type = "Microsoft.DigitalTwins.Twin.Update";
  event.subject = "floor1";
  event.time = "2020-06-23T19:03:48.9700792Z";
  event.traceparent = "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01";
  event.data =
      R"({"modelId":"dtmi:example:Floor;1","patch":[{"value":21.5,"path":"/t","op":"replace"}]})";
  return event;
}

// Telemetry as ADT sends it: source with the twin path, no time, a dataschema.
CloudEvent TelemetryEvent() {
  CloudEvent event;
  event.id = "df5a5992-0001";
  event.source = std::string(kHost) + "/digitaltwins/room 1";
  event.type = "microsoft.iot.telemetry";
  event.subject = "th\xC3\xA9rmo \"1\" 100%";  // space, quote, percent and UTF-8 to escape
  event.data_schema = "dtmi:example:com:floor4;2";
  event.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  event.data = R"({"Temperature":10})";
  return event;
}

// A JSON string's text, or a marker that cannot equal any expected text.
std::string Str(const boost::json::value& value) {
  return value.is_string() ? std::string(value.as_string())
                           : "<not a string: " + boost::json::serialize(value) + ">";
}

ScriptedResponse Answer(int status) { return ScriptedResponse{status, {}, ""}; }

std::unique_ptr<EventSink> MakeSink(const std::string& url) {
  Result<std::unique_ptr<EventSink>> sink = MakeWebhookSink(url);
  if (!sink.ok()) {
    ADD_FAILURE() << sink.status().ToString();
    return nullptr;
  }
  return std::move(sink).value();
}

class WebhookSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SetHandler([](const RecordedRequest&) { return Answer(200); });
  }
  std::string Url(const std::string& path_and_query) const {
    return server_.Url() + path_and_query;
  }

  FakeHttpServer server_;
};

TEST_F(WebhookSinkTest, StructuredModeIsTheDefaultAndSendsTheCloudEventAsJson) {
  CloudEvent event = TwinUpdateEvent();
  auto sink = MakeSink(Url("/hooks/dt?dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);

  DeliveryResult result = sink->Deliver(event);
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hooks/dt");  // dtwin- options are not forwarded
  EXPECT_EQ(request.Header("Content-Type"), "application/cloudevents+json");
  EXPECT_EQ(request.Header("traceparent"), event.traceparent);
  EXPECT_FALSE(request.Header("ce-id"));
  boost::json::object body = boost::json::parse(request.body).as_object();
  EXPECT_EQ(Str(body.at("specversion")), "1.0");
  EXPECT_EQ(Str(body.at("id")), event.id);
  EXPECT_EQ(Str(body.at("source")), event.source);
  EXPECT_EQ(Str(body.at("type")), event.type);
  EXPECT_EQ(Str(body.at("subject")), event.subject);
  EXPECT_EQ(Str(body.at("time")), event.time);
  EXPECT_EQ(Str(body.at("datacontenttype")), "application/json");
  EXPECT_EQ(Str(body.at("traceparent")), event.traceparent);
  EXPECT_EQ(body.at("data"), boost::json::parse(event.data));
  EXPECT_FALSE(body.contains("dataschema"));  // notifications carry none
}

TEST_F(WebhookSinkTest, OtherQueryParametersAreForwardedAsGiven) {
  auto sink = MakeSink(Url("/api/in?code=a%2Fb%3D&dtwin-handshake=false&x=1&flag"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server_.Requests().size(), 1u);
  EXPECT_EQ(server_.Requests()[0].target, "/api/in?code=a%2Fb%3D&x=1&flag");
}

TEST_F(WebhookSinkTest, BinaryModeSendsAttributesAsHeadersAndDataAsTheBody) {
  CloudEvent event = TelemetryEvent();
  auto sink = MakeSink(Url("/bin?dtwin-mode=binary&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);

  EXPECT_EQ(sink->Deliver(event).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server_.Requests().size(), 1u);
  const RecordedRequest request = server_.Requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, event.data);  // byte for byte
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("ce-specversion"), "1.0");
  EXPECT_EQ(request.Header("ce-id"), event.id);
  // CloudEvents HTTP binding 3.1.3.2: space, '"', '%' and non-ASCII bytes percent-encoded.
  EXPECT_EQ(request.Header("ce-source"), std::string(kHost) + "/digitaltwins/room%201");
  EXPECT_EQ(request.Header("ce-type"), "microsoft.iot.telemetry");
  EXPECT_EQ(request.Header("ce-subject"), "th%C3%A9rmo%20%221%22%20100%25");
  EXPECT_EQ(request.Header("ce-dataschema"), event.data_schema);
  EXPECT_EQ(request.Header("ce-traceparent"), event.traceparent);
  EXPECT_EQ(request.Header("traceparent"), event.traceparent);
  EXPECT_FALSE(request.Header("ce-time"));  // telemetry has no time: absent, not empty
}

TEST_F(WebhookSinkTest, BinaryModeUsesTheEventsContentType) {
  CloudEvent event = TwinUpdateEvent();
  event.data_content_type = "application/json; charset=utf-8";
  auto sink = MakeSink(Url("/?dtwin-mode=binary&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(event).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server_.Requests().size(), 1u);
  EXPECT_EQ(server_.Requests()[0].Header("Content-Type"), event.data_content_type);
  EXPECT_EQ(server_.Requests()[0].Header("ce-time"), event.time);
  EXPECT_FALSE(server_.Requests()[0].Header("ce-dataschema"));
}

TEST_F(WebhookSinkTest, EventGridModeSendsAnArrayOfOneEventGridEvent) {
  CloudEvent event = TwinUpdateEvent();
  auto sink = MakeSink(Url("/api/events?dtwin-mode=eventgrid&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);

  EXPECT_EQ(sink->Deliver(event).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server_.Requests().size(), 1u);
  const RecordedRequest request = server_.Requests()[0];
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("traceparent"), event.traceparent);
  boost::json::array body = boost::json::parse(request.body).as_array();
  ASSERT_EQ(body.size(), 1u);
  const boost::json::object& grid = body[0].as_object();
  EXPECT_EQ(grid.size(), 8u) << request.body;  // exactly the Event Grid schema's fields
  EXPECT_EQ(Str(grid.at("id")), event.id);
  EXPECT_EQ(Str(grid.at("topic")), event.source);
  EXPECT_EQ(Str(grid.at("subject")), event.subject);
  EXPECT_EQ(Str(grid.at("eventType")), event.type);
  EXPECT_EQ(Str(grid.at("eventTime")), event.time);
  EXPECT_EQ(grid.at("data"), boost::json::parse(event.data));
  EXPECT_EQ(Str(grid.at("dataVersion")), "1.0");
  EXPECT_EQ(Str(grid.at("metadataVersion")), "1");
}

TEST_F(WebhookSinkTest, EventGridModeGivesTelemetryTheTimeOfSending) {
  auto sink = MakeSink(Url("/?dtwin-mode=eventgrid&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
  EXPECT_EQ(sink->Deliver(TelemetryEvent()).outcome, DeliveryOutcome::kDelivered);
  auto after = std::chrono::system_clock::now() + std::chrono::seconds(1);
  ASSERT_EQ(server_.Requests().size(), 1u);
  boost::json::value body = boost::json::parse(server_.Requests()[0].body);
  auto time = ParseAdtTime(body.at(0).at("eventTime").as_string());
  ASSERT_TRUE(time) << body.at(0).at("eventTime");
  EXPECT_GT(*time, before);
  EXPECT_LT(*time, after);
  EXPECT_EQ(Str(body.at(0).at("subject")), TelemetryEvent().subject);
}

// The events of a batch as DeliverBatch takes them.
std::vector<const CloudEvent*> Pointers(const std::vector<CloudEvent>& events) {
  std::vector<const CloudEvent*> pointers;
  for (const CloudEvent& event : events) pointers.push_back(&event);
  return pointers;
}

TEST_F(WebhookSinkTest, BatchModeSendsTheBatchAsOneArrayOfStructuredEvents) {
  std::vector<CloudEvent> events = {TwinUpdateEvent("e1"), TelemetryEvent(), TwinUpdateEvent("e3")};
  auto sink = MakeSink(Url("/hooks/dt?dtwin-mode=batch&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);

  std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
  ASSERT_EQ(results.size(), 3u);
  for (const DeliveryResult& result : results) {
    EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  }
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hooks/dt");
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/cloudevents-batch+json");
  EXPECT_FALSE(requests[0].Header("traceparent"));  // each event carries its own
  boost::json::array body = boost::json::parse(requests[0].body).as_array();
  ASSERT_EQ(body.size(), 3u);
  for (size_t i = 0; i < events.size(); ++i) {
    const boost::json::object& event = body[i].as_object();
    EXPECT_EQ(Str(event.at("specversion")), "1.0");
    EXPECT_EQ(Str(event.at("id")), events[i].id);
    EXPECT_EQ(Str(event.at("type")), events[i].type);
    EXPECT_EQ(Str(event.at("subject")), events[i].subject);
    EXPECT_EQ(Str(event.at("traceparent")), events[i].traceparent);
    EXPECT_EQ(event.at("data"), boost::json::parse(events[i].data));
  }
  EXPECT_EQ(Str(body[1].at("dataschema")), "dtmi:example:com:floor4;2");
}

TEST_F(WebhookSinkTest, BatchModeDeliversASingleEventAsAnArrayOfOne) {
  auto sink = MakeSink(Url("/?dtwin-mode=batch&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  DeliveryResult result = sink->Deliver(TwinUpdateEvent("only"));
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/cloudevents-batch+json");
  boost::json::array body = boost::json::parse(requests[0].body).as_array();
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(Str(body[0].at("id")), "only");
}

TEST_F(WebhookSinkTest, BatchModeKeepsARequestWithinOneMebibyteAndSaysHowManyWent) {
  // Events of 300 KB: three fit in 1 MiB (1,048,576 bytes) with their attributes, a fourth not.
  std::vector<CloudEvent> events(5, TwinUpdateEvent());
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].id = "big-" + std::to_string(i);
    events[i].data = "\"" + std::string(300 * 1024, 'x') + "\"";
  }
  auto sink = MakeSink(Url("/?dtwin-mode=batch&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);

  std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
  ASSERT_EQ(results.size(), 3u);  // the engine offers the other two again
  for (const DeliveryResult& result : results) {
    EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  }
  // A single event larger than the limit still goes, alone.
  CloudEvent huge = TwinUpdateEvent("huge");
  huge.data = "\"" + std::string(2 * 1024 * 1024, 'y') + "\"";
  std::vector<const CloudEvent*> huge_first = {&huge, &events[0]};
  results = sink->DeliverBatch(huge_first);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, DeliveryOutcome::kDelivered) << results[0].reason;

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_LE(requests[0].body.size(), 1024u * 1024u);
  boost::json::array first = boost::json::parse(requests[0].body).as_array();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(Str(first[2].at("id")), "big-2");
  boost::json::array second = boost::json::parse(requests[1].body).as_array();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(Str(second[0].at("id")), "huge");
}

TEST_F(WebhookSinkTest, BatchModeTheOneAnswerDecidesForEveryEvent) {
  struct Case {
    int status;
    DeliveryOutcome outcome;
  };
  const Case cases[] = {{204, DeliveryOutcome::kDelivered}, {400, DeliveryOutcome::kRejected},
                        {413, DeliveryOutcome::kRejected},  {408, DeliveryOutcome::kRetry},
                        {429, DeliveryOutcome::kRetry},     {503, DeliveryOutcome::kRetry}};
  std::vector<CloudEvent> events = {TwinUpdateEvent("a"), TwinUpdateEvent("b")};
  auto sink = MakeSink(Url("/?dtwin-mode=batch&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  for (const Case& c : cases) {
    server_.Enqueue(Answer(c.status));
    std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
    ASSERT_EQ(results.size(), 2u) << c.status;
    for (const DeliveryResult& result : results) {
      EXPECT_EQ(result.outcome, c.outcome) << "HTTP " << c.status << ": " << result.reason;
    }
  }
  EXPECT_EQ(server_.Requests().size(), std::size(cases));
}

TEST_F(WebhookSinkTest, OtherModesSendABatchOneRequestPerEventAndStopAtAFailure) {
  server_.Enqueue(Answer(200));
  server_.Enqueue(Answer(503));
  std::vector<CloudEvent> events = {TwinUpdateEvent("a"), TwinUpdateEvent("b"),
                                    TwinUpdateEvent("c")};
  auto sink = MakeSink(Url("/?dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
  ASSERT_EQ(results.size(), 2u);  // c was not attempted
  EXPECT_EQ(results[0].outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(results[1].outcome, DeliveryOutcome::kRetry);
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("Content-Type"), "application/cloudevents+json");
  EXPECT_EQ(Str(boost::json::parse(requests[1].body).at("id")), "b");
}

TEST_F(WebhookSinkTest, CustomHeadersAreSentAndNeverShownInDisplayUrl) {
  auto sink =
      MakeSink(Url("/p?dtwin-header=x-api-key%3As3cr3tkey&dtwin-header=Authorization:Bearer%20t0ken"
                   "&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server_.Requests().size(), 1u);
  EXPECT_EQ(server_.Requests()[0].Header("x-api-key"), "s3cr3tkey");
  EXPECT_EQ(server_.Requests()[0].Header("Authorization"), "Bearer t0ken");
  EXPECT_EQ(sink->DisplayUrl(), server_.Url() +
                                    "/p?dtwin-header=x-api-key:***&dtwin-header=Authorization:***"
                                    "&dtwin-handshake=false");
}

TEST_F(WebhookSinkTest, DisplayUrlHidesThePasswordAndForwardedQueryValues) {
  std::string port = std::to_string(server_.port());
  auto sink = MakeSink("http://user:pa55@127.0.0.1:" + port +
                       "/fn?code=k3yv4lue&dtwin-mode=binary&dtwin-handshake=false#frag");
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->DisplayUrl(), "http://user:***@127.0.0.1:" + port +
                                    "/fn?code=***&dtwin-mode=binary&dtwin-handshake=false");
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server_.Requests().size(), 1u);
  EXPECT_EQ(server_.Requests()[0].target, "/fn?code=k3yv4lue");
  EXPECT_EQ(server_.Requests()[0].Header("Authorization"), "Basic dXNlcjpwYTU1");  // user:pa55
}

TEST_F(WebhookSinkTest, ManyEventsArriveInOrderOverOneKeptAliveConnection) {
  auto sink = MakeSink(Url("/?dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i) {
    DeliveryResult result = sink->Deliver(TwinUpdateEvent("event-" + std::to_string(i)));
    ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << i << ": " << result.reason;
  }
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), static_cast<size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(Str(boost::json::parse(requests[i].body).at("id")), "event-" + std::to_string(i));
    EXPECT_EQ(requests[i].connection, 1) << i;
  }
  EXPECT_EQ(server_.Connections(), 1);
}

TEST_F(WebhookSinkTest, StatusCodesAreClassifiedAsDeliveredRetryOrRejected) {
  struct Case {
    int status;
    DeliveryOutcome outcome;
  };
  const Case cases[] = {
      {200, DeliveryOutcome::kDelivered}, {201, DeliveryOutcome::kDelivered},
      {202, DeliveryOutcome::kDelivered}, {204, DeliveryOutcome::kDelivered},
      {408, DeliveryOutcome::kRetry},     {429, DeliveryOutcome::kRetry},
      {500, DeliveryOutcome::kRetry},     {502, DeliveryOutcome::kRetry},
      {503, DeliveryOutcome::kRetry},     {504, DeliveryOutcome::kRetry},
      {400, DeliveryOutcome::kRejected},  {401, DeliveryOutcome::kRejected},
      {403, DeliveryOutcome::kRejected},  {404, DeliveryOutcome::kRejected},
      {410, DeliveryOutcome::kRejected},  {413, DeliveryOutcome::kRejected},
      {301, DeliveryOutcome::kRejected},  // redirects are not followed
  };
  auto sink = MakeSink(Url("/?dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  for (const Case& c : cases) {
    server_.Enqueue(Answer(c.status));
    DeliveryResult result = sink->Deliver(TwinUpdateEvent());
    EXPECT_EQ(result.outcome, c.outcome) << "HTTP " << c.status << ": " << result.reason;
    if (c.outcome != DeliveryOutcome::kDelivered) {
      EXPECT_NE(result.reason.find(std::to_string(c.status)), std::string::npos) << result.reason;
    }
    EXPECT_FALSE(result.retry_after) << c.status;
  }
  EXPECT_EQ(server_.Requests().size(), std::size(cases));
}

std::string HttpDate(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

TEST_F(WebhookSinkTest, RetryAfterInSecondsOrAsAnHttpDateIsHonoured) {
  auto sink = MakeSink(Url("/?dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);

  server_.Enqueue(ScriptedResponse::WithHeader(429, "Retry-After", "7"));
  DeliveryResult seconds = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(seconds.outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(seconds.retry_after, std::chrono::milliseconds(7000));

  server_.Enqueue(ScriptedResponse::WithHeader(
      503, "Retry-After", HttpDate(std::chrono::system_clock::now() + std::chrono::seconds(30))));
  DeliveryResult date = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(date.outcome, DeliveryOutcome::kRetry);
  ASSERT_TRUE(date.retry_after);
  EXPECT_GE(*date.retry_after, std::chrono::seconds(28));
  EXPECT_LE(*date.retry_after, std::chrono::seconds(31));

  server_.Enqueue(ScriptedResponse::WithHeader(503, "Retry-After", "soon"));
  DeliveryResult garbage = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(garbage.outcome, DeliveryOutcome::kRetry);
  EXPECT_FALSE(garbage.retry_after);
}

TEST(WebhookSinkTransportTest, ConnectionRefusedIsRetryWithoutWaiting) {
  auto sink = MakeSink("http://127.0.0.1:" + std::to_string(UnusedLoopbackPort()) +
                       "/?dtwin-handshake=false");
  ASSERT_NE(sink, nullptr);
  auto start = std::chrono::steady_clock::now();
  DeliveryResult result = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
  EXPECT_FALSE(result.reason.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(WebhookSinkTest, ASlowReceiverIsRetryAfterTheTimeout) {
  ScriptedResponse slow = Answer(200);
  slow.delay = std::chrono::milliseconds(3000);
  server_.Enqueue(slow);
  auto sink = MakeSink(Url("/?dtwin-timeout-ms=300&dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  auto start = std::chrono::steady_clock::now();
  DeliveryResult result = sink->Deliver(TwinUpdateEvent());
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(result.reason.find("300 ms"), std::string::npos) << result.reason;
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
}

TEST_F(WebhookSinkTest, ADroppedConnectionIsRetryAndTheNextDeliveryReconnects) {
  server_.Enqueue(ScriptedResponse::Drop());
  auto sink = MakeSink(Url("/?dtwin-handshake=false"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent("a")).outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent("a")).outcome, DeliveryOutcome::kDelivered);
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].connection, 2);
}

TEST(WebhookSinkTransportTest, DeliveryResumesWhenTheReceiverRestarts) {
  auto ok = [](const RecordedRequest&) { return Answer(200); };
  auto first = std::make_unique<FakeHttpServer>();
  first->SetHandler(ok);
  int port = first->port();
  auto sink = MakeSink(first->Url() + "/?dtwin-handshake=false");
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent("1")).outcome, DeliveryOutcome::kDelivered);

  first.reset();  // the receiver goes down
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent("2")).outcome, DeliveryOutcome::kRetry);

  FakeHttpServer second(port);
  second.SetHandler(ok);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent("2")).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(second.Requests().size(), 1u);
  EXPECT_EQ(Str(boost::json::parse(second.Requests()[0].body).at("id")), "2");
}

// A receiver implementing the CloudEvents webhook abuse protection, allowing `allowed`.
FakeHttpServer::Handler ValidatingReceiver(std::optional<std::string> allowed) {
  return [allowed](const RecordedRequest& request) {
    if (request.method == "OPTIONS") {
      ScriptedResponse response = Answer(200);
      if (allowed) response.headers.emplace_back("WebHook-Allowed-Origin", *allowed);
      return response;
    }
    return Answer(200);
  };
}

TEST_F(WebhookSinkTest, TheValidationHandshakeComesOnceBeforeTheFirstDelivery) {
  server_.SetHandler(ValidatingReceiver(kHost));
  auto sink = MakeSink(Url("/hook"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TelemetryEvent()).outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "OPTIONS");
  EXPECT_EQ(requests[0].target, "/hook");
  // The origin is the source's host, without the telemetry source's twin path.
  EXPECT_EQ(requests[0].Header("WebHook-Request-Origin"), kHost);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[2].method, "POST");
}

TEST_F(WebhookSinkTest, BatchModeDoesTheHandshakeOnceFirst) {
  server_.SetHandler(ValidatingReceiver(kHost));
  std::vector<CloudEvent> events = {TwinUpdateEvent("a"), TwinUpdateEvent("b")};
  auto sink = MakeSink(Url("/hook?dtwin-mode=batch"));
  ASSERT_NE(sink, nullptr);
  for (int i = 0; i < 2; ++i) {
    for (const DeliveryResult& result : sink->DeliverBatch(Pointers(events))) {
      EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
    }
  }
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "OPTIONS");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[2].method, "POST");
}

TEST_F(WebhookSinkTest, TheHandshakeAcceptsAWildcardOrigin) {
  server_.SetHandler(ValidatingReceiver("*"));
  auto sink = MakeSink(Url("/"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(server_.Requests().size(), 2u);
}

TEST_F(WebhookSinkTest, AReceiverThatRefusesTheHandshakeGetsNoEvent) {
  for (std::optional<std::string> allowed :
       {std::optional<std::string>(), std::optional<std::string>("other.example.com")}) {
    FakeHttpServer receiver;
    receiver.SetHandler(ValidatingReceiver(allowed));
    auto sink = MakeSink(receiver.Url() + "/");
    ASSERT_NE(sink, nullptr);
    DeliveryResult result = sink->Deliver(TwinUpdateEvent());
    EXPECT_EQ(result.outcome, DeliveryOutcome::kRejected);
    EXPECT_NE(result.reason.find("dtwin-handshake=false"), std::string::npos) << result.reason;
    ASSERT_EQ(receiver.Requests().size(), 1u);
    EXPECT_EQ(receiver.Requests()[0].method, "OPTIONS");
  }
  // A receiver without the handshake at all (405 to OPTIONS).
  server_.SetHandler([](const RecordedRequest& request) {
    return Answer(request.method == "OPTIONS" ? 405 : 200);
  });
  auto sink = MakeSink(Url("/"));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kRejected);
  EXPECT_EQ(server_.Requests().size(), 1u);
}

TEST_F(WebhookSinkTest, AnUnavailableHandshakeIsRetriedOnTheNextDelivery) {
  server_.SetHandler(ValidatingReceiver(kHost));
  server_.Enqueue(ScriptedResponse::WithHeader(503, "Retry-After", "2"));
  auto sink = MakeSink(Url("/"));
  ASSERT_NE(sink, nullptr);
  DeliveryResult first = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(first.outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(first.retry_after, std::chrono::milliseconds(2000));
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "OPTIONS");
  EXPECT_EQ(requests[1].method, "OPTIONS");
  EXPECT_EQ(requests[2].method, "POST");
}

// A self-signed certificate for 127.0.0.1 made with the openssl command, in a temp dir.
class WebhookSinkTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!dtwin::testing::HaveOpensslCommand()) {
      GTEST_SKIP() << "the openssl command (Debian package openssl) is not installed";
    }
    char pattern[] = "/tmp/dtwin-webhook-tls-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    const dtwin::testing::CertificateFiles files = dtwin::testing::MakeLoopbackCertificate(dir_);
    ASSERT_FALSE(files.cert.empty()) << "openssl could not make a certificate";
    cert_ = files.cert;
    key_ = files.key;
  }

  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string dir_, cert_, key_;
};

TEST_F(WebhookSinkTlsTest, DeliversOverHttpsTrustingTheGivenCa) {
  FakeHttpServer server(0, FakeTlsOptions{cert_, key_});
  server.SetHandler(ValidatingReceiver(kHost));
  auto sink = MakeSink(server.Url() + "/secure?dtwin-ca=" + cert_);
  ASSERT_NE(sink, nullptr);
  DeliveryResult result = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  EXPECT_EQ(sink->Deliver(TwinUpdateEvent()).outcome, DeliveryOutcome::kDelivered);
  std::vector<RecordedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].target, "/secure");
  EXPECT_EQ(requests[2].connection, 1);  // TLS kept alive too
}

TEST_F(WebhookSinkTlsTest, AnUntrustedCertificateIsRetryAndSendsNothing) {
  FakeHttpServer server(0, FakeTlsOptions{cert_, key_});
  server.SetHandler(ValidatingReceiver(kHost));
  auto sink = MakeSink(server.Url() + "/secure?dtwin-handshake=false");
  ASSERT_NE(sink, nullptr);
  DeliveryResult result = sink->Deliver(TwinUpdateEvent());
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
  EXPECT_FALSE(result.reason.empty());
  EXPECT_TRUE(server.Requests().empty());
}

TEST(WebhookSinkUrlTest, BadUrlsAreInvalidArgumentsThatNameTheProblem) {
  struct Case {
    std::string url;
    std::string message_part;
  };
  const Case cases[] = {
      {"", "not a valid"},
      {"localhost:8080/x", "scheme"},
      {"ftp://example.com/x", "scheme must be http or https"},
      {"mqtt://example.com/x", "scheme must be http or https"},
      {"http://", "not a valid"},
      {"http://example.com:99999/", "not a valid"},
      {"http://example.com/?dtwin-mode=xml", "dtwin-mode"},
      {"http://example.com/?dtwin-mode=binary&dtwin-mode=structured", "given twice"},
      {"http://example.com/?dtwin-nope=1", "unknown option dtwin-nope"},
      {"http://example.com/?dtwin-header=novalue", "dtwin-header"},
      {"http://example.com/?dtwin-header=:v", "dtwin-header"},
      {"http://example.com/?dtwin-header=Bad%20Name:v", "dtwin-header"},
      {"http://example.com/?dtwin-header=Content-Type:text/plain", "Content-Type"},
      {"http://example.com/?dtwin-header=ce-id:x", "ce-id"},
      {"http://example.com/?dtwin-header=X-Key:a%0D%0AEvil:%201", "line break"},
      {"http://example.com/?dtwin-timeout-ms=0", "dtwin-timeout-ms"},
      {"http://example.com/?dtwin-timeout-ms=12s", "dtwin-timeout-ms"},
      {"http://example.com/?dtwin-timeout-ms=600001", "dtwin-timeout-ms"},
      {"http://example.com/?dtwin-handshake=yes", "dtwin-handshake"},
      {"http://example.com/?dtwin-ca=/etc/hostname", "https"},
      {"https://example.com/?dtwin-ca=/nonexistent/ca.pem", "/nonexistent/ca.pem"},
      {"http://example.com/?dtwin-mode=%zz", "escape"},
  };
  for (const Case& c : cases) {
    Result<std::unique_ptr<EventSink>> sink = MakeWebhookSink(c.url);
    ASSERT_FALSE(sink.ok()) << c.url;
    EXPECT_EQ(sink.status().code(), ErrorCode::kInvalidArgument) << c.url;
    EXPECT_NE(sink.status().message().find("webhook endpoint URL"), std::string::npos);
    EXPECT_NE(sink.status().message().find(c.message_part), std::string::npos)
        << c.url << " -> " << sink.status().message();
  }
}

TEST(WebhookSinkUrlTest, ErrorMessagesNeverShowSecrets) {
  for (const std::string url : {
           "http://user:s3cr3t@example.com/?dtwin-nope=1",
           "http://example.com/?dtwin-header=X-Key:s3cr3t&dtwin-mode=xml",
           "http://example.com/?dtwin-header=X-Key:s3cr3t&dtwin-header=X-Key:a%0Ds3cr3t",
           "http://example.com/?code=s3cr3t&dtwin-timeout-ms=-1",
       }) {
    Result<std::unique_ptr<EventSink>> sink = MakeWebhookSink(url);
    ASSERT_FALSE(sink.ok()) << url;
    EXPECT_EQ(sink.status().message().find("s3cr3t"), std::string::npos) << sink.status().message();
  }
}

}  // namespace
}  // namespace dtwin::events
