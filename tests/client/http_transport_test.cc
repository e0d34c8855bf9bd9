// HttpTransport against the fake server: methods and bodies on the wire, connection reuse,
// timeouts, deadline, cancellation, connection failures, and TLS with a private CA.
#include "client/http_transport.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "dtwin/client/errors.h"
#include "fake_http_server.h"
#include "loopback_certificate.h"

namespace dtwin::client {
namespace {

using std::chrono::milliseconds;
using testing::FakeHttpServer;
using testing::ScriptedResponse;
using Clock = std::chrono::steady_clock;

// The asynchronous form, waited for: what the attempt reported.
HttpAttempt SendAndWait(HttpTransport& transport, const HttpRequest& request,
                        const CallContext& context) {
  std::promise<HttpAttempt> reported;
  transport.SendAsync(request, context,
                      [&](HttpAttempt&& attempt) { reported.set_value(std::move(attempt)); });
  return reported.get_future().get();
}

DigitalTwinsError SendExpectingError(HttpTransport& transport, const HttpRequest& request,
                                     const CallContext& context,
                                     bool* may_have_reached_server = nullptr) {
  HttpAttempt attempt = SendAndWait(transport, request, context);
  if (may_have_reached_server != nullptr) *may_have_reached_server = attempt.may_have_reached_server;
  try {
    if (attempt.failure) std::rethrow_exception(attempt.failure);
  } catch (const DigitalTwinsError& error) {
    return error;
  }
  ADD_FAILURE() << "the attempt got an answer instead of failing";
  return DigitalTwinsError(0, "", "", "");
}

TEST(HttpTransportTest, SendsMethodHeadersAndBodyAndReturnsTheAnswer) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse{201, {{"X-Custom", "yes"}, {"ETag", "W/\"1\""}}, "created"});
  HttpTransport transport({});
  HttpRequest request{"PUT",
                      server.Url() + "/digitaltwins/a?x=1",
                      {{"Content-Type", "application/json"}, {"If-None-Match", "*"}},
                      R"({"a":1})"};
  HttpResponse response = transport.Send(request, CallContext());

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "created");
  EXPECT_EQ(response.Header("x-custom").value_or(""), "yes");  // case-insensitive lookup
  EXPECT_EQ(response.Header("etag").value_or(""), "W/\"1\"");
  EXPECT_FALSE(response.Header("missing").has_value());
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/digitaltwins/a?x=1");
  EXPECT_EQ(requests[0].body, R"({"a":1})");
  EXPECT_EQ(requests[0].Header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(requests[0].Header("If-None-Match").value_or(""), "*");
  EXPECT_FALSE(requests[0].Header("Expect").has_value());
}

TEST(HttpTransportTest, EveryMethodKeepsItsNameAndBodylessOnesSendNoFormContentType) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse{204, {}, ""}; });
  HttpTransport transport({});
  // One after another on the same pooled handle: no method's options may leak into the next.
  const std::vector<std::string> methods = {"GET",   "POST",   "HEAD", "PUT",
                                            "PATCH", "DELETE", "GET",  "POST"};
  for (const std::string& method : methods) {
    std::string body = method == "PUT" ? "put-body" : "";
    HttpResponse response = transport.Send({method, server.Url() + "/x", {}, body}, CallContext());
    EXPECT_EQ(response.status, 204) << method;
  }
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), methods.size());
  for (size_t i = 0; i < methods.size(); ++i) {
    EXPECT_EQ(requests[i].method, methods[i]) << i;
    EXPECT_FALSE(requests[i].Header("Content-Type").has_value()) << methods[i];
  }
  EXPECT_EQ(requests[3].body, "put-body");
  EXPECT_EQ(requests[1].Header("Content-Length").value_or(""), "0");  // an empty POST
  EXPECT_EQ(requests[7].Header("Content-Length").value_or(""), "0");  // not the PUT's length
  EXPECT_FALSE(requests[6].Header("Content-Length").has_value());     // a GET after bodies
  EXPECT_EQ(requests[6].body, "");
}

TEST(HttpTransportTest, SequentialRequestsReuseOneConnection) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(200, "{}"); });
  HttpTransport transport({});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(transport.Send({"GET", server.Url() + "/a", {}, ""}, CallContext()).status, 200);
  }
  EXPECT_EQ(server.Connections(), 1);
  for (const auto& request : server.Requests()) EXPECT_EQ(request.connection, 1);
}

// The server closes each connection after its answer, while the transport keeps it for
// reuse: the next call must notice, connect again (possibly on the same socket number) and
// get its answer rather than hang.
TEST(HttpTransportTest, ConnectionsTheServerClosedAreReplaced) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(200, "{}"); });
  HttpTransport transport({});
  for (int i = 0; i < 4; ++i) {
    HttpRequest request{"GET", server.Url() + "/a", {{"Connection", "close"}}, ""};
    EXPECT_EQ(transport.Send(request, CallContext::WithTimeout(milliseconds(10000))).status, 200);
    std::this_thread::sleep_for(milliseconds(50));  // the close arrives while the socket idles
  }
  EXPECT_EQ(server.Connections(), 4);
}

TEST(HttpTransportTest, ConcurrentRequestsEachGetAnAnswer) {
  FakeHttpServer server;
  server.SetHandler([](const testing::RecordedRequest& request) {
    ScriptedResponse response = ScriptedResponse::Json(200, request.target);
    response.delay = milliseconds(50);
    return response;
  });
  HttpTransport transport({});
  std::vector<std::future<std::string>> answers;
  for (int i = 0; i < 8; ++i) {
    answers.push_back(std::async(std::launch::async, [&, i] {
      return transport.Send({"GET", server.Url() + "/" + std::to_string(i), {}, ""}, CallContext())
          .body;
    }));
  }
  for (int i = 0; i < 8; ++i) EXPECT_EQ(answers[i].get(), "/" + std::to_string(i));
}

TEST(HttpTransportTest, RequestTimeoutIsATimeoutError) {
  FakeHttpServer server;
  ScriptedResponse slow = ScriptedResponse::Json(200, "{}");
  slow.delay = milliseconds(3000);
  server.Enqueue(slow);
  TransportOptions options;
  options.request_timeout = milliseconds(200);
  HttpTransport transport(options);
  bool reached = false;
  auto started = Clock::now();
  DigitalTwinsError error = SendExpectingError(transport, {"GET", server.Url() + "/slow", {}, ""},
                                               CallContext(), &reached);
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.code(), kTimeoutError);
  EXPECT_TRUE(reached);  // the request was sent; only the answer was late
  EXPECT_LT(Clock::now() - started, milliseconds(2500));
}

TEST(HttpTransportTest, ContextDeadlineBoundsTheAttempt) {
  FakeHttpServer server;
  ScriptedResponse slow = ScriptedResponse::Json(200, "{}");
  slow.delay = milliseconds(3000);
  server.Enqueue(slow);
  HttpTransport transport({});  // the default request timeout is 100 s
  auto started = Clock::now();
  DigitalTwinsError error = SendExpectingError(transport, {"GET", server.Url() + "/slow", {}, ""},
                                               CallContext::WithTimeout(milliseconds(300)));
  EXPECT_EQ(error.code(), kTimeoutError);
  EXPECT_LT(Clock::now() - started, milliseconds(2500));

  DigitalTwinsError expired = SendExpectingError(transport, {"GET", server.Url() + "/a", {}, ""},
                                                 CallContext::WithTimeout(milliseconds(0)));
  EXPECT_EQ(expired.code(), kTimeoutError);
  EXPECT_EQ(server.Requests().size(), 1u);  // a passed deadline sends nothing
}

TEST(HttpTransportTest, CancellationFromAnotherThreadStopsTheTransfer) {
  FakeHttpServer server;
  ScriptedResponse slow = ScriptedResponse::Json(200, "{}");
  slow.delay = milliseconds(5000);
  server.Enqueue(slow);
  HttpTransport transport({});
  CallContext context;
  std::thread canceller([context] {
    std::this_thread::sleep_for(milliseconds(200));
    context.Cancel();
  });
  auto started = Clock::now();
  DigitalTwinsError error =
      SendExpectingError(transport, {"GET", server.Url() + "/slow", {}, ""}, context);
  canceller.join();
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.code(), kCancelledError);
  EXPECT_GE(Clock::now() - started, milliseconds(200));
  EXPECT_LT(Clock::now() - started, milliseconds(4000));
}

TEST(HttpTransportTest, RefusedConnectionNeverReachedTheServer) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(200, "{}"); });
  HttpTransport transport({});
  // A successful request first, so the refused one runs on a pooled handle that has sent
  // before: what it reports must be about this call alone.
  EXPECT_EQ(transport.Send({"POST", server.Url() + "/a", {}, "x"}, CallContext()).status, 200);
  bool reached = true;
  DigitalTwinsError error = SendExpectingError(
      transport,
      {"POST", "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/a", {}, "x"},
      CallContext(), &reached);
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.code(), kConnectionError);
  EXPECT_FALSE(reached);
}

TEST(HttpTransportTest, DroppedConnectionMayHaveReachedTheServer) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::Drop());
  HttpTransport transport({});
  bool reached = false;
  DigitalTwinsError error = SendExpectingError(transport, {"POST", server.Url() + "/a", {}, "x"},
                                               CallContext(), &reached);
  EXPECT_EQ(error.code(), kConnectionError);
  EXPECT_TRUE(reached);
}

// TLS: a self-signed certificate made with the openssl CLI, trusted through ca_file.
class HttpTransportTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!dtwin::testing::HaveOpensslCommand()) {
      GTEST_SKIP() << "openssl CLI not found; the TLS test needs it to make a certificate";
    }
    dir_ = std::filesystem::temp_directory_path() / ("dtwin-tls-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    const dtwin::testing::CertificateFiles files =
        dtwin::testing::MakeLoopbackCertificate(dir_.string());
    ASSERT_FALSE(files.cert.empty()) << "openssl could not make a certificate";
    cert_ = files.cert;
    key_ = files.key;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string cert_;
  std::string key_;
};

TEST_F(HttpTransportTlsTest, TrustsThePrivateCaFileAndRefusesWithoutIt) {
  FakeHttpServer server(0, testing::FakeTlsOptions{cert_, key_});
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(200, R"({"tls":true})"); });
  ASSERT_EQ(server.Url().substr(0, 8), "https://");

  TransportOptions trusting;
  trusting.ca_file = cert_;
  HttpTransport trusted(trusting);
  HttpResponse response = trusted.Send({"GET", server.Url() + "/a", {}, ""}, CallContext());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"tls":true})");

  HttpTransport system_trust({});
  DigitalTwinsError error =
      SendExpectingError(system_trust, {"GET", server.Url() + "/a", {}, ""}, CallContext());
  EXPECT_EQ(error.code(), kConnectionError);

  TransportOptions unverified;
  unverified.verify_tls = false;
  HttpTransport insecure(unverified);
  EXPECT_EQ(insecure.Send({"GET", server.Url() + "/a", {}, ""}, CallContext()).status, 200);
}

}  // namespace
}  // namespace dtwin::client
