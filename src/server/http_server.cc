// The listener: binds, runs the accept loop and the thread pool, and stops gracefully on
// Stop or SIGINT/SIGTERM.
#include "server/http_server.h"

#include <sched.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include "server/http_session.h"

namespace dtwin::server {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// The CPUs this process may run on (taskset narrows it; hardware_concurrency does not).
size_t UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0) return static_cast<size_t>(count);
  }
  unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : hardware;
}

Result<tcp::endpoint> ResolveListenEndpoint(net::io_context& io, const std::string& host,
                                            uint16_t port) {
  boost::system::error_code error;
  net::ip::address address = net::ip::make_address(host, error);
  if (!error) return tcp::endpoint(address, port);
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, error);
  if (error || results.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "cannot resolve the listen host '" + host + "': " + error.message());
  }
  return results.begin()->endpoint();
}

}  // namespace

struct HttpServer::Impl {
  Impl(const HttpServerOptions& options, const ApiDispatcher& dispatcher,
       AccessLog* access_log)
      : options(options),
        acceptor(net::make_strand(io)),
        retry_timer(acceptor.get_executor()),
        signals(io),
        environment{dispatcher,           access_log,           options.request_timeout,
                    options.idle_timeout, options.header_limit, {}} {}

  Status Open() {
    if (!options.tls_cert.empty()) {
      tls.emplace(net::ssl::context::tls_server);
      tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
      boost::system::error_code error;
      tls->use_certificate_chain_file(options.tls_cert, error);
      if (error) {
        return Status(ErrorCode::kInvalidArgument, "cannot load the TLS certificate '" +
                                                       options.tls_cert + "': " + error.message());
      }
      tls->use_private_key_file(options.tls_key, net::ssl::context::pem, error);
      if (error) {
        return Status(ErrorCode::kInvalidArgument, "cannot load the TLS private key '" +
                                                       options.tls_key + "': " + error.message());
      }
    }
    Result<tcp::endpoint> endpoint = ResolveListenEndpoint(io, options.host, options.port);
    if (!endpoint.ok()) return endpoint.status();
    boost::system::error_code error;
    const std::string where = options.host + ":" + std::to_string(options.port);
    acceptor.open(endpoint->protocol(), error);
    if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
    if (!error) acceptor.bind(*endpoint, error);
    if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
    if (error) {
      return Status(ErrorCode::kServiceUnavailable,
                    "cannot listen on " + where + ": " + error.message());
    }
    bound = acceptor.local_endpoint(error);
    if (options.stop_on_signals) {
      // Caught from now on (and queued until Run waits for them): whoever reads the URL
      // may signal at once.
      signals.add(SIGINT, error);
      if (!error) signals.add(SIGTERM, error);
      if (error) {
        return Status(ErrorCode::kInternal, "cannot handle SIGINT/SIGTERM: " + error.message());
      }
    }
    return Status::Ok();
  }

  void Accept() {
    acceptor.async_accept(
        net::make_strand(io), [this](boost::system::error_code error, tcp::socket socket) {
          if (stopping) return;
          if (error) {
            // Out of file descriptors and the like: say so, then retry after a pause rather
            // than spinning.
            std::fprintf(stderr, "dtwin: accept failed: %s\n", error.message().c_str());
            retry_timer.expires_after(std::chrono::milliseconds(100));
            retry_timer.async_wait([this](boost::system::error_code wait_error) {
              if (!wait_error && !stopping) Accept();
            });
            return;
          }
          StartSession(std::move(socket), tls ? &*tls : nullptr, environment);
          Accept();
        });
  }

  // Runs on the acceptor's strand.
  void BeginStop() {
    if (stopping.exchange(true)) return;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    retry_timer.cancel();
    // Back to the default action: a second signal ends the process at once.
    signals.cancel(ignored);
    signals.clear(ignored);
    environment.registry.ShutdownAll();
  }

  HttpServerOptions options;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer retry_timer;
  net::signal_set signals;
  std::optional<net::ssl::context> tls;
  SessionEnvironment environment;
  tcp::endpoint bound;
  std::atomic<bool> stopping{false};
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const HttpServerOptions& options,
                                                       const ApiDispatcher& dispatcher,
                                                       AccessLog* access_log) {
  auto impl = std::make_unique<Impl>(options, dispatcher, access_log);
  Status opened = impl->Open();
  if (!opened.ok()) return opened;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::string HttpServer::url() const {
  std::string host = impl_->bound.address().to_string();
  if (impl_->bound.address().is_v6()) host = "[" + host + "]";
  return std::string(impl_->tls ? "https://" : "http://") + host + ":" +
         std::to_string(impl_->bound.port());
}

void HttpServer::Run() {
  Impl& impl = *impl_;
  if (impl.options.stop_on_signals) {
    impl.signals.async_wait([&impl](boost::system::error_code error, int) {
      if (!error) net::post(impl.acceptor.get_executor(), [&impl] { impl.BeginStop(); });
    });
  }
  net::post(impl.acceptor.get_executor(), [&impl] {
    if (!impl.stopping) impl.Accept();
  });
  size_t threads = impl.options.threads != 0 ? impl.options.threads : UsableCpus();
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) pool.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (std::thread& thread : pool) thread.join();
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  net::post(impl.acceptor.get_executor(), [&impl] { impl.BeginStop(); });
}

}  // namespace dtwin::server
