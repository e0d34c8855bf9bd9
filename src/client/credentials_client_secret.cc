// ClientSecretCredential: the OAuth2 client credentials grant against Entra ID or ADFS, with
// cached tokens (see dtwin/client/credentials.h). Thread-safe (TokenCache serializes fetches).
#include <utility>

#include "client/http_pipeline.h"
#include "client/token_cache.h"
#include "client/token_endpoint.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {
namespace {

constexpr const char* kName = "ClientSecretCredential";

// "login.example.com" or "https://login.example.com/" -> "https://login.example.com".
std::string NormalizeAuthority(std::string authority) {
  if (authority.find("://") == std::string::npos) authority = "https://" + authority;
  while (authority.ends_with('/')) authority.pop_back();
  return authority;
}

std::string TokenUrl(const std::string& authority_host, const std::string& tenant_id) {
  std::string authority = NormalizeAuthority(authority_host);
  // ADFS has no tenants; its token endpoint is fixed (what azure-identity and MSAL use).
  if (tenant_id == "adfs") return authority + "/adfs/oauth2/token";
  return authority + "/" + EncodeUrlComponent(tenant_id) + "/oauth2/v2.0/token";
}

TransportOptions TransportFor(const CredentialOptions& credential_options) {
  TransportOptions options;
  options.ca_file = credential_options.ca_file;
  options.connect_timeout = credential_options.timeout;
  options.request_timeout = credential_options.timeout;
  return options;
}

}  // namespace

struct ClientSecretCredential::Impl {
  // Immutable after construction, except the cache (thread-safe itself).
  std::string client_id;
  std::string client_secret;
  std::string token_url;
  HttpTransport transport;
  TokenCache cache;

  Impl(const std::string& tenant_id, std::string client_id_in, std::string client_secret_in,
       const CredentialOptions& options)
      : client_id(std::move(client_id_in)),
        client_secret(std::move(client_secret_in)),
        token_url(TokenUrl(options.authority_host, tenant_id)),
        transport(TransportFor(options)) {}
};

ClientSecretCredential::ClientSecretCredential(std::string tenant_id, std::string client_id,
                                               std::string client_secret, CredentialOptions options)
    : impl_(std::make_unique<Impl>(tenant_id, std::move(client_id), std::move(client_secret),
                                   options)) {}

ClientSecretCredential::~ClientSecretCredential() = default;

AccessToken ClientSecretCredential::GetToken(const std::vector<std::string>& scopes,
                                             const CallContext& context) {
  return impl_->cache.Get(scopes, [&] {
    HttpRequest request{
        "POST",
        impl_->token_url,
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}},
        "grant_type=client_credentials&client_id=" + EncodeUrlComponent(impl_->client_id) +
            "&client_secret=" + EncodeUrlComponent(impl_->client_secret) +
            "&scope=" + EncodeUrlComponent(JoinScopes(scopes))};
    return RequestToken(impl_->transport, request, context, kName);
  });
}

}  // namespace dtwin::client
