// HttpTransport over libcurl: a pool of (multi, easy) handle pairs, each keeping its own
// connection cache, so sequential calls reuse keep-alive connections and TLS sessions.
// Thread-safe: the pool is guarded by mu_; a handle is used by one call at a time.
#include "client/http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

// How often a running transfer looks at the context's cancellation flag.
constexpr std::chrono::milliseconds kCancelPollInterval{20};
// Idle handles kept for reuse; more concurrent calls than this still work, their handles
// are just closed afterwards.
constexpr size_t kMaxIdleHandles = 64;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
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
    response->headers.clear();  // a new response (after 100 Continue): keep only the last
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

struct CurlSlist {
  curl_slist* list = nullptr;
  ~CurlSlist() { curl_slist_free_all(list); }
  void Append(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

// One reusable transfer slot: the multi handle owns the connection cache.
struct Handle {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
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
  std::vector<Handle> idle;  // guarded by mu

  Handle Acquire() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        Handle handle = idle.back();  // most recently used: its connection is warmest
        idle.pop_back();
        return handle;
      }
    }
    return Handle{curl_multi_init(), curl_easy_init()};
  }

  void Release(Handle handle) {
    {
      std::lock_guard lock(mu);
      if (idle.size() < kMaxIdleHandles) {
        idle.push_back(handle);
        return;
      }
    }
    Destroy(handle);
  }

  static void Destroy(Handle handle) {
    curl_easy_cleanup(handle.easy);
    curl_multi_cleanup(handle.multi);
  }
};

HttpTransport::HttpTransport(TransportOptions options) : impl_(std::make_unique<Impl>()) {
  InitCurlOnce();
  impl_->options = std::move(options);
}

HttpTransport::~HttpTransport() {
  for (Handle handle : impl_->idle) Impl::Destroy(handle);
}

namespace {

// Sets up `easy` for one request; the returned header list must outlive the transfer.
void Configure(CURL* easy, const TransportOptions& options, const HttpRequest& request,
               CurlSlist& header_list, HttpResponse& response, char* error_buffer,
               long timeout_ms) {
  curl_easy_reset(easy);  // keeps the live connections, DNS and TLS session caches
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());

  if (request.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    // POSTFIELDS for every method with a body (sends Content-Length, even 0); the method
    // name itself is overridden for PUT, PATCH, DELETE.
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    if (request.method != "POST") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  }

  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    has_content_type = has_content_type || EqualsIgnoreCase(name, "Content-Type");
    // "Name;" is libcurl's way to send a header with an empty value.
    header_list.Append(value.empty() ? name + ";" : name + ": " + value);
  }
  // Without these, libcurl would add a form Content-Type to bodies and wait for
  // "100 Continue" before large ones.
  if (!has_content_type && request.method != "GET") header_list.Append("Content-Type:");
  header_list.Append("Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list.list);

  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response);
}

// Runs the transfer on its multi handle, waking every kCancelPollInterval to honour the
// context (libcurl's own progress callback can be a second late while a connection is idle).
CURLcode Perform(const Handle& handle, const CallContext& context, bool* cancelled) {
  curl_multi_add_handle(handle.multi, handle.easy);
  CURLcode result = CURLE_OK;
  for (;;) {
    int running = 0;
    CURLMcode multi_result = curl_multi_perform(handle.multi, &running);
    if (multi_result != CURLM_OK) {  // out of memory or a broken socket set: give up
      result = CURLE_SEND_ERROR;
      break;
    }
    if (running == 0) {
      int queued = 0;
      CURLMsg* message = curl_multi_info_read(handle.multi, &queued);
      result = message != nullptr ? message->data.result : CURLE_GOT_NOTHING;
      break;
    }
    if (context.cancelled()) {
      *cancelled = true;
      result = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    curl_multi_poll(handle.multi, nullptr, 0, static_cast<int>(kCancelPollInterval.count()),
                    nullptr);
  }
  curl_multi_remove_handle(handle.multi, handle.easy);
  return result;
}

}  // namespace

HttpResponse HttpTransport::Send(const HttpRequest& request, const CallContext& context,
                                 bool* may_have_reached_server) {
  if (may_have_reached_server != nullptr) *may_have_reached_server = false;
  if (context.cancelled()) {
    throw DigitalTwinsError(0, kCancelledError, "the call was cancelled", "");
  }
  auto timeout = impl_->options.request_timeout;
  if (auto deadline = context.deadline()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline -
                                                                      CallContext::Clock::now());
    if (left <= std::chrono::milliseconds::zero()) {
      throw DigitalTwinsError(0, kTimeoutError, "the call's deadline passed", "");
    }
    timeout = std::min(timeout, left);
  }

  HttpResponse response;
  CurlSlist header_list;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Handle handle = impl_->Acquire();
  Configure(handle.easy, impl_->options, request, header_list, response, error_buffer,
            std::max<long>(1, static_cast<long>(timeout.count())));
  bool cancelled = false;
  CURLcode result = Perform(handle, context, &cancelled);
  long status = 0;
  long request_size = 0;
  curl_easy_getinfo(handle.easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(handle.easy, CURLINFO_REQUEST_SIZE, &request_size);
  impl_->Release(handle);

  if (may_have_reached_server != nullptr) *may_have_reached_server = request_size > 0;
  if (result == CURLE_OK) {
    response.status = static_cast<int>(status);
    return response;
  }
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
  std::string where = request.method + " " + request.url + ": ";
  if (cancelled) throw DigitalTwinsError(0, kCancelledError, where + "the call was cancelled", "");
  if (result == CURLE_OPERATION_TIMEDOUT) {
    throw DigitalTwinsError(0, kTimeoutError, where + detail, "");
  }
  throw DigitalTwinsError(0, kConnectionError, where + detail, "");
}

}  // namespace dtwin::client
