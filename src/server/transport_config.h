// `dtwin serve` transport settings beyond --listen: the HTTPS listener, development TLS and
// the connection limits; their flags, TOML keys and checks, and the HttpServer options they
// make. Parsing only. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "server/http_server.h"

namespace dtwin::server {

struct ServerConfig;

struct TransportSettings {
  // --listen-https HOST:PORT: a second listener serving HTTPS while --listen serves plain HTTP.
  // Without it a certificate makes --listen itself HTTPS.
  bool https_listener = false;
  std::string https_host;
  uint16_t https_port = 0;
  // --dev-tls: serve the development certificate of DATA_DIR/tls/, made on first start.
  bool dev_tls = false;
  int max_connections = 1000;
  int max_header_bytes = 16 * 1024;
  int request_timeout_seconds = 30;
  int idle_timeout_seconds = 120;
};

// Whether --name is one of the flags above; IsTransportSwitch: one that may stand alone
// (--dev-tls means --dev-tls=true).
bool IsTransportFlag(std::string_view name);
bool IsTransportSwitch(std::string_view name);

// Applies one such flag (name without the leading "--").
Status ApplyTransportFlag(std::string_view name, const std::string& value,
                          TransportSettings& settings);

// Whether a top-level TOML key belongs to these settings.
bool IsTransportSetting(std::string_view name);

// The checks once all sources are applied: --dev-tls and --tls-cert exclude each other;
// --listen-https needs one of them.
Status ValidateTransportSettings(const TransportSettings& settings, bool have_certificate);

// The listeners ("--listen" plain and "--listen-https", or "--listen" alone, HTTPS when a
// certificate is set), the certificate, and the limits of config.
HttpServerOptions HttpServerOptionsFor(const ServerConfig& config);

}  // namespace dtwin::server
