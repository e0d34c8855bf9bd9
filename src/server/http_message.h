// Transport-neutral HTTP requests and responses as the API layer sees them. No Beast types
// here, so handlers and their tests compile fast. Plain value types.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dtwin::server {

enum class HttpMethod : uint8_t { kGet, kPut, kPost, kPatch, kDelete, kOther };

std::string_view MethodName(HttpMethod method);

struct HttpHeader {
  std::string name;
  std::string value;
};

// First value of header name (case-insensitive), or nullopt when absent.
std::optional<std::string_view> FindHeader(const std::vector<HttpHeader>& headers,
                                           std::string_view name);

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string target;  // path and query exactly as received
  std::vector<HttpHeader> headers;
  std::string body;
  bool tls = false;             // arrived over HTTPS
  std::string local_authority;  // "host:port" the connection arrived on (when Host is absent)
  std::string remote_address;   // the peer's IP address (rate limits of anonymous callers)

  std::optional<std::string_view> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<HttpHeader> headers;
  std::string body;  // JSON text, or empty

  std::optional<std::string_view> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// Answers a request. Called exactly once per request; callable from any thread.
using Responder = std::function<void(HttpResponse)>;

// Runs a task on the thread (strand) that owns the request's connection. Handlers use it to
// move service completions off the store's committer thread before rendering JSON.
using Poster = std::function<void(std::function<void()>)>;

// status with a JSON body (Content-Type is added by the dispatcher).
HttpResponse JsonResponse(int status, const boost::json::value& body);
HttpResponse JsonResponse(int status, std::string body);
// status with no body and Content-Length: 0 (ADT's 204s).
HttpResponse EmptyResponse(int status);

}  // namespace dtwin::server
