// One routed request as handlers see it: the HTTP request, its decoded path captures and
// query, its api-version, and typed accessors for the ADT headers and parameters (paging,
// preconditions, JSON bodies). Immutable once built; used by one request at a time.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/api_version.h"
#include "server/http_message.h"
#include "server/url_encoding.h"
#include "service/digital_twins_service.h"

namespace dtwin::server {

class RequestContext {
 public:
  RequestContext(HttpRequest request, std::vector<std::string> params,
                 std::vector<QueryParam> query, ApiVersion version, Poster post);

  const HttpRequest& request() const { return request_; }
  // The raw (still percent-encoded) path, as received.
  std::string_view path() const { return SplitTarget(request_.target).path; }
  // The index-th {capture} of the route pattern, decoded.
  const std::string& param(size_t index) const { return params_.at(index); }
  const std::vector<QueryParam>& query() const { return query_; }
  ApiVersion api_version() const { return version_; }
  const Poster& post() const { return post_; }

  std::optional<std::string_view> Header(std::string_view name) const {
    return request_.Header(name);
  }
  // First value of a query parameter (names compare case-insensitively, as ASP.NET does).
  std::optional<std::string_view> QueryValue(std::string_view name) const;
  // Every value of a repeated parameter (?dependenciesFor=a&dependenciesFor=b), duplicates
  // dropped (SDKs merge their own parameters into nextLinks).
  std::vector<std::string> QueryValues(std::string_view name) const;
  // "true"/"false" in any case (ADT's own links say "False"); absent -> default_value.
  Result<bool> BoolQuery(std::string_view name, bool default_value) const;

  // continuationToken query parameter plus the max-items-per-page header (or the legacy
  // x-ms-max-item-count); a page size that is not a positive integer is 400.
  Result<service::PageRequest> Page() const;

  // If-Match, and If-None-Match where the operation has it (twin and relationship PUT):
  // there only "*" is allowed, anything else is 400 as ADT answers.
  Result<service::Preconditions> Preconditions(bool with_if_none_match) const;

  // The body parsed as JSON; 400 InvalidArgument with line and column when it is not.
  Result<boost::json::value> JsonBody() const;

 private:
  HttpRequest request_;
  std::vector<std::string> params_;
  std::vector<QueryParam> query_;
  ApiVersion version_;
  Poster post_;
};

}  // namespace dtwin::server
