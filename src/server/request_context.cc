// Typed accessors over a routed request.
#include "server/request_context.h"

#include <algorithm>
#include <charconv>

#include "common/ascii_text.h"
#include "common/json_reader.h"

namespace dtwin::server {

RequestContext::RequestContext(HttpRequest request, std::vector<std::string> params,
                               std::vector<QueryParam> query, ApiVersion version, Poster post)
    : request_(std::move(request)),
      params_(std::move(params)),
      query_(std::move(query)),
      version_(version),
      post_(std::move(post)) {}

std::optional<std::string_view> RequestContext::QueryValue(std::string_view name) const {
  for (const QueryParam& param : query_) {
    if (EqualsIgnoreCase(param.name, name)) return std::string_view(param.value);
  }
  return std::nullopt;
}

std::vector<std::string> RequestContext::QueryValues(std::string_view name) const {
  std::vector<std::string> values;
  for (const QueryParam& param : query_) {
    if (!EqualsIgnoreCase(param.name, name)) continue;
    if (std::find(values.begin(), values.end(), param.value) == values.end()) {
      values.push_back(param.value);
    }
  }
  return values;
}

Result<bool> RequestContext::BoolQuery(std::string_view name, bool default_value) const {
  std::optional<std::string_view> value = QueryValue(name);
  if (!value) return default_value;
  if (EqualsIgnoreCase(*value, "true")) return true;
  if (EqualsIgnoreCase(*value, "false")) return false;
  return Status(ErrorCode::kInvalidArgument, "the query parameter '" + std::string(name) +
                                                 "' must be true or false, not '" +
                                                 std::string(*value) + "'");
}

Result<service::PageRequest> RequestContext::Page() const {
  service::PageRequest page;
  if (std::optional<std::string_view> token = QueryValue("continuationToken")) {
    page.continuation = std::string(*token);
  }
  std::string_view header_name = "max-items-per-page";
  std::optional<std::string_view> size = Header(header_name);
  if (!size) {
    header_name = "x-ms-max-item-count";
    size = Header(header_name);
  }
  if (size) {
    std::string_view text = TrimAsciiSpace(*size);
    size_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value == 0) {
      return Status(ErrorCode::kInvalidArgument, "the " + std::string(header_name) +
                                                     " header must be a positive integer, not '" +
                                                     std::string(*size) + "'");
    }
    page.max_items = value;
  }
  return page;
}

Result<service::Preconditions> RequestContext::Preconditions(bool with_if_none_match) const {
  service::Preconditions pre;
  if (std::optional<std::string_view> if_match = Header("If-Match")) {
    std::string_view value = TrimAsciiSpace(*if_match);
    if (!value.empty()) pre.if_match = std::string(value);
  }
  if (with_if_none_match) {
    if (std::optional<std::string_view> if_none_match = Header("If-None-Match")) {
      std::string_view value = TrimAsciiSpace(*if_none_match);
      if (value != "*") {
        return Status(ErrorCode::kInvalidArgument, "Invalid If-None-Match header value '" +
                                                       std::string(value) +
                                                       "'. Allowed value(s): If-None-Match: *");
      }
      pre.if_none_match_any = true;
    }
  }
  return pre;
}

Result<boost::json::value> RequestContext::JsonBody() const {
  if (TrimAsciiSpace(request_.body).empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "the request body is empty; this operation takes JSON");
  }
  return ReadJson(request_.body);
}

}  // namespace dtwin::server
