// Absolute links in responses: list nextLinks and incoming relationships'
// $relationshipLink, built from the request's Host and scheme as ADT does. Stateless;
// thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_message.h"
#include "server/request_context.h"

namespace dtwin::server {

// "http://host:port": https when the connection is TLS or a proxy says X-Forwarded-Proto:
// https (the JS SDK refuses tokens on http:// links, so its local recipe sends https URLs
// rewritten to http); the authority is the Host header, or the local address without one.
std::string BaseUrl(const HttpRequest& request);

// The next page's absolute URL: same path, the request's other query parameters, then
// continuationToken=<encoded token>&api-version=<version>. nullopt on the last page (empty
// continuation), rendered as "nextLink": null.
std::optional<std::string> NextLink(const RequestContext& context, std::string_view continuation);

// https?://host/digitaltwins/<source>/relationships/<id>?api-version=<version>.
std::string RelationshipLink(const RequestContext& context, std::string_view source_id,
                             std::string_view relationship_id);

// A list page. ADT puts "nextLink" after "value" for models and routes and before it for
// both relationship lists (recorded traffic); SDKs do not care, people diffing output do.
enum class PageKeyOrder { kValueFirst, kNextLinkFirst };
boost::json::object PageBody(boost::json::array value, const std::optional<std::string>& next_link,
                             PageKeyOrder order);

}  // namespace dtwin::server
