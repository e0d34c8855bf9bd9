// The HTTP(S) listeners: bind one or more addresses (each plain HTTP or HTTPS), accept on an
// Asio thread pool, speak HTTP/1.1 keep-alive with size, time and connection limits, and hand
// each request to the ApiDispatcher. Beast and Asio stay behind the pimpl (a translation unit
// that includes them takes ~17 s to compile).
// Thread-safety: Create and Run from one thread; Stop and ReloadCertificate from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/access_log.h"
#include "server/api_dispatcher.h"

namespace dtwin::server {

// One address to serve on.
struct ListenAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  bool tls = false;      // HTTPS with HttpServerOptions::tls_cert
};

struct HttpServerOptions {
  std::vector<ListenAddress> listeners = {ListenAddress{}};
  std::string tls_cert;  // PEM chain and key for the TLS listeners (re-read by ReloadCertificate)
  std::string tls_key;
  size_t threads = 0;                        // 0: one per CPU this process may run on
  std::chrono::seconds request_timeout{30};  // to read a request's header, body; to write
  std::chrono::seconds idle_timeout{120};    // between requests on a keep-alive connection
  size_t header_limit = 16 * 1024;           // bytes of request line and headers; over it 431
  size_t max_connections = 1000;             // open at once, all listeners; more are closed
  // SIGINT/SIGTERM (caught from Create on) start the stop; with a TLS listener, SIGHUP
  // reloads the certificate.
  bool stop_on_signals = true;
};

class HttpServer {
 public:
  // Binds every listening socket and loads the TLS certificate; serves nothing until Run.
  // dispatcher and access_log (may be null) must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Create(const HttpServerOptions& options,
                                                    const ApiDispatcher& dispatcher,
                                                    AccessLog* access_log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // "http://127.0.0.1:41234": the scheme and the bound address and port of each listener, in
  // the order of HttpServerOptions::listeners; url() is the first.
  std::vector<std::string> urls() const;
  std::string url() const;

  // Serves until Stop (or a signal); then stops accepting, closes idle connections, lets
  // in-flight requests finish (their service completions included) and returns. Once a stop
  // has begun, a second SIGINT/SIGTERM ends the process at once (the default action).
  void Run();

  // Begins the graceful stop. Idempotent.
  void Stop();

  // Re-reads tls_cert and tls_key (what SIGHUP does): TLS handshakes from now on use them,
  // open connections keep theirs. When the new files do not load (or the key does not match
  // the certificate) the previous certificate stays and the status says why.
  Status ReloadCertificate();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::server
