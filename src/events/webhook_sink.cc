// The webhook sink over libcurl (see webhook_sink.h): a multi handle per sink, whose
// connection cache keeps the receiver's connections (and TLS sessions) between deliveries, and
// easy handles configured once and reused; a wave of events of different twins is sent at once.
// Not thread-safe: a sink is used by one delivery thread at a time.
#include "events/webhook_sink.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii_text.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "events/cloud_event_json.h"

namespace dtwin::events {
namespace {

constexpr std::chrono::milliseconds kDefaultTimeout{10'000};
constexpr std::chrono::milliseconds kMaxTimeout{600'000};
// A Retry-After beyond this is taken as this: a receiver's typo must not park an endpoint for
// years, and the delivery engine's time-to-live bounds the wait anyway.
constexpr std::chrono::seconds kMaxRetryAfter{24 * 3600};
// The Event Grid schema's fixed fields: dtwin's payloads have one version, and "1" is the only
// metadata version Event Grid defines.
constexpr std::string_view kEventGridDataVersion = "1.0";
constexpr std::string_view kEventGridMetadataVersion = "1";
// Headers the sink sets itself; a dtwin-header may not replace them.
constexpr std::string_view kReservedHeaders[] = {
    "content-type", "content-length",        "host", "transfer-encoding", "expect",
    "traceparent",  "webhook-request-origin"};

enum class WebhookMode { kStructured, kBinary, kEventGrid, kBatch };

// The CloudEvents HTTP binding's batched content mode (3.1.3.3): a JSON array of events.
constexpr std::string_view kCloudEventsBatchJsonContentType = "application/cloudevents-batch+json";

struct WebhookConfig {
  std::string target_url;   // what is requested: the URL without the dtwin- parameters
  std::string display_url;  // the URL with every secret replaced by "***"
  WebhookMode mode = WebhookMode::kStructured;
  std::vector<std::string> extra_headers;  // "Name: Value", from dtwin-header
  std::string ca_file;
  std::chrono::milliseconds timeout = kDefaultTimeout;
  bool handshake = true;
};

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Status InvalidUrl(const std::string& what) {
  return Status(ErrorCode::kInvalidArgument, "webhook endpoint URL: " + what);
}

// Decodes %XX escapes; '+' stays '+' (API keys in base64 contain it). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return std::nullopt;
    auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc() || end != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

// A header value in binary mode, as the CloudEvents HTTP binding (3.1.3.2) requires: space,
// '"', '%' and everything outside printable ASCII percent-encoded, byte by byte of the UTF-8.
std::string PercentEncodeHeaderValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '%') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool IsHeaderNameChar(unsigned char c) {
  return std::isalnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

std::optional<std::string> GetUrlPart(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

// Applies one dtwin- option to config; `seen` catches an option given twice.
Status ApplyOption(std::string_view name, const std::string& value, const std::string& scheme,
                   std::vector<std::string>& seen, WebhookConfig& config,
                   std::string& display_value) {
  display_value = value;
  if (name == "dtwin-header") {
    size_t colon = value.find(':');
    std::string_view header_name = TrimAsciiSpace(std::string_view(value).substr(0, colon));
    if (colon == std::string::npos || header_name.empty() ||
        !std::all_of(header_name.begin(), header_name.end(),
                     [](unsigned char c) { return IsHeaderNameChar(c); })) {
      return InvalidUrl("dtwin-header must be Name:Value with a header name before the ':'");
    }
    std::string lower_name = LowerAscii(header_name);
    if (std::find(std::begin(kReservedHeaders), std::end(kReservedHeaders), lower_name) !=
            std::end(kReservedHeaders) ||
        lower_name.starts_with("ce-")) {
      return InvalidUrl("dtwin-header " + std::string(header_name) +
                        " is a header the sink sets itself");
    }
    std::string_view header_value = TrimAsciiSpace(std::string_view(value).substr(colon + 1));
    if (header_value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
      return InvalidUrl("dtwin-header " + std::string(header_name) +
                        " has a line break or NUL in its value");
    }
    config.extra_headers.push_back(std::string(header_name) + ": " + std::string(header_value));
    display_value = std::string(header_name) + ":***";  // header values are keys and tokens
    return Status::Ok();
  }
  if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
    return InvalidUrl(std::string(name) + " is given twice");
  }
  seen.emplace_back(name);
  if (name == "dtwin-mode") {
    if (value == "structured") {
      config.mode = WebhookMode::kStructured;
    } else if (value == "binary") {
      config.mode = WebhookMode::kBinary;
    } else if (value == "eventgrid") {
      config.mode = WebhookMode::kEventGrid;
    } else if (value == "batch") {
      config.mode = WebhookMode::kBatch;
    } else {
      return InvalidUrl("dtwin-mode must be structured, binary, eventgrid or batch, not '" + value +
                        "'");
    }
  } else if (name == "dtwin-ca") {
    if (scheme != "https") return InvalidUrl("dtwin-ca needs an https:// URL");
    if (value.empty() || !std::ifstream(value).good()) {
      return InvalidUrl("dtwin-ca: cannot read the CA file '" + value + "'");
    }
    config.ca_file = value;
  } else if (name == "dtwin-timeout-ms") {
    int64_t ms = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (error != std::errc() || end != value.data() + value.size() || ms < 1 ||
        ms > kMaxTimeout.count()) {
      return InvalidUrl("dtwin-timeout-ms must be a whole number of milliseconds from 1 to " +
                        std::to_string(kMaxTimeout.count()) + ", not '" + value + "'");
    }
    config.timeout = std::chrono::milliseconds(ms);
  } else if (name == "dtwin-handshake") {
    if (value != "true" && value != "false") {
      return InvalidUrl("dtwin-handshake must be true or false, not '" + value + "'");
    }
    config.handshake = value == "true";
  } else {
    return InvalidUrl("unknown option " + std::string(name) +
                      " (known: dtwin-mode, dtwin-header, dtwin-ca, dtwin-timeout-ms, "
                      "dtwin-handshake)");
  }
  return Status::Ok();
}

Result<WebhookConfig> ParseWebhookUrl(const std::string& url) {
  CurlUrl parsed(curl_url());
  if (CURLUcode code =
          curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME);
      code != CURLUE_OK) {
    // curl's message names the problem without echoing the URL (which may hold secrets).
    return InvalidUrl(std::string("not a valid http(s) URL: ") + curl_url_strerror(code));
  }
  std::string scheme = LowerAscii(GetUrlPart(parsed.get(), CURLUPART_SCHEME).value_or(""));
  if (scheme != "http" && scheme != "https") {
    return InvalidUrl("the scheme must be http or https, not '" + scheme + "'");
  }
  if (GetUrlPart(parsed.get(), CURLUPART_HOST).value_or("").empty()) {
    return InvalidUrl("no host");
  }
  curl_url_set(parsed.get(), CURLUPART_FRAGMENT, nullptr, 0);  // never sent over HTTP

  WebhookConfig config;
  std::vector<std::string> seen;
  std::string forwarded_query, display_query;
  auto append = [](std::string& query, std::string_view pair) {
    if (!query.empty()) query += '&';
    query += pair;
  };
  std::string_view query_rest;
  std::string query = GetUrlPart(parsed.get(), CURLUPART_QUERY).value_or("");
  query_rest = query;
  while (!query_rest.empty()) {
    std::string_view pair = query_rest.substr(0, query_rest.find('&'));
    query_rest.remove_prefix(std::min(query_rest.size(), pair.size() + 1));
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string_view raw_name = pair.substr(0, equals);
    std::optional<std::string> name = PercentDecode(raw_name);
    if (!name) return InvalidUrl("bad %-escape in a query parameter name");
    if (!name->starts_with(kWebhookOptionPrefix)) {
      append(forwarded_query, pair);
      // Receivers put keys in the query (e.g. Azure Functions' ?code=): show names only.
      append(display_query, equals == std::string_view::npos ? std::string(raw_name)
                                                             : std::string(raw_name) + "=***");
      continue;
    }
    std::optional<std::string> value =
        PercentDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    if (!value) return InvalidUrl("bad %-escape in the value of " + *name);
    std::string display_value;
    if (Status status = ApplyOption(*name, *value, scheme, seen, config, display_value);
        !status.ok()) {
      return status;
    }
    append(display_query, *name + "=" + display_value);
  }

  // Built from the text as given rather than from curl's normalized form: a receiver that
  // checks a signature in its query may compare escapes byte for byte.
  config.target_url = url.substr(0, url.find_first_of("?#"));
  if (!forwarded_query.empty()) config.target_url += "?" + forwarded_query;
  if (GetUrlPart(parsed.get(), CURLUPART_PASSWORD)) {
    curl_url_set(parsed.get(), CURLUPART_PASSWORD, "***", 0);
  }
  curl_url_set(parsed.get(), CURLUPART_QUERY,
               display_query.empty() ? nullptr : display_query.c_str(), 0);
  config.display_url = GetUrlPart(parsed.get(), CURLUPART_URL).value_or("");
  return config;
}

// Seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"), as RFC 9110 10.2.3 allows.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value) {
  int64_t seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error != std::errc() || end != value.data() + value.size()) {
    time_t when = curl_getdate(std::string(value).c_str(), nullptr);
    if (when < 0) return std::nullopt;
    seconds = static_cast<int64_t>(when) - static_cast<int64_t>(std::time(nullptr));
  }
  seconds = std::clamp<int64_t>(seconds, 0, kMaxRetryAfter.count());
  return std::chrono::seconds(seconds);
}

// What came back for one request: an HTTP answer, or the reason there was none.
struct HttpExchange {
  std::string transport_error;  // non-empty when no HTTP answer arrived
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  std::optional<std::string> Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return std::nullopt;
  }
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<HttpExchange*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    exchange->headers.clear();  // a new response head (after an interim 1xx)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    exchange->headers.emplace_back(LowerAscii(TrimAsciiSpace(line.substr(0, colon))),
                                   std::string(TrimAsciiSpace(line.substr(colon + 1))));
  }
  return size * count;
}

// The receiver's body says nothing the outcome needs, and may echo request headers (secrets).
size_t DiscardBody(char*, size_t size, size_t count, void*) { return size * count; }

// 2xx delivered; 408, 429 and 5xx (and no answer at all) worth retrying; any other status is
// the receiver refusing this request as it is. Redirects are not followed: they could carry
// the custom headers (keys) to another host.
DeliveryResult Classify(const HttpExchange& exchange, std::string_view what) {
  DeliveryResult result;
  if (!exchange.transport_error.empty()) {
    result.outcome = DeliveryOutcome::kRetry;
    result.reason = std::string(what) + ": " + exchange.transport_error;
    return result;
  }
  long status = exchange.status;
  if (status >= 200 && status < 300) return result;
  result.reason = std::string(what) + ": HTTP " + std::to_string(status);
  if (status == 408 || status == 429 || status >= 500) {
    result.outcome = DeliveryOutcome::kRetry;
    if (auto retry_after = exchange.Header("retry-after")) {
      result.retry_after = ParseRetryAfter(*retry_after);
    }
  } else {
    result.outcome = DeliveryOutcome::kRejected;
  }
  return result;
}

struct CurlEasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Requests of one wave in flight at once, each on its own connection.
constexpr size_t kMaxConcurrentRequests = 16;

// Batch mode: a request's body stops growing here (its first event goes whatever its size),
// since receivers commonly refuse larger bodies (nginx's client_max_body_size is 1m by
// default) and a 413 would dead-letter the whole batch.
constexpr size_t kMaxBatchBodyBytes = 1 << 20;

// One request to send.
struct HttpRequestSpec {
  const char* method = "POST";
  std::vector<std::string> headers;  // "Name: value" lines besides the endpoint's own
  std::string body;
};

// One transfer slot: an easy handle with the endpoint's fixed options set once, reused
// request after request (its connections live in the sink's multi handle).
class TransferSlot {
 public:
  TransferSlot(const WebhookConfig& config, size_t index) : easy_(curl_easy_init()) {
    if (!easy_) return;
    CURL* easy = easy_.get();
    long timeout_ms = static_cast<long>(config.timeout.count());
    curl_easy_setopt(easy, CURLOPT_URL, config.target_url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "dtwin-webhook");
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (!config.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, config.ca_file.c_str());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &exchange_);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, DiscardBody);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(index));
  }

  CURL* easy() const { return easy_.get(); }
  HttpExchange& exchange() { return exchange_; }

  // Sets the request's method, headers and body (kept here until the next Prepare).
  void Prepare(const WebhookConfig& config, HttpRequestSpec request) {
    CURL* easy = easy_.get();
    exchange_ = HttpExchange();
    exchange_.transport_error = "the transfer did not finish";  // until Finish says otherwise
    error_buffer_[0] = '\0';
    body_ = std::move(request.body);
    std::unique_ptr<curl_slist, CurlListDeleter> list;
    auto add = [&list](const std::string& line) {
      list.reset(curl_slist_append(list.release(), line.c_str()));
    };
    for (const std::string& line : request.headers) add(line);
    for (const std::string& line : config.extra_headers) add(line);
    add("Expect:");  // no 100-continue round trip before larger bodies
    header_list_ = std::move(list);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list_.get());
    if (std::string_view(request.method) == "POST") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body_.c_str());
    } else {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method);
    }
  }

  // Records how the transfer ended.
  void Finish(CURLcode code, std::chrono::milliseconds timeout) {
    exchange_.transport_error.clear();
    if (code == CURLE_OPERATION_TIMEDOUT) {
      exchange_.transport_error = "no answer within " + std::to_string(timeout.count()) + " ms";
    } else if (code != CURLE_OK) {
      exchange_.transport_error =
          error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
    } else {
      curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &exchange_.status);
    }
  }

 private:
  std::unique_ptr<CURL, CurlEasyDeleter> easy_;
  char error_buffer_[CURL_ERROR_SIZE] = "";
  std::unique_ptr<curl_slist, CurlListDeleter> header_list_;
  std::string body_;
  HttpExchange exchange_;
};

class WebhookSink final : public EventSink {
 public:
  explicit WebhookSink(WebhookConfig config)
      : config_(std::move(config)), multi_(curl_multi_init()) {
    // Every connection a wave opened stays for the next waves (libcurl's default keeps four
    // per handle in use, and would close the rest between waves).
    if (multi_) {
      curl_multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS,
                        static_cast<long>(kMaxConcurrentRequests));
    }
  }

  DeliveryResult Deliver(const CloudEvent& event) override {
    const CloudEvent* events[] = {&event};
    return DeliverBatch(events).front();
  }

  // Batch mode: the whole batch in one POST, so one answer decides for every event in it.
  // Other modes: one request per event, in order (as if all had one key: waves of one).
  std::vector<DeliveryResult> DeliverBatch(std::span<const CloudEvent* const> events) override {
    const std::vector<std::string_view> one_key(events.size());
    return DeliverKeyedBatch(events, one_key);
  }

  // Other modes than batch: waves of events of distinct keys, each wave's requests at once
  // (one connection each), so a lane's backlog costs one wait per wave, not per event; a key's
  // events stay in order because a wave never holds two of them.
  std::vector<DeliveryResult> DeliverKeyedBatch(std::span<const CloudEvent* const> events,
                                                std::span<const std::string_view> keys) override {
    if (config_.mode == WebhookMode::kBatch) return DeliverAsOneRequest(events);
    return DeliverWaves(events, keys);
  }

  std::string DisplayUrl() const override { return config_.display_url; }
  bool DeliversBatchTogether() const override { return config_.mode == WebhookMode::kBatch; }

 private:
  std::vector<DeliveryResult> DeliverWaves(std::span<const CloudEvent* const> events,
                                           std::span<const std::string_view> keys) {
    if (DeliveryResult handshake = HandshakeOnce(*events.front());
        handshake.outcome != DeliveryOutcome::kDelivered) {
      return {handshake};
    }
    std::vector<DeliveryResult> results;
    size_t start = 0;
    while (start < events.size()) {
      size_t end = WaveEnd(keys, start);
      std::vector<HttpRequestSpec> requests;
      for (size_t i = start; i < end; ++i) requests.push_back(SingleEventRequest(*events[i]));
      bool all_delivered = true;
      for (const HttpExchange& exchange : SendAll(std::move(requests))) {
        results.push_back(Classify(exchange, "delivery"));
        all_delivered = all_delivered && results.back().outcome == DeliveryOutcome::kDelivered;
      }
      if (!all_delivered) break;  // the engine offers the rest again, behind what failed
      start = end;
    }
    return results;
  }

  // The end of the wave that starts at `start`: up to the first key seen twice.
  static size_t WaveEnd(std::span<const std::string_view> keys, size_t start) {
    size_t end = start + 1;
    while (end < keys.size() && end - start < kMaxConcurrentRequests &&
           std::find(keys.begin() + static_cast<long>(start), keys.begin() + static_cast<long>(end),
                     keys[end]) == keys.begin() + static_cast<long>(end)) {
      ++end;
    }
    return end;
  }

  HttpRequestSpec SingleEventRequest(const CloudEvent& event) const {
    HttpRequestSpec request;
    switch (config_.mode) {
      case WebhookMode::kStructured:
        request.headers.push_back(std::string("Content-Type: ") + kCloudEventsJsonContentType);
        request.body = StructuredCloudEventJson(event);
        break;
      case WebhookMode::kBinary:
        request.headers = BinaryModeHeaders(event);
        request.body = event.data;
        break;
      case WebhookMode::kEventGrid:
        request.headers.push_back("Content-Type: application/json");
        request.body = EventGridJson(event);
        break;
      case WebhookMode::kBatch:
        break;  // DeliverAsOneRequest
    }
    // The W3C header too, so that HTTP-level tracing on the receiver's side joins the trace.
    if (!event.traceparent.empty()) request.headers.push_back("traceparent: " + event.traceparent);
    return request;
  }

  // The events from the first on that fit in kMaxBatchBodyBytes, in one request; the results
  // say how many went (the engine offers the rest again).
  std::vector<DeliveryResult> DeliverAsOneRequest(std::span<const CloudEvent* const> events) {
    DeliveryResult result = HandshakeOnce(*events.front());
    if (result.outcome != DeliveryOutcome::kDelivered) return {result};
    HttpRequestSpec request;
    request.headers = {"Content-Type: " + std::string(kCloudEventsBatchJsonContentType)};
    request.body = "[";
    size_t sent = 0;
    for (; sent < events.size(); ++sent) {
      std::string json = StructuredCloudEventJson(*events[sent]);
      if (sent > 0 && request.body.size() + 1 + json.size() + 1 > kMaxBatchBodyBytes) break;
      if (sent > 0) request.body += ',';
      request.body += json;
    }
    request.body += ']';
    // No traceparent header: each event carries its own in the body.
    result = Classify(Send(std::move(request)), "delivery");
    return std::vector<DeliveryResult>(sent, result);
  }

  // The handshake's outcome when it was not done yet (and then it is done when delivered).
  DeliveryResult HandshakeOnce(const CloudEvent& event) {
    if (!config_.handshake || handshake_done_) return DeliveryResult();
    DeliveryResult handshake = Handshake(event);
    handshake_done_ = handshake.outcome == DeliveryOutcome::kDelivered;
    return handshake;
  }

  // The abuse protection of the CloudEvents HTTP webhook spec (section 4): may this sender
  // (the event's source host) deliver here? Asked once; a refusal dead-letters the event.
  DeliveryResult Handshake(const CloudEvent& event) {
    std::string origin = event.source.substr(0, event.source.find('/'));
    if (origin.empty()) origin = "dtwin";
    HttpExchange exchange = Send({"OPTIONS", {"WebHook-Request-Origin: " + origin}, ""});
    DeliveryResult result = Classify(exchange, "webhook validation (OPTIONS)");
    if (result.outcome == DeliveryOutcome::kDelivered) {
      std::string allowed = exchange.Header("webhook-allowed-origin").value_or("");
      if (allowed != "*" && LowerAscii(allowed) != LowerAscii(origin)) {
        result.outcome = DeliveryOutcome::kRejected;
        result.reason = "webhook validation (OPTIONS): the receiver did not allow origin " + origin;
      }
    }
    if (result.outcome == DeliveryOutcome::kRejected) {
      result.reason += " (a receiver without the handshake needs dtwin-handshake=false)";
    }
    return result;
  }

  // CloudEvents HTTP binding, binary mode: attributes as ce- headers, data as the body.
  static std::vector<std::string> BinaryModeHeaders(const CloudEvent& event) {
    std::vector<std::string> headers = {"ce-specversion: 1.0"};
    auto add = [&headers](std::string_view name, const std::string& value) {
      if (!value.empty())
        headers.push_back(std::string(name) + ": " + PercentEncodeHeaderValue(value));
    };
    add("ce-id", event.id);
    add("ce-source", event.source);
    add("ce-type", event.type);
    add("ce-subject", event.subject);
    add("ce-time", event.time);
    add("ce-dataschema", event.data_schema);
    add("ce-traceparent", event.traceparent);
    if (!event.data_content_type.empty()) {
      headers.push_back("Content-Type: " + event.data_content_type);
    }
    return headers;
  }

  // Event Grid schema: an array of one event. Telemetry carries no time, and Event Grid
  // requires eventTime, so it gets the time of sending.
  static std::string EventGridJson(const CloudEvent& event) {
    std::string out = "[{\"id\":";
    AppendJsonString(event.id, out);
    out += ",\"topic\":";
    AppendJsonString(event.source, out);
    out += ",\"subject\":";
    AppendJsonString(event.subject, out);
    out += ",\"eventType\":";
    AppendJsonString(event.type, out);
    out += ",\"eventTime\":";
    AppendJsonString(
        event.time.empty() ? FormatAdtTime(std::chrono::system_clock::now()) : event.time, out);
    if (!event.data.empty()) out += ",\"data\":" + event.data;  // JSON text, embedded as is
    out += ",\"dataVersion\":";
    AppendJsonString(kEventGridDataVersion, out);
    out += ",\"metadataVersion\":";
    AppendJsonString(kEventGridMetadataVersion, out);
    out += "}]";
    return out;
  }

  HttpExchange Send(HttpRequestSpec request) {
    std::vector<HttpRequestSpec> one;
    one.push_back(std::move(request));
    return std::move(SendAll(std::move(one)).front());
  }

  // The requests at once, each on a slot of its own, until every one has its answer (or its
  // timeout); exchanges in the order of the requests.
  std::vector<HttpExchange> SendAll(std::vector<HttpRequestSpec> requests) {
    std::vector<HttpExchange> exchanges(requests.size());
    if (!multi_) {
      for (HttpExchange& exchange : exchanges)
        exchange.transport_error = "cannot create a libcurl multi handle";
      return exchanges;
    }
    while (slots_.size() < requests.size()) {
      slots_.push_back(std::make_unique<TransferSlot>(config_, slots_.size()));
    }
    std::vector<size_t> started;
    for (size_t i = 0; i < requests.size(); ++i) {
      TransferSlot& slot = *slots_[i];
      if (slot.easy() != nullptr) {
        slot.Prepare(config_, std::move(requests[i]));
        if (curl_multi_add_handle(multi_.get(), slot.easy()) == CURLM_OK) {
          started.push_back(i);
          continue;
        }
      }
      exchanges[i].transport_error = "cannot start a libcurl transfer";
    }
    int running = 0;
    curl_multi_perform(multi_.get(), &running);
    while (running > 0) {
      // Each transfer's own timeout ends it; the poll only waits for the next socket event.
      curl_multi_poll(multi_.get(), nullptr, 0, 1000, nullptr);
      curl_multi_perform(multi_.get(), &running);
    }
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      void* index = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &index);
      slots_[reinterpret_cast<size_t>(index)]->Finish(message->data.result, config_.timeout);
    }
    for (size_t i : started) {
      curl_multi_remove_handle(multi_.get(), slots_[i]->easy());
      exchanges[i] = std::move(slots_[i]->exchange());
    }
    return exchanges;
  }

  const WebhookConfig config_;  // immutable after construction
  std::unique_ptr<CURLM, CurlMultiDeleter> multi_;
  // Declared after multi_, so destroyed before it: handles leave the multi handle first.
  std::vector<std::unique_ptr<TransferSlot>> slots_;
  bool handshake_done_ = false;
};

}  // namespace

Result<std::unique_ptr<EventSink>> MakeWebhookSink(const std::string& url) {
  InitCurlOnce();
  Result<WebhookConfig> config = ParseWebhookUrl(url);
  if (!config.ok()) return std::move(config).status();
  return std::unique_ptr<EventSink>(std::make_unique<WebhookSink>(std::move(config).value()));
}

}  // namespace dtwin::events
