// The asynchronous forms of DigitalTwinsClient against the scripted fake server: the same
// requests and results as the synchronous forms, errors as the same exception types, many
// calls in flight from one thread, retries and cancellation on the I/O thread, a destroyed
// client ending its calls, and a synchronous call from a callback refused instead of hanging.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "await_async.h"
#include "dtwin/client/digital_twins_client.h"
#include "fake_http_server.h"

namespace dtwin::client {
namespace {

using std::chrono::milliseconds;
using testing::AwaitAsync;
using testing::FakeHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

DigitalTwinsClient MakeClient(const FakeHttpServer& server, int max_retries = 0) {
  DigitalTwinsClientOptions options;
  options.retry.max_retries = max_retries;
  options.retry.retry_delay = milliseconds(1);
  return DigitalTwinsClient(server.Url(), std::make_shared<StaticTokenCredential>("token-1"),
                            options);
}

boost::json::array Patch() {
  return boost::json::parse(R"([{"op":"replace","path":"/a","value":2}])").as_array();
}

// The error a failed result carries, rethrown and caught as the synchronous form would be.
std::string CodeOf(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const DigitalTwinsError& error) {
    return error.code();
  }
}

TEST(AsyncCallsTest, TwinCallsSendWhatTheSynchronousFormsSendAndReturnTheirResults) {
  FakeHttpServer server;
  DigitalTwinsClient client = MakeClient(server);
  server.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"t 1","a":1})"));
  server.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"t 1","a":1,"$etag":"W/\"1\""})"));
  server.Enqueue(ScriptedResponse::WithHeader(204, "ETag", "W/\"2\""));
  server.Enqueue(ScriptedResponse::Json(204, ""));

  boost::json::object twin = AwaitAsync<boost::json::object>([&](auto done) {
                               client.GetDigitalTwinAsync("t 1", done);
                             }).value();
  EXPECT_EQ(twin.at("a").as_int64(), 1);
  MatchConditions if_none_match;
  if_none_match.if_none_match_any = true;
  boost::json::object stored =
      AwaitAsync<boost::json::object>([&](auto done) {
        client.UpsertDigitalTwinAsync("t 1", {{"a", 1}}, done, if_none_match);
      }).value();
  EXPECT_EQ(stored.at("$etag").as_string(), "W/\"1\"");
  MatchConditions if_match;
  if_match.if_match = "W/\"1\"";
  std::string etag = AwaitAsync<std::string>([&](auto done) {
                       client.UpdateDigitalTwinAsync("t 1", Patch(), done, if_match);
                     }).value();
  EXPECT_EQ(etag, "W/\"2\"");
  AwaitAsync<void>([&](auto done) { client.DeleteDigitalTwinAsync("t 1", done); }).value();

  std::vector<RecordedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].Path(), "/digitaltwins/t%201");
  EXPECT_EQ(requests[0].Query("api-version"), "2023-10-31");
  EXPECT_EQ(requests[0].Header("Authorization"), "Bearer token-1");
  EXPECT_TRUE(requests[0].Header("traceparent").has_value());
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].Header("If-None-Match"), "*");
  EXPECT_EQ(boost::json::parse(requests[1].body), boost::json::parse(R"({"a":1})"));
  EXPECT_EQ(requests[2].method, "PATCH");
  EXPECT_EQ(requests[2].Header("Content-Type"), "application/json-patch+json");
  EXPECT_EQ(requests[2].Header("If-Match"), "W/\"1\"");
  EXPECT_EQ(requests[3].method, "DELETE");
}

TEST(AsyncCallsTest, ComponentRelationshipAndTelemetryCallsUseTheirPaths) {
  FakeHttpServer server;
  DigitalTwinsClient client = MakeClient(server);
  server.SetHandler([](const RecordedRequest& request) {
    if (request.method == "GET" || request.method == "PUT") {
      return ScriptedResponse::Json(200, R"({"$relationshipId":"r1"})");
    }
    return ScriptedResponse::WithHeader(204, "ETag", "W/\"e\"");
  });
  auto object = [&](auto start) { return AwaitAsync<boost::json::object>(start).value(); };
  auto etag = [&](auto start) { return AwaitAsync<std::string>(start).value(); };
  auto nothing = [&](auto start) { AwaitAsync<void>(start).value(); };

  object([&](auto done) { client.GetComponentAsync("t1", "thermostat", done); });
  EXPECT_EQ(
      etag([&](auto done) { client.UpdateComponentAsync("t1", "thermostat", Patch(), done); }),
      "W/\"e\"");
  EXPECT_EQ(object([&](auto done) {
              client.UpsertRelationshipAsync("t1", "r1", {{"$targetId", "t2"}}, done);
            }).at("$relationshipId"),
            "r1");
  object([&](auto done) { client.GetRelationshipAsync("t1", "r1", done); });
  etag([&](auto done) { client.UpdateRelationshipAsync("t1", "r1", Patch(), done); });
  nothing([&](auto done) { client.DeleteRelationshipAsync("t1", "r1", done); });
  TelemetryOptions options;
  options.message_id = "m-1";
  nothing([&](auto done) { client.PublishTelemetryAsync("t1", {{"t", 1}}, done, options); });
  nothing([&](auto done) {
    client.PublishComponentTelemetryAsync("t1", "thermostat", {{"t", 2}}, done);
  });

  std::vector<std::string> calls;
  for (const RecordedRequest& request : server.Requests()) {
    calls.push_back(request.method + " " + request.Path());
  }
  EXPECT_EQ(calls, (std::vector<std::string>{
                       "GET /digitaltwins/t1/components/thermostat",
                       "PATCH /digitaltwins/t1/components/thermostat",
                       "PUT /digitaltwins/t1/relationships/r1",
                       "GET /digitaltwins/t1/relationships/r1",
                       "PATCH /digitaltwins/t1/relationships/r1",
                       "DELETE /digitaltwins/t1/relationships/r1",
                       "POST /digitaltwins/t1/telemetry",
                       "POST /digitaltwins/t1/components/thermostat/telemetry",
                   }));
  EXPECT_EQ(server.Requests()[6].Header("Message-Id"), "m-1");
  EXPECT_TRUE(server.Requests()[7].Header("Message-Id").has_value());
  EXPECT_TRUE(server.Requests()[7].Header("Telemetry-Source-Time").has_value());
}

TEST(AsyncCallsTest, FailuresArriveAsTheExceptionsOfTheSynchronousForms) {
  FakeHttpServer server;
  DigitalTwinsClient client = MakeClient(server);
  server.Enqueue(ScriptedResponse::Json(
      404, R"({"error":{"code":"DigitalTwinNotFound","message":"no such twin"}})"));
  server.Enqueue(ScriptedResponse::Json(
      412, R"({"error":{"code":"PreconditionFailed","message":"etag mismatch"}})"));
  server.Enqueue(ScriptedResponse::Json(200, "not json"));

  AsyncResult<boost::json::object> missing =
      AwaitAsync<boost::json::object>([&](auto done) { client.GetDigitalTwinAsync("t1", done); });
  EXPECT_FALSE(missing.ok());
  EXPECT_THROW(missing.value(), ResourceNotFoundError);
  EXPECT_EQ(CodeOf(missing.failure()), "DigitalTwinNotFound");

  MatchConditions if_match;
  if_match.if_match = "W/\"old\"";
  AsyncResult<std::string> modified = AwaitAsync<std::string>(
      [&](auto done) { client.UpdateDigitalTwinAsync("t1", Patch(), done, if_match); });
  EXPECT_THROW(modified.value(), ResourceModifiedError);

  AsyncResult<boost::json::object> unreadable =
      AwaitAsync<boost::json::object>([&](auto done) { client.GetDigitalTwinAsync("t1", done); });
  EXPECT_EQ(CodeOf(unreadable.failure()), kUnexpectedResponse);
}

TEST(AsyncCallsTest, OneThreadKeepsManyCallsInFlightAtOnce) {
  constexpr int kCalls = 16;
  FakeHttpServer server;
  // Each request is answered only once all of them have arrived (or after 10 s, which fails
  // the test below): only calls that are all in flight together can finish.
  std::mutex mu;
  std::condition_variable all_arrived;
  int arrived = 0;
  server.SetHandler([&](const RecordedRequest&) {
    std::unique_lock lock(mu);
    ++arrived;
    all_arrived.notify_all();
    bool together =
        all_arrived.wait_for(lock, std::chrono::seconds(10), [&] { return arrived >= kCalls; });
    return ScriptedResponse::Json(together ? 200 : 500, R"({"$dtId":"t"})");
  });
  DigitalTwinsClient client = MakeClient(server);

  std::vector<std::promise<AsyncResult<boost::json::object>>> finished(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    client.GetDigitalTwinAsync("t" + std::to_string(i),
                               [&finished, i](AsyncResult<boost::json::object> result) {
                                 finished[i].set_value(std::move(result));
                               });
  }
  for (auto& call : finished) EXPECT_EQ(call.get_future().get().value().at("$dtId"), "t");
  EXPECT_EQ(server.Requests().size(), static_cast<size_t>(kCalls));
}

TEST(AsyncCallsTest, CallbacksCanStartTheNextCall) {
  FakeHttpServer server;
  server.SetHandler([](const RecordedRequest&) { return ScriptedResponse::Json(200, "{}"); });
  DigitalTwinsClient client = MakeClient(server);
  std::promise<int> chain_done;
  std::function<void(int)> call_number = [&](int n) {
    client.GetDigitalTwinAsync("t" + std::to_string(n),
                               [&, n](AsyncResult<boost::json::object> result) {
                                 if (!result.ok() || n == 5)
                                   return chain_done.set_value(result.ok() ? n : -1);
                                 call_number(n + 1);
                               });
  };
  call_number(1);
  EXPECT_EQ(chain_done.get_future().get(), 5);
  EXPECT_EQ(server.Requests().size(), 5u);
}

TEST(AsyncCallsTest, RetriesHonourRetryAfterWithoutACallerThread) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::WithHeader(503, "retry-after-ms", "500"));
  server.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"t1"})"));
  DigitalTwinsClient client = MakeClient(server, /*max_retries=*/2);
  auto started = std::chrono::steady_clock::now();
  std::promise<AsyncResult<boost::json::object>> finished;
  client.GetDigitalTwinAsync("t1", [&](AsyncResult<boost::json::object> result) {
    finished.set_value(std::move(result));
  });
  // The call returned before its retry (due 500 ms after the first answer) was even sent: the
  // wait between the attempts holds no caller.
  EXPECT_LE(server.Requests().size(), 1u);
  EXPECT_EQ(finished.get_future().get().value().at("$dtId"), "t1");
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(500));
  std::vector<RecordedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("x-ms-client-request-id"),
            requests[1].Header("x-ms-client-request-id"));
}

TEST(AsyncCallsTest, ACallThatCannotStartFailsAtOnceOnTheCallingThread) {
  FakeHttpServer server;
  DigitalTwinsClient client = MakeClient(server);
  CallContext cancelled;
  cancelled.Cancel();
  std::optional<std::string> cancelled_code;
  client.GetDigitalTwinAsync(
      "t1",
      [&](AsyncResult<boost::json::object> result) { cancelled_code = CodeOf(result.failure()); },
      cancelled);
  EXPECT_EQ(cancelled_code, kCancelledError);  // set before GetDigitalTwinAsync returned

  CallContext expired = CallContext::WithTimeout(std::chrono::milliseconds(-1));
  std::optional<std::string> expired_code;
  client.PublishTelemetryAsync(
      "t1", {{"t", 1}}, [&](AsyncResult<void> result) { expired_code = CodeOf(result.failure()); },
      {}, expired);
  EXPECT_EQ(expired_code, kTimeoutError);
  EXPECT_TRUE(server.Requests().empty());
}

TEST(AsyncCallsTest, CancellingDuringTheWaitBetweenAttemptsEndsTheCall) {
  FakeHttpServer server;
  server.SetHandler([](const RecordedRequest&) {
    return ScriptedResponse::WithHeader(503, "Retry-After", "30");
  });
  DigitalTwinsClient client = MakeClient(server, /*max_retries=*/3);
  CallContext context;
  std::promise<AsyncResult<boost::json::object>> finished;
  client.GetDigitalTwinAsync(
      "t1", [&](AsyncResult<boost::json::object> result) { finished.set_value(std::move(result)); },
      context);
  std::this_thread::sleep_for(milliseconds(200));
  context.Cancel();
  AsyncResult<boost::json::object> result = finished.get_future().get();
  EXPECT_EQ(CodeOf(result.failure()), kCancelledError);
  EXPECT_EQ(server.Requests().size(), 1u);
}

TEST(AsyncCallsTest, DestroyingTheClientEndsTheCallsInFlight) {
  FakeHttpServer server;
  server.SetHandler([](const RecordedRequest&) {
    ScriptedResponse slow = ScriptedResponse::Json(200, "{}");
    slow.delay = milliseconds(5000);
    return slow;
  });
  std::optional<DigitalTwinsClient> client(MakeClient(server));
  std::optional<std::string> code;
  client->GetDigitalTwinAsync("t1", [&](AsyncResult<boost::json::object> result) {
    code = result.ok() ? "ok" : CodeOf(result.failure());
  });
  // Once the request is on the wire, the client goes away.
  for (int i = 0; i < 500 && server.Requests().empty(); ++i)
    std::this_thread::sleep_for(milliseconds(10));
  ASSERT_EQ(server.Requests().size(), 1u);
  client.reset();
  EXPECT_EQ(code, kCancelledError);  // reported before the destructor returned
}

TEST(AsyncCallsTest, ASynchronousCallInACallbackIsRefusedInsteadOfHanging) {
  FakeHttpServer server;
  server.SetHandler([](const RecordedRequest&) { return ScriptedResponse::Json(200, "{}"); });
  DigitalTwinsClient client = MakeClient(server);
  std::string code =
      AwaitAsync<std::string>([&](auto done) {
        client.GetDigitalTwinAsync("t1", [&, done](AsyncResult<boost::json::object>) {
          try {
            client.GetDigitalTwin("t2");
            done(AsyncResult<std::string>(std::string("returned")));
          } catch (const DigitalTwinsError& error) {
            done(AsyncResult<std::string>(error.code()));
          }
        });
      }).value();
  EXPECT_EQ(code, kInvalidOperation);
  EXPECT_EQ(server.Requests().size(), 1u);
}

}  // namespace
}  // namespace dtwin::client
