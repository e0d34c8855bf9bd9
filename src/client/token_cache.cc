// TokenCache (see token_cache.h).
#include "client/token_cache.h"

namespace dtwin::client {

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const auto& scope : scopes) {
    if (!joined.empty()) joined += ' ';
    joined += scope;
  }
  return joined;
}

AccessToken TokenCache::Get(const std::vector<std::string>& scopes,
                            const std::function<AccessToken()>& fetch) {
  std::string key = JoinScopes(scopes);
  std::lock_guard lock(mu_);
  auto found = tokens_.find(key);
  if (found != tokens_.end() &&
      std::chrono::system_clock::now() + kRefreshBeforeExpiry < found->second.expires_on) {
    return found->second;
  }
  AccessToken token = fetch();
  tokens_[key] = token;
  return token;
}

}  // namespace dtwin::client
