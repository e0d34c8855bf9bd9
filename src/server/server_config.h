// `dtwin serve` settings: defaults, then a TOML config file (--config), then command-line
// flags, each overriding the one before. Parsing only; nothing here opens sockets or files
// other than the config file. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/auth_config.h"
#include "server/transport_config.h"

namespace dtwin::server {

// An event-route endpoint: routes name it; events go to its URL.
struct EndpointConfig {
  std::string name;
  std::string url;
};

struct ServerConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;  // 0 picks a free port
  std::string data_dir = "./dtwin-data";
  std::string auth = "none";  // none, jwt or entra; the rest of security is in `security`
  AuthSettings security;
  std::string tls_cert;  // PEM certificate chain; HTTPS when set (with tls_key)
  std::string tls_key;   // PEM private key
  TransportSettings transport;  // --listen-https, --dev-tls, connection limits
  std::vector<EndpointConfig> endpoints;
  // Notifications: the CloudEvents source (the host name clients know the instance by;
  // empty = the listen address), and how long an event is retried before it is dead-lettered.
  std::string event_source;
  int event_ttl_seconds = 24 * 3600;
  // Delivery lanes of every endpoint; 0: the engine's defaults (8 for webhooks, 1 for MQTT,
  // NATS and webhooks in batch mode; events::DeliveryOptions).
  int event_lanes = 0;
  // POST /query: JOIN and MATCH without a $dtId filter (an extension; ADT refuses them), and
  // how long one page may run before it fails with TimeoutError.
  bool unanchored_queries = false;
  int query_timeout_seconds = 60;

  bool tls() const { return !tls_cert.empty(); }
};

// The usage text of `dtwin serve`.
std::string_view ServeUsage();

// Parses the arguments after `dtwin serve`. Errors are kInvalidArgument naming the flag, or
// the config file with its line.
Result<ServerConfig> ParseServeArgs(const std::vector<std::string>& args);

// Applies a TOML config text to config. source_name prefixes messages ("dtwin.toml:3: ...");
// relative paths in it (data_dir, tls_cert, tls_key) are taken relative to base_dir, the
// config file's folder.
Status ApplyConfigToml(std::string_view text, std::string_view source_name,
                       const std::filesystem::path& base_dir, ServerConfig& config);

// "HOST:PORT" or "[IPv6]:PORT" into config.listen_host / listen_port.
Status ParseListenAddress(std::string_view text, ServerConfig& config);

// Checks one NAME=URL endpoint: a name of letters, digits, '-' and '_'; a URL a sink takes
// (http(s) webhook, mqtt(s) broker, nats JetStream; see docs/events.md), checked without
// connecting.
Status ValidateEndpoint(const EndpointConfig& endpoint);

}  // namespace dtwin::server
