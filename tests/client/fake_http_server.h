// A scripted HTTP/1.1 server on loopback for client tests: answers queued responses in order
// (then a handler, then 404), records every request with the connection that carried it,
// and can delay answers, drop connections and speak TLS. Thread-safe: tests script and
// inspect it from their thread while its own threads serve.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace dtwin::client::testing {

using FakeHeaders = std::vector<std::pair<std::string, std::string>>;

struct RecordedRequest {
  std::string method;
  std::string target;  // path and query as sent ("/digitaltwins/a?api-version=...")
  FakeHeaders headers;
  std::string body;
  int connection = 0;  // 1 for the first accepted connection, 2 for the next...

  std::string Path() const;                                        // target without the query
  std::optional<std::string> Query(std::string_view name) const;   // decoded value
  std::optional<std::string> Header(std::string_view name) const;  // case-insensitive
};

struct ScriptedResponse {
  int status = 200;
  FakeHeaders headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering
  bool drop_connection = false;        // close the connection instead of answering

  static ScriptedResponse Json(int status, std::string body);
  // A 429/503 style answer with Retry-After (or another header) set to `value`.
  static ScriptedResponse WithHeader(int status, std::string name, std::string value);
  static ScriptedResponse Drop();
  // What an OAuth2 token endpoint answers.
  static ScriptedResponse Token(const std::string& access_token, int expires_in);
};

struct FakeTlsOptions {
  std::string cert_file;  // PEM certificate chain
  std::string key_file;   // PEM private key
};

class FakeHttpServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  // Listens on 127.0.0.1:port (0 = any free port) and starts serving.
  explicit FakeHttpServer(int port = 0, std::optional<FakeTlsOptions> tls = std::nullopt);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" (https with TLS).
  std::string Url() const;

  // Answers the next request that finds the queue non-empty.
  void Enqueue(ScriptedResponse response);
  // Answers requests when the queue is empty (default: 404).
  void SetHandler(Handler handler);

  std::vector<RecordedRequest> Requests() const;
  int Connections() const { return connections_.load(); }

 private:
  struct Tls;
  void AcceptLoop();
  void Serve(int fd, int connection);
  ScriptedResponse Answer(const RecordedRequest& request);

  int port_ = 0;
  int listen_fd_ = -1;
  std::unique_ptr<Tls> tls_;  // immutable after construction
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;

  mutable std::mutex mu_;
  std::deque<ScriptedResponse> queue_;     // guarded by mu_
  Handler handler_;                        // guarded by mu_
  std::vector<RecordedRequest> requests_;  // guarded by mu_
  std::vector<std::thread> workers_;       // guarded by mu_
};

// A loopback port nobody listens on (bound then released), for connection-refused tests.
int UnusedLoopbackPort();

}  // namespace dtwin::client::testing
