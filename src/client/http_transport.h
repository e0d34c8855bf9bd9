// One HTTP exchange over libcurl, with a pool of connections that are reused across calls and
// threads (keep-alive, TLS sessions). The client's pipeline and the credentials that call
// token endpoints both send through it. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtwin/client/call_context.h"
#include "dtwin/client/client_options.h"

namespace dtwin::client {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The first header of that name, compared case-insensitively.
std::optional<std::string_view> FindHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  std::string method;  // "GET", "PUT", ...
  std::string url;     // absolute
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;  // names as received
  std::string body;

  // First header of that name, compared case-insensitively.
  std::optional<std::string_view> Header(std::string_view name) const;
};

class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // One attempt. Any answer is returned, whatever its status. When none arrives, throws
  // DigitalTwinsError with status 0 and code kConnectionError (refused, reset, TLS, DNS),
  // kTimeoutError (the attempt's or the context's deadline) or kCancelledError.
  // *may_have_reached_server (when given) tells a retry policy whether the request may have
  // been processed: false only when the connection could not be made.
  HttpResponse Send(const HttpRequest& request, const CallContext& context,
                    bool* may_have_reached_server = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::client
