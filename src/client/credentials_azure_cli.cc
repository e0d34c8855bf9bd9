// AzureCliCredential: the token of the Azure CLI's login, from `az account get-access-token`
// run without a shell, cached until near expiry (see dtwin/client/credentials.h).
// Thread-safe (TokenCache serializes fetches).
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <ctime>

#include "client/credential_unavailable.h"
#include "client/run_process.h"
#include "client/token_cache.h"
#include "client/token_endpoint.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {
namespace {

constexpr const char* kName = "AzureCliCredential";
// azure-identity's limit for the CLI (it starts Python, which can be slow on a cold cache).
constexpr std::chrono::seconds kCliTimeout{10};

// expiresOn as older CLIs print it: local time, "2024-05-01 13:45:00.123456".
std::optional<std::chrono::system_clock::time_point> ParseLocalTime(std::string_view text) {
  std::tm local{};
  if (std::sscanf(std::string(text).c_str(), "%d-%d-%d %d:%d:%d", &local.tm_year, &local.tm_mon,
                  &local.tm_mday, &local.tm_hour, &local.tm_min, &local.tm_sec) != 6) {
    return std::nullopt;
  }
  local.tm_year -= 1900;
  local.tm_mon -= 1;
  local.tm_isdst = -1;
  std::time_t when = std::mktime(&local);
  if (when == -1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(when);
}

AccessToken ParseCliOutput(std::string_view output) {
  auto fail = [](const std::string& why) {
    return DigitalTwinsError(0, kAuthenticationError,
                             std::string(kName) + ": unusable output of az: " + why, "");
  };
  boost::system::error_code error;
  boost::json::value json = boost::json::parse(output, error);
  if (error || !json.is_object()) throw fail("not a JSON object");
  const auto& object = json.get_object();
  const boost::json::value* token = object.if_contains("accessToken");
  if (token == nullptr || !token->is_string()) throw fail("no accessToken");
  AccessToken result{std::string(token->get_string()), {}};
  // expires_on (epoch seconds, az >= 2.54) is unambiguous; expiresOn is local time.
  if (auto expires_on = IntegerField(object, "expires_on")) {
    result.expires_on = std::chrono::system_clock::time_point(std::chrono::seconds(*expires_on));
  } else if (const boost::json::value* text = object.if_contains("expiresOn");
             text != nullptr && text->is_string()) {
    auto when = ParseLocalTime(text->get_string());
    if (!when) throw fail("unreadable expiresOn");
    result.expires_on = *when;
  } else {
    throw fail("no expiry");
  }
  return result;
}

AccessToken RunCli(const std::vector<std::string>& scopes, const CallContext& context) {
  std::optional<ProcessResult> run;
  try {
    run = RunProcess(
        {"az", "account", "get-access-token", "--scope", JoinScopes(scopes), "--output", "json"},
        kCliTimeout, context);
  } catch (const DigitalTwinsError& failure) {
    throw DigitalTwinsError(0, failure.code(), std::string(kName) + ": " + failure.message(), "");
  }
  if (!run) {
    throw CredentialUnavailableError(std::string(kName) +
                                     ": the Azure CLI (az) was not found on PATH");
  }
  if (run->exit_code != 0) {
    std::string said = run->standard_error.empty() ? run->standard_output : run->standard_error;
    while (!said.empty() && (said.back() == '\n' || said.back() == '\r')) said.pop_back();
    std::string message = std::string(kName) + ": az account get-access-token failed (exit " +
                          std::to_string(run->exit_code) + "): " + said;
    // Not logged in is "unavailable" (a chain goes on), as azure-identity decides.
    if (said.find("az login") != std::string::npos ||
        said.find("az account set") != std::string::npos) {
      throw CredentialUnavailableError(message);
    }
    throw DigitalTwinsError(0, kAuthenticationError, message, "");
  }
  return ParseCliOutput(run->standard_output);
}

}  // namespace

struct AzureCliCredential::Impl {
  TokenCache cache;
};

AzureCliCredential::AzureCliCredential() : impl_(std::make_unique<Impl>()) {}

AzureCliCredential::~AzureCliCredential() = default;

AccessToken AzureCliCredential::GetToken(const std::vector<std::string>& scopes,
                                         const CallContext& context) {
  return impl_->cache.Get(scopes, [&] { return RunCli(scopes, context); });
}

}  // namespace dtwin::client
