// Maps a method and a request path onto a handler: fixed segments match case-insensitively
// (ADT's own nextLinks say "/Models"), {captures} match one non-empty segment and are
// percent-decoded one segment at a time (ids may contain an encoded '/'). Build it once,
// then Match from any thread (const).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.h"

namespace dtwin::server {

class RequestContext;

using Handler = std::function<void(const RequestContext&, Responder)>;

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed, kBadEncoding };
  Kind kind = Kind::kNotFound;
  const Handler* handler = nullptr;  // kFound
  std::vector<std::string> params;   // kFound: decoded captures, in pattern order
  std::vector<HttpMethod> allowed;   // kMethodNotAllowed: the methods the path has
  std::string bad_segment;           // kBadEncoding: the raw segment
};

class Router {
 public:
  // pattern: "/digitaltwins/{id}/relationships/{relationshipId}".
  void Add(HttpMethod method, std::string_view pattern, Handler handler);

  RouteMatch Match(HttpMethod method, std::string_view path) const;

 private:
  struct Segment {
    std::string literal;  // empty for a capture
    bool capture = false;
  };
  struct Route {
    HttpMethod method;
    std::vector<Segment> segments;
    Handler handler;
  };

  static bool Matches(const Route& route, const std::vector<std::string>& segments);

  std::vector<Route> routes_;
};

}  // namespace dtwin::server
