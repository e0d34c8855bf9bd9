// The client's request pipeline: builds the URL (endpoint + path + api-version), adds the
// bearer token, x-ms-client-request-id, W3C traceparent and User-Agent, sends through the
// transport, and retries (see RetryOptions) until an answer worth returning arrives.
// Thread-safe.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/http_transport.h"
#include "dtwin/client/call_context.h"
#include "dtwin/client/client_options.h"
#include "dtwin/client/credentials.h"

namespace dtwin::client {

struct PipelineRequest {
  std::string method;
  // Path under the endpoint, segments already percent-encoded ("/digitaltwins/room%201").
  std::string path;
  // Query parameters, unencoded; api-version is added.
  std::vector<std::pair<std::string, std::string>> query;
  // When set, an absolute URL used as is (a list's nextLink, which carries its own query).
  std::string next_link;
  HttpHeaders headers;
  std::string body;  // sent as application/json when not empty
  // Safe to send twice (GET, PUT, DELETE, POST /query): retried after 5xx/408/429 answers.
  bool idempotent = true;
};

class HttpPipeline {
 public:
  HttpPipeline(std::string endpoint, std::shared_ptr<TokenCredential> credential,
               DigitalTwinsClientOptions options);
  ~HttpPipeline();

  // The final answer, whatever its status (the caller maps errors), or the DigitalTwinsError
  // that ended the call: no answer after the retries, the credential failed, cancelled.
  using Done = std::function<void(HttpResponse* response, std::exception_ptr failure)>;

  // Starts the call; `done` runs once, on the I/O thread (on this one when the call ends
  // before its first attempt). Waits between retries are timers of the I/O thread. The
  // credential is asked for a token on the thread that starts each attempt. Never throws.
  void SendAsync(PipelineRequest request, CallContext context, Done done);

  // The call, waited for: the final answer; throws what ended the call otherwise.
  HttpResponse Send(PipelineRequest request, const CallContext& context);

 private:
  struct Impl;
  struct Call;
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes one path segment or query value (RFC 3986 unreserved characters kept).
std::string EncodeUrlComponent(std::string_view text);

}  // namespace dtwin::client
