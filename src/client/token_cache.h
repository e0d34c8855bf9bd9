// The token cache of the credentials that fetch tokens: one token per set of scopes, fetched
// again 5 minutes before it expires. Thread-safe: one fetch at a time under mu_, so callers
// that arrive during a fetch wait for its token instead of sending their own request.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "dtwin/client/credentials.h"

namespace dtwin::client {

inline constexpr std::chrono::minutes kRefreshBeforeExpiry{5};

class TokenCache {
 public:
  // The cached token for `scopes` while it has more than kRefreshBeforeExpiry left, else
  // the one `fetch` returns (then cached). Exceptions from `fetch` propagate.
  AccessToken Get(const std::vector<std::string>& scopes,
                  const std::function<AccessToken()>& fetch);

 private:
  std::mutex mu_;
  std::map<std::string, AccessToken> tokens_;  // guarded by mu_; key: scopes joined by ' '
};

// "a b c": scopes as OAuth2 and the Azure CLI take them, and TokenCache's key.
std::string JoinScopes(const std::vector<std::string>& scopes);

}  // namespace dtwin::client
