// Internal to the HTTP server (includes Asio: only http_server.cc and http_session.cc use
// it). What connections share, the registry that lets a stop reach idle connections, and
// the entry point that starts a connection.
// Thread-safety: SessionEnvironment is immutable except its registry, which locks.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/access_log.h"
#include "server/api_dispatcher.h"

namespace dtwin::server {

// A live connection as the registry sees it.
class SessionControl {
 public:
  virtual ~SessionControl() = default;
  // Finish the request in flight, if any, then close; close at once when idle. Any thread.
  virtual void Shutdown() = 0;
};

class SessionRegistry {
 public:
  // Registers a session; false when a stop has begun (the session should close).
  bool Add(uint64_t id, std::weak_ptr<SessionControl> session);
  void Remove(uint64_t id);
  // Marks the registry stopping and shuts every live session down.
  void ShutdownAll();
  // Live sessions (the connection limit counts them).
  size_t Count();

 private:
  std::mutex mu_;
  bool stopping_ = false;                                                 // guarded by mu_
  std::unordered_map<uint64_t, std::weak_ptr<SessionControl>> sessions_;  // guarded by mu_
};

struct SessionEnvironment {
  const ApiDispatcher& dispatcher;
  AccessLog* access_log;  // may be null
  std::chrono::seconds request_timeout;
  std::chrono::seconds idle_timeout;
  size_t header_limit;
  SessionRegistry registry;
};

// Starts serving one accepted connection (whose socket runs on its own strand); TLS when
// tls is given. The session keeps itself, and its TLS context, alive until the connection
// closes (a certificate reload swaps the context only for connections accepted later).
void StartSession(boost::asio::ip::tcp::socket socket,
                  std::shared_ptr<boost::asio::ssl::context> tls, SessionEnvironment& environment);

}  // namespace dtwin::server
