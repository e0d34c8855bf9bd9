// HttpPipeline: one call = URL and headers built once, then attempts through the transport
// until an answer worth returning arrives or the retries, the deadline or the caller stop it.
// Thread-safe: everything in Impl is immutable after construction (the transport and the
// credential are thread-safe themselves).
#include "client/http_pipeline.h"

#include <strings.h>
#include <sys/utsname.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "client/retry_policy.h"
#include "client/uuid.h"
#include "dtwin/client/errors.h"

#ifndef DTWIN_CLIENT_VERSION
#error "DTWIN_CLIENT_VERSION must be defined by the build (the project's version)"
#endif

namespace dtwin::client {
namespace {

// How often a wait between attempts looks at the cancellation flag.
constexpr std::chrono::milliseconds kCancelPollInterval{20};

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

// What a failure message starts with: "GET https://...: ".
std::string Where(const HttpRequest& http) { return http.method + " " + http.url + ": "; }

// `where()` gives the start of the message; it is built only for a failure.
template <typename MessageStart>
void ThrowIfStopped(const CallContext& context, const MessageStart& where) {
  if (context.cancelled()) throw DigitalTwinsError(0, kCancelledError, where() + "cancelled", "");
  if (auto deadline = context.deadline(); deadline && CallContext::Clock::now() >= *deadline) {
    throw DigitalTwinsError(0, kTimeoutError, where() + "the call's deadline passed", "");
  }
}

// Sleeps `delay` unless the context is cancelled meanwhile; fails at once when the deadline
// would pass first, since the next attempt could not happen anyway.
void WaitBeforeRetry(std::chrono::milliseconds delay, const CallContext& context,
                     const std::string& what) {
  auto until = CallContext::Clock::now() + delay;
  if (auto deadline = context.deadline(); deadline && until >= *deadline) {
    throw DigitalTwinsError(0, kTimeoutError,
                            what + "the call's deadline passes before the next retry", "");
  }
  for (;;) {
    ThrowIfStopped(context, [&] { return what; });
    auto now = CallContext::Clock::now();
    if (now >= until) return;
    std::this_thread::sleep_for(
        std::min<CallContext::Clock::duration>(until - now, kCancelPollInterval));
  }
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
  HttpHeaders Headers(const PipelineRequest& request, const std::string& request_id,
                      const std::string& trace_id, const CallContext& context) const {
    HttpHeaders headers;
    headers.reserve(6 + request.headers.size());  // ours and the operation's, one allocation
    if (credential) headers.emplace_back("Authorization", "Bearer " + BearerToken(context));
    headers.emplace_back("x-ms-client-request-id", request_id);
    headers.emplace_back("traceparent", "00-" + trace_id + "-" + RandomHex(8) + "-01");
    headers.emplace_back("User-Agent", user_agent);
    if (!FindHeader(request.headers, "Accept")) headers.emplace_back("Accept", "application/json");
    if (!request.body.empty() && !FindHeader(request.headers, "Content-Type")) {
      headers.emplace_back("Content-Type", "application/json");
    }
    headers.insert(headers.end(), request.headers.begin(), request.headers.end());
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

HttpResponse HttpPipeline::Send(const PipelineRequest& request, const CallContext& context) {
  const RetryOptions& retry = impl_->options.retry;
  HttpRequest http{request.method, impl_->Url(request), {}, request.body};
  const auto where = [&http] { return Where(http); };
  const std::string request_id = NewUuid();
  const std::string trace_id = RandomHex(16);
  for (int attempt = 1;; ++attempt) {
    ThrowIfStopped(context, where);
    http.headers = impl_->Headers(request, request_id, trace_id, context);
    const auto started = CallContext::Clock::now();
    const bool retries_left = attempt <= retry.max_retries;
    bool may_have_reached_server = false;
    std::optional<HttpResponse> response;
    std::string outcome;  // what the attempt got, for the error if no retry can follow
    try {
      response = impl_->transport.Send(http, context, &may_have_reached_server);
    } catch (const DigitalTwinsError& failure) {
      impl_->Log(http, attempt, started, request_id, nullptr, &failure);
      // Cancellation is final; a request that may have been processed is sent again only
      // when doing so is harmless.
      if (failure.code() == kCancelledError || !retries_left ||
          (may_have_reached_server && !request.idempotent)) {
        throw;
      }
      outcome = failure.message();
    }
    std::chrono::milliseconds delay;
    if (response) {
      impl_->Log(http, attempt, started, request_id, &*response, nullptr);
      if (!retries_left || !request.idempotent || !IsRetriableStatus(response->status)) {
        return std::move(*response);
      }
      outcome = "HTTP " + std::to_string(response->status);
      delay = ServerRetryDelay(*response, std::chrono::system_clock::now())
                  .value_or(BackoffDelay(retry, attempt - 1));
    } else {
      delay = BackoffDelay(retry, attempt - 1);
    }
    WaitBeforeRetry(delay, context,
                    where() + "attempt " + std::to_string(attempt) + " got " + outcome + ", and ");
  }
}

}  // namespace dtwin::client
