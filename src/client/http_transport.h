// One HTTP exchange over libcurl, with a pool of connections that are reused across calls and
// threads (keep-alive, TLS sessions). The client's pipeline and the credentials that call
// token endpoints both send through it. Thread-safe.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/transfer_loop.h"
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

// What one attempt got: an answer (whatever its status) or the failure that kept it from
// arriving.
struct HttpAttempt {
  std::optional<HttpResponse> response;
  // DigitalTwinsError with status 0 and code kConnectionError (refused, reset, TLS, DNS),
  // kTimeoutError (the attempt's or the context's deadline) or kCancelledError.
  std::exception_ptr failure;
  // Whether the request may have been processed: false only when the connection could not
  // be made (what a retry policy needs to know about requests that are unsafe to repeat).
  bool may_have_reached_server = false;
};

class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Starts one attempt; `done` gets its outcome on the I/O thread (or on this thread when the
  // attempt cannot start). `request` and `context` must stay alive until then. Never throws.
  using AttemptDone = std::function<void(HttpAttempt&& attempt)>;
  void SendAsync(const HttpRequest& request, const CallContext& context, AttemptDone done);

  // One attempt, waited for: the answer, whatever its status; throws the attempt's failure.
  // Throws kInvalidOperation on the I/O thread itself (it would wait for itself).
  HttpResponse Send(const HttpRequest& request, const CallContext& context);

  // The I/O thread's timer: `task` runs there at `when` (see TransferLoop::RunAt).
  void RunAt(TransferLoop::Clock::time_point when, TransferLoop::Task task);
  // Throws kInvalidOperation (naming `what`) on the I/O thread, where waiting would hang.
  void ThrowIfOnIoThread(const char* what) const;

 private:
  struct Impl;
  struct Attempt;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dtwin::client
