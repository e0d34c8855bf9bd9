// HttpTransport over libcurl: a pool of easy handles, each configured once; a call sets only
// the options that change per request and hands the handle to the TransferLoop, whose one
// thread runs every call's transfer over a shared cache of keep-alive connections.
// Thread-safe: the pool is guarded by mu; a handle is used by one call at a time.
#include "client/http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "client/notification.h"
#include "client/transfer_loop.h"
#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

// Idle handles kept for reuse; more concurrent calls than this still work, their handles
// are just freed afterwards.
constexpr size_t kMaxIdleHandles = 64;
// A Content-Length up to this is reserved in the body up front; larger bodies still arrive,
// they just grow as they come (a bogus header cannot make us allocate gigabytes).
constexpr size_t kMaxBodyReserve = size_t{16} << 20;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();      // a new response (after 100 Continue): keep only the last
    response->headers.reserve(16);  // one allocation for a typical answer's headers
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view name = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Length")) {
      size_t length = 0;
      if (std::from_chars(value.data(), value.data() + value.size(), length).ec == std::errc()) {
        response->body.reserve(std::min(length, kMaxBodyReserve));
      }
    }
    response->headers.emplace_back(name, value);
  }
  return size * count;
}

// One reusable transfer slot: an easy handle with the options that never change already
// set, and buffers that keep their capacity across calls.
struct Handle {
  CURL* easy = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};
  // The request's header lines, each NUL-terminated, and the list libcurl reads them from:
  // nodes we own, pointing into header_text, so a call allocates nothing once both are warm.
  std::string header_text;
  std::vector<curl_slist> header_nodes;

  explicit Handle(const TransportOptions& options) : easy(curl_easy_init()) {
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
    if (!options.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  }
  ~Handle() { curl_easy_cleanup(easy); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  // Sets the options of one request; `response` must outlive the transfer.
  void Configure(const HttpRequest& request, HttpResponse& response, long timeout_ms) {
    error_buffer[0] = '\0';
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response);

    // Every method option is set each time: the previous call on this handle may have used
    // another method.
    bool is_get = request.method == "GET";
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
    if (is_get) {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);  // also clears NOBODY and upload
    } else if (request.method == "HEAD") {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
      // POSTFIELDS for every method with a body (sends Content-Length, even 0); the method
      // name itself is overridden for PUT, PATCH, DELETE.
      curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
      if (request.method != "POST") {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    }

    header_text.clear();
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      has_content_type = has_content_type || EqualsIgnoreCase(name, "Content-Type");
      header_text += name;
      // "Name;" is libcurl's way to send a header with an empty value.
      if (value.empty()) {
        header_text += ';';
      } else {
        header_text += ": ";
        header_text += value;
      }
      header_text += '\0';
    }
    // Without these, libcurl would add a form Content-Type to bodies and wait for
    // "100 Continue" before large ones.
    if (!has_content_type && !is_get) header_text.append("Content-Type:", sizeof("Content-Type:"));
    header_text.append("Expect:", sizeof("Expect:"));  // sizeof counts the NUL

    // Linked only now that header_text no longer moves.
    header_nodes.clear();
    for (size_t at = 0; at < header_text.size(); at = header_text.find('\0', at) + 1) {
      header_nodes.push_back(curl_slist{header_text.data() + at, nullptr});
    }
    for (size_t i = 0; i + 1 < header_nodes.size(); ++i) {
      header_nodes[i].next = &header_nodes[i + 1];
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_nodes.data());
  }
};

}  // namespace

std::optional<std::string_view> FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

struct HttpTransport::Impl {
  TransportOptions options;  // immutable after construction
  std::mutex mu;
  std::vector<std::unique_ptr<Handle>> idle;  // guarded by mu
  // Last, so it is destroyed first: the attempts it ends then still release their handles.
  TransferLoop loop;

  std::unique_ptr<Handle> Acquire() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        std::unique_ptr<Handle> handle = std::move(idle.back());  // its connection is warmest
        idle.pop_back();
        return handle;
      }
    }
    auto handle = std::make_unique<Handle>(options);
    loop.Adopt(handle->easy);
    return handle;
  }

  void Release(std::unique_ptr<Handle> handle) {
    std::lock_guard lock(mu);
    if (idle.size() < kMaxIdleHandles) idle.push_back(std::move(handle));
  }
};

// One attempt in flight: owns its handle and the response being received; ends itself when
// the loop reports the transfer's end.
struct HttpTransport::Attempt final : TransferLoop::Transfer {
  Impl* impl = nullptr;
  const HttpRequest* request = nullptr;
  std::unique_ptr<Handle> handle;
  HttpResponse response;
  AttemptDone done;

  void Finished(CURLcode result) override {
    HttpAttempt outcome = Outcome(result);
    impl->Release(std::move(handle));
    AttemptDone report = std::move(done);
    delete this;
    report(std::move(outcome));
  }

  HttpAttempt Outcome(CURLcode result) {
    long status = 0;
    long request_size = 0;
    curl_easy_getinfo(handle->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(handle->easy, CURLINFO_REQUEST_SIZE, &request_size);
    HttpAttempt outcome;
    // Bytes of the request went out unless the connection itself failed.
    outcome.may_have_reached_server = request_size > 0;
    if (result == CURLE_OK) {
      response.status = static_cast<int>(status);
      outcome.response = std::move(response);
      return outcome;
    }
    std::string where = request->method + " " + request->url + ": ";
    std::string detail =
        handle->error_buffer[0] != '\0' ? handle->error_buffer : curl_easy_strerror(result);
    // CURLE_ABORTED_BY_CALLBACK comes only from the loop: cancelled, or the client destroyed.
    const char* code = result == CURLE_ABORTED_BY_CALLBACK  ? kCancelledError
                       : result == CURLE_OPERATION_TIMEDOUT ? kTimeoutError
                                                            : kConnectionError;
    if (result == CURLE_ABORTED_BY_CALLBACK) detail = "the call was cancelled";
    outcome.failure = std::make_exception_ptr(DigitalTwinsError(0, code, where + detail, ""));
    return outcome;
  }
};

HttpTransport::HttpTransport(TransportOptions options) : impl_(std::make_unique<Impl>()) {
  InitCurlOnce();
  impl_->options = std::move(options);
}

HttpTransport::~HttpTransport() = default;

namespace {

HttpAttempt Failed(const char* code, std::string message) {
  HttpAttempt attempt;
  attempt.failure = std::make_exception_ptr(DigitalTwinsError(0, code, std::move(message), ""));
  return attempt;
}

}  // namespace

void HttpTransport::SendAsync(const HttpRequest& request, const CallContext& context,
                              AttemptDone done) {
  if (context.cancelled()) return done(Failed(kCancelledError, "the call was cancelled"));
  auto timeout = impl_->options.request_timeout;
  if (auto deadline = context.deadline()) {
    // Rounded up, so libcurl gives up at the deadline and not before it.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - CallContext::Clock::now());
    if (left <= std::chrono::milliseconds::zero()) {
      return done(Failed(kTimeoutError, "the call's deadline passed"));
    }
    timeout = std::min(timeout, left);
  }

  auto attempt = std::make_unique<Attempt>();
  attempt->impl = impl_.get();
  attempt->request = &request;
  attempt->done = std::move(done);
  attempt->handle = impl_->Acquire();
  // CURLOPT_TIMEOUT_MS 0 would mean "no timeout".
  attempt->handle->Configure(request, attempt->response, std::max<long>(1, timeout.count()));
  attempt->easy = attempt->handle->easy;
  attempt->context = &context;
  try {
    impl_->loop.Submit(*attempt);  // from here on the loop ends it
    attempt.release();
  } catch (const DigitalTwinsError&) {  // the loop could not start
    impl_->Release(std::move(attempt->handle));
    HttpAttempt failed;
    failed.failure = std::current_exception();
    attempt->done(std::move(failed));
  }
}

HttpResponse HttpTransport::Send(const HttpRequest& request, const CallContext& context) {
  ThrowIfOnIoThread("HttpTransport::Send");
  HttpAttempt outcome;
  Notification finished;
  SendAsync(request, context, [&](HttpAttempt&& attempt) {
    outcome = std::move(attempt);
    finished.Notify();
  });
  finished.Wait();
  if (outcome.failure) std::rethrow_exception(outcome.failure);
  return std::move(*outcome.response);
}

void HttpTransport::RunAt(TransferLoop::Clock::time_point when, TransferLoop::Task task) {
  impl_->loop.RunAt(when, std::move(task));
}

void HttpTransport::ThrowIfOnIoThread(const char* what) const {
  if (!impl_->loop.OnLoopThread()) return;
  throw DigitalTwinsError(0, kInvalidOperation,
                          std::string(what) +
                              ": a synchronous call from a callback of an asynchronous one would "
                              "wait for its own thread; use the asynchronous form there",
                          "");
}

}  // namespace dtwin::client
