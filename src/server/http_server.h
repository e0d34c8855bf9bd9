// The HTTP(S) listener: binds, accepts on an Asio thread pool, speaks HTTP/1.1 keep-alive
// with size limits and timeouts, and hands each request to the ApiDispatcher. Beast and Asio
// stay behind the pimpl (a translation unit that includes them takes ~17 s to compile).
// Thread-safety: Create and Run from one thread; Stop from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "server/access_log.h"
#include "server/api_dispatcher.h"

namespace dtwin::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  std::string tls_cert;  // PEM files; HTTPS when both are set
  std::string tls_key;
  size_t threads = 0;                        // 0: one per CPU this process may run on
  std::chrono::seconds request_timeout{30};  // to read a request's header, body; to write
  std::chrono::seconds idle_timeout{120};    // between requests on a keep-alive connection
  size_t header_limit = 16 * 1024;
  bool stop_on_signals = true;  // SIGINT/SIGTERM (caught from Create on) start the stop
};

class HttpServer {
 public:
  // Binds the listening socket and loads the TLS certificate; serves nothing until Run.
  // dispatcher and access_log (may be null) must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Create(const HttpServerOptions& options,
                                                    const ApiDispatcher& dispatcher,
                                                    AccessLog* access_log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // "http://127.0.0.1:41234": the scheme and the bound address and port.
  std::string url() const;

  // Serves until Stop (or a signal); then stops accepting, closes idle connections, lets
  // in-flight requests finish (their service completions included) and returns. Once a stop
  // has begun, a second SIGINT/SIGTERM ends the process at once (the default action).
  void Run();

  // Begins the graceful stop. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::server
