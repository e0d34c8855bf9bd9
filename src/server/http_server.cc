// The listeners: bind, run the accept loops (under the connection limit) and the thread pool,
// load and reload the TLS certificate, and stop gracefully on Stop or SIGINT/SIGTERM.
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
#include <mutex>
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

// TLS 1.2 suites with forward secrecy and AEAD only (Mozilla's "intermediate" list without
// the finite-field DHE ones); TLS 1.3 keeps OpenSSL's defaults, which are all of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

using TlsContext = std::shared_ptr<net::ssl::context>;

// A server context for the PEM chain and key: TLS 1.2 and later, the suites above. Fails
// (kInvalidArgument, naming the file) when a file does not load or the key is not the
// certificate's.
Result<TlsContext> LoadTlsContext(const std::string& cert, const std::string& key) {
  auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1 | net::ssl::context::no_compression);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Status(ErrorCode::kInternal, "cannot restrict TLS to version 1.2 and modern ciphers");
  }
  boost::system::error_code error;
  context->use_certificate_chain_file(cert, error);
  if (error) {
    return Status(ErrorCode::kInvalidArgument,
                  "cannot load the TLS certificate '" + cert + "': " + error.message());
  }
  // Also checks that the key is the certificate's (OpenSSL refuses a mismatched pair).
  context->use_private_key_file(key, net::ssl::context::pem, error);
  if (error) {
    return Status(ErrorCode::kInvalidArgument,
                  "cannot load the TLS private key '" + key + "': " + error.message());
  }
  return context;
}

std::string UrlOf(const tcp::endpoint& endpoint, bool tls) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(endpoint.port());
}

}  // namespace

struct HttpServer::Impl {
  // One bound address; its acceptor runs on the control strand.
  struct Listener {
    ListenAddress address;
    tcp::acceptor acceptor;
    tcp::endpoint bound;
  };

  Impl(const HttpServerOptions& options, const ApiDispatcher& dispatcher, AccessLog* access_log)
      : options(options),
        control(net::make_strand(io)),
        retry_timer(control),
        signals(io),
        reload_signals(io),
        environment{dispatcher,           access_log,           options.request_timeout,
                    options.idle_timeout, options.header_limit, {}} {}

  bool AnyTls() const {
    for (const ListenAddress& address : options.listeners) {
      if (address.tls) return true;
    }
    return false;
  }

  Status Open() {
    if (AnyTls()) {
      Result<TlsContext> context = LoadTlsContext(options.tls_cert, options.tls_key);
      if (!context.ok()) return context.status();
      tls = std::move(*context);
    }
    for (const ListenAddress& address : options.listeners) {
      Status opened = Listen(address);
      if (!opened.ok()) return opened;
    }
    if (options.stop_on_signals) {
      // Caught from now on (and queued until Run waits for them): whoever reads the URL
      // may signal at once.
      boost::system::error_code error;
      signals.add(SIGINT, error);
      if (!error) signals.add(SIGTERM, error);
      if (!error && tls) reload_signals.add(SIGHUP, error);
      if (error) {
        return Status(ErrorCode::kInternal,
                      "cannot handle SIGINT/SIGTERM/SIGHUP: " + error.message());
      }
    }
    return Status::Ok();
  }

  Status Listen(const ListenAddress& address) {
    Result<tcp::endpoint> endpoint = ResolveListenEndpoint(io, address.host, address.port);
    if (!endpoint.ok()) return endpoint.status();
    auto listener = std::make_unique<Listener>(Listener{address, tcp::acceptor(control), {}});
    tcp::acceptor& acceptor = listener->acceptor;
    boost::system::error_code error;
    const std::string where = address.host + ":" + std::to_string(address.port);
    acceptor.open(endpoint->protocol(), error);
    if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
    if (!error) acceptor.bind(*endpoint, error);
    if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
    if (error) {
      return Status(ErrorCode::kServiceUnavailable,
                    "cannot listen on " + where + ": " + error.message());
    }
    listener->bound = acceptor.local_endpoint(error);
    listeners.push_back(std::move(listener));
    return Status::Ok();
  }

  // Runs on the control strand.
  void Accept(Listener& listener) {
    listener.acceptor.async_accept(net::make_strand(io), [this, &listener](
                                                             boost::system::error_code error,
                                                             tcp::socket socket) {
      if (stopping) return;
      if (error) {
        // Out of file descriptors and the like: say so, then retry after a pause rather
        // than spinning.
        std::fprintf(stderr, "dtwin: accept failed: %s\n", error.message().c_str());
        retry_timer.expires_after(std::chrono::milliseconds(100));
        retry_timer.async_wait([this, &listener](boost::system::error_code wait_error) {
          if (!wait_error && !stopping) Accept(listener);
        });
        return;
      }
      if (UnderConnectionLimit()) {
        StartSession(std::move(socket), listener.address.tls ? CurrentTls() : nullptr, environment);
      } else {
        // Closed at once: the client sees the connection end instead of waiting on it.
        boost::system::error_code ignored;
        socket.close(ignored);
      }
      Accept(listener);
    });
  }

  // Runs on the control strand. Logs once when the limit is reached and once when it is
  // left, with how many connections were refused meanwhile, rather than a line per refusal.
  bool UnderConnectionLimit() {
    size_t open = environment.registry.Count();
    if (open < options.max_connections) {
      if (refused_in_episode > 0) {
        std::fprintf(stderr,
                     "dtwin: accepting connections again; %zu refused at the connection limit\n",
                     refused_in_episode);
        refused_in_episode = 0;
      }
      return true;
    }
    if (refused_in_episode++ == 0) {
      std::fprintf(stderr,
                   "dtwin: %zu connections open, the limit (--max-connections): refusing new "
                   "ones until some close\n",
                   open);
    }
    return false;
  }

  TlsContext CurrentTls() {
    std::lock_guard lock(tls_mu);
    return tls;
  }

  Status Reload() {
    if (!AnyTls())
      return Status(ErrorCode::kInvalidArgument, "no listener serves HTTPS: nothing to reload");
    Result<TlsContext> context = LoadTlsContext(options.tls_cert, options.tls_key);
    if (!context.ok()) return context.status();
    std::lock_guard lock(tls_mu);
    tls = std::move(*context);
    return Status::Ok();
  }

  void WaitForReloadSignal() {
    reload_signals.async_wait([this](boost::system::error_code error, int) {
      if (error) return;  // cancelled by the stop
      Status reloaded = Reload();
      if (reloaded.ok()) {
        std::fprintf(stderr, "dtwin: SIGHUP: reloaded the TLS certificate from %s\n",
                     options.tls_cert.c_str());
      } else {
        std::fprintf(stderr, "dtwin: SIGHUP: %s; still serving the previous certificate\n",
                     reloaded.message().c_str());
      }
      WaitForReloadSignal();
    });
  }

  // Runs on the control strand.
  void BeginStop() {
    if (stopping.exchange(true)) return;
    boost::system::error_code ignored;
    for (auto& listener : listeners) listener->acceptor.close(ignored);
    retry_timer.cancel();
    // Back to the default action: a second signal ends the process at once.
    signals.cancel(ignored);
    signals.clear(ignored);
    reload_signals.cancel(ignored);
    reload_signals.clear(ignored);
    environment.registry.ShutdownAll();
  }

  HttpServerOptions options;
  net::io_context io;
  net::strand<net::io_context::executor_type> control;  // acceptors, retries, the stop
  std::vector<std::unique_ptr<Listener>> listeners;     // immutable once Open returned
  net::steady_timer retry_timer;
  net::signal_set signals;
  net::signal_set reload_signals;
  std::mutex tls_mu;
  TlsContext tls;  // guarded by tls_mu; null without a TLS listener
  SessionEnvironment environment;
  size_t refused_in_episode = 0;  // on the control strand
  std::atomic<bool> stopping{false};
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const HttpServerOptions& options,
                                                       const ApiDispatcher& dispatcher,
                                                       AccessLog* access_log) {
  if (options.listeners.empty()) {
    return Status(ErrorCode::kInvalidArgument, "no address to listen on");
  }
  auto impl = std::make_unique<Impl>(options, dispatcher, access_log);
  Status opened = impl->Open();
  if (!opened.ok()) return opened;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::vector<std::string> HttpServer::urls() const {
  std::vector<std::string> urls;
  for (const auto& listener : impl_->listeners) {
    urls.push_back(UrlOf(listener->bound, listener->address.tls));
  }
  return urls;
}

std::string HttpServer::url() const { return urls().front(); }

void HttpServer::Run() {
  Impl& impl = *impl_;
  if (impl.options.stop_on_signals) {
    impl.signals.async_wait([&impl](boost::system::error_code error, int) {
      if (!error) net::post(impl.control, [&impl] { impl.BeginStop(); });
    });
    if (impl.tls) impl.WaitForReloadSignal();
  }
  net::post(impl.control, [&impl] {
    if (impl.stopping) return;
    for (auto& listener : impl.listeners) impl.Accept(*listener);
  });
  size_t threads = impl.options.threads != 0 ? impl.options.threads : UsableCpus();
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) pool.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (std::thread& thread : pool) thread.join();
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  net::post(impl.control, [&impl] { impl.BeginStop(); });
}

Status HttpServer::ReloadCertificate() { return impl_->Reload(); }

}  // namespace dtwin::server
