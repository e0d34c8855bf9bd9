// NatsSink: the NATS JetStream endpoint (see nats_sink.h). Owns one libnats connection, made
// on first use and kept; libnats reconnects it in the background. One delivery thread at a time.
#include "events/nats_sink.h"

#include <nats/nats.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "events/cloud_event_json.h"
#include "events/nats_subject_template.h"

namespace dtwin::events {
namespace {

constexpr int kDefaultPort = 4222;
constexpr std::chrono::milliseconds kDefaultTimeout{5000};
constexpr std::chrono::milliseconds kMaxTimeout{600000};
// How often libnats retries a lost server. Short, so delivery resumes soon after a broker
// restart; while it retries, Deliver answers kRetry at once instead of buffering.
constexpr int64_t kReconnectWaitMs = 250;

// What an endpoint URL says. Immutable after parsing.
struct NatsSinkConfig {
  std::string server_url;  // "nats://host:port": no credentials, so libnats never echoes them
  std::string host_port;
  std::string user;
  std::optional<std::string> password;  // absent: a lone user is a token
  std::string stream;
  bool create_stream = false;
  std::chrono::milliseconds timeout = kDefaultTimeout;
  std::string display_url;
};

Status UrlError(std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, "invalid NATS endpoint URL: " + std::string(what));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one URL component; nullopt for a malformed escape.
std::optional<std::string> PercentDecoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// A JetStream stream name: no subject separators, wildcards, path separators or whitespace.
bool IsValidStreamName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || byte <= 0x20 || byte == 0x7f) {
      return false;
    }
  }
  return true;
}

Status ParseQuery(std::string_view query, NatsSinkConfig& config) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    const std::optional<std::string> value =
        PercentDecoded(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return UrlError("bad percent escape in parameter '" + std::string(key) + "'");
    if (key == "stream") {
      if (!IsValidStreamName(*value)) {
        return UrlError("stream '" + *value +
                        "' is not a valid JetStream stream name (no '.', '*', '>', '/', spaces)");
      }
      config.stream = *value;
    } else if (key == "create_stream") {
      if (*value != "true" && *value != "false") {
        return UrlError("create_stream must be true or false, not '" + *value + "'");
      }
      config.create_stream = *value == "true";
    } else if (key == "timeout_ms") {
      int64_t ms = 0;
      const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), ms);
      if (ec != std::errc() || end != value->data() + value->size() || ms <= 0 ||
          ms > kMaxTimeout.count()) {
        return UrlError("timeout_ms must be an integer from 1 to " +
                        std::to_string(kMaxTimeout.count()) + ", not '" + *value + "'");
      }
      config.timeout = std::chrono::milliseconds(ms);
    } else {
      return UrlError("unknown parameter '" + std::string(key) +
                      "' (known: stream, create_stream, timeout_ms)");
    }
  }
  if (config.create_stream && config.stream.empty()) {
    return UrlError("create_stream=true needs stream=NAME");
  }
  return Status::Ok();
}

// Parses host[:port] or [v6]:port into config.host_port and config.server_url.
Status ParseHostPort(std::string_view text, NatsSinkConfig& config) {
  std::string_view host = text;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return UrlError("unclosed '[' in the host");
    host = text.substr(0, close + 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) return UrlError("unexpected text after the IPv6 host");
      port_text = rest.substr(1);
    }
  } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (host.empty() || host == "[]") return UrlError("the host is missing");
  int port = kDefaultPort;
  if (!port_text.empty() || text.ends_with(':')) {
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return UrlError("port '" + std::string(port_text) + "' is not a number from 1 to 65535");
    }
  }
  config.host_port = std::string(host) + ":" + std::to_string(port);
  config.server_url = "nats://" + config.host_port;
  return Status::Ok();
}

Result<std::pair<NatsSinkConfig, NatsSubjectTemplate>> ParseNatsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "nats://";
  if (url.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), url.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return UrlError("it must start with nats://");
  }
  std::string_view rest = url.substr(kScheme.size());
  const size_t authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  NatsSinkConfig config;
  std::string_view host_port = authority;
  std::string display_credentials;
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    host_port = authority.substr(at + 1);
    const size_t colon = userinfo.find(':');
    const std::optional<std::string> user = PercentDecoded(userinfo.substr(0, colon));
    if (!user || user->empty()) return UrlError("the user name before '@' is empty or malformed");
    config.user = *user;
    if (colon != std::string_view::npos) {
      // The password never goes into a message, not even a malformed one.
      config.password = PercentDecoded(userinfo.substr(colon + 1));
      if (!config.password) return UrlError("the password has a bad percent escape");
      display_credentials = std::string(userinfo.substr(0, colon)) + ":***@";
    } else {
      display_credentials = "***@";  // a token is a secret
    }
  }
  if (Status s = ParseHostPort(host_port, config); !s.ok()) return s;

  std::string_view path;
  std::string_view query;
  if (rest.starts_with('/')) {
    const size_t question = rest.find('?');
    path =
        rest.substr(1, question == std::string_view::npos ? std::string_view::npos : question - 1);
    query = question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
  } else if (rest.starts_with('?')) {
    query = rest.substr(1);
  }
  const std::optional<std::string> template_text = PercentDecoded(path);
  if (!template_text) return UrlError("bad percent escape in the subject template");
  Result<NatsSubjectTemplate> subjects = NatsSubjectTemplate::Parse(
      template_text->empty() ? NatsSubjectTemplate::kDefault : std::string_view(*template_text));
  if (!subjects.ok()) return UrlError(subjects.status().message());
  if (Status s = ParseQuery(query, config); !s.ok()) return s;

  config.display_url = "nats://" + display_credentials + config.host_port + "/" + subjects->text() +
                       (query.empty() ? "" : "?" + std::string(query));
  return std::make_pair(std::move(config), std::move(subjects).value());
}

struct OptionsDeleter {
  void operator()(natsOptions* options) const { natsOptions_Destroy(options); }
};
struct ConnectionDeleter {
  void operator()(natsConnection* connection) const { natsConnection_Destroy(connection); }
};
struct JetStreamDeleter {
  void operator()(jsCtx* js) const { jsCtx_Destroy(js); }
};

// "what: <libnats detail>": the thread's last libnats error says more than the status name
// (e.g. "Authorization Violation"). Neither holds credentials: they are never in the URL.
std::string NatsFailure(std::string_view what, natsStatus status) {
  const char* detail = nats_GetLastError(nullptr);
  return std::string(what) + ": " +
         (detail != nullptr && *detail != '\0' ? detail : natsStatus_GetText(status));
}

DeliveryResult Retry(std::string reason) {
  return DeliveryResult{DeliveryOutcome::kRetry, std::move(reason), std::nullopt};
}

class NatsSink final : public EventSink {
 public:
  NatsSink(NatsSinkConfig config, NatsSubjectTemplate subjects)
      : config_(std::move(config)), subjects_(std::move(subjects)) {}

  DeliveryResult Deliver(const CloudEvent& event) override {
    if (js_ == nullptr || natsConnection_IsClosed(connection_.get())) {
      if (Status s = Connect(); !s.ok()) return Retry(s.message());
    }
    if (natsConnection_Status(connection_.get()) != NATS_CONN_STATUS_CONNECTED) {
      return Retry("NATS server " + config_.host_port + " unreachable; reconnecting");
    }
    const std::string subject = subjects_.Render(event);
    const std::string payload = StructuredCloudEventJson(event);
    if (static_cast<int64_t>(payload.size()) > natsConnection_GetMaxPayload(connection_.get())) {
      return DeliveryResult{DeliveryOutcome::kRejected,
                            "event of " + std::to_string(payload.size()) +
                                " bytes exceeds the NATS server's max_payload",
                            std::nullopt};
    }
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MaxWait = config_.timeout.count();
    // Sent as the Nats-Msg-Id header: JetStream drops a redelivery of the same event within
    // the stream's duplicate window, which makes at-least-once delivery harmless.
    options.MsgId = event.id.c_str();
    if (!config_.stream.empty()) options.ExpectStream = config_.stream.c_str();
    jsPubAck* ack = nullptr;
    jsErrCode js_error = static_cast<jsErrCode>(0);
    const natsStatus status = js_Publish(&ack, js_.get(), subject.c_str(), payload.data(),
                                         static_cast<int>(payload.size()), &options, &js_error);
    jsPubAck_Destroy(ack);  // a duplicate's ack (Duplicate=true) is a delivery too
    if (status == NATS_OK) return DeliveryResult{};
    if (status == NATS_MAX_PAYLOAD || js_error == JSStreamMessageExceedsMaximumErr) {
      return DeliveryResult{DeliveryOutcome::kRejected,
                            NatsFailure("JetStream refused the event as too large", status),
                            std::nullopt};
    }
    // The rest can heal without changing the event (server back, stream created or fixed by
    // an operator): retry, and let the delivery engine's time-to-live decide when to stop.
    if (status == NATS_NO_RESPONDERS) {
      return Retry("no JetStream stream captures subject '" + subject + "'");
    }
    if (js_error == JSStreamNotMatchErr) {
      return Retry("subject '" + subject + "' is captured by a stream other than '" +
                   config_.stream + "'");
    }
    return Retry(NatsFailure("JetStream publish to '" + subject + "' failed", status));
  }

  std::string DisplayUrl() const override { return config_.display_url; }
  bool DeliversBatchTogether() const override { return true; }

 private:
  // Connects, opens the JetStream context and checks (or creates) the stream; on failure the
  // sink stays disconnected and the next Deliver tries again.
  Status Connect() {
    js_.reset();
    connection_.reset();
    natsOptions* raw_options = nullptr;
    if (natsStatus s = natsOptions_Create(&raw_options); s != NATS_OK) {
      return Status(ErrorCode::kServiceUnavailable, NatsFailure("NATS options", s));
    }
    std::unique_ptr<natsOptions, OptionsDeleter> options(raw_options);
    natsStatus s = natsOptions_SetURL(options.get(), config_.server_url.c_str());
    if (s == NATS_OK && config_.password) {
      s = natsOptions_SetUserInfo(options.get(), config_.user.c_str(), config_.password->c_str());
    } else if (s == NATS_OK && !config_.user.empty()) {
      s = natsOptions_SetToken(options.get(), config_.user.c_str());
    }
    if (s == NATS_OK) s = natsOptions_SetTimeout(options.get(), config_.timeout.count());
    // Never give up reconnecting on our own: the delivery engine retries meanwhile.
    if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options.get(), -1);
    if (s == NATS_OK) s = natsOptions_SetReconnectWait(options.get(), kReconnectWaitMs);
    if (s == NATS_OK) s = natsOptions_SetName(options.get(), "dtwin");
    if (s != NATS_OK) {
      return Status(ErrorCode::kServiceUnavailable, NatsFailure("NATS options", s));
    }
    natsConnection* raw_connection = nullptr;
    s = natsConnection_Connect(&raw_connection, options.get());
    std::unique_ptr<natsConnection, ConnectionDeleter> connection(raw_connection);
    if (s != NATS_OK) {
      return Status(ErrorCode::kServiceUnavailable,
                    NatsFailure("cannot connect to NATS server " + config_.host_port, s));
    }
    jsOptions js_options;
    jsOptions_Init(&js_options);
    js_options.Wait = config_.timeout.count();
    jsCtx* raw_js = nullptr;
    s = natsConnection_JetStream(&raw_js, connection.get(), &js_options);
    std::unique_ptr<jsCtx, JetStreamDeleter> js(raw_js);
    if (s != NATS_OK) return Status(ErrorCode::kServiceUnavailable, NatsFailure("JetStream", s));
    if (Status stream = CheckStream(js.get()); !stream.ok()) return stream;
    connection_ = std::move(connection);
    js_ = std::move(js);
    return Status::Ok();
  }

  // The configured stream must exist (it is created when create_stream=true), so a missing
  // one is reported by name rather than as "no responders" on every publish.
  Status CheckStream(jsCtx* js) const {
    if (config_.stream.empty()) return Status::Ok();
    jsStreamInfo* info = nullptr;
    jsErrCode js_error = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&info, js, config_.stream.c_str(), nullptr, &js_error);
    jsStreamInfo_Destroy(info);
    if (s == NATS_OK) return Status::Ok();
    if (s != NATS_NOT_FOUND && js_error != JSStreamNotFoundErr) {
      return Status(ErrorCode::kServiceUnavailable,
                    NatsFailure("JetStream stream '" + config_.stream + "' lookup", s));
    }
    if (!config_.create_stream) {
      return Status(ErrorCode::kServiceUnavailable,
                    "JetStream stream '" + config_.stream +
                        "' does not exist (create it, or add create_stream=true to the URL)");
    }
    const std::string filter = subjects_.StreamFilter();
    const char* subjects[] = {filter.c_str()};
    jsStreamConfig stream_config;
    jsStreamConfig_Init(&stream_config);
    stream_config.Name = config_.stream.c_str();
    stream_config.Subjects = subjects;
    stream_config.SubjectsLen = 1;
    stream_config.Storage = js_FileStorage;
    s = js_AddStream(&info, js, &stream_config, nullptr, &js_error);
    jsStreamInfo_Destroy(info);
    if (s != NATS_OK) {
      return Status(ErrorCode::kServiceUnavailable,
                    NatsFailure("cannot create JetStream stream '" + config_.stream +
                                    "' for subjects '" + filter + "'",
                                s));
    }
    return Status::Ok();
  }

  const NatsSinkConfig config_;
  const NatsSubjectTemplate subjects_;
  std::unique_ptr<natsConnection, ConnectionDeleter> connection_;
  std::unique_ptr<jsCtx, JetStreamDeleter> js_;  // after connection_: destroyed before it
};

}  // namespace

Result<std::unique_ptr<EventSink>> MakeNatsSink(const std::string& url) {
  auto parsed = ParseNatsUrl(url);
  if (!parsed.ok()) return parsed.status();
  auto& [config, subjects] = parsed.value();
  return std::unique_ptr<EventSink>(
      std::make_unique<NatsSink>(std::move(config), std::move(subjects)));
}

}  // namespace dtwin::events
