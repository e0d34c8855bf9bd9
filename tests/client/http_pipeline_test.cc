// HttpPipeline against the fake server: URL and headers of every request, and the retry
// policy (which answers and failures are retried, Retry-After, max_retries, deadline,
// cancellation, logging).
#include "client/http_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <future>
#include <mutex>
#include <regex>
#include <thread>

#include "client/retry_policy.h"
#include "dtwin/client/errors.h"
#include "fake_http_server.h"

namespace dtwin::client {
namespace {

using std::chrono::milliseconds;
using testing::FakeHttpServer;
using testing::ScriptedResponse;
using Clock = std::chrono::steady_clock;

// Options whose backoff is short, so tests that retry do not wait long by accident.
DigitalTwinsClientOptions FastRetries(int max_retries = 3) {
  DigitalTwinsClientOptions options;
  options.retry.max_retries = max_retries;
  options.retry.retry_delay = milliseconds(10);
  options.retry.max_retry_delay = milliseconds(50);
  return options;
}

HttpPipeline MakePipeline(const FakeHttpServer& server, DigitalTwinsClientOptions options) {
  return HttpPipeline(server.Url(), std::make_shared<StaticTokenCredential>("test-token"),
                      std::move(options));
}

DigitalTwinsError SendExpectingError(HttpPipeline& pipeline, const PipelineRequest& request,
                                     const CallContext& context = {}) {
  try {
    pipeline.Send(request, context);
  } catch (const DigitalTwinsError& error) {
    return error;
  }
  ADD_FAILURE() << "Send returned instead of throwing";
  return DigitalTwinsError(0, "", "", "");
}

PipelineRequest Get(std::string path) {
  PipelineRequest request;
  request.method = "GET";
  request.path = std::move(path);
  return request;
}

PipelineRequest PostTelemetry() {
  PipelineRequest request;
  request.method = "POST";
  request.path = "/digitaltwins/room1/telemetry";
  request.body = R"({"temperature":21})";
  request.idempotent = false;
  return request;
}

TEST(HttpPipelineTest, EveryRequestCarriesTheAzureSdkHeaders) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::Json(200, "{}"));
  DigitalTwinsClientOptions options;
  options.application_id = "my-app";
  HttpPipeline pipeline = MakePipeline(server, options);
  PipelineRequest request;
  request.method = "PUT";
  request.path = "/digitaltwins/room%201";
  request.query = {{"dependenciesFor", "dtmi:a:b;1"}};
  request.headers = {{"If-None-Match", "*"}};
  request.body = R"({"$metadata":{}})";
  EXPECT_EQ(pipeline.Send(request, {}).status, 200);

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& sent = requests[0];
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.Path(), "/digitaltwins/room%201");
  EXPECT_EQ(sent.Query("api-version").value_or(""), "2023-10-31");
  EXPECT_EQ(sent.Query("dependenciesFor").value_or(""), "dtmi:a:b;1");
  EXPECT_NE(sent.target.find("dtmi%3Aa%3Ab%3B1"), std::string::npos) << sent.target;
  EXPECT_EQ(sent.Header("Authorization").value_or(""), "Bearer test-token");
  EXPECT_TRUE(std::regex_match(
      sent.Header("x-ms-client-request-id").value_or(""),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << sent.Header("x-ms-client-request-id").value_or("");
  std::string traceparent = sent.Header("traceparent").value_or("");
  EXPECT_TRUE(std::regex_match(traceparent, std::regex("00-[0-9a-f]{32}-[0-9a-f]{16}-01")))
      << traceparent;
  EXPECT_EQ(traceparent.find("00000000000000000000000000000000"), std::string::npos);
  std::string user_agent = sent.Header("User-Agent").value_or("");
  EXPECT_TRUE(
      std::regex_match(user_agent, std::regex(R"(azsdk-cpp-dtwin/\d+\.\d+\.\d+ my-app \(.+\))")))
      << user_agent;
  EXPECT_EQ(sent.Header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(sent.Header("Accept").value_or(""), "application/json");
  EXPECT_EQ(sent.Header("If-None-Match").value_or(""), "*");
  EXPECT_EQ(sent.body, R"({"$metadata":{}})");
}

TEST(HttpPipelineTest, ApiVersionIsSelectableAndNextLinksAreUsedAsIs) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(200, "{}"); });
  DigitalTwinsClientOptions options;
  options.api_version = "2022-05-31";
  HttpPipeline pipeline(server.Url() + "/", std::make_shared<StaticTokenCredential>("t"), options);
  pipeline.Send(Get("/models"), {});
  PipelineRequest next;
  next.method = "GET";
  next.next_link = server.Url() + "/models?continuationToken=abc&api-version=2020-10-31";
  pipeline.Send(next, {});
  PipelineRequest patch;
  patch.method = "PATCH";
  patch.path = "/digitaltwins/a";
  patch.headers = {{"Content-Type", "application/json-patch+json"}};
  patch.body = "[]";
  pipeline.Send(patch, {});

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/models?api-version=2022-05-31");  // no double slash
  EXPECT_EQ(requests[1].target, "/models?continuationToken=abc&api-version=2020-10-31");
  EXPECT_EQ(requests[2].Header("Content-Type").value_or(""), "application/json-patch+json");
  int content_types = 0;
  for (const auto& [name, value] : requests[2].headers) content_types += name == "Content-Type";
  EXPECT_EQ(content_types, 1);
}

TEST(HttpPipelineTest, RetriesA503ThenReturnsTheSuccessWithOneRequestId) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::Json(503, R"({"error":{"code":"ServiceUnavailable"}})"));
  server.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"a"})"));
  std::mutex log_mu;
  std::vector<HttpLogEntry> log;
  DigitalTwinsClientOptions options = FastRetries();
  options.log = [&](const HttpLogEntry& entry) {
    std::lock_guard lock(log_mu);
    log.push_back(entry);
  };
  HttpPipeline pipeline = MakePipeline(server, options);
  HttpResponse response = pipeline.Send(Get("/digitaltwins/a"), {});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"$dtId":"a"})");

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  // One call: the same request id; one trace with a new span per attempt.
  EXPECT_EQ(requests[0].Header("x-ms-client-request-id"),
            requests[1].Header("x-ms-client-request-id"));
  std::string first = requests[0].Header("traceparent").value_or("");
  std::string second = requests[1].Header("traceparent").value_or("");
  EXPECT_EQ(first.substr(0, 36), second.substr(0, 36));
  EXPECT_NE(first, second);

  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].attempt, 1);
  EXPECT_EQ(log[0].status, 503);
  EXPECT_EQ(log[1].attempt, 2);
  EXPECT_EQ(log[1].status, 200);
  EXPECT_EQ(log[0].method, "GET");
  EXPECT_NE(log[0].url.find("/digitaltwins/a?api-version="), std::string::npos);
  EXPECT_EQ(log[0].request_id, requests[0].Header("x-ms-client-request-id").value_or(""));
}

TEST(HttpPipelineTest, RetriesEachRetriableStatusButNotOthers) {
  for (int status : {408, 429, 500, 502, 503, 504}) {
    FakeHttpServer server;
    server.Enqueue(ScriptedResponse::Json(status, "{}"));
    server.Enqueue(ScriptedResponse::Json(200, "{}"));
    HttpPipeline pipeline = MakePipeline(server, FastRetries());
    EXPECT_EQ(pipeline.Send(Get("/a"), {}).status, 200) << status;
    EXPECT_EQ(server.Requests().size(), 2u) << status;
  }
  for (int status : {400, 401, 404, 409, 412, 501}) {
    FakeHttpServer server;
    server.Enqueue(ScriptedResponse::Json(status, "{}"));
    server.Enqueue(ScriptedResponse::Json(200, "{}"));
    HttpPipeline pipeline = MakePipeline(server, FastRetries());
    EXPECT_EQ(pipeline.Send(Get("/a"), {}).status, status);
    EXPECT_EQ(server.Requests().size(), 1u) << status;
  }
}

TEST(HttpPipelineTest, MaxRetriesBoundsTheAttempts) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(503, "{}"); });
  HttpPipeline pipeline = MakePipeline(server, FastRetries(2));
  EXPECT_EQ(pipeline.Send(Get("/a"), {}).status, 503);  // the last answer is returned
  EXPECT_EQ(server.Requests().size(), 3u);              // 1 + max_retries

  FakeHttpServer other;
  other.SetHandler([](const auto&) { return ScriptedResponse::Json(503, "{}"); });
  HttpPipeline no_retries = MakePipeline(other, FastRetries(0));
  EXPECT_EQ(no_retries.Send(Get("/a"), {}).status, 503);
  EXPECT_EQ(other.Requests().size(), 1u);
}

TEST(HttpPipelineTest, NonIdempotentPostIsNotRetriedAfterAnAnswer) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::Json(503, "{}"));
  server.Enqueue(ScriptedResponse::Json(204, ""));
  HttpPipeline pipeline = MakePipeline(server, FastRetries());
  EXPECT_EQ(pipeline.Send(PostTelemetry(), {}).status, 503);
  EXPECT_EQ(server.Requests().size(), 1u);
}

TEST(HttpPipelineTest, NonIdempotentPostIsNotRetriedWhenTheConnectionDroppedAfterSending) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::Drop());
  server.Enqueue(ScriptedResponse::Json(204, ""));
  HttpPipeline pipeline = MakePipeline(server, FastRetries());
  EXPECT_EQ(SendExpectingError(pipeline, PostTelemetry()).code(), kConnectionError);
  EXPECT_EQ(server.Requests().size(), 1u);

  // The same failure is retried for an idempotent request.
  FakeHttpServer other;
  other.Enqueue(ScriptedResponse::Drop());
  other.Enqueue(ScriptedResponse::Json(200, "{}"));
  HttpPipeline idempotent = MakePipeline(other, FastRetries());
  EXPECT_EQ(idempotent.Send(Get("/a"), {}).status, 200);
  EXPECT_EQ(other.Requests().size(), 2u);
}

TEST(HttpPipelineTest, NonIdempotentPostIsRetriedWhenTheConnectionWasRefused) {
  int port = testing::UnusedLoopbackPort();
  std::mutex log_mu;
  std::vector<HttpLogEntry> log;
  DigitalTwinsClientOptions options;
  options.retry.max_retries = 50;
  options.retry.retry_delay = milliseconds(20);
  options.retry.max_retry_delay = milliseconds(100);
  options.log = [&](const HttpLogEntry& entry) {
    std::lock_guard lock(log_mu);
    log.push_back(entry);
  };
  HttpPipeline pipeline("http://127.0.0.1:" + std::to_string(port),
                        std::make_shared<StaticTokenCredential>("t"), options);
  auto call = std::async(std::launch::async, [&] { return pipeline.Send(PostTelemetry(), {}); });
  // Start listening only once at least one attempt was refused.
  for (auto until = Clock::now() + std::chrono::seconds(5); Clock::now() < until;) {
    {
      std::lock_guard lock(log_mu);
      if (!log.empty()) break;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  FakeHttpServer server(port);
  server.Enqueue(ScriptedResponse::Json(204, ""));
  EXPECT_EQ(call.get().status, 204);
  EXPECT_EQ(server.Requests().size(), 1u);
  std::lock_guard lock(log_mu);
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log.front().status, 0);
  EXPECT_FALSE(log.front().error.empty());
  EXPECT_EQ(log.back().status, 204);
}

TEST(HttpPipelineTest, RetryAfterSecondsIsHonoured) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::WithHeader(503, "Retry-After", "1"));
  server.Enqueue(ScriptedResponse::Json(200, "{}"));
  HttpPipeline pipeline = MakePipeline(server, FastRetries());  // backoff alone: <= 10 ms
  auto started = Clock::now();
  EXPECT_EQ(pipeline.Send(Get("/a"), {}).status, 200);
  EXPECT_GE(Clock::now() - started, milliseconds(1000));
  EXPECT_EQ(server.Requests().size(), 2u);
}

TEST(HttpPipelineTest, RetryAfterMsIsHonouredOn429) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::WithHeader(429, "retry-after-ms", "400"));
  server.Enqueue(ScriptedResponse::WithHeader(429, "x-ms-retry-after-ms", "300"));
  server.Enqueue(ScriptedResponse::Json(200, "{}"));
  HttpPipeline pipeline = MakePipeline(server, FastRetries());
  auto started = Clock::now();
  EXPECT_EQ(pipeline.Send(Get("/a"), {}).status, 200);
  EXPECT_GE(Clock::now() - started, milliseconds(700));
  EXPECT_EQ(server.Requests().size(), 3u);
}

TEST(HttpPipelineTest, RetryAfterHttpDateIsHonoured) {
  std::time_t later = std::time(nullptr) + 2;
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&later));
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::WithHeader(503, "Retry-After", date));
  server.Enqueue(ScriptedResponse::Json(200, "{}"));
  HttpPipeline pipeline = MakePipeline(server, FastRetries());
  EXPECT_EQ(pipeline.Send(Get("/a"), {}).status, 200);
  // The retry waits until the date itself (FastRetries' own backoff is milliseconds). Measured
  // against the wall clock the date is on: a steady-clock interval from some moment after the
  // date was made is shorter by that moment's sub-second offset, which made this flaky.
  EXPECT_GE(std::chrono::system_clock::now(), std::chrono::system_clock::from_time_t(later));
}

TEST(HttpPipelineTest, TheDeadlineStopsRetriesWithATimeout) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(503, "{}"); });
  DigitalTwinsClientOptions options;
  options.retry.max_retries = 1000;
  options.retry.retry_delay = milliseconds(50);
  options.retry.max_retry_delay = milliseconds(100);
  HttpPipeline pipeline = MakePipeline(server, options);
  auto started = Clock::now();
  DigitalTwinsError error =
      SendExpectingError(pipeline, Get("/a"), CallContext::WithTimeout(milliseconds(600)));
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.code(), kTimeoutError);
  EXPECT_LT(Clock::now() - started, milliseconds(3000));
  EXPECT_GE(server.Requests().size(), 2u);
  EXPECT_LT(server.Requests().size(), 1000u);
}

TEST(HttpPipelineTest, ARetryAfterBeyondTheDeadlineFailsWithoutWaiting) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::WithHeader(503, "Retry-After", "30"));
  HttpPipeline pipeline = MakePipeline(server, FastRetries());
  auto started = Clock::now();
  DigitalTwinsError error =
      SendExpectingError(pipeline, Get("/a"), CallContext::WithTimeout(std::chrono::seconds(5)));
  EXPECT_EQ(error.code(), kTimeoutError);
  EXPECT_NE(error.message().find("503"), std::string::npos) << error.message();
  EXPECT_LT(Clock::now() - started, milliseconds(3000));
}

TEST(HttpPipelineTest, CancellationDuringTheWaitBetweenAttemptsStopsTheCall) {
  FakeHttpServer server;
  server.SetHandler(
      [](const auto&) { return ScriptedResponse::WithHeader(503, "Retry-After", "30"); });
  HttpPipeline pipeline = MakePipeline(server, FastRetries());
  CallContext context;
  std::thread canceller([context] {
    std::this_thread::sleep_for(milliseconds(300));
    context.Cancel();
  });
  auto started = Clock::now();
  DigitalTwinsError error = SendExpectingError(pipeline, Get("/a"), context);
  canceller.join();
  EXPECT_EQ(error.code(), kCancelledError);
  EXPECT_LT(Clock::now() - started, milliseconds(5000));
  EXPECT_EQ(server.Requests().size(), 1u);
}

TEST(HttpPipelineTest, RequestTimeoutOfAnIdempotentRequestIsRetried) {
  FakeHttpServer server;
  ScriptedResponse slow = ScriptedResponse::Json(200, R"("slow")");
  slow.delay = milliseconds(2000);
  server.Enqueue(slow);
  server.Enqueue(ScriptedResponse::Json(200, R"("fast")"));
  DigitalTwinsClientOptions options = FastRetries();
  options.transport.request_timeout = milliseconds(300);
  HttpPipeline pipeline = MakePipeline(server, options);
  EXPECT_EQ(pipeline.Send(Get("/a"), {}).body, R"("fast")");

  server.Enqueue(slow);
  server.Enqueue(ScriptedResponse::Json(204, ""));
  EXPECT_EQ(SendExpectingError(pipeline, PostTelemetry()).code(), kTimeoutError);
}

class FailingCredential : public TokenCredential {
 public:
  AccessToken GetToken(const std::vector<std::string>&, const CallContext&) override {
    throw DigitalTwinsError(0, kAuthenticationError, "no login", "");
  }
};

TEST(HttpPipelineTest, ACredentialFailureFailsTheCallBeforeSending) {
  FakeHttpServer server;
  HttpPipeline pipeline(server.Url(), std::make_shared<FailingCredential>(), {});
  DigitalTwinsError error = SendExpectingError(pipeline, Get("/a"));
  EXPECT_EQ(error.code(), kAuthenticationError);
  EXPECT_EQ(error.message(), "no login");
  EXPECT_TRUE(server.Requests().empty());
}

TEST(HttpPipelineTest, BackoffIsFullJitterUnderAnExponentialCap) {
  RetryOptions options;
  options.retry_delay = milliseconds(100);
  options.max_retry_delay = milliseconds(1000);
  for (auto [retry, cap] :
       {std::pair{0, 100}, {1, 200}, {2, 400}, {3, 800}, {4, 1000}, {30, 1000}}) {
    milliseconds longest{0};
    for (int i = 0; i < 200; ++i) {
      milliseconds delay = BackoffDelay(options, retry);
      EXPECT_GE(delay.count(), 0);
      EXPECT_LE(delay.count(), cap) << "retry " << retry;
      longest = std::max(longest, delay);
    }
    // 200 uniform draws all in the lower half would happen with probability 2^-200.
    EXPECT_GT(longest.count(), cap / 2) << "retry " << retry;
  }
}

TEST(HttpPipelineTest, EncodeUrlComponentKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(EncodeUrlComponent("dtmi:com:example:Room;1"), "dtmi%3Acom%3Aexample%3ARoom%3B1");
  EXPECT_EQ(EncodeUrlComponent("a b/c?d&e=f#g%"), "a%20b%2Fc%3Fd%26e%3Df%23g%25");
  EXPECT_EQ(EncodeUrlComponent("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(EncodeUrlComponent("\xC3\xA9"), "%C3%A9");  // UTF-8 bytes
}

}  // namespace
}  // namespace dtwin::client
