// Tests for the MQTT sink against a real mosquitto broker each test starts on a free loopback
// port (and stops by PID): delivery and content, topic templates, ordering, batches, QoS 0, the
// broker down or silent (kRetry within the timeout), reconnection, credentials, TLS and bad URLs.
#include "events/mqtt_sink.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "events/cloud_event_json.h"
#include "mosquitto_broker.h"

namespace dtwin::events {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using dtwin::testing::CanConnect;
using dtwin::testing::FreeLoopbackPort;
using dtwin::testing::kBrokerBinary;
using dtwin::testing::kMissingBroker;
using dtwin::testing::MakeTempDir;
using dtwin::testing::MosquittoBroker;
using Message = dtwin::testing::MqttMessage;
using Subscriber = dtwin::testing::MqttSubscriber;

std::string IdOf(const Message& message) {
  return std::string(boost::json::parse(message.payload).at("id").as_string());
}

CloudEvent UpdateEvent(const std::string& twin_id, int sequence) {
  CloudEvent event;
  event.id = "event-" + std::to_string(sequence);
  event.source = "mydt.api.wcus.digitaltwins.azure.net";
  event.type = "Microsoft.DigitalTwins.Twin.Update";
  event.subject = twin_id;
  event.time = "2024-05-01T10:00:00.0000000Z";
  event.traceparent = "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01";
  event.data = R"({"modelId":"dtmi:example:Room;1","patch":[{"value":)" + std::to_string(sequence) +
               R"(,"path":"/seq","op":"replace"}]})";
  return event;
}

std::unique_ptr<EventSink> MakeSink(const std::string& url) {
  Result<std::unique_ptr<EventSink>> sink = MakeMqttSink(url);
  if (!sink.ok()) {
    ADD_FAILURE() << url << ": " << sink.status().ToString();
    return nullptr;
  }
  return std::move(sink).value();
}

// A broker with one anonymous plain listener on a free port.
class MqttSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kBrokerBinary)) GTEST_SKIP() << kMissingBroker;
    dir_ = MakeTempDir();
    ASSERT_FALSE(dir_.empty());
    port_ = FreeLoopbackPort();
    broker_ = std::make_unique<MosquittoBroker>(
        dir_, "listener " + std::to_string(port_) + " 127.0.0.1\nallow_anonymous true\n");
    ASSERT_TRUE(broker_->Start(port_)) << broker_->Log();
  }
  void TearDown() override {
    broker_.reset();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  std::string Url(const std::string& path_and_query = "") const {
    return "mqtt://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }

  fs::path dir_;
  int port_ = 0;
  std::unique_ptr<MosquittoBroker> broker_;
};

TEST_F(MqttSinkTest, DeliversStructuredCloudEventToDefaultTopic) {
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  std::unique_ptr<EventSink> sink = MakeSink(Url());
  ASSERT_TRUE(sink);
  CloudEvent event = UpdateEvent("room1", 7);
  DeliveryResult result = sink->Deliver(event);
  ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;

  std::vector<Message> messages = subscriber.WaitFor(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].topic, "dtwin/Microsoft.DigitalTwins.Twin.Update/room1");
  boost::json::value json = boost::json::parse(messages[0].payload);
  EXPECT_EQ(json.at("specversion"), "1.0");
  EXPECT_EQ(json.at("id"), "event-7");
  EXPECT_EQ(json.at("source"), "mydt.api.wcus.digitaltwins.azure.net");
  EXPECT_EQ(json.at("type"), "Microsoft.DigitalTwins.Twin.Update");
  EXPECT_EQ(json.at("subject"), "room1");
  EXPECT_EQ(json.at("time"), "2024-05-01T10:00:00.0000000Z");
  EXPECT_EQ(json.at("datacontenttype"), "application/json");
  EXPECT_EQ(json.at("traceparent").as_string(), event.traceparent);
  EXPECT_FALSE(json.as_object().contains("dataschema"));
  EXPECT_EQ(json.at("data"), boost::json::parse(event.data));
}

TEST_F(MqttSinkTest, ExpandsEveryTopicPlaceholder) {
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  // Percent-encoded braces are accepted as well as raw ones.
  std::unique_ptr<EventSink> sink = MakeSink(Url("/site/{source}/%7Bid%7D/{type}/{subject}"));
  ASSERT_TRUE(sink);
  CloudEvent event = UpdateEvent("floor1/relationships/r1", 3);
  event.type = "Microsoft.DigitalTwins.Relationship.Create";
  ASSERT_EQ(sink->Deliver(event).outcome, DeliveryOutcome::kDelivered);
  std::vector<Message> messages = subscriber.WaitFor(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].topic,
            "site/mydt.api.wcus.digitaltwins.azure.net/event-3/"
            "Microsoft.DigitalTwins.Relationship.Create/floor1/relationships/r1");
}

// UpdateEvent i of twin "twin<i % 3>", for i from 0 to count - 1, arrived in that order on
// topics t/<twin>.
void ExpectInOrderOnTwinTopics(Subscriber& subscriber, int count) {
  std::vector<Message> messages = subscriber.WaitFor(count);
  ASSERT_EQ(messages.size(), static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(messages[i].topic, "t/twin" + std::to_string(i % 3));
    ASSERT_EQ(IdOf(messages[i]), "event-" + std::to_string(i));
  }
}

TEST_F(MqttSinkTest, KeepsOrderOverManyEventsOnOneConnection) {
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  std::unique_ptr<EventSink> sink = MakeSink(Url("/t/{subject}"));
  ASSERT_TRUE(sink);
  constexpr int kEvents = 2000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kEvents; ++i) {
    DeliveryResult result = sink->Deliver(UpdateEvent("twin" + std::to_string(i % 3), i));
    ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << i << ": " << result.reason;
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  ExpectInOrderOnTwinTopics(subscriber, kEvents);
  // One connection for all of them: the broker logged a single client connection.
  std::string log = broker_->Log();
  size_t connections = 0;
  for (size_t at = log.find("New client connected"); at != std::string::npos;
       at = log.find("New client connected", at + 1)) {
    ++connections;
  }
  EXPECT_EQ(connections, 2u) << "the subscriber and the sink";
  std::cout << "[ figures  ] " << kEvents << " QoS 1 publishes, each awaiting its PUBACK: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

std::vector<const CloudEvent*> Pointers(const std::vector<CloudEvent>& events) {
  std::vector<const CloudEvent*> pointers;
  for (const CloudEvent& event : events) pointers.push_back(&event);
  return pointers;
}

TEST_F(MqttSinkTest, DeliversBatchesInOrderWithEveryPubackAwaited) {
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  std::unique_ptr<EventSink> sink = MakeSink(Url("/t/{subject}"));
  ASSERT_TRUE(sink);
  // Batches beyond libmosquitto's default of 20 messages in flight.
  constexpr int kBatches = 20;
  constexpr int kBatchSize = 100;
  auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < kBatches; ++b) {
    std::vector<CloudEvent> events;
    for (int i = b * kBatchSize; i < (b + 1) * kBatchSize; ++i) {
      events.push_back(UpdateEvent("twin" + std::to_string(i % 3), i));
    }
    std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
    ASSERT_EQ(results.size(), events.size());
    for (size_t i = 0; i < results.size(); ++i) {
      ASSERT_EQ(results[i].outcome, DeliveryOutcome::kDelivered) << i << ": " << results[i].reason;
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  ExpectInOrderOnTwinTopics(subscriber, kBatches * kBatchSize);
  std::cout << "[ figures  ] " << kBatches * kBatchSize << " QoS 1 publishes in batches of "
            << kBatchSize << ": "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

TEST_F(MqttSinkTest, AnInvalidTopicInABatchIsRejectedAndTheOthersDelivered) {
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  std::unique_ptr<EventSink> sink = MakeSink(Url("/t/{subject}"));
  ASSERT_TRUE(sink);
  std::vector<CloudEvent> events = {UpdateEvent("room1", 1), UpdateEvent("room+2", 2),
                                    UpdateEvent("room3", 3)};
  std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, DeliveryOutcome::kDelivered) << results[0].reason;
  EXPECT_EQ(results[1].outcome, DeliveryOutcome::kRejected);
  EXPECT_NE(results[1].reason.find("t/room+2"), std::string::npos) << results[1].reason;
  EXPECT_EQ(results[2].outcome, DeliveryOutcome::kDelivered) << results[2].reason;
  std::vector<Message> messages = subscriber.WaitFor(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(IdOf(messages[0]), "event-1");
  EXPECT_EQ(IdOf(messages[1]), "event-3");
}

TEST_F(MqttSinkTest, ABatchWhileTheBrokerIsDownIsAllRetry) {
  std::unique_ptr<EventSink> sink = MakeSink(Url("?timeout_ms=3000"));
  ASSERT_TRUE(sink);
  broker_->Stop();
  std::vector<CloudEvent> events = {UpdateEvent("room1", 1), UpdateEvent("room2", 2)};
  std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
  ASSERT_EQ(results.size(), 2u);
  for (const DeliveryResult& result : results) {
    EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
    EXPECT_NE(result.reason.find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
        << result.reason;
  }
}

TEST_F(MqttSinkTest, PublishesWithQos0) {
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  std::unique_ptr<EventSink> sink = MakeSink(Url("?qos=0"));
  ASSERT_TRUE(sink);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(sink->Deliver(UpdateEvent("room1", i)).outcome, DeliveryOutcome::kDelivered);
  }
  EXPECT_EQ(subscriber.WaitFor(10).size(), 10u);
}

TEST_F(MqttSinkTest, RetriesWhileBrokerIsDownAndReconnectsAfterRestart) {
  std::unique_ptr<EventSink> sink = MakeSink(Url("?timeout_ms=3000"));
  ASSERT_TRUE(sink);
  ASSERT_EQ(sink->Deliver(UpdateEvent("room1", 1)).outcome, DeliveryOutcome::kDelivered);

  broker_->Stop();
  for (int i = 0; i < 3; ++i) {  // the dead connection first, then refused reconnections
    auto start = std::chrono::steady_clock::now();
    DeliveryResult result = sink->Deliver(UpdateEvent("room1", 2));
    EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
    EXPECT_NE(result.reason.find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
        << result.reason;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3500ms);
  }

  ASSERT_TRUE(broker_->Start(port_)) << broker_->Log();
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  DeliveryResult result = sink->Deliver(UpdateEvent("room1", 2));
  ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  std::vector<Message> messages = subscriber.WaitFor(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(IdOf(messages[0]), "event-2");
}

TEST_F(MqttSinkTest, RestartWhileIdleIsHealedWithinOneDeliver) {
  std::unique_ptr<EventSink> sink = MakeSink(Url());
  ASSERT_TRUE(sink);
  ASSERT_EQ(sink->Deliver(UpdateEvent("room1", 1)).outcome, DeliveryOutcome::kDelivered);
  broker_->Stop();
  ASSERT_TRUE(broker_->Start(port_)) << broker_->Log();
  Subscriber subscriber(port_);
  ASSERT_TRUE(subscriber.ok());
  DeliveryResult result = sink->Deliver(UpdateEvent("room1", 2));
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
  EXPECT_EQ(subscriber.WaitFor(1).size(), 1u);
}

// A socket listening on a free loopback port (the kernel completes TCP handshakes on it);
// -1 when that fails.
int ListeningLoopbackSocket(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, 4) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  port = ntohs(address.sin_port);
  return fd;
}

TEST(MqttSinkNoBrokerTest, SilentServerTimesOutWithRetry) {
  // A socket that listens (the kernel completes the TCP handshake) but never answers MQTT.
  int port = 0;
  int fd = ListeningLoopbackSocket(port);
  ASSERT_GE(fd, 0);

  std::unique_ptr<EventSink> sink =
      MakeSink("mqtt://127.0.0.1:" + std::to_string(port) + "?timeout_ms=300");
  ASSERT_TRUE(sink);
  auto start = std::chrono::steady_clock::now();
  DeliveryResult result = sink->Deliver(UpdateEvent("room1", 1));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(result.reason.find("CONNACK"), std::string::npos) << result.reason;
  EXPECT_GE(elapsed, 290ms);  // steady_clock readings taken a little apart
  EXPECT_LT(elapsed, 1500ms);
}

TEST(MqttSinkNoBrokerTest, PublishesWithoutPubackAreRetryAfterTheTimeout) {
  // A server that accepts the connection (CONNACK) and then acknowledges nothing.
  int port = 0;
  int fd = ListeningLoopbackSocket(port);
  ASSERT_GE(fd, 0);
  std::atomic<size_t> bytes_read{0};
  std::thread server([fd, &bytes_read] {
    int client = ::accept(fd, nullptr, nullptr);
    if (client < 0) return;
    char buffer[4096];
    bool connack_sent = false;
    for (ssize_t n; (n = ::read(client, buffer, sizeof buffer)) > 0;) {
      bytes_read += static_cast<size_t>(n);
      if (!connack_sent) {
        const unsigned char connack[] = {0x20, 0x02, 0x00, 0x00};
        connack_sent = ::write(client, connack, sizeof connack) == sizeof connack;
      }
    }
    ::close(client);
  });

  std::unique_ptr<EventSink> sink =
      MakeSink("mqtt://127.0.0.1:" + std::to_string(port) + "?timeout_ms=300");
  ASSERT_TRUE(sink);
  std::vector<CloudEvent> events = {UpdateEvent("room1", 1), UpdateEvent("room2", 2),
                                    UpdateEvent("room3", 3)};
  std::vector<DeliveryResult> results = sink->DeliverBatch(Pointers(events));
  sink.reset();  // closes the connection, which ends the server thread
  server.join();
  ::close(fd);
  ASSERT_EQ(results.size(), 3u);
  for (const DeliveryResult& result : results) {
    EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
    EXPECT_NE(result.reason.find("PUBACK"), std::string::npos) << result.reason;
  }
  // All three were sent before the wait: their payloads alone exceed what CONNECT takes.
  size_t payloads = 0;
  for (const CloudEvent& event : events) payloads += StructuredCloudEventJson(event).size();
  EXPECT_GT(bytes_read.load(), payloads);
}

TEST(MqttSinkNoBrokerTest, InvalidTopicIsRejected) {
  std::unique_ptr<EventSink> sink =
      MakeSink("mqtt://127.0.0.1:" + std::to_string(FreeLoopbackPort()) + "/t/{subject}");
  ASSERT_TRUE(sink);
  CloudEvent event = UpdateEvent("room+1", 1);  // a wildcard is not allowed in a topic
  DeliveryResult result = sink->Deliver(event);
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRejected);
  EXPECT_NE(result.reason.find("t/room+1"), std::string::npos) << result.reason;
}

TEST(MqttSinkUrlTest, RejectsBadUrls) {
  for (const char* url : {
           "http://127.0.0.1/x",
           "mqtt://",
           "mqtt:///topic",
           "mqtt://host:0",
           "mqtt://host:65536",
           "mqtt://host:12ab",
           "mqtt://[::1",
           "mqtt://host/t/{nope}",
           "mqtt://host/t/#",
           "mqtt://host/t/%zz",
           "mqtt://host?qos=2",
           "mqtt://host?qos=x",
           "mqtt://host?timeout_ms=0",
           "mqtt://host?timeout_ms=-5",
           "mqtt://host?retain=true",
           "mqtt://host?ca=/etc/hostname",
           "mqtts://host?ca=/nonexistent/ca.pem",
           "mqtt://:secret@host",
       }) {
    Result<std::unique_ptr<EventSink>> sink = MakeMqttSink(url);
    ASSERT_FALSE(sink.ok()) << url;
    EXPECT_EQ(sink.status().code(), ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(sink.status().message().find("MQTT"), std::string::npos);
    EXPECT_EQ(sink.status().message().find("secret"), std::string::npos) << url;
  }
}

TEST(MqttSinkUrlTest, DisplayUrlHidesThePassword) {
  std::unique_ptr<EventSink> sink = MakeSink("mqtt://alice:s3cr%40t@broker.example:1884/a/{type}");
  ASSERT_TRUE(sink);
  EXPECT_EQ(sink->DisplayUrl(), "mqtt://alice:***@broker.example:1884/a/{type}");
  sink = MakeSink("mqtts://[::1]?qos=0");
  ASSERT_TRUE(sink);
  EXPECT_EQ(sink->DisplayUrl(), "mqtts://[::1]:8883/dtwin/{type}/{subject}?qos=0");
}

// A broker that requires a user name and password (generated with mosquitto_passwd).
TEST(MqttSinkAuthTest, ConnectsWithCredentialsAndNeverEchoesThePassword) {
  if (!fs::exists(kBrokerBinary)) GTEST_SKIP() << kMissingBroker;
  if (!fs::exists("/usr/bin/mosquitto_passwd")) {
    GTEST_SKIP() << "mosquitto_passwd missing (Debian package mosquitto)";
  }
  fs::path dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  fs::path passwords = dir / "passwords";
  std::string command = "/usr/bin/mosquitto_passwd -b -c " + passwords.string() +
                        " alice 'p@ss:word' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  int port = FreeLoopbackPort();
  {
    MosquittoBroker broker(dir, "listener " + std::to_string(port) +
                                    " 127.0.0.1\nallow_anonymous false\npassword_file " +
                                    passwords.string() + "\n");
    ASSERT_TRUE(broker.Start(port)) << broker.Log();
    std::string base = "mqtt://alice:";
    std::string rest = "@127.0.0.1:" + std::to_string(port) + "?timeout_ms=3000";

    std::unique_ptr<EventSink> sink = MakeSink(base + "p%40ss%3Aword" + rest);
    ASSERT_TRUE(sink);
    DeliveryResult result = sink->Deliver(UpdateEvent("room1", 1));
    EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;

    std::unique_ptr<EventSink> wrong = MakeSink(base + "wrongpassword" + rest);
    ASSERT_TRUE(wrong);
    result = wrong->Deliver(UpdateEvent("room1", 1));
    EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
    EXPECT_NE(result.reason.find("refused"), std::string::npos) << result.reason;
    EXPECT_EQ(result.reason.find("wrongpassword"), std::string::npos) << result.reason;
    EXPECT_EQ(wrong->DisplayUrl().find("wrongpassword"), std::string::npos);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

// mqtts:// with a CA the test makes (openssl CLI): the broker has a plain listener for the
// subscriber and a TLS one, with a certificate for 127.0.0.1, for the sink.
TEST(MqttSinkTlsTest, DeliversOverTlsWithCustomCa) {
  if (!fs::exists(kBrokerBinary)) GTEST_SKIP() << kMissingBroker;
  if (!fs::exists("/usr/bin/openssl"))
    GTEST_SKIP() << "openssl CLI missing (Debian package openssl)";
  fs::path dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string d = dir.string();
  std::string commands =
      "cd " + d +
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=dtwin-test-ca"
      " -keyout ca.key -out ca.pem"
      " && openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key"
      " -out server.csr"
      " && printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext"
      " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
      " -extfile san.ext -out server.pem";
  ASSERT_EQ(std::system(("(" + commands + ") >/dev/null 2>&1").c_str()), 0);
  int plain_port = FreeLoopbackPort();
  int tls_port = FreeLoopbackPort();
  {
    MosquittoBroker broker(dir,
                           "per_listener_settings false\nallow_anonymous true\n"
                           "listener " +
                               std::to_string(plain_port) + " 127.0.0.1\n" + "listener " +
                               std::to_string(tls_port) + " 127.0.0.1\n" + "cafile " + d +
                               "/ca.pem\ncertfile " + d + "/server.pem\nkeyfile " + d +
                               "/server.key\n");
    ASSERT_TRUE(broker.Start(tls_port)) << broker.Log();
    Subscriber subscriber(plain_port);
    ASSERT_TRUE(subscriber.ok());
    std::unique_ptr<EventSink> sink = MakeSink("mqtts://127.0.0.1:" + std::to_string(tls_port) +
                                               "/secure/{subject}?ca=" + d + "/ca.pem");
    ASSERT_TRUE(sink);
    DeliveryResult result = sink->Deliver(UpdateEvent("room1", 1));
    ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;
    std::vector<Message> messages = subscriber.WaitFor(1);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].topic, "secure/room1");

    // Without our CA the system store does not trust the broker: retry, not delivered.
    std::unique_ptr<EventSink> untrusting =
        MakeSink("mqtts://127.0.0.1:" + std::to_string(tls_port) + "?timeout_ms=3000");
    ASSERT_TRUE(untrusting);
    EXPECT_EQ(untrusting->Deliver(UpdateEvent("room1", 2)).outcome, DeliveryOutcome::kRetry);
    EXPECT_EQ(subscriber.WaitFor(2, 300ms).size(), 1u);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace dtwin::events
