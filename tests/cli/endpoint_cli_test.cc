// `dtwin endpoint list|show` and `dtwin endpoint deadletters list|replay` as a user runs them:
// the real binary against a real `dtwin serve` (one per test suite) whose webhook endpoint
// posts to a receiver in this test that rejects events until a test lets it accept them.
// Exit codes, JSON and table output, masked secrets, paging, refusals and usage errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_json.h"
#include "dtwin_cli_runner.h"
#include "dtwin_server_process.h"
#include "webhook_receiver.h"

namespace dtwin::testing {
namespace {

namespace json = boost::json;
using client::testing::Eventually;
using client::testing::WebhookReceiver;

constexpr const char* kPassword = "hunter2";
constexpr const char* kModel = R"({"@id": "dtmi:cli:endpoints:Meter;1", "@type": "Interface",
  "@context": "dtmi:dtdl:context;3",
  "contents": [{"@type": "Property", "name": "reading", "schema": "integer"}]})";
const std::vector<std::string> kTwins = {"e1", "e2", "e3"};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Subjects(const json::array& letters) {
  std::vector<std::string> subjects;
  for (const json::value& letter : letters) {
    subjects.push_back(std::string(letter.at("event").at("subject").as_string()));
  }
  return subjects;
}

// What a refused command must look like: exit 1, nothing on stdout, "dtwin: <code>: ...".
void ExpectRefusal(const CliResult& result, const std::string& code) {
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.rfind("dtwin: " + code + ": ", 0), 0u) << result.err;
}

// A usage error: exit 2, nothing on stdout, what was wrong and the usage line on stderr.
void ExpectUsageError(const CliResult& result, const std::string& what, const std::string& usage) {
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find(what), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(usage), std::string::npos) << result.err;
}

class EndpointCliTest : public ::testing::Test {
 protected:
  // The server's endpoints: "hook" (its URL carries a password) posts to the receiver, which
  // rejects events until a test lets it accept them; "idle" gets nothing. A route sends every
  // event to hook; three twins make three dead letters.
  static void SetUpTestSuite() {
    receiver_ = std::make_unique<WebhookReceiver>(400);
    server_ = std::make_unique<DtwinServerProcess>();
    if (!server_->Start({"--endpoint", "hook=" + receiver_->UrlWithPassword(kPassword),
                         "--endpoint", "idle=http://127.0.0.1:9/idle"})) {
      setup_error_ = "dtwin serve did not start: " + server_->Stderr();
      return;
    }
    std::vector<std::vector<std::string>> setup = {
        {"model", "create", "--models", kModel},
        {"route", "create", "--event-route-name", "all", "--endpoint-name", "hook"}};
    for (const std::string& twin : kTwins) {
      setup.push_back({"twin", "create", "--dtmi", "dtmi:cli:endpoints:Meter;1", "--twin-id", twin,
                       "--properties", R"({"reading": 1})"});
    }
    for (const std::vector<std::string>& args : setup) {
      CliResult result = Dtwin(args);
      if (result.exit_code != 0) {
        setup_error_ = args[0] + " " + args[1] + " failed: " + result.err;
        return;
      }
    }
    // Delivery is asynchronous: wait for the three rejections.
    if (!Eventually([] { return HookCounter("deadLettered") == kTwins.size(); })) {
      setup_error_ = "the rejected events were not dead-lettered: " + server_->Stderr();
    }
  }

  static void TearDownTestSuite() {
    if (server_->running()) server_->Stop();
    server_.reset();
    receiver_.reset();
  }

  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  // dtwin args... --endpoint <the server> (--endpoint is the service URL, not an event one).
  static CliResult Dtwin(std::vector<std::string> args) {
    args.push_back("--endpoint");
    args.push_back(server_->url());
    return RunDtwinCli(args);
  }

  // stdout of a command that must succeed, parsed.
  static json::value DtwinJson(std::vector<std::string> args) {
    return dtwin::testing::SucceededJson(Dtwin(args));
  }

  // A counter of `dtwin endpoint show --endpoint-name hook`; -1 when the command fails.
  static size_t HookCounter(const char* name) {
    CliResult result = Dtwin({"endpoint", "show", "--endpoint-name", "hook"});
    if (result.exit_code != 0) return static_cast<size_t>(-1);
    return json::parse(result.out).at(name).to_number<size_t>();
  }

  static inline std::unique_ptr<WebhookReceiver> receiver_;
  static inline std::unique_ptr<DtwinServerProcess> server_;
  static inline std::string setup_error_;
};

TEST_F(EndpointCliTest, ListAndShowWithSecretsMasked) {
  CliResult listed = Dtwin({"endpoint", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.find(kPassword), std::string::npos) << listed.out;
  json::array endpoints = json::parse(listed.out).as_array();
  ASSERT_EQ(endpoints.size(), 2u) << listed.out;
  const json::value* idle = nullptr;
  for (const json::value& endpoint : endpoints) {
    EXPECT_EQ(endpoint.at("kind"), "webhook") << endpoint;
    for (const char* counter : {"delivered", "retried", "failed", "deadLettered", "queueDepth"}) {
      EXPECT_TRUE(endpoint.at(counter).is_number()) << counter << " " << endpoint;
    }
    if (endpoint.at("name") == "idle") idle = &endpoint;
  }
  ASSERT_NE(idle, nullptr) << listed.out;
  EXPECT_EQ(DtwinJson({"endpoint", "show", "--endpoint-name", "idle"}), *idle);

  CliResult shown = Dtwin({"endpoint", "show", "--en", "hook"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out.find(kPassword), std::string::npos) << shown.out;
  EXPECT_EQ(json::parse(shown.out).at("name"), "hook");
  EXPECT_EQ(json::parse(shown.out).at("deadLettered").to_number<int>(), 3) << shown.out;

  CliResult table = Dtwin({"endpoint", "list", "-o", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.find(kPassword), std::string::npos) << table.out;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 4u) << table.out;  // header, dashes, hook, idle
  EXPECT_EQ(lines[0].rfind("name ", 0), 0u) << lines[0];
  size_t kind = lines[0].find("kind");
  size_t dead_lettered = lines[0].find("deadLettered");
  ASSERT_NE(kind, std::string::npos) << lines[0];
  ASSERT_NE(dead_lettered, std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].find_first_not_of("- "), std::string::npos) << lines[1];
  bool found_hook = false;
  for (size_t i = 2; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].substr(kind, 7), "webhook") << "misaligned: " << lines[i];
    if (lines[i].rfind("hook ", 0) == 0) {
      found_hook = true;
      EXPECT_EQ(lines[i].substr(dead_lettered, 2), "3 ") << "misaligned: " << lines[i];
    }
  }
  EXPECT_TRUE(found_hook) << table.out;
}

TEST_F(EndpointCliTest, DeadLettersListedPageByPageThenReplayed) {
  json::value all = DtwinJson({"endpoint", "deadletters", "list", "--endpoint-name", "hook"});
  ASSERT_TRUE(all.is_array()) << all;
  EXPECT_EQ(Subjects(all.as_array()), kTwins);  // oldest first
  for (const json::value& letter : all.as_array()) {
    EXPECT_EQ(letter.at("endpoint"), "hook");
    EXPECT_EQ(letter.at("event").at("type"), "Microsoft.DigitalTwins.Twin.Create");
    EXPECT_NE(json::value_to<std::string>(letter.at("reason")).find("400"), std::string::npos)
        << letter;
  }

  json::value first =
      DtwinJson({"endpoint", "deadletters", "list", "--en", "hook", "--max-items", "2"});
  ASSERT_TRUE(first.is_object()) << first;
  EXPECT_EQ(Subjects(first.at("items").as_array()), (std::vector<std::string>{"e1", "e2"}));
  ASSERT_TRUE(first.at("continuationToken").is_string()) << first;
  json::value second =
      DtwinJson({"endpoint", "deadletters", "list", "--en", "hook", "--max-items", "2",
                 "--continuation", json::value_to<std::string>(first.at("continuationToken"))});
  EXPECT_EQ(Subjects(second.at("items").as_array()), (std::vector<std::string>{"e3"}));
  EXPECT_TRUE(second.at("continuationToken").is_null()) << second;

  CliResult table = Dtwin({"endpoint", "deadletters", "list", "--en", "hook", "-o", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 5u) << table.out;  // header, dashes, three letters
  EXPECT_EQ(lines[0].rfind("id ", 0), 0u) << lines[0];
  size_t type = lines[0].find("type");
  size_t subject = lines[0].find("subject");
  ASSERT_NE(type, std::string::npos) << lines[0];
  ASSERT_NE(subject, std::string::npos) << lines[0];
  for (size_t i = 0; i < kTwins.size(); ++i) {
    const std::string& line = lines[i + 2];
    EXPECT_EQ(line.substr(type, 34), "Microsoft.DigitalTwins.Twin.Create") << line;
    EXPECT_EQ(line.substr(subject, 3), kTwins[i] + " ") << line;
  }

  // The receiver recovers; a replay hands every letter back to delivery.
  receiver_->SetEventStatus(200);
  EXPECT_EQ(DtwinJson({"endpoint", "deadletters", "replay", "--endpoint-name", "hook"}),
            json::value(json::object{{"replayed", 3}}));
  EXPECT_TRUE(Eventually([] { return HookCounter("delivered") == kTwins.size(); }));
  EXPECT_EQ(receiver_->PostedEvents().size(), 2 * kTwins.size());  // rejected, then replayed
  EXPECT_EQ(DtwinJson({"endpoint", "deadletters", "list", "--en", "hook"}),
            json::value(json::array()));
  CliResult again = Dtwin({"endpoint", "deadletters", "replay", "--en", "hook", "-o", "table"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Lines(again.out), (std::vector<std::string>{"replayed", "--------", "0"}));
}

TEST_F(EndpointCliTest, UnknownEndpointIsRefused) {
  ExpectRefusal(Dtwin({"endpoint", "show", "--endpoint-name", "nope"}), "NotFound");
  ExpectRefusal(Dtwin({"endpoint", "deadletters", "list", "--endpoint-name", "nope"}), "NotFound");
  ExpectRefusal(Dtwin({"endpoint", "deadletters", "replay", "--endpoint-name", "nope"}),
                "NotFound");
}

TEST_F(EndpointCliTest, UsageErrorsExitTwo) {
  ExpectUsageError(Dtwin({"endpoint", "show"}), "--endpoint-name", "usage: dtwin endpoint show");
  ExpectUsageError(
      Dtwin({"endpoint", "deadletters", "list", "--endpoint-name", "hook", "--max-items", "0"}),
      "--max-items: '0' is not a positive number", "usage: dtwin endpoint deadletters list");
  ExpectUsageError(Dtwin({"endpoint", "deadletters", "replay", "--endpoint-name"}),
                   "--endpoint-name", "usage: dtwin endpoint deadletters replay");

  CliResult group = Dtwin({"endpoint", "deadletters", "purge"});
  EXPECT_EQ(group.exit_code, 2);
  EXPECT_NE(group.err.find("unknown command 'endpoint deadletters purge'"), std::string::npos)
      << group.err;
  CliResult help = RunDtwinCli({"endpoint", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* line : {"  list ", "  show ", "  deadletters ..."}) {
    EXPECT_NE(help.out.find(line), std::string::npos) << line << "\n" << help.out;
  }
}

}  // namespace
}  // namespace dtwin::testing
