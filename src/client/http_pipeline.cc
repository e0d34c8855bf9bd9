// HttpPipeline: one call = URL built once, then attempts through the transport until an
// answer worth returning arrives or the retries, the deadline or the caller stop it; the
// waits between attempts are timers of the transport's I/O thread, so a call holds no thread.
// Thread-safe: everything in Impl is immutable after construction (the transport and the
// credential are thread-safe themselves).
#include "client/http_pipeline.h"

#include <strings.h>
#include <sys/utsname.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "client/notification.h"
#include "client/retry_policy.h"
#include "client/uuid.h"
#include "dtwin/client/errors.h"

#ifndef DTWIN_CLIENT_VERSION
#error "DTWIN_CLIENT_VERSION must be defined by the build (the project's version)"
#endif

namespace dtwin::client {
namespace {

// How often a wait between attempts looks at the cancellation flag.
constexpr std::chrono::milliseconds kCancelPollInterval = TransferLoop::kCancelPollInterval;

std::string OperatingSystem() {
  utsname name{};
  if (uname(&name) != 0) return "unknown";
  return std::string(name.sysname) + " " + name.release + "; " + name.machine;
}

std::string UserAgent(const std::string& application_id) {
  std::string agent = "azsdk-cpp-dtwin/" DTWIN_CLIENT_VERSION;
  if (!application_id.empty()) agent += " " + application_id;
  return agent + " (" + OperatingSystem() + ")";
}

std::string NormalizeEndpoint(std::string endpoint) {
  // Like the Python client, a bare host name means https.
  if (endpoint.find("://") == std::string::npos) endpoint = "https://" + endpoint;
  while (endpoint.ends_with('/')) endpoint.pop_back();
  return endpoint;
}

std::exception_ptr Failure(const char* code, std::string message) {
  return std::make_exception_ptr(DigitalTwinsError(0, code, std::move(message), ""));
}

}  // namespace

std::string EncodeUrlComponent(std::string_view text) {
  constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
  return out;
}

struct HttpPipeline::Impl {
  // All immutable after construction.
  std::string endpoint;
  std::shared_ptr<TokenCredential> credential;
  DigitalTwinsClientOptions options;
  std::string user_agent;
  std::vector<std::string> scopes{kDigitalTwinsScope};  // built once: every call asks for it
  HttpTransport transport;

  Impl(std::string endpoint_in, std::shared_ptr<TokenCredential> credential_in,
       DigitalTwinsClientOptions options_in)
      : endpoint(NormalizeEndpoint(std::move(endpoint_in))),
        credential(std::move(credential_in)),
        options(std::move(options_in)),
        user_agent(UserAgent(options.application_id)),
        transport(options.transport) {}

  std::string Url(const PipelineRequest& request) const {
    if (!request.next_link.empty()) return request.next_link;
    std::string url;
    url.reserve(endpoint.size() + request.path.size() + 64);  // 64: room for the query
    url += endpoint;
    url += request.path;
    char separator = '?';
    bool has_api_version = false;
    for (const auto& [name, value] : request.query) {
      has_api_version = has_api_version || name == "api-version";
      url += separator;
      url += EncodeUrlComponent(name);
      url += '=';
      url += EncodeUrlComponent(value);
      separator = '&';
    }
    if (!has_api_version) {
      url += separator;
      url += "api-version=";
      url += options.api_version;
    }
    return url;
  }

  std::string BearerToken(const CallContext& context) const {
    try {
      return credential->GetToken(scopes, context).token;
    } catch (const DigitalTwinsError&) {
      throw;
    } catch (const std::exception& error) {
      throw DigitalTwinsError(0, kAuthenticationError, error.what(), "");
    }
  }

  // The headers of one attempt: the token may have been refreshed and each attempt is its
  // own span, while the request id stays the call's.
  HttpHeaders Headers(const HttpHeaders& operation_headers, bool has_body,
                      const std::string& request_id, const std::string& trace_id,
                      const CallContext& context) const {
    HttpHeaders headers;
    headers.reserve(6 + operation_headers.size());  // ours and the operation's, one allocation
    if (credential) headers.emplace_back("Authorization", "Bearer " + BearerToken(context));
    headers.emplace_back("x-ms-client-request-id", request_id);
    headers.emplace_back("traceparent", "00-" + trace_id + "-" + RandomHex(8) + "-01");
    headers.emplace_back("User-Agent", user_agent);
    if (!FindHeader(operation_headers, "Accept")) {
      headers.emplace_back("Accept", "application/json");
    }
    if (has_body && !FindHeader(operation_headers, "Content-Type")) {
      headers.emplace_back("Content-Type", "application/json");
    }
    headers.insert(headers.end(), operation_headers.begin(), operation_headers.end());
    return headers;
  }

  void Log(const HttpRequest& http, int attempt, CallContext::Clock::time_point started,
           const std::string& request_id, const HttpResponse* response,
           const DigitalTwinsError* failure) const {
    if (!options.log) return;
    HttpLogEntry entry;
    entry.method = http.method;
    entry.url = http.url;
    entry.status = response != nullptr ? response->status : 0;
    entry.attempt = attempt;
    entry.elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(CallContext::Clock::now() - started);
    entry.request_id = request_id;
    if (failure != nullptr) entry.error = failure->what();
    options.log(entry);
  }
};

HttpPipeline::HttpPipeline(std::string endpoint, std::shared_ptr<TokenCredential> credential,
                           DigitalTwinsClientOptions options)
    : impl_(
          std::make_unique<Impl>(std::move(endpoint), std::move(credential), std::move(options))) {}

HttpPipeline::~HttpPipeline() = default;

// One call across its attempts: owned by itself from SendAsync until it reports its end.
struct HttpPipeline::Call {
  using Clock = CallContext::Clock;

  Impl* impl = nullptr;
  PipelineRequest request;  // its body is in `http`
  CallContext context;
  Done done;
  HttpRequest http;  // the same URL and body for every attempt; the headers are each one's
  std::string request_id;
  std::string trace_id;
  int attempt = 0;
  Clock::time_point attempt_started;

  // What a failure message starts with: "GET https://...: ".
  std::string Where() const { return http.method + " " + http.url + ": "; }

  void Finish(HttpResponse* response, std::exception_ptr failure) {
    std::unique_ptr<Call> end(this);
    done(response, std::move(failure));
  }

  // The next attempt, unless the caller stopped the call.
  void StartAttempt() {
    ++attempt;
    if (context.cancelled())
      return Finish(nullptr, Failure(kCancelledError, Where() + "cancelled"));
    if (auto deadline = context.deadline(); deadline && Clock::now() >= *deadline) {
      return Finish(nullptr, Failure(kTimeoutError, Where() + "the call's deadline passed"));
    }
    try {
      http.headers =
          impl->Headers(request.headers, !http.body.empty(), request_id, trace_id, context);
    } catch (const DigitalTwinsError&) {  // the credential's
      return Finish(nullptr, std::current_exception());
    }
    if (impl->options.log) attempt_started = Clock::now();  // only the log reports it
    impl->transport.SendAsync(http, context, [this](HttpAttempt&& outcome) {
      if (outcome.failure) return AttemptFailed(outcome);
      AttemptAnswered(*outcome.response);
    });
  }

  void AttemptFailed(const HttpAttempt& outcome) {
    try {
      std::rethrow_exception(outcome.failure);
    } catch (const DigitalTwinsError& failure) {
      impl->Log(http, attempt, attempt_started, request_id, nullptr, &failure);
      // Cancellation is final; a request that may have been processed is sent again only
      // when doing so is harmless.
      if (failure.code() == kCancelledError || !RetriesLeft() ||
          (outcome.may_have_reached_server && !request.idempotent)) {
        return Finish(nullptr, outcome.failure);
      }
      RetryAfter(BackoffDelay(impl->options.retry, attempt - 1), failure.message());
    }
  }

  void AttemptAnswered(HttpResponse& response) {
    impl->Log(http, attempt, attempt_started, request_id, &response, nullptr);
    if (!RetriesLeft() || !request.idempotent || !IsRetriableStatus(response.status)) {
      return Finish(&response, nullptr);
    }
    RetryAfter(ServerRetryDelay(response, std::chrono::system_clock::now())
                   .value_or(BackoffDelay(impl->options.retry, attempt - 1)),
               "HTTP " + std::to_string(response.status));
  }

  bool RetriesLeft() const { return attempt <= impl->options.retry.max_retries; }

  // Waits `delay` on the I/O thread's timer, then attempts again; fails at once when the
  // deadline would pass first, since the next attempt could not happen anyway.
  void RetryAfter(std::chrono::milliseconds delay, const std::string& outcome) {
    std::string what =
        Where() + "attempt " + std::to_string(attempt) + " got " + outcome + ", and ";
    auto until = Clock::now() + delay;
    if (auto deadline = context.deadline(); deadline && until >= *deadline) {
      return Finish(nullptr, Failure(kTimeoutError,
                                     what + "the call's deadline passes before the next retry"));
    }
    WaitUntil(until, std::move(what));
  }

  // Wakes every kCancelPollInterval to look at the cancellation flag.
  void WaitUntil(Clock::time_point until, std::string what) {
    impl->transport.RunAt(
        std::min(until, Clock::now() + kCancelPollInterval),
        [this, until, what = std::move(what)](bool stopping) mutable {
          if (stopping) {
            return Finish(nullptr, Failure(kCancelledError, what + "the client was destroyed"));
          }
          if (context.cancelled())
            return Finish(nullptr, Failure(kCancelledError, what + "cancelled"));
          if (Clock::now() < until) return WaitUntil(until, std::move(what));
          StartAttempt();
        });
  }
};

void HttpPipeline::SendAsync(PipelineRequest request, CallContext context, Done done) {
  auto* call = new Call;  // ends itself (Call::Finish)
  call->impl = impl_.get();
  call->http = HttpRequest{request.method, impl_->Url(request), {}, std::move(request.body)};
  call->request = std::move(request);
  call->context = std::move(context);
  call->done = std::move(done);
  call->request_id = NewUuid();
  call->trace_id = RandomHex(16);
  call->StartAttempt();
}

HttpResponse HttpPipeline::Send(PipelineRequest request, const CallContext& context) {
  impl_->transport.ThrowIfOnIoThread("DigitalTwinsClient");
  std::optional<HttpResponse> answer;
  std::exception_ptr failure;
  Notification finished;
  SendAsync(std::move(request), context, [&](HttpResponse* response, std::exception_ptr error) {
    if (response != nullptr) answer = std::move(*response);
    failure = std::move(error);
    finished.Notify();
  });
  finished.Wait();
  if (failure) std::rethrow_exception(failure);
  return std::move(*answer);
}

}  // namespace dtwin::client
