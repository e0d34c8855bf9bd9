// StaticTokenCredential: a fixed token, never refreshed (see dtwin/client/credentials.h).
#include <utility>

#include "dtwin/client/credentials.h"

namespace dtwin::client {

StaticTokenCredential::StaticTokenCredential(std::string token) : token_(std::move(token)) {}

AccessToken StaticTokenCredential::GetToken(const std::vector<std::string>& /*scopes*/,
                                            const CallContext& /*context*/) {
  return AccessToken{token_, std::chrono::system_clock::time_point::max()};
}

}  // namespace dtwin::client
