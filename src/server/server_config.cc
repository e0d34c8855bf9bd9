// Flag and TOML parsing for `dtwin serve`.
#include "server/server_config.h"

#include <toml++/toml.h>

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

namespace dtwin::server {

namespace {

constexpr std::string_view kUsage =
    "usage: dtwin serve [--listen HOST:PORT] [--data-dir DIR] [--endpoint NAME=URL]...\n"
    "                   [--config FILE] [--auth none] [--tls-cert FILE --tls-key FILE]\n"
    "                   [--unanchored-queries true|false] [--query-timeout SECONDS]\n"
    "\n"
    "  --listen HOST:PORT   address to serve on (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --data-dir DIR       where the data lives (default ./dtwin-data)\n"
    "  --endpoint NAME=URL  an event-route endpoint (http or https webhook); repeatable\n"
    "  --config FILE        TOML file with the same settings; flags override it\n"
    "  --auth none          accept any bearer token, or none (the only mode so far)\n"
    "  --tls-cert FILE      PEM certificate chain: serve HTTPS (with --tls-key)\n"
    "  --tls-key FILE       PEM private key of the certificate\n"
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

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
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
      "listen",   "data-dir", "endpoint",           "config",       "auth",
      "tls-cert", "tls-key",  "unanchored-queries", "query-timeout"};
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
    if (!known) return UsageError("unknown option '--" + flag.name + "'");
    if (eq != std::string_view::npos) {
      flag.value = std::string(arg.substr(eq + 1));
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
  size_t scheme_end = endpoint.url.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0) {
    return UsageError("endpoint '" + endpoint.name + "': '" + endpoint.url +
                      "' is not a URL; expected http://... or https://...");
  }
  std::string scheme = LowerAscii(std::string_view(endpoint.url).substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return UsageError("endpoint '" + endpoint.name + "': " + scheme +
                      " endpoints are not available yet; only http and https webhook URLs are");
  }
  if (scheme_end + 3 >= endpoint.url.size() || endpoint.url[scheme_end + 3] == '/') {
    return UsageError("endpoint '" + endpoint.name + "': the URL '" + endpoint.url +
                      "' has no host");
  }
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
    if (name == "unanchored_queries") {
      const toml::value<bool>* flag = node.as_boolean();
      if (flag == nullptr)
        return UsageError(where(node) + "'unanchored_queries' must be true or false");
      config.unanchored_queries = flag->get();
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
                        "' (known: listen, data_dir, auth, tls_cert, tls_key, "
                        "unanchored_queries, query_timeout, [endpoints])");
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
    } else if (flag.name == "query-timeout") {
      int64_t seconds = 0;
      const char* end = flag.value.data() + flag.value.size();
      if (std::from_chars(flag.value.data(), end, seconds).ptr != end || flag.value.empty()) {
        return UsageError("--query-timeout takes a number of seconds, not '" + flag.value + "'");
      }
      Status set = SetQueryTimeout(seconds, config);
      if (!set.ok()) return UsageError("--query-timeout: " + set.message());
    }
  }

  if (config.auth != "none") {
    return UsageError("--auth '" + config.auth + "': only --auth none is available yet");
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return UsageError("--tls-cert and --tls-key go together: give both for HTTPS, or neither");
  }
  if (config.data_dir.empty()) return UsageError("the data directory must not be empty");
  return config;
}

}  // namespace dtwin::server
