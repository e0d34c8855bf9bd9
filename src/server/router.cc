// Route table matching; see router.h.
#include "server/router.h"

#include <algorithm>
#include <cassert>

#include "server/url_encoding.h"

namespace dtwin::server {

namespace {

// Splits "/a/b/c" into {"a","b","c"}; one trailing slash is tolerated ("/models/").
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path[0] != '/') return segments;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return segments;
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

void Router::Add(HttpMethod method, std::string_view pattern, Handler handler) {
  Route route{method, {}, std::move(handler)};
  for (std::string_view piece : SplitPath(pattern)) {
    bool capture = piece.size() >= 2 && piece.front() == '{' && piece.back() == '}';
    route.segments.push_back({capture ? std::string() : std::string(piece), capture});
  }
  assert(!route.segments.empty() && "a route pattern needs at least one segment");
  routes_.push_back(std::move(route));
}

bool Router::Matches(const Route& route, const std::vector<std::string>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& want = route.segments[i];
    if (want.capture ? segments[i].empty() : !EqualsIgnoreCase(want.literal, segments[i])) {
      return false;
    }
  }
  return true;
}

RouteMatch Router::Match(HttpMethod method, std::string_view path) const {
  RouteMatch match;
  std::vector<std::string> segments;
  for (std::string_view raw : SplitPath(path)) {
    std::optional<std::string> decoded = PercentDecode(raw, /*plus_as_space=*/false);
    if (!decoded) {
      match.kind = RouteMatch::Kind::kBadEncoding;
      match.bad_segment = std::string(raw);
      return match;
    }
    segments.push_back(std::move(*decoded));
  }
  for (const Route& route : routes_) {
    if (!Matches(route, segments)) continue;
    if (route.method != method) {
      if (std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
          match.allowed.end()) {
        match.allowed.push_back(route.method);
      }
      continue;
    }
    match.kind = RouteMatch::Kind::kFound;
    match.handler = &route.handler;
    match.allowed.clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i].capture) match.params.push_back(std::move(segments[i]));
    }
    return match;
  }
  if (!match.allowed.empty()) match.kind = RouteMatch::Kind::kMethodNotAllowed;
  return match;
}

}  // namespace dtwin::server
