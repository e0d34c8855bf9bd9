// nextLink and $relationshipLink construction.
#include "server/paging_links.h"

#include <boost/json/value.hpp>

#include "server/url_encoding.h"

namespace dtwin::server {

namespace {

// A Host value safe to echo into links: hostname or IP literal with an optional port.
bool IsPlausibleAuthority(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

bool ForwardedAsHttps(const HttpRequest& request) {
  std::optional<std::string_view> proto = request.Header("X-Forwarded-Proto");
  if (!proto) return false;
  std::string_view first = proto->substr(0, proto->find(','));
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
  return EqualsIgnoreCase(first, "https");
}

}  // namespace

std::string BaseUrl(const HttpRequest& request) {
  std::string url = request.tls || ForwardedAsHttps(request) ? "https://" : "http://";
  std::optional<std::string_view> host = request.Header("Host");
  url += host && IsPlausibleAuthority(*host) ? *host : std::string_view(request.local_authority);
  return url;
}

std::optional<std::string> NextLink(const RequestContext& context, std::string_view continuation) {
  if (continuation.empty()) return std::nullopt;
  std::string link = BaseUrl(context.request());
  link += context.path();
  char separator = '?';
  for (const QueryParam& param : context.query()) {
    if (EqualsIgnoreCase(param.name, "continuationToken") ||
        EqualsIgnoreCase(param.name, "api-version")) {
      continue;
    }
    link += separator;
    link += PercentEncode(param.name);
    link += '=';
    link += PercentEncode(param.value);
    separator = '&';
  }
  link += separator;
  link += "continuationToken=";
  link += PercentEncode(continuation);
  link += "&api-version=";
  link += ApiVersionName(context.api_version());
  return link;
}

std::string RelationshipLink(const RequestContext& context, std::string_view source_id,
                             std::string_view relationship_id) {
  std::string link = BaseUrl(context.request());
  link += "/digitaltwins/";
  link += PercentEncode(source_id);
  link += "/relationships/";
  link += PercentEncode(relationship_id);
  link += "?api-version=";
  link += ApiVersionName(context.api_version());
  return link;
}

boost::json::object PageBody(boost::json::array value, const std::optional<std::string>& next_link,
                             PageKeyOrder order) {
  boost::json::value link =
      next_link ? boost::json::value(*next_link) : boost::json::value(nullptr);
  boost::json::object body;
  if (order == PageKeyOrder::kNextLinkFirst) body["nextLink"] = std::move(link);
  body["value"] = std::move(value);
  if (order == PageKeyOrder::kValueFirst) body["nextLink"] = std::move(link);
  return body;
}

}  // namespace dtwin::server
