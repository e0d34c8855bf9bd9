// Flag and TOML parsing for `dtwin serve`.
#include "server/server_config.h"

#include <toml++/toml.h>

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include "events/event_sink_factory.h"
#include "server/auth_config_toml.h"
#include "server/transport_config_toml.h"

namespace dtwin::server {

namespace {

constexpr std::string_view kUsage =
    "usage: dtwin serve [--listen HOST:PORT] [--data-dir DIR] [--endpoint NAME=URL]...\n"
    "                   [--config FILE] [--auth none|jwt|entra] [--tls-cert FILE --tls-key FILE]\n"
    "                   [--jwks FILE] [--jwt-issuer ISS]... [--tenant TENANT_ID]\n"
    "                   [--issuer true|false] [--rate-limit N]\n"
    "                   [--allow-insecure-remote true|false]\n"
    "                   [--unanchored-queries true|false] [--query-timeout SECONDS]\n"
    "                   [--listen-https HOST:PORT] [--dev-tls] [--max-connections N]\n"
    "                   [--max-header-bytes N] [--request-timeout S] [--idle-timeout S]\n"
    "\n"
    "  --listen HOST:PORT   address to serve on (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --data-dir DIR       where the data lives (default ./dtwin-data)\n"
    "  --endpoint NAME=URL  an event-route endpoint: http(s) webhook, mqtt(s) broker or nats\n"
    "                       JetStream URL (docs/events.md); repeatable\n"
    "  --event-source HOST  the source of notifications (default: the listen address)\n"
    "  --event-ttl SECONDS  retry an event this long, then dead-letter it (default 86400)\n"
    "  --event-lanes N      delivery lanes of every endpoint, 1 to 64 (default: 8 for webhooks,\n"
    "                       1 for MQTT, NATS and webhooks in batch mode): fewer deliver more\n"
    "                       per CPU, more keep a failing twin from holding back others\n"
    "  --config FILE        TOML file with the same settings; flags override it\n"
    "  --auth MODE          none: any or no bearer token (loopback only); jwt: RS256/ES256 tokens\n"
    "                       of --jwks/--jwt-issuer or of --issuer; entra: Entra ID tokens of\n"
    "                       --tenant, keys from --jwks (default none; docs/security.md)\n"
    "  --jwks FILE          JWKS file with the token issuer's public keys (jwt, entra)\n"
    "  --jwt-issuer ISS     an accepted token issuer (iss); repeatable (jwt)\n"
    "  --tenant TENANT_ID   the Entra tenant whose tokens are accepted (entra)\n"
    "  --issuer true|false  serve the built-in OAuth2 token issuer (its [[issuer.clients]] are\n"
    "                       in --config)\n"
    "  --rate-limit N       requests per second per client, then 429 (default 0: off)\n"
    "  --allow-insecure-remote true|false\n"
    "                       allow --auth none on a non-loopback address (default false)\n"
    "  --tls-cert FILE      PEM certificate chain: serve HTTPS (with --tls-key)\n"
    "  --tls-key FILE       PEM private key of the certificate\n"
    "  --listen-https HOST:PORT\n"
    "                       also serve HTTPS there (then --listen is plain HTTP); needs\n"
    "                       --tls-cert/--tls-key or --dev-tls\n"
    "  --dev-tls            serve a development CA's certificate from DATA_DIR/tls/, made on\n"
    "                       first start (as `dtwin cert dev`); SIGHUP reloads certificates\n"
    "  --max-connections N  open connections at once; more are closed at once (default 1000)\n"
    "  --max-header-bytes N request line and headers; larger is 431 (default 16384)\n"
    "  --request-timeout SECONDS\n"
    "                       to send a request's header, then its body (default 30)\n"
    "  --idle-timeout SECONDS\n"
    "                       an idle keep-alive connection is closed after it (default 120)\n"
    "  --unanchored-queries true|false\n"
    "                       allow JOIN and MATCH queries without a $dtId filter (ADT refuses\n"
    "                       them; default false)\n"
    "  --query-timeout SECONDS\n"
    "                       a query page running longer fails with TimeoutError (default 60)\n";

Status UsageError(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

bool IsEndpointNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Adds endpoint, or replaces the URL of the one with the same name.
void UpsertEndpoint(std::vector<EndpointConfig>& endpoints, EndpointConfig endpoint) {
  for (EndpointConfig& existing : endpoints) {
    if (existing.name == endpoint.name) {
      existing.url = std::move(endpoint.url);
      return;
    }
  }
  endpoints.push_back(std::move(endpoint));
}

std::string ResolvePath(const std::filesystem::path& base_dir, const std::string& path) {
  std::filesystem::path value(path);
  if (value.is_relative() && !base_dir.empty()) value = base_dir / value;
  return value.string();
}

// One --flag VALUE (or --flag=VALUE) from the command line.
struct Flag {
  std::string name;  // without the leading "--"
  std::string value;
};

Result<std::vector<Flag>> SplitFlags(const std::vector<std::string>& args) {
  static constexpr std::string_view kKnown[] = {
      "listen",  "data-dir",           "endpoint",      "config",       "auth",      "tls-cert",
      "tls-key", "unanchored-queries", "query-timeout", "event-source", "event-ttl", "event-lanes"};
  std::vector<Flag> flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg.substr(0, 2) != "--") {
      return UsageError("unexpected argument '" + args[i] + "'");
    }
    arg.remove_prefix(2);
    size_t eq = arg.find('=');
    Flag flag{std::string(arg.substr(0, eq)), ""};
    bool known = false;
    for (std::string_view name : kKnown) known = known || name == flag.name;
    known = known || IsAuthFlag(flag.name) || IsTransportFlag(flag.name);
    if (!known) return UsageError("unknown option '--" + flag.name + "'");
    if (eq != std::string_view::npos) {
      flag.value = std::string(arg.substr(eq + 1));
    } else if (IsTransportSwitch(flag.name)) {
      flag.value = "true";
    } else if (i + 1 < args.size()) {
      flag.value = args[++i];
    } else {
      return UsageError("--" + flag.name + " needs a value");
    }
    flags.push_back(std::move(flag));
  }
  return flags;
}

Result<EndpointConfig> ParseEndpointFlag(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return UsageError("--endpoint takes NAME=URL, not '" + std::string(text) + "'");
  }
  EndpointConfig endpoint{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  Status valid = ValidateEndpoint(endpoint);
  if (!valid.ok()) return valid;
  return endpoint;
}

// --query-timeout / query_timeout: whole seconds, 1 to a day.
Status SetQueryTimeout(int64_t seconds, ServerConfig& config) {
  if (seconds < 1 || seconds > 86400) {
    return UsageError("the query timeout is a number of seconds from 1 to 86400");
  }
  config.query_timeout_seconds = static_cast<int>(seconds);
  return Status::Ok();
}

// --event-ttl / event_ttl: whole seconds, 1 to a week.
Status SetEventTtl(int64_t seconds, ServerConfig& config) {
  if (seconds < 1 || seconds > 7 * 86400) {
    return UsageError("the event time-to-live is a number of seconds from 1 to 604800");
  }
  config.event_ttl_seconds = static_cast<int>(seconds);
  return Status::Ok();
}

// --event-lanes / event_lanes: 1 to 64.
Status SetEventLanes(int64_t lanes, ServerConfig& config) {
  if (lanes < 1 || lanes > 64) return UsageError("the event lanes are a number from 1 to 64");
  config.event_lanes = static_cast<int>(lanes);
  return Status::Ok();
}

// A flag whose value is a whole number; `what` names it in the error ("a number of seconds").
Result<int64_t> WholeNumberFlag(const Flag& flag, std::string_view what) {
  int64_t number = 0;
  const char* end = flag.value.data() + flag.value.size();
  if (std::from_chars(flag.value.data(), end, number).ptr != end || flag.value.empty()) {
    return UsageError("--" + flag.name + " takes " + std::string(what) + ", not '" + flag.value +
                      "'");
  }
  return number;
}

// Applies a numeric flag with `set`, its error prefixed with the flag's name.
Status ApplyNumberFlag(const Flag& flag, std::string_view what,
                       Status (*set)(int64_t, ServerConfig&), ServerConfig& config) {
  Result<int64_t> number = WholeNumberFlag(flag, what);
  if (!number.ok()) return number.status();
  Status applied = set(*number, config);
  return applied.ok() ? applied : UsageError("--" + flag.name + ": " + applied.message());
}

Status ReadConfigFile(const std::string& path, ServerConfig& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UsageError("cannot read the config file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::path base_dir = std::filesystem::path(path).parent_path();
  return ApplyConfigToml(text.str(), path, base_dir, config);
}

}  // namespace

std::string_view ServeUsage() { return kUsage; }

Status ParseListenAddress(std::string_view text, ServerConfig& config) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return UsageError("listen address '" + std::string(text) + "' is not [IPv6]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return UsageError("listen address '" + std::string(text) +
                        "' needs a port: HOST:PORT, e.g. 127.0.0.1:8080");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || error != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    return UsageError("listen address '" + std::string(text) +
                      "' is not HOST:PORT with a port from 0 to 65535");
  }
  config.listen_host = std::string(host);
  config.listen_port = static_cast<uint16_t>(value);
  return Status::Ok();
}

Status ValidateEndpoint(const EndpointConfig& endpoint) {
  if (endpoint.name.empty() || endpoint.name.size() > 128) {
    return UsageError("an endpoint needs a name of 1 to 128 characters");
  }
  for (char c : endpoint.name) {
    if (!IsEndpointNameChar(c)) {
      return UsageError("endpoint name '" + endpoint.name +
                        "' may only contain letters, digits, '-' and '_'");
    }
  }
  // The sink's own parser, so that what passes here is what delivery will open; its
  // messages never repeat a password or key.
  Status url = events::CheckEndpointUrl(endpoint.url);
  if (!url.ok()) return UsageError("endpoint '" + endpoint.name + "': " + url.message());
  return Status::Ok();
}

Status ApplyConfigToml(std::string_view text, std::string_view source_name,
                       const std::filesystem::path& base_dir, ServerConfig& config) {
  std::string source(source_name);
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    return UsageError(source + ":" + std::to_string(error.source().begin.line) + ":" +
                      std::to_string(error.source().begin.column) + ": " +
                      std::string(error.description()));
  }
  auto where = [&source](const toml::node& node) {
    return source + ":" + std::to_string(node.source().begin.line) + ": ";
  };
  for (auto&& [key, node] : table) {
    std::string_view name = key.str();
    if (name == "endpoints") {
      const toml::table* endpoints = node.as_table();
      if (endpoints == nullptr) {
        return UsageError(where(node) + "'endpoints' must be a table of NAME = \"URL\"");
      }
      for (auto&& [endpoint_name, url] : *endpoints) {
        const toml::value<std::string>* text_url = url.as_string();
        if (text_url == nullptr) {
          return UsageError(where(url) + "endpoint '" + std::string(endpoint_name.str()) +
                            "' must be a URL string");
        }
        EndpointConfig endpoint{std::string(endpoint_name.str()), text_url->get()};
        Status valid = ValidateEndpoint(endpoint);
        if (!valid.ok()) return UsageError(where(url) + valid.message());
        UpsertEndpoint(config.endpoints, std::move(endpoint));
      }
      continue;
    }
    if (IsAuthSetting(name)) {
      Status applied = ApplyAuthToml(name, node, where, base_dir, config.security);
      if (!applied.ok()) return applied;
      continue;
    }
    if (IsTransportSetting(name)) {
      Status applied = ApplyTransportToml(name, node, where, config.transport);
      if (!applied.ok()) return applied;
      continue;
    }
    if (name == "unanchored_queries") {
      const toml::value<bool>* flag = node.as_boolean();
      if (flag == nullptr)
        return UsageError(where(node) + "'unanchored_queries' must be true or false");
      config.unanchored_queries = flag->get();
      continue;
    }
    if (name == "event_source") {
      const toml::value<std::string>* source = node.as_string();
      if (source == nullptr) return UsageError(where(node) + "'event_source' must be a host name");
      config.event_source = source->get();
      continue;
    }
    if (name == "event_ttl") {
      const toml::value<int64_t>* seconds = node.as_integer();
      Status set = seconds != nullptr ? SetEventTtl(seconds->get(), config)
                                      : UsageError("'event_ttl' must be a number of seconds");
      if (!set.ok()) return UsageError(where(node) + set.message());
      continue;
    }
    if (name == "event_lanes") {
      const toml::value<int64_t>* lanes = node.as_integer();
      Status set = lanes != nullptr ? SetEventLanes(lanes->get(), config)
                                    : UsageError("'event_lanes' must be a number");
      if (!set.ok()) return UsageError(where(node) + set.message());
      continue;
    }
    if (name == "query_timeout") {
      const toml::value<int64_t>* seconds = node.as_integer();
      if (seconds == nullptr) {
        return UsageError(where(node) + "'query_timeout' must be a number of seconds");
      }
      Status set = SetQueryTimeout(seconds->get(), config);
      if (!set.ok()) return UsageError(where(node) + set.message());
      continue;
    }
    const toml::value<std::string>* value = node.as_string();
    if (name != "listen" && name != "data_dir" && name != "auth" && name != "tls_cert" &&
        name != "tls_key") {
      return UsageError(where(node) + "unknown setting '" + std::string(name) +
                        "' (known: listen, listen_https, data_dir, auth, tls_cert, tls_key, "
                        "dev_tls, max_connections, max_header_bytes, request_timeout, "
                        "idle_timeout, unanchored_queries, query_timeout, event_source, "
                        "event_ttl, event_lanes, [endpoints], and the "
                        "security settings of docs/security.md)");
    }
    if (value == nullptr) {
      return UsageError(where(node) + "'" + std::string(name) + "' must be a string");
    }
    const std::string& text_value = value->get();
    if (name == "listen") {
      Status listen = ParseListenAddress(text_value, config);
      if (!listen.ok()) return UsageError(where(node) + listen.message());
    } else if (name == "data_dir") {
      config.data_dir = ResolvePath(base_dir, text_value);
    } else if (name == "auth") {
      config.auth = text_value;
    } else if (name == "tls_cert") {
      config.tls_cert = ResolvePath(base_dir, text_value);
    } else {
      config.tls_key = ResolvePath(base_dir, text_value);
    }
  }
  return Status::Ok();
}

Result<ServerConfig> ParseServeArgs(const std::vector<std::string>& args) {
  Result<std::vector<Flag>> flags = SplitFlags(args);
  if (!flags.ok()) return flags.status();

  ServerConfig config;
  std::optional<std::string> config_file;
  for (const Flag& flag : *flags) {
    if (flag.name != "config") continue;
    if (config_file) return UsageError("--config is given twice");
    config_file = flag.value;
  }
  if (config_file) {
    Status read = ReadConfigFile(*config_file, config);
    if (!read.ok()) return read;
  }

  std::vector<std::string> flag_endpoint_names;
  for (const Flag& flag : *flags) {
    if (flag.name == "listen") {
      Status listen = ParseListenAddress(flag.value, config);
      if (!listen.ok()) return UsageError("--listen: " + listen.message());
    } else if (flag.name == "data-dir") {
      if (flag.value.empty()) return UsageError("--data-dir needs a directory");
      config.data_dir = flag.value;
    } else if (flag.name == "endpoint") {
      Result<EndpointConfig> endpoint = ParseEndpointFlag(flag.value);
      if (!endpoint.ok()) return UsageError("--endpoint: " + endpoint.status().message());
      for (const std::string& seen : flag_endpoint_names) {
        if (seen == endpoint->name) {
          return UsageError("--endpoint: the name '" + seen + "' is given twice");
        }
      }
      flag_endpoint_names.push_back(endpoint->name);
      UpsertEndpoint(config.endpoints, std::move(*endpoint));
    } else if (flag.name == "auth") {
      config.auth = flag.value;
    } else if (flag.name == "tls-cert") {
      config.tls_cert = flag.value;
    } else if (flag.name == "tls-key") {
      config.tls_key = flag.value;
    } else if (flag.name == "unanchored-queries") {
      if (flag.value != "true" && flag.value != "false") {
        return UsageError("--unanchored-queries takes true or false, not '" + flag.value + "'");
      }
      config.unanchored_queries = flag.value == "true";
    } else if (IsAuthFlag(flag.name)) {
      Status applied = ApplyAuthFlag(flag.name, flag.value, config.security);
      if (!applied.ok()) return applied;
    } else if (IsTransportFlag(flag.name)) {
      Status applied = ApplyTransportFlag(flag.name, flag.value, config.transport);
      if (!applied.ok()) return applied;
    } else if (flag.name == "event-source") {
      if (flag.value.empty()) return UsageError("--event-source needs a host name");
      config.event_source = flag.value;
    } else if (flag.name == "event-ttl") {
      Status set = ApplyNumberFlag(flag, "a number of seconds", SetEventTtl, config);
      if (!set.ok()) return set;
    } else if (flag.name == "event-lanes") {
      Status set = ApplyNumberFlag(flag, "a number of lanes", SetEventLanes, config);
      if (!set.ok()) return set;
    } else if (flag.name == "query-timeout") {
      Status set = ApplyNumberFlag(flag, "a number of seconds", SetQueryTimeout, config);
      if (!set.ok()) return set;
    }
  }

  std::vector<std::string> hosts = {config.listen_host};
  if (config.transport.https_listener) hosts.push_back(config.transport.https_host);
  Status security = ValidateAuthSettings(config.auth, hosts, config.security);
  if (!security.ok()) return security;
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return UsageError("--tls-cert and --tls-key go together: give both for HTTPS, or neither");
  }
  Status transport = ValidateTransportSettings(config.transport, !config.tls_cert.empty());
  if (!transport.ok()) return transport;
  if (config.data_dir.empty()) return UsageError("the data directory must not be empty");
  return config;
}

}  // namespace dtwin::server
