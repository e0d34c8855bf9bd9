// The dtwin extension calls of DigitalTwinsClient (ListEndpoints, GetEndpoint, ListDeadLetters,
// ReplayDeadLetters) end to end: a real `dtwin serve` whose webhook endpoint posts to a
// receiver in this test that rejects events until the test lets it accept them.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "client_e2e_fixture.h"
#include "webhook_receiver.h"

namespace dtwin::client::testing {
namespace {

constexpr const char* kHook = "hook";
constexpr const char* kPassword = "hunter2";
constexpr const char* kMeter = "dtmi:endpoints:Meter;1";

// One string member of each event, sorted.
std::vector<std::string> SortedMembers(const std::vector<boost::json::object>& events,
                                       const char* member) {
  std::vector<std::string> values;
  for (const boost::json::object& event : events) {
    values.push_back(std::string(event.at(member).as_string()));
  }
  std::sort(values.begin(), values.end());
  return values;
}

// Every dead letter of the hook, through the pager.
std::vector<DeadLetter> AllDeadLetters(DigitalTwinsClient& client) {
  std::vector<DeadLetter> letters;
  for (DeadLetter& letter : client.ListDeadLetters(kHook)) letters.push_back(std::move(letter));
  return letters;
}

// A server with two webhook endpoints: "hook", whose URL carries a password, posting to the
// receiver (which rejects events until a test lets it accept them), and "idle", which nothing
// routes to. A route sends every event to hook.
class EndpointsClientE2eTest : public ClientE2eTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start({"--endpoint",
                               std::string(kHook) + "=" + receiver_.UrlWithPassword(kPassword),
                               "--endpoint", "idle=http://127.0.0.1:9/idle"}))
        << server_.Stderr();
    DigitalTwinsClientOptions options;
    options.retry.max_retries = 0;
    client_ = std::make_unique<DigitalTwinsClient>(
        server_.url(), std::make_shared<StaticTokenCredential>("endpoints"), options);
    client_->CreateModels(JsonArray(R"([{"@id": "dtmi:endpoints:Meter;1",
      "@type": "Interface", "@context": "dtmi:dtdl:context;3",
      "contents": [{"@type": "Property", "name": "reading", "schema": "integer"}]}])"));
    EventRoute route;
    route.endpoint_name = kHook;
    client_->UpsertEventRoute("all-to-hook", route);
  }

  void TearDown() override {
    client_.reset();
    EXPECT_EQ(server_.Stop(), 0) << server_.Stderr();
  }

  void CreateMeter(const std::string& id) {
    client_->UpsertDigitalTwin(id, {{"$metadata", {{"$model", kMeter}}}, {"reading", 0}});
  }

  WebhookReceiver receiver_{400};
  dtwin::testing::DtwinServerProcess server_;
  std::unique_ptr<DigitalTwinsClient> client_;
};

TEST_F(EndpointsClientE2eTest, ListsAndShowsEndpointsWithSecretsMasked) {
  std::vector<EndpointInfo> endpoints = client_->ListEndpoints();
  ASSERT_EQ(endpoints.size(), 2u);
  const EndpointInfo* hook = nullptr;
  for (const EndpointInfo& endpoint : endpoints) {
    EXPECT_EQ(endpoint.kind, "webhook") << endpoint.name;
    EXPECT_EQ(endpoint.url.find(kPassword), std::string::npos) << endpoint.url;
    if (endpoint.name == kHook) hook = &endpoint;
  }
  ASSERT_NE(hook, nullptr);
  EXPECT_NE(hook->url.find(std::to_string(receiver_.port())), std::string::npos) << hook->url;

  EndpointInfo idle = client_->GetEndpoint("idle");
  EXPECT_EQ(idle.name, "idle");
  EXPECT_EQ(idle.url, "http://127.0.0.1:9/idle");
  EXPECT_EQ(idle.delivered + idle.retried + idle.failed + idle.dead_lettered + idle.queue_depth,
            0u);
  EXPECT_EQ(client_->GetEndpoint(kHook).url.find(kPassword), std::string::npos);
}

TEST_F(EndpointsClientE2eTest, UnknownEndpointIsNotFound) {
  ExpectError<ResourceNotFoundError>([&] { client_->GetEndpoint("nope"); }, 404, "NotFound");
  ExpectError<ResourceNotFoundError>([&] { client_->ListDeadLetters("nope").NextPage(); }, 404,
                                     "NotFound");
  ExpectError<ResourceNotFoundError>([&] { client_->ReplayDeadLetters("nope"); }, 404, "NotFound");
}

TEST_F(EndpointsClientE2eTest, RejectedEventsAreListedPageByPageThenReplayed) {
  for (const char* id : {"m1", "m2", "m3"}) CreateMeter(id);
  ASSERT_TRUE(Eventually([&] { return client_->GetEndpoint(kHook).dead_lettered == 3; }));
  EndpointInfo hook = client_->GetEndpoint(kHook);
  EXPECT_EQ(hook.failed, 3u);
  EXPECT_EQ(hook.delivered, 0u);

  // Every letter, in the order they were dead-lettered (the three twins' lanes reject them in
  // any order).
  std::vector<DeadLetter> letters = AllDeadLetters(*client_);
  ASSERT_EQ(letters.size(), 3u);
  std::vector<std::string> subjects;
  for (const DeadLetter& letter : letters) {
    subjects.push_back(std::string(letter.event.at("subject").as_string()));
    EXPECT_EQ(letter.endpoint, kHook);
    EXPECT_EQ(letter.event.at("type"), "Microsoft.DigitalTwins.Twin.Create");
    EXPECT_NE(letter.reason.find("400"), std::string::npos) << letter.reason;
    EXPECT_FALSE(letter.dead_lettered_at.empty());
    EXPECT_FALSE(letter.committed_at.empty());
  }
  std::sort(subjects.begin(), subjects.end());
  EXPECT_EQ(subjects, (std::vector<std::string>{"m1", "m2", "m3"}));

  // Page by page, and resumed from the first page's token by a new pager.
  Pager<DeadLetter> pages = client_->ListDeadLetters(kHook, PageSize(2));
  std::optional<Page<DeadLetter>> first = pages.NextPage();
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].id, letters[0].id);
  EXPECT_EQ(first->items[1].id, letters[1].id);
  ASSERT_TRUE(first->continuation_token.has_value());
  Pager<DeadLetter> rest = client_->ListDeadLetters(kHook, PageSize(2, first->continuation_token));
  std::optional<Page<DeadLetter>> second = rest.NextPage();
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, letters[2].id);
  EXPECT_FALSE(second->continuation_token.has_value());
  EXPECT_FALSE(rest.NextPage().has_value());

  // The receiver recovers: a replay delivers every letter and empties the store.
  receiver_.SetEventStatus(200);
  EXPECT_EQ(client_->ReplayDeadLetters(kHook), 3u);
  ASSERT_TRUE(Eventually([&] { return client_->GetEndpoint(kHook).delivered == 3; }));
  // Three rejected, then the same three events again (in any order: different twins).
  std::vector<boost::json::object> posted = receiver_.PostedEvents();
  ASSERT_EQ(posted.size(), 6u);
  std::vector<boost::json::object> replayed(posted.begin() + 3, posted.end());
  std::vector<boost::json::object> dead_events;
  for (const DeadLetter& letter : letters) dead_events.push_back(letter.event);
  EXPECT_EQ(SortedMembers(replayed, "subject"), (std::vector<std::string>{"m1", "m2", "m3"}));
  EXPECT_EQ(SortedMembers(replayed, "id"), SortedMembers(dead_events, "id"));
  EXPECT_TRUE(AllDeadLetters(*client_).empty());
  EXPECT_EQ(client_->ReplayDeadLetters(kHook), 0u);
}

}  // namespace
}  // namespace dtwin::client::testing
