// The JSON of the ADT wire <-> the client's typed values (ModelData, IncomingRelationship,
// EventRoute, and dtwin's EndpointInfo and DeadLetter), and the reading of response bodies.
// An answer of the wrong shape throws DigitalTwinsError with the answer's status and code
// kUnexpectedResponse. Stateless; thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "client/http_transport.h"
#include "dtwin/client/endpoint_types.h"
#include "dtwin/client/types.h"

namespace dtwin::client {

// The code of a DigitalTwinsError for a 2xx answer the client cannot read.

// The body parsed as JSON, as an object or an array.
boost::json::object ResponseObject(const HttpResponse& response);
boost::json::array ResponseArray(const HttpResponse& response);

// One page of a list: {"value": [...], "nextLink": url|null}. A missing, null or empty
// nextLink means the last page.
struct ListPage {
  boost::json::array value;
  std::optional<std::string> next_link;
};
ListPage ResponseListPage(const HttpResponse& response);

// One page of a query: {"value": [...], "continuationToken": token|null}; a missing, null or
// empty token means the last page (the SDKs page while it is truthy).
struct QueryPage {
  boost::json::array value;
  std::optional<std::string> continuation_token;
};
QueryPage ResponseQueryPage(const HttpResponse& response);

// Each decoder takes one item of the answer (the object one by move: rows can be large).
ModelData ModelDataFromJson(const boost::json::value& json, const HttpResponse& response);
IncomingRelationship IncomingRelationshipFromJson(const boost::json::value& json,
                                                  const HttpResponse& response);
EventRoute EventRouteFromJson(const boost::json::value& json, const HttpResponse& response);
boost::json::object ObjectFromJson(boost::json::value&& json, const HttpResponse& response);
// dtwin extensions: /extensions/endpoints items and their dead letters.
EndpointInfo EndpointInfoFromJson(const boost::json::value& json, const HttpResponse& response);
DeadLetter DeadLetterFromJson(boost::json::value&& json, const HttpResponse& response);
// The body of a replay: {"replayed": N}.
uint64_t ResponseReplayedCount(const HttpResponse& response);

// PUT /eventroutes/{id} body: {"endpointName", "filter"} (the id is the URL's).
boost::json::object EventRouteToJson(const EventRoute& route);

}  // namespace dtwin::client
