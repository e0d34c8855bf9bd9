// DefaultAzureCredential: environment, then managed identity, then the Azure CLI; the first
// that gives a token is used from then on (see dtwin/client/credentials.h). Thread-safe: the
// chain is immutable, the chosen index guarded by mu.
#include <cstdlib>
#include <mutex>

#include "client/credential_unavailable.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {
namespace {

ManagedIdentityOptions ManagedIdentityFromEnvironment() {
  // As azure-identity: AZURE_CLIENT_ID also names the user-assigned managed identity.
  ManagedIdentityOptions options;
  if (const char* client_id = std::getenv("AZURE_CLIENT_ID")) options.client_id = client_id;
  return options;
}

}  // namespace

struct DefaultAzureCredential::Impl {
  std::vector<std::unique_ptr<TokenCredential>> chain;  // immutable after construction
  std::mutex mu;
  TokenCredential* chosen = nullptr;  // guarded by mu; the first that worked
};

DefaultAzureCredential::DefaultAzureCredential(CredentialOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->chain.push_back(std::make_unique<EnvironmentCredential>(options));
  impl_->chain.push_back(
      std::make_unique<ManagedIdentityCredential>(ManagedIdentityFromEnvironment()));
  impl_->chain.push_back(std::make_unique<AzureCliCredential>());
}

DefaultAzureCredential::~DefaultAzureCredential() = default;

AccessToken DefaultAzureCredential::GetToken(const std::vector<std::string>& scopes,
                                             const CallContext& context) {
  TokenCredential* chosen;
  {
    std::lock_guard lock(impl_->mu);
    chosen = impl_->chosen;
  }
  if (chosen != nullptr) return chosen->GetToken(scopes, context);

  std::string attempts;  // one line per credential tried; each message names its credential
  for (const auto& credential : impl_->chain) {
    try {
      AccessToken token = credential->GetToken(scopes, context);
      std::lock_guard lock(impl_->mu);
      impl_->chosen = credential.get();
      return token;
    } catch (const CredentialUnavailableError& unavailable) {
      attempts += "\n  " + unavailable.message();
    } catch (const DigitalTwinsError& failure) {
      // It tried and failed (e.g. a wrong secret): going on would hide that, as
      // azure-identity's chain reasons too.
      if (failure.code() == kCancelledError) throw;
      attempts += "\n  " + failure.message();
      throw DigitalTwinsError(failure.status(), kAuthenticationError,
                              "DefaultAzureCredential failed to retrieve a token:" + attempts,
                              failure.request_id());
    }
  }
  throw DigitalTwinsError(0, kAuthenticationError,
                          "DefaultAzureCredential failed to retrieve a token:" + attempts, "");
}

}  // namespace dtwin::client
