// ManagedIdentityCredential: tokens from the Azure Instance Metadata Service, or from the
// endpoint App Service / Functions name in IDENTITY_ENDPOINT and IDENTITY_HEADER (see
// dtwin/client/credentials.h). Thread-safe (TokenCache serializes fetches).
#include <cstdlib>
#include <utility>

#include "client/credential_unavailable.h"
#include "client/http_pipeline.h"
#include "client/token_cache.h"
#include "client/token_endpoint.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {
namespace {

constexpr const char* kName = "ManagedIdentityCredential";
constexpr std::string_view kDefaultSuffix = "/.default";

std::string EnvironmentValue(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// Managed identity endpoints take a resource, not scopes: "https://x/.default" -> "https://x".
std::string ResourceOf(const std::vector<std::string>& scopes) {
  if (scopes.size() != 1) {
    throw DigitalTwinsError(0, kAuthenticationError,
                            std::string(kName) + ": exactly one scope is supported", "");
  }
  std::string resource = scopes.front();
  if (resource.ends_with(kDefaultSuffix)) resource.resize(resource.size() - kDefaultSuffix.size());
  return resource;
}

TransportOptions TransportWithTimeout(std::chrono::milliseconds timeout) {
  TransportOptions options;
  options.connect_timeout = timeout;
  options.request_timeout = timeout;
  return options;
}

}  // namespace

struct ManagedIdentityCredential::Impl {
  // Immutable after construction, except the cache (thread-safe itself).
  std::string client_id;
  std::string endpoint;     // IMDS, or IDENTITY_ENDPOINT
  std::string api_version;  // of that endpoint
  HttpHeaders headers;      // its proof that the caller is on the machine
  HttpTransport transport;
  TokenCache cache;

  explicit Impl(const ManagedIdentityOptions& options)
      : client_id(options.client_id), transport(TransportWithTimeout(options.timeout)) {
    std::string identity_endpoint = EnvironmentValue("IDENTITY_ENDPOINT");
    std::string identity_header = EnvironmentValue("IDENTITY_HEADER");
    if (!identity_endpoint.empty() && !identity_header.empty()) {
      endpoint = identity_endpoint;
      api_version = "2019-08-01";
      headers = {{"X-IDENTITY-HEADER", identity_header}};
    } else {
      endpoint = options.imds_endpoint;
      api_version = "2018-02-01";
      headers = {{"Metadata", "true"}};
    }
  }

  AccessToken Fetch(const std::string& resource, const CallContext& context) {
    std::string url = endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") +
                      "api-version=" + api_version + "&resource=" + EncodeUrlComponent(resource);
    if (!client_id.empty()) url += "&client_id=" + EncodeUrlComponent(client_id);
    HttpHeaders request_headers = headers;
    request_headers.emplace_back("Accept", "application/json");
    try {
      return RequestToken(transport, HttpRequest{"GET", url, request_headers, ""}, context, kName);
    } catch (const DigitalTwinsError& failure) {
      // No endpoint (not on Azure), or IMDS's 400 "Identity not found": there is no managed
      // identity here, so a chain should try its next credential.
      bool absent =
          (failure.status() == 0 && failure.code() != kCancelledError) || failure.status() == 400;
      if (absent) {
        throw CredentialUnavailableError(failure.status() == 0
                                             ? std::string(kName) +
                                                   ": no managed identity endpoint answered (" +
                                                   failure.message() + ")"
                                             : failure.message());
      }
      throw;
    }
  }
};

ManagedIdentityCredential::ManagedIdentityCredential(ManagedIdentityOptions options)
    : impl_(std::make_unique<Impl>(options)) {}

ManagedIdentityCredential::~ManagedIdentityCredential() = default;

AccessToken ManagedIdentityCredential::GetToken(const std::vector<std::string>& scopes,
                                                const CallContext& context) {
  std::string resource = ResourceOf(scopes);
  return impl_->cache.Get(scopes, [&] { return impl_->Fetch(resource, context); });
}

}  // namespace dtwin::client
