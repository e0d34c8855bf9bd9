// Tests for the NATS JetStream sink: subject templates and URLs without a server, then delivery
// against a real `nats-server -js` each test starts on a free loopback port with its own store
// directory (read back with libnats), including dedup, outages and restarts.
#include "events/nats_sink.h"

#include <gtest/gtest.h>
#include <nats/nats.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "events/nats_subject_template.h"

namespace dtwin::events {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

CloudEvent TwinUpdate(std::string id, std::string subject, std::string data = R"({"seq":0})") {
  CloudEvent event;
  event.id = std::move(id);
  event.source = "contoso-adt.api.wus2.digitaltwins.azure.net";
  event.type = "Microsoft.DigitalTwins.Twin.Update";
  event.subject = std::move(subject);
  event.time = "2020-06-23T19:03:48.9700792Z";
  event.traceparent = "00-18f4e34b3e4a784aadf5913917537e7d-691a71e0a220d642-01";
  event.data = std::move(data);
  return event;
}

// ---- without a server ----

TEST(NatsSubjectTemplateTest, RendersTheDefaultWithInvalidCharactersReplaced) {
  auto subjects = NatsSubjectTemplate::Parse(NatsSubjectTemplate::kDefault);
  ASSERT_TRUE(subjects.ok()) << subjects.status().ToString();
  EXPECT_EQ(subjects->Render(TwinUpdate("e1", "room 1.a*b>\tc")),
            "dtwin.Microsoft_DigitalTwins_Twin_Update.room_1_a_b__c");
  EXPECT_EQ(subjects->Render(TwinUpdate("e1", "floor1/relationships/r1")),
            "dtwin.Microsoft_DigitalTwins_Twin_Update.floor1/relationships/r1");
  EXPECT_EQ(subjects->Render(TwinUpdate("e1", "")), "dtwin.Microsoft_DigitalTwins_Twin_Update._");
  EXPECT_EQ(subjects->StreamFilter(), "dtwin.*.*");
}

TEST(NatsSubjectTemplateTest, PlaceholdersInsideTokensAndSource) {
  auto subjects = NatsSubjectTemplate::Parse("adt.{source}.t-{type}.fixed");
  ASSERT_TRUE(subjects.ok()) << subjects.status().ToString();
  EXPECT_EQ(subjects->Render(TwinUpdate("e1", "x")),
            "adt.contoso-adt_api_wus2_digitaltwins_azure_net.t-Microsoft_DigitalTwins_Twin_Update."
            "fixed");
  EXPECT_EQ(subjects->StreamFilter(), "adt.*.*.fixed");
}

TEST(NatsSubjectTemplateTest, RejectsInvalidTemplates) {
  for (const char* text :
       {"", "a..b", ".a", "a.", "a.{nope}", "a.{type", "a}b", "a.*", "a.>", "a b.{type}"}) {
    auto subjects = NatsSubjectTemplate::Parse(text);
    ASSERT_FALSE(subjects.ok()) << "'" << text << "' was accepted";
    EXPECT_EQ(subjects.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(NatsSinkUrlTest, RejectsBadUrlsWithoutEchoingTheSecret) {
  for (const char* url : {"http://127.0.0.1:4222/x",
                          "nats://",
                          "nats://:4222",
                          "nats://h:0",
                          "nats://h:99999",
                          "nats://h:12ab",
                          "nats://h:",
                          "nats://[::1",
                          "nats://h/a..b",
                          "nats://h/{nope}",
                          "nats://h/a.*",
                          "nats://h?stream=a.b",
                          "nats://h?stream=",
                          "nats://h?stream=s&create_stream=yes",
                          "nats://h?create_stream=true",
                          "nats://h?timeout_ms=0",
                          "nats://h?timeout_ms=12x",
                          "nats://h?timeout_ms=9999999",
                          "nats://h?bogus=1",
                          "nats://h/a%zz",
                          "nats://alice:hunter2@h:99999",
                          "nats://alice:hunter2%zz@h",
                          "nats://:hunter2@h"}) {
    auto sink = MakeNatsSink(url);
    ASSERT_FALSE(sink.ok()) << url << " was accepted";
    EXPECT_EQ(sink.status().code(), ErrorCode::kInvalidArgument) << url;
    EXPECT_EQ(sink.status().message().find("hunter2"), std::string::npos)
        << sink.status().message();
  }
}

TEST(NatsSinkUrlTest, DisplayUrlHidesPasswordAndToken) {
  auto with_password = MakeNatsSink("NATS://alice:hunter2@127.0.0.1:4333/x.{type}?stream=S");
  ASSERT_TRUE(with_password.ok()) << with_password.status().ToString();
  EXPECT_EQ((*with_password)->DisplayUrl(), "nats://alice:***@127.0.0.1:4333/x.{type}?stream=S");
  auto with_token = MakeNatsSink("nats://hunter2@example.org");
  ASSERT_TRUE(with_token.ok()) << with_token.status().ToString();
  EXPECT_EQ((*with_token)->DisplayUrl(), "nats://***@example.org:4222/dtwin.{type}.{subject}");
  auto ipv6 = MakeNatsSink("nats://[::1]:5000/a%2Eb.{subject}?timeout_ms=10");
  ASSERT_TRUE(ipv6.ok()) << ipv6.status().ToString();
  EXPECT_EQ((*ipv6)->DisplayUrl(), "nats://[::1]:5000/a.b.{subject}?timeout_ms=10");
}

// ---- against a real nats-server ----

std::string FindNatsServer() {
  for (const char* candidate : {"/usr/sbin/nats-server", "/usr/bin/nats-server"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

// A loopback port nothing listens on right now.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return ntohs(address.sin_port);
}

// `nats-server -js` on 127.0.0.1:port with a store directory that survives restarts; stopped by
// PID. Not thread-safe: one owner.
class NatsServerProcess {
 public:
  explicit NatsServerProcess(std::vector<std::string> extra_args = {})
      : extra_args_(std::move(extra_args)), port_(FreePort()) {
    char pattern[] = "/tmp/dtwin-nats-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~NatsServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Starts the server and waits up to 15 s for "Server is ready" in its log.
  bool Start() {
    const fs::path log = dir_ / "server.log";
    fs::remove(log);
    std::vector<std::string> args = {FindNatsServer(),
                                     "-js",
                                     "-a",
                                     "127.0.0.1",
                                     "-p",
                                     std::to_string(port_),
                                     "-sd",
                                     (dir_ / "store").string(),
                                     "-l",
                                     log.string()};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    const auto deadline = steady_clock::now() + std::chrono::seconds(15);
    while (steady_clock::now() < deadline) {
      std::ifstream in(log);
      std::stringstream text;
      text << in.rdbuf();
      if (text.str().find("Server is ready") != std::string::npos) return true;
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }

  // SIGTERM, then waits for the exit.
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  int port() const { return port_; }
  std::string Url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

 private:
  std::vector<std::string> extra_args_;
  int port_;
  fs::path dir_;
  pid_t pid_ = -1;
};

struct StoredMessage {
  std::string subject;
  std::string msg_id;  // the Nats-Msg-Id header
  std::string data;
};

// A libnats reader of what JetStream stored, with the test's own connection.
class StreamReader {
 public:
  explicit StreamReader(const std::string& url) {
    EXPECT_EQ(natsConnection_ConnectTo(&connection_, url.c_str()), NATS_OK);
    if (connection_ != nullptr) {
      EXPECT_EQ(natsConnection_JetStream(&js_, connection_, nullptr), NATS_OK);
    }
  }
  ~StreamReader() {
    jsCtx_Destroy(js_);
    natsConnection_Destroy(connection_);
  }

  void AddStream(const std::string& name, const std::string& subject) {
    const char* subjects[] = {subject.c_str()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = name.c_str();
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    jsStreamInfo* info = nullptr;
    ASSERT_EQ(js_AddStream(&info, js_, &config, nullptr, nullptr), NATS_OK);
    jsStreamInfo_Destroy(info);
  }

  // The stream's message count and its subject filters; count -1 when it does not exist.
  int64_t MessageCount(const std::string& stream, std::vector<std::string>* subjects = nullptr) {
    jsStreamInfo* info = nullptr;
    if (js_GetStreamInfo(&info, js_, stream.c_str(), nullptr, nullptr) != NATS_OK) return -1;
    const auto count = static_cast<int64_t>(info->State.Msgs);
    for (int i = 0; subjects != nullptr && i < info->Config->SubjectsLen; ++i) {
      subjects->push_back(info->Config->Subjects[i]);
    }
    jsStreamInfo_Destroy(info);
    return count;
  }

  // Every message of the stream from the start, in stream order (an ephemeral consumer).
  std::vector<StoredMessage> ReadAll(const std::string& stream) {
    std::vector<StoredMessage> messages;
    const int64_t count = MessageCount(stream);
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Stream = stream.c_str();
    options.Config.DeliverPolicy = js_DeliverAll;
    options.Config.AckPolicy = js_AckNone;
    natsSubscription* sub = nullptr;
    EXPECT_EQ(js_SubscribeSync(&sub, js_, ">", nullptr, &options, nullptr), NATS_OK);
    if (sub == nullptr) return messages;
    while (static_cast<int64_t>(messages.size()) < count) {
      natsMsg* msg = nullptr;
      if (natsSubscription_NextMsg(&msg, sub, 5000) != NATS_OK) break;
      const char* msg_id = nullptr;
      natsMsgHeader_Get(msg, "Nats-Msg-Id", &msg_id);
      messages.push_back({natsMsg_GetSubject(msg), msg_id != nullptr ? msg_id : "",
                          std::string(natsMsg_GetData(msg), natsMsg_GetDataLength(msg))});
      natsMsg_Destroy(msg);
    }
    natsSubscription_Destroy(sub);
    return messages;
  }

 private:
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

class NatsSinkServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (FindNatsServer().empty()) {
      GTEST_SKIP() << "nats-server is not installed (Debian package nats-server)";
    }
  }

  std::unique_ptr<EventSink> Sink(const std::string& url) {
    auto sink = MakeNatsSink(url);
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    return sink.ok() ? std::move(sink).value() : nullptr;
  }
};

std::string Text(const boost::json::object& body, const char* key) {
  const boost::json::value* value = body.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "<absent>";
}

std::vector<std::string> MsgIds(const std::vector<StoredMessage>& messages) {
  std::vector<std::string> ids;
  for (const StoredMessage& message : messages) ids.push_back(message.msg_id);
  return ids;
}

TEST_F(NatsSinkServerTest, DeliversAStructuredCloudEventToTheCreatedStream) {
  NatsServerProcess server;
  ASSERT_TRUE(server.Start());
  auto sink = Sink(server.Url() + "?stream=DTWIN&create_stream=true");
  ASSERT_NE(sink, nullptr);
  const CloudEvent event = TwinUpdate(
      "d047e992-dddc-4a5a-b0af-fa79832235f8", "room 1.a*b>",
      R"({"modelId":"dtmi:example:Room;1","patch":[{"value":21.5,"path":"/T","op":"replace"}]})");
  const DeliveryResult result = sink->Deliver(event);
  ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.reason;

  StreamReader reader(server.Url());
  std::vector<std::string> subjects;
  EXPECT_EQ(reader.MessageCount("DTWIN", &subjects), 1);
  EXPECT_EQ(subjects, std::vector<std::string>{"dtwin.*.*"});
  const std::vector<StoredMessage> messages = reader.ReadAll("DTWIN");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].subject, "dtwin.Microsoft_DigitalTwins_Twin_Update.room_1_a_b_");
  EXPECT_EQ(messages[0].msg_id, event.id);
  const boost::json::object body = boost::json::parse(messages[0].data).as_object();
  EXPECT_EQ(Text(body, "specversion"), "1.0");
  EXPECT_EQ(Text(body, "id"), event.id);
  EXPECT_EQ(Text(body, "type"), event.type);
  EXPECT_EQ(Text(body, "source"), event.source);
  EXPECT_EQ(Text(body, "subject"), "room 1.a*b>");  // the original, not the subject token
  EXPECT_EQ(Text(body, "time"), event.time);
  EXPECT_EQ(Text(body, "traceparent"), event.traceparent);
  EXPECT_EQ(body.at("data"), boost::json::parse(event.data));
}

TEST_F(NatsSinkServerTest, KeepsTheOrderOfManyEvents) {
  NatsServerProcess server;
  ASSERT_TRUE(server.Start());
  auto sink = Sink(server.Url() + "/adt.{subject}?stream=ORDER&create_stream=true");
  ASSERT_NE(sink, nullptr);
  constexpr int kEvents = 500;
  std::vector<std::string> sent;
  for (int i = 0; i < kEvents; ++i) {
    sent.push_back("evt-" + std::to_string(i));
    const DeliveryResult result = sink->Deliver(
        TwinUpdate(sent.back(), i % 2 ? "room1" : "room2", R"({"seq":)" + std::to_string(i) + "}"));
    ASSERT_EQ(result.outcome, DeliveryOutcome::kDelivered) << i << ": " << result.reason;
  }
  StreamReader reader(server.Url());
  const std::vector<StoredMessage> messages = reader.ReadAll("ORDER");
  EXPECT_EQ(MsgIds(messages), sent);
  for (size_t i = 0; i < messages.size(); ++i) {
    EXPECT_EQ(boost::json::parse(messages[i].data).at("data").at("seq").as_int64(),
              static_cast<int64_t>(i));
    EXPECT_EQ(messages[i].subject, i % 2 ? "adt.room1" : "adt.room2");
  }
}

TEST_F(NatsSinkServerTest, ARedeliveredEventIsStoredOnce) {
  NatsServerProcess server;
  ASSERT_TRUE(server.Start());
  auto sink = Sink(server.Url() + "?stream=DEDUP&create_stream=true");
  ASSERT_NE(sink, nullptr);
  const CloudEvent first = TwinUpdate("same-id", "room1");
  EXPECT_EQ(sink->Deliver(first).outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(sink->Deliver(first).outcome, DeliveryOutcome::kDelivered);  // acked as duplicate
  EXPECT_EQ(sink->Deliver(TwinUpdate("other-id", "room1")).outcome, DeliveryOutcome::kDelivered);
  StreamReader reader(server.Url());
  EXPECT_EQ(reader.MessageCount("DEDUP"), 2);
  EXPECT_EQ(MsgIds(reader.ReadAll("DEDUP")), (std::vector<std::string>{"same-id", "other-id"}));
}

TEST_F(NatsSinkServerTest, AMissingOrMismatchedStreamIsRetried) {
  NatsServerProcess server;
  ASSERT_TRUE(server.Start());
  auto sink = Sink(server.Url() + "?stream=LATER&timeout_ms=2000");
  ASSERT_NE(sink, nullptr);
  const DeliveryResult missing = sink->Deliver(TwinUpdate("e1", "room1"));
  EXPECT_EQ(missing.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(missing.reason.find("'LATER' does not exist"), std::string::npos) << missing.reason;

  // LATER now exists, but another stream captures the sink's subjects: JetStream must refuse
  // to store the event there (Nats-Expected-Stream).
  StreamReader reader(server.Url());
  reader.AddStream("LATER", "elsewhere.>");
  reader.AddStream("OTHER", "dtwin.>");
  const DeliveryResult mismatched = sink->Deliver(TwinUpdate("e1", "room1"));
  EXPECT_EQ(mismatched.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(mismatched.reason.find("captured by a stream other than 'LATER'"), std::string::npos)
      << mismatched.reason;
  EXPECT_EQ(reader.MessageCount("OTHER"), 0);
  EXPECT_EQ(reader.MessageCount("LATER"), 0);
}

TEST_F(NatsSinkServerTest, NoStreamCapturingTheSubjectIsRetried) {
  NatsServerProcess server;
  ASSERT_TRUE(server.Start());
  auto sink = Sink(server.Url() + "/nobody.{type}?timeout_ms=2000");
  ASSERT_NE(sink, nullptr);
  const DeliveryResult result = sink->Deliver(TwinUpdate("e1", "room1"));
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(result.reason.find("no JetStream stream captures subject 'nobody."), std::string::npos)
      << result.reason;
  StreamReader reader(server.Url());
  reader.AddStream("NOBODY", "nobody.*");
  EXPECT_EQ(sink->Deliver(TwinUpdate("e1", "room1")).outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(reader.MessageCount("NOBODY"), 1);
}

TEST_F(NatsSinkServerTest, ServerDownIsRetriedWithinTheTimeout) {
  const int port = FreePort();
  auto sink = Sink("nats://127.0.0.1:" + std::to_string(port) + "?timeout_ms=1000");
  ASSERT_NE(sink, nullptr);
  const auto start = steady_clock::now();
  const DeliveryResult result = sink->Deliver(TwinUpdate("e1", "room1"));
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(result.reason.find("cannot connect"), std::string::npos) << result.reason;
  EXPECT_LT(steady_clock::now() - start, milliseconds(3000));
}

TEST_F(NatsSinkServerTest, AServerThatNeverAnswersIsRetriedWithinTheTimeout) {
  // A listening socket that never speaks NATS: the connection opens, INFO never comes.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  auto sink =
      Sink("nats://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "?timeout_ms=1000");
  ASSERT_NE(sink, nullptr);
  const auto start = steady_clock::now();
  EXPECT_EQ(sink->Deliver(TwinUpdate("e1", "room1")).outcome, DeliveryOutcome::kRetry);
  EXPECT_LT(steady_clock::now() - start, milliseconds(4000));
  close(fd);
}

TEST_F(NatsSinkServerTest, ReconnectsAfterTheServerRestarts) {
  NatsServerProcess server;
  ASSERT_TRUE(server.Start());
  auto sink = Sink(server.Url() + "?stream=RESTART&create_stream=true&timeout_ms=1500");
  ASSERT_NE(sink, nullptr);
  ASSERT_EQ(sink->Deliver(TwinUpdate("e1", "room1")).outcome, DeliveryOutcome::kDelivered);

  server.Stop();
  const auto start = steady_clock::now();
  const DeliveryResult down = sink->Deliver(TwinUpdate("e2", "room1"));
  EXPECT_EQ(down.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(down.reason.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << down.reason;
  EXPECT_LT(steady_clock::now() - start, milliseconds(1500 + 1000)) << down.reason;

  ASSERT_TRUE(server.Start());  // same port, same store
  const auto deadline = steady_clock::now() + std::chrono::seconds(20);
  DeliveryResult up = sink->Deliver(TwinUpdate("e2", "room1"));
  while (up.outcome != DeliveryOutcome::kDelivered && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(100));
    up = sink->Deliver(TwinUpdate("e2", "room1"));
  }
  ASSERT_EQ(up.outcome, DeliveryOutcome::kDelivered) << up.reason;
  ASSERT_EQ(sink->Deliver(TwinUpdate("e3", "room1")).outcome, DeliveryOutcome::kDelivered);

  StreamReader reader(server.Url());
  EXPECT_EQ(MsgIds(reader.ReadAll("RESTART")), (std::vector<std::string>{"e1", "e2", "e3"}));
}

TEST_F(NatsSinkServerTest, AuthenticatesWithUserAndPasswordWithoutLeakingIt) {
  NatsServerProcess server({"--user", "alice", "--pass", "s3cr@t"});
  ASSERT_TRUE(server.Start());
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  auto sink = Sink("nats://alice:s3cr%40t@" + host + "?stream=AUTH&create_stream=true");
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->DisplayUrl().find("s3cr"), std::string::npos) << sink->DisplayUrl();
  const DeliveryResult ok = sink->Deliver(TwinUpdate("e1", "room1"));
  EXPECT_EQ(ok.outcome, DeliveryOutcome::kDelivered) << ok.reason;

  auto wrong = Sink("nats://alice:wr0ngpass@" + host + "?stream=AUTH&timeout_ms=2000");
  ASSERT_NE(wrong, nullptr);
  const DeliveryResult denied = wrong->Deliver(TwinUpdate("e2", "room1"));
  EXPECT_EQ(denied.outcome, DeliveryOutcome::kRetry);
  EXPECT_NE(denied.reason.find("cannot connect"), std::string::npos) << denied.reason;
  EXPECT_EQ(denied.reason.find("wr0ngpass"), std::string::npos) << denied.reason;
}

}  // namespace
}  // namespace dtwin::events
