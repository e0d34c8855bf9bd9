// Builds RequestContexts for handler-level tests the way the dispatcher would.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "server/request_context.h"

namespace dtwin::server {

inline RequestContext MakeContext(std::string target, std::vector<HttpHeader> headers = {},
                                  std::string body = "", bool tls = false) {
  HttpRequest request;
  request.target = std::move(target);
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.tls = tls;
  request.local_authority = "127.0.0.1:8080";
  Result<std::vector<QueryParam>> query = ParseQuery(SplitTarget(request.target).query);
  ApiError error;
  std::optional<ApiVersion> version =
      ResolveApiVersion(query.ok() ? *query : std::vector<QueryParam>{}, &error);
  return RequestContext(std::move(request), {},
                        query.ok() ? std::move(*query) : std::vector<QueryParam>{},
                        version.value_or(ApiVersion::k2023_10_31), nullptr);
}

}  // namespace dtwin::server
