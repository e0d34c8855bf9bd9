// EnvironmentCredential: a ClientSecretCredential configured by AZURE_TENANT_ID,
// AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST, read at construction (see
// dtwin/client/credentials.h). Thread-safe (immutable; the inner credential is thread-safe).
#include <cstdlib>

#include "client/credential_unavailable.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {
namespace {

std::string EnvironmentValue(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

struct EnvironmentCredential::Impl {
  std::unique_ptr<ClientSecretCredential> credential;  // null when variables are missing
  std::string missing;                                 // "AZURE_TENANT_ID, ..."
};

EnvironmentCredential::EnvironmentCredential(CredentialOptions options)
    : impl_(std::make_unique<Impl>()) {
  std::vector<std::string> values;
  for (const char* name : {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}) {
    values.push_back(EnvironmentValue(name));
    if (values.back().empty()) {
      impl_->missing += (impl_->missing.empty() ? "" : ", ") + std::string(name);
    }
  }
  if (!impl_->missing.empty()) return;
  if (std::string authority = EnvironmentValue("AZURE_AUTHORITY_HOST"); !authority.empty()) {
    options.authority_host = authority;
  }
  impl_->credential =
      std::make_unique<ClientSecretCredential>(values[0], values[1], values[2], options);
}

EnvironmentCredential::~EnvironmentCredential() = default;

AccessToken EnvironmentCredential::GetToken(const std::vector<std::string>& scopes,
                                            const CallContext& context) {
  if (!impl_->credential) {
    throw CredentialUnavailableError("EnvironmentCredential: environment variables not set: " +
                                     impl_->missing);
  }
  return impl_->credential->GetToken(scopes, context);
}

}  // namespace dtwin::client
