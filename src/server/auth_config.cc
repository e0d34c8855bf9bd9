// Security flags, TOML settings and their checks.
#include "server/auth_config.h"

#include <charconv>
#include <cmath>

#include "server/auth_config_toml.h"
#include "server/auth_policy.h"

namespace dtwin::server {
namespace {

constexpr std::string_view kFlags[] = {
    "allow-insecure-remote", "jwks", "jwt-issuer", "tenant", "issuer", "rate-limit"};
constexpr std::string_view kSettings[] = {
    "allow_insecure_remote", "jwks", "jwt_issuers", "tenant", "issuer", "rate_limit",
    "role_assignments"};
constexpr double kMaxRateLimit = 1e6;
constexpr int64_t kMaxTokenLifetime = 24 * 3600;

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

Status SetRateLimit(double rate, AuthSettings& settings) {
  if (!std::isfinite(rate) || rate < 0 || rate > kMaxRateLimit) {
    return Invalid("the rate limit is requests per second per client, from 0 (off) to 1000000");
  }
  settings.rate_limit = rate;
  return Status::Ok();
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::string ResolvePath(const std::filesystem::path& base_dir, const std::string& path) {
  std::filesystem::path value(path);
  if (value.is_relative() && !base_dir.empty()) value = base_dir / value;
  return value.string();
}

// A lowercase 64-digit hex SHA-256, or nullopt.
std::optional<std::string> NormalizeSha256(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::string out;
  for (char c : hex) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    out += c;
  }
  return out;
}

using Where = std::function<std::string(const toml::node&)>;

Result<std::string> TomlString(const toml::node& node, std::string_view key, const Where& where) {
  const toml::value<std::string>* value = node.as_string();
  if (value == nullptr) return Invalid(where(node) + "'" + std::string(key) + "' must be a string");
  return value->get();
}

Result<std::vector<std::string>> TomlStrings(const toml::node& node, std::string_view key,
                                             const Where& where) {
  const toml::array* array = node.as_array();
  std::vector<std::string> out;
  if (array != nullptr) {
    for (const toml::node& item : *array) {
      if (!item.is_string()) break;
      out.push_back(item.as_string()->get());
    }
  }
  if (array == nullptr || out.size() != array->size()) {
    return Invalid(where(node) + "'" + std::string(key) + "' must be an array of strings");
  }
  return out;
}

// The tables of an array of tables ([[name]]), or an error naming key.
Result<std::vector<const toml::table*>> TomlTables(const toml::node& node, std::string_view key,
                                                   const Where& where) {
  const toml::array* array = node.as_array();
  std::vector<const toml::table*> out;
  if (array != nullptr) {
    for (const toml::node& item : *array) {
      if (item.as_table() == nullptr) break;
      out.push_back(item.as_table());
    }
  }
  if (array == nullptr || out.size() != array->size()) {
    return Invalid(where(node) + "'" + std::string(key) + "' must be written [[" +
                   std::string(key) + "]]");
  }
  return out;
}

Result<RoleAssignment> ParseAssignment(const toml::table& table, const Where& where) {
  RoleAssignment assignment;
  for (auto&& [key, value] : table) {
    Result<std::string> text = TomlString(value, key.str(), where);
    if (!text.ok()) return text.status();
    if (key.str() == "principal") {
      assignment.principal = *text;
    } else if (key.str() == "role") {
      assignment.role = *text;
    } else {
      return Invalid(where(value) + "unknown role_assignments setting '" + std::string(key.str()) +
                     "' (known: principal, role)");
    }
  }
  if (assignment.principal.empty() || assignment.role.empty()) {
    return Invalid(where(table) +
                   "a role assignment needs a principal (client id or object id) "
                   "and a role");
  }
  return assignment;
}

Result<auth::IssuerClient> ParseClient(const toml::table& table, const Where& where) {
  auth::IssuerClient client;
  for (auto&& [key, value] : table) {
    if (key.str() == "roles") {
      Result<std::vector<std::string>> roles = TomlStrings(value, "roles", where);
      if (!roles.ok()) return roles.status();
      client.roles = std::move(*roles);
      continue;
    }
    Result<std::string> text = TomlString(value, key.str(), where);
    if (!text.ok()) return text.status();
    if (key.str() == "client_id") {
      client.client_id = *text;
    } else if (key.str() == "secret_sha256") {
      std::optional<std::string> hex = NormalizeSha256(*text);
      if (!hex) {
        return Invalid(where(value) +
                       "secret_sha256 must be 64 hex digits (dtwin issuer "
                       "new-secret prints a secret and its hash)");
      }
      client.secret_sha256 = *hex;
    } else {
      return Invalid(where(value) + "unknown issuer.clients setting '" + std::string(key.str()) +
                     "' (known: client_id, secret_sha256, roles)");
    }
  }
  if (client.client_id.empty() || client.secret_sha256.empty()) {
    return Invalid(where(table) + "an issuer client needs client_id and secret_sha256");
  }
  return client;
}

Status ApplyIssuerTable(const toml::node& node, const Where& where, AuthSettings& settings) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return Invalid(where(node) + "'issuer' must be a table: [issuer]");
  for (auto&& [key, value] : *table) {
    std::string_view name = key.str();
    if (name == "enabled") {
      if (!value.is_boolean()) return Invalid(where(value) + "'enabled' must be true or false");
      settings.issuer_enabled = value.as_boolean()->get();
    } else if (name == "name") {
      Result<std::string> text = TomlString(value, name, where);
      if (!text.ok()) return text.status();
      settings.issuer.issuer = *text;
    } else if (name == "token_lifetime") {
      const toml::value<int64_t>* seconds = value.as_integer();
      if (seconds == nullptr || seconds->get() < 60 || seconds->get() > kMaxTokenLifetime) {
        return Invalid(where(value) + "'token_lifetime' is a number of seconds from 60 to 86400");
      }
      settings.issuer.token_lifetime = std::chrono::seconds(seconds->get());
    } else if (name == "clients") {
      Result<std::vector<const toml::table*>> clients = TomlTables(value, "issuer.clients", where);
      if (!clients.ok()) return clients.status();
      for (const toml::table* client_table : *clients) {
        Result<auth::IssuerClient> client = ParseClient(*client_table, where);
        if (!client.ok()) return client.status();
        settings.issuer.clients.push_back(std::move(*client));
      }
    } else {
      return Invalid(where(value) + "unknown issuer setting '" + std::string(name) +
                     "' (known: enabled, name, token_lifetime, [[issuer.clients]])");
    }
  }
  return Status::Ok();
}

Status CheckRole(std::string_view role, std::string_view where) {
  if (ParseRole(role)) return Status::Ok();
  return Invalid(std::string(where) + ": unknown role '" + std::string(role) +
                 "' (known: \"Azure Digital Twins Data Owner\", \"Azure Digital Twins Data "
                 "Reader\", DataOwner, DataReader, or the role ids)");
}

}  // namespace

std::string AuthSummary(std::string_view mode, const AuthSettings& settings) {
  std::string summary = "auth " + std::string(mode);
  if (mode == "none") return summary + " (any bearer token is accepted)";
  summary += " (bearer tokens ";
  if (mode == "entra") summary += "of Entra tenant " + settings.tenant;
  if (mode == "jwt" && !settings.jwks_file.empty())
    summary += "signed by the keys of " + settings.jwks_file;
  if (settings.issuer_enabled) {
    summary += settings.jwks_file.empty() ? "of the built-in issuer" : " or of the built-in issuer";
  }
  summary += ")";
  if (settings.rate_limit > 0) {
    char rate[32];
    const auto written = std::to_chars(rate, rate + sizeof(rate), settings.rate_limit);
    summary += "; rate limit " + std::string(rate, written.ptr) + " requests/s per client";
  }
  return summary;
}

std::string IssuerHint(const std::vector<std::string>& urls) {
  std::string authority;
  for (const std::string& url : urls) {
    if (authority.empty() && url.starts_with("https://")) authority = url;
  }
  if (authority.empty()) {
    return "dtwin: token issuer on, but on plain http only: the Azure SDKs need an https "
           "authority (add --tls-cert/--tls-key, --listen-https or --dev-tls)\n";
  }
  return "dtwin: token issuer at " + authority +
         "/adfs; DefaultAzureCredential connects with\n"
         "         AZURE_AUTHORITY_HOST=" +
         authority +
         " AZURE_TENANT_ID=adfs AZURE_CLIENT_ID=<client_id> AZURE_CLIENT_SECRET=<secret>\n"
         "         plus the CA trust (REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS); see "
         "docs/security.md\n";
}

bool IsAuthFlag(std::string_view name) {
  for (std::string_view flag : kFlags) {
    if (flag == name) return true;
  }
  return false;
}

bool IsAuthSetting(std::string_view name) {
  for (std::string_view setting : kSettings) {
    if (setting == name) return true;
  }
  return false;
}

Status ApplyAuthFlag(std::string_view name, const std::string& value, AuthSettings& settings) {
  const std::string flag = "--" + std::string(name);
  if (name == "allow-insecure-remote" || name == "issuer") {
    if (value != "true" && value != "false") {
      return Invalid(flag + " takes true or false, not '" + value + "'");
    }
    (name == "issuer" ? settings.issuer_enabled : settings.allow_insecure_remote) = value == "true";
  } else if (name == "jwks") {
    if (value.empty()) return Invalid("--jwks needs a JWKS file");
    settings.jwks_file = value;
  } else if (name == "jwt-issuer") {
    if (value.empty()) return Invalid("--jwt-issuer needs an issuer (the tokens' iss)");
    settings.jwt_issuers.push_back(value);
  } else if (name == "tenant") {
    settings.tenant = value;
  } else if (name == "rate-limit") {
    double rate = 0;
    const char* end = value.data() + value.size();
    if (value.empty() || std::from_chars(value.data(), end, rate).ptr != end) {
      return Invalid("--rate-limit takes requests per second, not '" + value + "'");
    }
    Status set = SetRateLimit(rate, settings);
    if (!set.ok()) return Invalid("--rate-limit: " + set.message());
  }
  return Status::Ok();
}

Status ApplyAuthToml(std::string_view name, const toml::node& node, const Where& where,
                     const std::filesystem::path& base_dir, AuthSettings& settings) {
  if (name == "allow_insecure_remote") {
    if (!node.is_boolean())
      return Invalid(where(node) + "'" + std::string(name) + "' must be true or false");
    settings.allow_insecure_remote = node.as_boolean()->get();
  } else if (name == "jwks" || name == "tenant") {
    Result<std::string> text = TomlString(node, name, where);
    if (!text.ok()) return text.status();
    if (name == "jwks") {
      settings.jwks_file = ResolvePath(base_dir, *text);
    } else {
      settings.tenant = *text;
    }
  } else if (name == "jwt_issuers") {
    Result<std::vector<std::string>> issuers = TomlStrings(node, name, where);
    if (!issuers.ok()) return issuers.status();
    settings.jwt_issuers = std::move(*issuers);
  } else if (name == "rate_limit") {
    std::optional<double> rate = node.value<double>();
    if (!rate) return Invalid(where(node) + "'rate_limit' must be a number (requests per second)");
    Status set = SetRateLimit(*rate, settings);
    if (!set.ok()) return Invalid(where(node) + set.message());
  } else if (name == "role_assignments") {
    Result<std::vector<const toml::table*>> tables = TomlTables(node, name, where);
    if (!tables.ok()) return tables.status();
    for (const toml::table* table : *tables) {
      Result<RoleAssignment> assignment = ParseAssignment(*table, where);
      if (!assignment.ok()) return assignment.status();
      settings.role_assignments.push_back(std::move(*assignment));
    }
  } else if (name == "issuer") {
    return ApplyIssuerTable(node, where, settings);
  }
  return Status::Ok();
}

Status ValidateAuthSettings(std::string_view mode, const std::vector<std::string>& listen_hosts,
                            const AuthSettings& settings) {
  if (mode == "none") {
    for (const std::string& host : listen_hosts) {
      if (IsLoopback(host) || settings.allow_insecure_remote) continue;
      return Invalid(
          "--auth none accepts any caller, so it serves loopback addresses only; "
          "listening on '" +
          host + "' needs --auth jwt or entra, or --allow-insecure-remote true");
    }
  } else if (mode == "jwt") {
    if (settings.jwks_file.empty() && !settings.issuer_enabled) {
      return Invalid("--auth jwt needs the token issuer's keys: --jwks FILE, or --issuer true");
    }
    if (!settings.jwks_file.empty() && settings.jwt_issuers.empty()) {
      return Invalid("--auth jwt with --jwks needs the accepted issuer: --jwt-issuer ISS");
    }
  } else if (mode == "entra") {
    if (settings.tenant.empty() || settings.jwks_file.empty()) {
      return Invalid(
          "--auth entra needs --tenant TENANT_ID and --jwks FILE (the tenant's keys, "
          "from https://login.microsoftonline.com/TENANT_ID/discovery/v2.0/keys)");
    }
  } else {
    return Invalid("--auth '" + std::string(mode) + "': expected none, jwt or entra");
  }
  for (const RoleAssignment& assignment : settings.role_assignments) {
    Status role = CheckRole(assignment.role, "role_assignments");
    if (!role.ok()) return role;
  }
  for (const auth::IssuerClient& client : settings.issuer.clients) {
    for (const std::string& role : client.roles) {
      Status checked = CheckRole(role, "issuer client '" + client.client_id + "'");
      if (!checked.ok()) return checked;
    }
  }
  if (settings.issuer_enabled && settings.issuer.clients.empty()) {
    return Invalid("--issuer true needs at least one [[issuer.clients]] in the config file");
  }
  return Status::Ok();
}

}  // namespace dtwin::server
