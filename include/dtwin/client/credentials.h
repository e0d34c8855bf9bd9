// Credentials: where bearer tokens come from. TokenCredential is the interface the client
// uses; the implementations mirror azure-identity's. Every credential is thread-safe (tokens
// are cached under an internal lock and refreshed before they expire).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "dtwin/client/call_context.h"

namespace dtwin::client {

// The scope of the Azure Digital Twins data plane.
inline constexpr const char* kDigitalTwinsScope = "https://digitaltwins.azure.net/.default";

struct AccessToken {
  std::string token;
  std::chrono::system_clock::time_point expires_on;
};

// Thrown by credentials that cannot produce a token (a DigitalTwinsError with status 0 and
// code kAuthenticationError, or the HTTP status of the token endpoint's refusal).
class TokenCredential {
 public:
  virtual ~TokenCredential() = default;
  virtual AccessToken GetToken(const std::vector<std::string>& scopes,
                               const CallContext& context) = 0;
};

// A fixed token (e.g. from `az account get-access-token`, or any string for a dtwin started
// with --auth none). Never refreshed.
class StaticTokenCredential : public TokenCredential {
 public:
  explicit StaticTokenCredential(std::string token);
  AccessToken GetToken(const std::vector<std::string>& scopes, const CallContext& context) override;

 private:
  std::string token_;
};

// Where credentials that call HTTP endpoints send their requests.
struct CredentialOptions {
  // Entra ID by default; AZURE_AUTHORITY_HOST overrides it for EnvironmentCredential.
  std::string authority_host = "https://login.microsoftonline.com";
  std::string ca_file;  // PEM bundle to trust instead of the system's; empty = system
  std::chrono::milliseconds timeout{30000};
};

// OAuth2 client credentials grant against {authority_host}/{tenant_id}/oauth2/v2.0/token
// (tenant "adfs": {authority_host}/adfs/oauth2/token), cached until 5 minutes before expiry.
class ClientSecretCredential : public TokenCredential {
 public:
  ClientSecretCredential(std::string tenant_id, std::string client_id, std::string client_secret,
                         CredentialOptions options = {});
  ~ClientSecretCredential() override;
  AccessToken GetToken(const std::vector<std::string>& scopes, const CallContext& context) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Managed identity: the Azure Instance Metadata Service (IMDS) endpoint
// http://169.254.169.254/metadata/identity/oauth2/token, or the endpoint named by
// IDENTITY_ENDPOINT / IDENTITY_HEADER (App Service, Functions, Arc) when set.
struct ManagedIdentityOptions {
  std::string client_id;  // a user-assigned identity; empty = system-assigned
  std::string imds_endpoint = "http://169.254.169.254/metadata/identity/oauth2/token";
  std::chrono::milliseconds timeout{3000};
};

class ManagedIdentityCredential : public TokenCredential {
 public:
  explicit ManagedIdentityCredential(ManagedIdentityOptions options = {});
  ~ManagedIdentityCredential() override;
  AccessToken GetToken(const std::vector<std::string>& scopes, const CallContext& context) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The Azure CLI's login: runs `az account get-access-token --scope ... --output json`.
class AzureCliCredential : public TokenCredential {
 public:
  AzureCliCredential();
  ~AzureCliCredential() override;
  AccessToken GetToken(const std::vector<std::string>& scopes, const CallContext& context) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ClientSecretCredential from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and
// (optionally) AZURE_AUTHORITY_HOST; fails naming the missing variables.
class EnvironmentCredential : public TokenCredential {
 public:
  explicit EnvironmentCredential(CredentialOptions options = {});
  ~EnvironmentCredential() override;
  AccessToken GetToken(const std::vector<std::string>& scopes, const CallContext& context) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Tries, in order, EnvironmentCredential, ManagedIdentityCredential and AzureCliCredential,
// and keeps the first that works; when all fail, the error lists what each one said.
class DefaultAzureCredential : public TokenCredential {
 public:
  explicit DefaultAzureCredential(CredentialOptions options = {});
  ~DefaultAzureCredential() override;
  AccessToken GetToken(const std::vector<std::string>& scopes, const CallContext& context) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::client
