// The transport in-process, against a stub route table: keep-alive and pipelining, exact
// framing of empty answers, size limits (32 KB payloads, 32 MB uploads, 16 KB headers or
// another configured size), malformed requests, Expect: 100-continue, the access log, the
// graceful stop, and the slow-client and connection limits.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "raw_http_client.h"
#include "server/request_context.h"

namespace dtwin::server {
namespace {

using testing::RawHttpClient;
using testing::RawResponse;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    router.Add(HttpMethod::kGet, "/echo/{id}",
               [](const RequestContext& context, Responder respond) {
                 respond(JsonResponse(200, "{\"id\":\"" + context.param(0) + "\"}"));
               });
    router.Add(HttpMethod::kPut, "/digitaltwins/{id}",
               [](const RequestContext& context, Responder respond) {
                 respond(JsonResponse(
                     200, "{\"bytes\":" + std::to_string(context.request().body.size()) + "}"));
               });
    router.Add(HttpMethod::kDelete, "/digitaltwins/{id}",
               [](const RequestContext&, Responder respond) { respond(EmptyResponse(204)); });
    router.Add(HttpMethod::kPost, "/models", [](const RequestContext& context, Responder respond) {
      respond(
          JsonResponse(201, "{\"bytes\":" + std::to_string(context.request().body.size()) + "}"));
    });
    // Answers from another thread once the test releases it, as durable writes do.
    router.Add(HttpMethod::kGet, "/later/{id}", [this](const RequestContext&, Responder respond) {
      std::lock_guard lock(workers_mu_);
      workers_.emplace_back([respond, released = released_] {
        released.wait();
        respond(JsonResponse(200, std::string("{\"late\":true}")));
      });
      later_started_ = true;
    });
    dispatcher_ = std::make_unique<ApiDispatcher>(std::move(router));
    log_file_ = std::tmpfile();
    access_log_ = std::make_unique<AccessLog>(log_file_);

    HttpServerOptions options;
    options.listeners = {ListenAddress{"127.0.0.1", 0, false}};
    options.threads = 2;
    options.stop_on_signals = false;
    Customize(options);
    Result<std::unique_ptr<HttpServer>> server =
        HttpServer::Create(options, *dispatcher_, access_log_.get());
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    std::string url = server_->url();
    ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
    port_ = std::stoi(url.substr(url.rfind(':') + 1));
    ASSERT_GT(port_, 0);
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override { StopServer(); }

  // Lets a fixture change the options before the server starts.
  virtual void Customize(HttpServerOptions&) {}

  void StopServer() {
    Release();
    if (runner_.joinable()) {
      server_->Stop();
      runner_.join();
    }
    std::lock_guard lock(workers_mu_);
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

  void Release() {
    if (!released_flag_.exchange(true)) release_.set_value();
  }

  std::string AccessLogText() {
    access_log_->Flush();
    std::fflush(log_file_);
    std::rewind(log_file_);
    std::string text;
    char chunk[4096];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof(chunk), log_file_)) > 0) text.append(chunk, n);
    return text;
  }

  std::unique_ptr<RawHttpClient> Connect() {
    auto client = std::make_unique<RawHttpClient>();
    EXPECT_TRUE(client->Connect(port_));
    return client;
  }

  static std::string Get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
  }

  std::unique_ptr<ApiDispatcher> dispatcher_;
  std::FILE* log_file_ = nullptr;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  std::atomic<bool> released_flag_{false};
  std::atomic<bool> later_started_{false};
  std::mutex workers_mu_;
  std::vector<std::thread> workers_;  // guarded by workers_mu_
  int port_ = 0;
};

TEST_F(HttpServerTest, KeepAliveServesPipelinedAndLaterRequestsOnOneConnection) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send(Get("/echo/a?api-version=2023-10-31") + Get("/echo/b?api-version=2023-10-31")));
  std::optional<RawResponse> first = client->ReadResponse();
  std::optional<RawResponse> second = client->ReadResponse();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, R"({"id":"a"})");
  EXPECT_EQ(second->body, R"({"id":"b"})");
  EXPECT_EQ(first->Header("content-type"), "application/json; charset=utf-8");
  EXPECT_TRUE(first->Header("date").has_value());
  EXPECT_EQ(first->Header("connection"), std::nullopt);

  ASSERT_TRUE(client->Send(Get("/echo/c?api-version=2023-10-31")));
  std::optional<RawResponse> third = client->ReadResponse();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->body, R"({"id":"c"})");
}

TEST_F(HttpServerTest, EmptyAnswersCarryContentLengthZero) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send("DELETE /digitaltwins/x?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "x-ms-client-request-id: req-9\r\n\r\n"));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->Header("content-length"), "0");
  EXPECT_EQ(response->Header("content-type"), std::nullopt);
  EXPECT_EQ(response->Header("x-ms-client-request-id"), "req-9");
}

TEST_F(HttpServerTest, Http10ClientsGetTheirConnectionClosed) {
  auto client = Connect();
  ASSERT_TRUE(client->Send("GET /echo/a?api-version=2023-10-31 HTTP/1.0\r\n\r\n"));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(client->PeerClosed());
}

TEST_F(HttpServerTest, TwinBodyOver32KBIsRejectedBeforeItIsRead) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send("PUT /digitaltwins/x?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "x-ms-client-request-id: big-1\r\n"
                   "Content-Type: application/json\r\nContent-Length: 40000\r\n\r\n"));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->Header("x-ms-error-code"), "InvalidArgument");
  EXPECT_EQ(response->Header("x-ms-client-request-id"), "big-1");
  EXPECT_NE(response->body.find("32 KB"), std::string::npos);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(client->PeerClosed());
}

TEST_F(HttpServerTest, ChunkedTwinBodyOver32KBIsRejected) {
  auto client = Connect();
  std::string chunk(20000, ' ');
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", chunk.size());
  ASSERT_TRUE(
      client->Send("PUT /digitaltwins/x?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n" +
                   std::string(size) + "\r\n" + chunk + "\r\n" + std::string(size) + "\r\n" +
                   chunk + "\r\n0\r\n\r\n"));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->Header("x-ms-error-code"), "InvalidArgument");
}

TEST_F(HttpServerTest, BodyOfExactly32KBIsAccepted) {
  auto client = Connect();
  std::string body(32 * 1024, ' ');
  ASSERT_TRUE(
      client->Send("PUT /digitaltwins/x?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"bytes":32768})");
}

TEST_F(HttpServerTest, ModelUploadsMayBeLargeUpTo32MB) {
  auto client = Connect();
  std::string body(200 * 1024, ' ');
  ASSERT_TRUE(
      client->Send("POST /models?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"bytes":204800})");

  auto second = Connect();
  ASSERT_TRUE(
      second->Send("POST /models?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "Content-Length: 40000000\r\n\r\n"));
  std::optional<RawResponse> too_large = second->ReadResponse();
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(too_large->Header("x-ms-error-code"), "PayloadTooLarge");
}

TEST_F(HttpServerTest, Expect100ContinueGetsAnInterimAnswer) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send("POST /models?api-version=2023-10-31 HTTP/1.1\r\nHost: t\r\n"
                   "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  std::optional<RawResponse> interim = client->ReadResponse();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->Send("[]"));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"bytes":2})");
}

TEST_F(HttpServerTest, HeaderOver16KBIs431) {
  auto client = Connect();
  ASSERT_TRUE(client->Send(
      Get("/echo/a?api-version=2023-10-31", "X-Padding: " + std::string(17 * 1024, 'p') + "\r\n")));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->Header("x-ms-error-code"), "RequestHeaderFieldsTooLarge");
  EXPECT_TRUE(client->PeerClosed());
}

TEST_F(HttpServerTest, MalformedRequestIs400AndCloses) {
  auto client = Connect();
  ASSERT_TRUE(client->Send("THIS IS NOT HTTP\r\n\r\n"));
  std::optional<RawResponse> response = client->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->Header("x-ms-error-code"), "BadRequest");
  EXPECT_NE(response->body.find("malformed HTTP request"), std::string::npos);
  EXPECT_TRUE(client->PeerClosed());
}

TEST_F(HttpServerTest, AccessLogHasOneLinePerRequestWithoutTheQuery) {
  auto client = Connect();
  ASSERT_TRUE(client->Send(Get("/echo/log-me?api-version=2023-10-31&continuationToken=secret")));
  ASSERT_TRUE(client->ReadResponse());
  ASSERT_TRUE(client->Send(Get("/missing?api-version=2023-10-31")));
  ASSERT_TRUE(client->ReadResponse());
  StopServer();
  std::string log = AccessLogText();
  EXPECT_NE(log.find(" GET /echo/log-me 200 "), std::string::npos) << log;
  EXPECT_NE(log.find(" GET /missing 404 "), std::string::npos) << log;
  EXPECT_EQ(log.find("secret"), std::string::npos) << log;
  EXPECT_NE(log.find("B\n"), std::string::npos) << log;
}

TEST_F(HttpServerTest, StopFinishesTheRequestInFlightAndClosesIdleConnections) {
  auto idle = Connect();
  ASSERT_TRUE(idle->Send(Get("/echo/a?api-version=2023-10-31")));
  ASSERT_TRUE(idle->ReadResponse());

  auto busy = Connect();
  ASSERT_TRUE(busy->Send(Get("/later/x?api-version=2023-10-31")));
  // The request reaches its handler, the stop begins, and only then does the answer come.
  while (!later_started_) std::this_thread::yield();
  server_->Stop();
  Release();

  std::optional<RawResponse> late = busy->ReadResponse();
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 200);
  EXPECT_EQ(late->body, R"({"late":true})");
  EXPECT_TRUE(busy->PeerClosed());
  EXPECT_TRUE(idle->PeerClosed());
  runner_.join();  // Run returns once everything in flight is done

  RawHttpClient refused;
  EXPECT_FALSE(refused.Connect(port_) && refused.Send(Get("/echo/a?api-version=2023-10-31")) &&
               refused.ReadResponse());
}

TEST(HttpServerCreateTest, ReportsAPortInUse) {
  Router router;
  ApiDispatcher dispatcher(std::move(router));
  HttpServerOptions options;
  options.listeners = {ListenAddress{"127.0.0.1", 0, false}};
  options.stop_on_signals = false;
  Result<std::unique_ptr<HttpServer>> first = HttpServer::Create(options, dispatcher, nullptr);
  ASSERT_TRUE(first.ok());
  std::string url = (*first)->url();
  options.listeners[0].port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  Result<std::unique_ptr<HttpServer>> second = HttpServer::Create(options, dispatcher, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("cannot listen on 127.0.0.1:" +
                                           std::to_string(options.listeners[0].port)),
            std::string::npos)
      << second.status().message();
}

TEST(HttpServerCreateTest, ReportsAMissingCertificate) {
  Router router;
  ApiDispatcher dispatcher(std::move(router));
  HttpServerOptions options;
  options.listeners = {ListenAddress{"127.0.0.1", 0, true}};
  options.tls_cert = "/nonexistent/cert.pem";
  options.tls_key = "/nonexistent/key.pem";
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Create(options, dispatcher, nullptr);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(
      server.status().message().find("cannot load the TLS certificate '/nonexistent/cert.pem'"),
      std::string::npos)
      << server.status().message();
}

// Small limits, so that a test reaches them quickly.
class HttpServerLimitsTest : public HttpServerTest {
 protected:
  void Customize(HttpServerOptions& options) override {
    options.header_limit = 2048;
    options.request_timeout = std::chrono::seconds(1);
    options.idle_timeout = std::chrono::seconds(1);
    options.max_connections = 2;
  }
};

TEST_F(HttpServerLimitsTest, HeaderLimitIsTheConfiguredOne) {
  auto fits = Connect();
  ASSERT_TRUE(fits->Send(
      Get("/echo/a?api-version=2023-10-31", "X-Padding: " + std::string(1500, 'p') + "\r\n")));
  std::optional<RawResponse> ok = fits->ReadResponse();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  fits.reset();

  auto over = Connect();
  ASSERT_TRUE(over->Send(
      Get("/echo/a?api-version=2023-10-31", "X-Padding: " + std::string(2100, 'p') + "\r\n")));
  std::optional<RawResponse> response = over->ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_NE(response->body.find("exceeds 2 KB"), std::string::npos) << response->body;
}

TEST_F(HttpServerLimitsTest, ASlowClientTricklingItsHeaderIsCutOffWhileOthersAreServed) {
  auto slow = Connect();
  // Far more header than the slow client can send within the 1 s request timeout.
  const std::string header =
      Get("/echo/slow?api-version=2023-10-31", "X-Padding: " + std::string(600, 'p') + "\r\n");
  size_t sent = 0;
  bool served_other = false;
  while (sent < header.size() && slow->Send(header.substr(sent, 1))) {
    ++sent;
    if (!served_other) {
      // Another connection is answered while the slow one trickles.
      auto other = Connect();
      ASSERT_TRUE(other->Send(Get("/echo/quick?api-version=2023-10-31")));
      std::optional<RawResponse> quick = other->ReadResponse();
      ASSERT_TRUE(quick);
      EXPECT_EQ(quick->body, R"({"id":"quick"})");
      served_other = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(served_other);
  // Cut off before the header was complete: a write failed, or the server already closed.
  EXPECT_LT(sent, header.size());
  EXPECT_TRUE(slow->PeerClosed());
}

TEST_F(HttpServerLimitsTest, AnIdleKeepAliveConnectionIsClosed) {
  auto client = Connect();
  ASSERT_TRUE(client->Send(Get("/echo/a?api-version=2023-10-31")));
  ASSERT_TRUE(client->ReadResponse());
  // Nothing more is sent: the server closes the connection after the idle timeout (the
  // client's own read timeout is 20 s).
  EXPECT_TRUE(client->PeerClosed());
}

TEST_F(HttpServerLimitsTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  auto first = Connect();
  auto second = Connect();
  for (auto* client : {first.get(), second.get()}) {
    ASSERT_TRUE(client->Send(Get("/echo/a?api-version=2023-10-31")));
    ASSERT_TRUE(client->ReadResponse());
  }
  auto third = Connect();
  third->Send(Get("/echo/c?api-version=2023-10-31"));
  EXPECT_FALSE(third->ReadResponse());
  EXPECT_TRUE(third->PeerClosed());
  // The two served connections are still open.
  ASSERT_TRUE(first->Send(Get("/echo/b?api-version=2023-10-31")));
  std::optional<RawResponse> again = first->ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, R"({"id":"b"})");

  // Once one closes, new connections are served again (the server notices the close
  // asynchronously, so a few attempts may still be refused).
  second.reset();
  std::optional<RawResponse> later;
  for (int attempt = 0; attempt < 200 && !later; ++attempt) {
    RawHttpClient fourth;
    if (fourth.Connect(port_) && fourth.Send(Get("/echo/d?api-version=2023-10-31"))) {
      later = fourth.ReadResponse();
    }
    if (!later) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(later);
  EXPECT_EQ(later->body, R"({"id":"d"})");
}

}  // namespace
}  // namespace dtwin::server
