// Transport flags, TOML settings, their checks, and the HttpServer options they make.
#include "server/transport_config.h"

#include <charconv>
#include <cstdint>

#include "server/server_config.h"
#include "server/transport_config_toml.h"

namespace dtwin::server {
namespace {

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

// A whole-number setting: its flag, its TOML key, its range and unit, and where it goes.
struct NumberSetting {
  std::string_view flag;
  std::string_view key;
  int64_t min;
  int64_t max;
  std::string_view unit;
  int TransportSettings::*field;
};

constexpr NumberSetting kNumbers[] = {
    {"max-connections", "max_connections", 1, 1000000, "connections",
     &TransportSettings::max_connections},
    {"max-header-bytes", "max_header_bytes", 1024, 1024 * 1024, "bytes",
     &TransportSettings::max_header_bytes},
    {"request-timeout", "request_timeout", 1, 3600, "seconds",
     &TransportSettings::request_timeout_seconds},
    {"idle-timeout", "idle_timeout", 1, 86400, "seconds", &TransportSettings::idle_timeout_seconds},
};

const NumberSetting* NumberByFlag(std::string_view flag) {
  for (const NumberSetting& setting : kNumbers) {
    if (setting.flag == flag) return &setting;
  }
  return nullptr;
}

const NumberSetting* NumberByKey(std::string_view key) {
  for (const NumberSetting& setting : kNumbers) {
    if (setting.key == key) return &setting;
  }
  return nullptr;
}

Status SetNumber(const NumberSetting& setting, int64_t value, TransportSettings& settings) {
  if (value < setting.min || value > setting.max) {
    return Invalid("'" + std::string(setting.key) + "' is a number of " +
                   std::string(setting.unit) + " from " + std::to_string(setting.min) + " to " +
                   std::to_string(setting.max));
  }
  settings.*setting.field = static_cast<int>(value);
  return Status::Ok();
}

Status SetHttpsListener(std::string_view text, TransportSettings& settings) {
  ServerConfig parsed;  // ParseListenAddress fills listen_host and listen_port
  Status status = ParseListenAddress(text, parsed);
  if (!status.ok()) return status;
  settings.https_listener = true;
  settings.https_host = parsed.listen_host;
  settings.https_port = parsed.listen_port;
  return Status::Ok();
}

}  // namespace

bool IsTransportFlag(std::string_view name) {
  return name == "listen-https" || name == "dev-tls" || NumberByFlag(name) != nullptr;
}

bool IsTransportSwitch(std::string_view name) { return name == "dev-tls"; }

Status ApplyTransportFlag(std::string_view name, const std::string& value,
                          TransportSettings& settings) {
  const std::string flag = "--" + std::string(name);
  if (name == "listen-https") {
    Status status = SetHttpsListener(value, settings);
    return status.ok() ? status : Invalid(flag + ": " + status.message());
  }
  if (name == "dev-tls") {
    if (value != "true" && value != "false") {
      return Invalid(flag + " takes true or false (or nothing), not '" + value + "'");
    }
    settings.dev_tls = value == "true";
    return Status::Ok();
  }
  const NumberSetting* setting = NumberByFlag(name);
  int64_t number = 0;
  const char* end = value.data() + value.size();
  if (value.empty() || std::from_chars(value.data(), end, number).ptr != end) {
    return Invalid(flag + " takes a number of " + std::string(setting->unit) + ", not '" + value +
                   "'");
  }
  Status status = SetNumber(*setting, number, settings);
  return status.ok() ? status : Invalid(flag + ": " + status.message());
}

bool IsTransportSetting(std::string_view name) {
  return name == "listen_https" || name == "dev_tls" || NumberByKey(name) != nullptr;
}

Status ApplyTransportToml(std::string_view name, const toml::node& node,
                          const std::function<std::string(const toml::node&)>& where,
                          TransportSettings& settings) {
  if (name == "listen_https") {
    const toml::value<std::string>* text = node.as_string();
    if (text == nullptr) return Invalid(where(node) + "'listen_https' must be a string");
    Status status = SetHttpsListener(text->get(), settings);
    return status.ok() ? status : Invalid(where(node) + status.message());
  }
  if (name == "dev_tls") {
    const toml::value<bool>* flag = node.as_boolean();
    if (flag == nullptr) return Invalid(where(node) + "'dev_tls' must be true or false");
    settings.dev_tls = flag->get();
    return Status::Ok();
  }
  const NumberSetting* setting = NumberByKey(name);
  const toml::value<int64_t>* number = node.as_integer();
  if (number == nullptr) {
    return Invalid(where(node) + "'" + std::string(name) + "' must be a number of " +
                   std::string(setting->unit));
  }
  Status status = SetNumber(*setting, number->get(), settings);
  return status.ok() ? status : Invalid(where(node) + status.message());
}

Status ValidateTransportSettings(const TransportSettings& settings, bool have_certificate) {
  if (settings.dev_tls && have_certificate) {
    return Invalid(
        "--dev-tls serves the development certificate of the data directory; give either it or "
        "--tls-cert/--tls-key");
  }
  if (settings.https_listener && !settings.dev_tls && !have_certificate) {
    return Invalid("--listen-https needs a certificate: --tls-cert and --tls-key, or --dev-tls");
  }
  return Status::Ok();
}

HttpServerOptions HttpServerOptionsFor(const ServerConfig& config) {
  const TransportSettings& transport = config.transport;
  HttpServerOptions options;
  const bool tls = !config.tls_cert.empty();
  options.listeners = {
      ListenAddress{config.listen_host, config.listen_port, tls && !transport.https_listener}};
  if (transport.https_listener) {
    options.listeners.push_back(ListenAddress{transport.https_host, transport.https_port, true});
  }
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
  options.max_connections = static_cast<size_t>(transport.max_connections);
  options.header_limit = static_cast<size_t>(transport.max_header_bytes);
  options.request_timeout = std::chrono::seconds(transport.request_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(transport.idle_timeout_seconds);
  return options;
}

}  // namespace dtwin::server
