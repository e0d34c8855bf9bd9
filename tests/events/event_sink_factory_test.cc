// Tests of the sink factory: the scheme picks the sink (any case), which says whether it
// delivers a batch together, unknown schemes are named without the rest of the URL,
// CheckEndpointUrl agrees with MakeEventSink, and neither connects anywhere.
#include "events/event_sink_factory.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace dtwin::events {
namespace {

TEST(EventSinkFactoryTest, TheSchemeChoosesTheSink) {
  struct Case {
    std::string url;
    std::string kind;
    std::string display_url_start;
    bool delivers_batch_together;  // one connection or one request for the batch
  };
  const Case cases[] = {
      {"http://127.0.0.1:9/hook", "webhook", "http://127.0.0.1:9/hook", false},
      {"HTTPS://example.test/hook", "webhook", "https://example.test/hook", false},
      {"http://127.0.0.1:9/hook?dtwin-mode=binary", "webhook", "http://127.0.0.1:9/hook", false},
      {"http://127.0.0.1:9/hook?dtwin-mode=batch", "webhook", "http://127.0.0.1:9/hook", true},
      {"mqtt://user:secret@127.0.0.1:1883/dt/{type}", "mqtt", "mqtt://user:***@127.0.0.1:1883/",
       true},
      {"MQTTS://broker.test", "mqtt", "mqtts://broker.test:8883/", true},
      {"nats://127.0.0.1:4222/dt.{type}", "nats", "nats://127.0.0.1:4222/dt.{type}", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EndpointKind(c.url), c.kind) << c.url;
    Result<std::unique_ptr<EventSink>> sink = MakeEventSink(c.url);
    ASSERT_TRUE(sink.ok()) << c.url << ": " << sink.status().ToString();
    EXPECT_TRUE((*sink)->DisplayUrl().starts_with(c.display_url_start))
        << c.url << " -> " << (*sink)->DisplayUrl();
    EXPECT_EQ(EndpointKind((*sink)->DisplayUrl()), c.kind);
    EXPECT_EQ((*sink)->DeliversBatchTogether(), c.delivers_batch_together) << c.url;
    EXPECT_TRUE(CheckEndpointUrl(c.url).ok()) << c.url;
  }
}

TEST(EventSinkFactoryTest, AnUnknownSchemeIsNamedWithTheSchemesThatWork) {
  Status status = CheckEndpointUrl("amqp://user:secret@host/queue");
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "endpoint URL: unknown scheme 'amqp' (known: http://, https:// webhooks; mqtt://, "
            "mqtts:// MQTT brokers; nats:// NATS JetStream)");
  EXPECT_EQ(EndpointKind("amqp://host"), "");
}

TEST(EventSinkFactoryTest, WhatLooksLikeCredentialsIsNeverEchoedAsAScheme) {
  for (std::string url : {"user:secret@host://x", "secret-key", "s3cr#t://host", "://host"}) {
    Status status = CheckEndpointUrl(url);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument) << url;
    EXPECT_EQ(status.message().find("secret"), std::string::npos) << status.message();
    EXPECT_EQ(status.message().find("s3cr"), std::string::npos) << status.message();
    EXPECT_TRUE(status.message().starts_with("endpoint URL: no scheme://")) << status.message();
  }
}

TEST(EventSinkFactoryTest, CheckEndpointUrlAgreesWithMakeEventSink) {
  for (std::string url :
       {"http://127.0.0.1:9/hook?dtwin-mode=binary",
        "http://127.0.0.1:9/hook?dtwin-mode=carrier-pigeon", "https://h/x?dtwin-ca=/no/such/ca.pem",
        "http://", "mqtt://host:99999/t", "mqtt://host/t?qos=2", "mqtts://host/a/{bad}", "nats://",
        "nats://host/x?stream=", "nats://u:p@host:4222/dt.{type}"}) {
    Result<std::unique_ptr<EventSink>> sink = MakeEventSink(url);
    Status checked = CheckEndpointUrl(url);
    EXPECT_EQ(checked.ok(), sink.ok()) << url;
    if (!sink.ok()) {
      EXPECT_EQ(checked.code(), ErrorCode::kInvalidArgument) << url;
      EXPECT_EQ(checked.message(), sink.status().message()) << url;
    }
  }
}

TEST(EventSinkFactoryTest, NeitherChecksNorMakingConnectAnywhere) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string port = std::to_string(ntohs(address.sin_port));

  for (std::string scheme : {"http", "mqtt", "nats"}) {
    std::string url = scheme + "://127.0.0.1:" + port + "/x";
    EXPECT_TRUE(CheckEndpointUrl(url).ok()) << url;
    Result<std::unique_ptr<EventSink>> sink = MakeEventSink(url);
    EXPECT_TRUE(sink.ok()) << url;
  }
  // A connection attempt, had there been one, would be waiting in the accept queue now.
  pollfd waiting{listener, POLLIN, 0};
  EXPECT_EQ(poll(&waiting, 1, 0), 0);
  close(listener);
}

}  // namespace
}  // namespace dtwin::events
