// The MQTT sink (see mqtt_sink.h). libmosquitto is driven synchronously from Deliver with
// mosquitto_loop (no library thread), so every wait is bounded by the endpoint's timeout and
// the sink needs no locking; one delivery thread at a time, like every EventSink.
#include "events/mqtt_sink.h"

#include <mosquitto.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "events/cloud_event_json.h"

namespace dtwin::events {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kDefaultTopicTemplate = "dtwin/{type}/{subject}";
constexpr int kDefaultMqttPort = 1883;
constexpr int kDefaultMqttsPort = 8883;
constexpr int kDefaultQos = 1;
constexpr std::chrono::milliseconds kDefaultTimeout{10000};
// Seconds between keep-alive pings; an idle connection the broker dropped meanwhile is
// noticed (and replaced) at the next Deliver.
constexpr int kKeepAliveSeconds = 60;
constexpr std::string_view kPlaceholders[] = {"{type}", "{subject}", "{source}", "{id}"};

// Everything an mqtt(s):// URL configures. Immutable after parsing.
struct MqttEndpoint {
  bool tls = false;
  std::string host;
  int port = 0;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string topic_template;
  int qos = kDefaultQos;
  std::chrono::milliseconds timeout = kDefaultTimeout;
  std::string ca_file;  // mqtts only; empty: the system's CA store
  std::string display_url;
};

Status BadUrl(std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, "invalid MQTT endpoint URL: " + std::string(what));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = HexDigit(text[i + 1]);
    int low = HexDigit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Checks that every {...} in the template is a known placeholder and that the template has no
// MQTT wildcard (a publish topic must not).
Status CheckTopicTemplate(std::string_view topic_template) {
  if (topic_template.find_first_of("+#") != std::string_view::npos) {
    return BadUrl("the topic template must not contain the MQTT wildcards + or #");
  }
  for (size_t open = topic_template.find('{'); open != std::string_view::npos;
       open = topic_template.find('{', open + 1)) {
    size_t close = topic_template.find('}', open);
    std::string_view placeholder =
        topic_template.substr(open, close == std::string_view::npos ? close : close - open + 1);
    if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), placeholder) ==
        std::end(kPlaceholders)) {
      return BadUrl("unknown topic placeholder '" + std::string(placeholder) +
                    "' (known: {type} {subject} {source} {id})");
    }
  }
  return Status::Ok();
}

std::string ExpandTopic(std::string_view topic_template, const CloudEvent& event) {
  std::string topic;
  topic.reserve(topic_template.size() + event.type.size() + event.subject.size());
  size_t at = 0;
  while (at < topic_template.size()) {
    size_t open = topic_template.find('{', at);
    topic.append(topic_template.substr(at, open - at));
    if (open == std::string_view::npos) break;
    size_t close = topic_template.find('}', open);  // CheckTopicTemplate made sure it is there
    std::string_view name = topic_template.substr(open + 1, close - open - 1);
    if (name == "type") topic += event.type;
    if (name == "subject") topic += event.subject;
    if (name == "source") topic += event.source;
    if (name == "id") topic += event.id;
    at = close + 1;
  }
  return topic;
}

Status ParseQuery(std::string_view query, MqttEndpoint& endpoint) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::optional<std::string> value =
        PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return BadUrl("bad percent-encoding in the value of '" + std::string(key) + "'");
    if (key == "qos") {
      std::optional<int> qos = ParseInt(*value);
      if (!qos || (*qos != 0 && *qos != 1)) return BadUrl("qos must be 0 or 1");
      endpoint.qos = *qos;
    } else if (key == "timeout_ms") {
      std::optional<int> timeout = ParseInt(*value);
      if (!timeout || *timeout <= 0) return BadUrl("timeout_ms must be a positive integer");
      endpoint.timeout = std::chrono::milliseconds(*timeout);
    } else if (key == "ca") {
      if (!endpoint.tls) return BadUrl("ca applies to mqtts:// only");
      if (value->empty() || !std::ifstream(*value).good()) {
        return BadUrl("cannot read the CA file '" + *value + "'");
      }
      endpoint.ca_file = *value;
    } else {
      return BadUrl("unknown option '" + std::string(key) + "' (known: qos, timeout_ms, ca)");
    }
  }
  return Status::Ok();
}

Result<MqttEndpoint> ParseMqttUrl(std::string_view url) {
  MqttEndpoint endpoint;
  std::string_view rest;
  if (url.starts_with("mqtt://")) {
    rest = url.substr(7);
  } else if (url.starts_with("mqtts://")) {
    endpoint.tls = true;
    rest = url.substr(8);
  } else {
    return BadUrl("the scheme must be mqtt:// or mqtts://");
  }
  size_t query_at = rest.find('?');
  std::string_view query =
      query_at == std::string_view::npos ? std::string_view() : rest.substr(query_at + 1);
  rest = rest.substr(0, query_at);
  size_t path_at = rest.find('/');
  std::string_view authority = rest.substr(0, path_at);
  std::string_view path =
      path_at == std::string_view::npos ? std::string_view() : rest.substr(path_at + 1);

  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    endpoint.username = PercentDecode(userinfo.substr(0, colon));
    if (!endpoint.username || endpoint.username->empty()) {
      return BadUrl("the user name is empty or badly percent-encoded");
    }
    if (colon != std::string_view::npos) {
      endpoint.password = PercentDecode(userinfo.substr(colon + 1));
      if (!endpoint.password) return BadUrl("the password is badly percent-encoded");
    }
  }

  std::optional<std::string_view> port_text;
  if (authority.starts_with('[')) {  // IPv6 literal: [::1]:1883
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl("unterminated IPv6 address");
    endpoint.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return BadUrl("junk after the IPv6 address");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (endpoint.host.empty()) return BadUrl("the host is missing");
  endpoint.port = endpoint.tls ? kDefaultMqttsPort : kDefaultMqttPort;
  if (port_text) {
    std::optional<int> port = ParseInt(*port_text);
    if (!port || *port < 1 || *port > 65535) return BadUrl("the port must be 1-65535");
    endpoint.port = *port;
  }

  std::optional<std::string> topic_template = PercentDecode(path);
  if (!topic_template) return BadUrl("the topic template is badly percent-encoded");
  endpoint.topic_template =
      topic_template->empty() ? std::string(kDefaultTopicTemplate) : *topic_template;
  if (Status status = CheckTopicTemplate(endpoint.topic_template); !status.ok()) return status;
  if (Status status = ParseQuery(query, endpoint); !status.ok()) return status;

  endpoint.display_url = endpoint.tls ? "mqtts://" : "mqtt://";
  if (endpoint.username) {
    endpoint.display_url += *endpoint.username;
    if (endpoint.password) endpoint.display_url += ":***";
    endpoint.display_url += '@';
  }
  bool ipv6 = endpoint.host.find(':') != std::string::npos;
  endpoint.display_url += ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
  endpoint.display_url += ':' + std::to_string(endpoint.port) + '/' + endpoint.topic_template;
  if (!query.empty()) endpoint.display_url += '?' + std::string(query);
  return endpoint;
}

void InitMosquittoOnce() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string MosquittoError(int rc) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
  return mosquitto_strerror(rc);
}

struct MosquittoDeleter {
  void operator()(mosquitto* client) const { mosquitto_destroy(client); }
};
using MosquittoPtr = std::unique_ptr<mosquitto, MosquittoDeleter>;

class MqttSink final : public EventSink {
 public:
  explicit MqttSink(MqttEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

  ~MqttSink() override {
    if (client_ && connected_) {
      mosquitto_disconnect(client_.get());
      mosquitto_loop(client_.get(), 0, 1);  // lets the DISCONNECT packet out
    }
  }

  // Builds the client now, so that a bad TLS setting fails at configuration time.
  Status Init() { return NewClient(); }

  DeliveryResult Deliver(const CloudEvent& event) override {
    Clock::time_point deadline = Clock::now() + endpoint_.timeout;
    std::string topic = ExpandTopic(endpoint_.topic_template, event);
    if (mosquitto_pub_topic_check2(topic.data(), topic.size()) != MOSQ_ERR_SUCCESS ||
        mosquitto_validate_utf8(topic.data(), static_cast<int>(topic.size())) != MOSQ_ERR_SUCCESS) {
      return {DeliveryOutcome::kRejected, "not a valid MQTT topic: " + topic, std::nullopt};
    }
    std::string payload = StructuredCloudEventJson(event);

    // A connection found dead while publishing (e.g. the broker restarted while we were idle)
    // is replaced once within the same Deliver; a second failure is the broker's state.
    for (int attempt = 0;; ++attempt) {
      if (!connected_) {
        if (Status status = Connect(deadline); !status.ok()) {
          Reset();
          return {DeliveryOutcome::kRetry, status.message(), std::nullopt};
        }
      }
      Status status = Publish(topic, payload, deadline);
      if (status.ok()) return {DeliveryOutcome::kDelivered, "", std::nullopt};
      // Rejected by the library before anything was sent: retrying cannot help.
      if (status.code() == ErrorCode::kInvalidArgument) {
        return {DeliveryOutcome::kRejected, status.message(), std::nullopt};
      }
      // The message may still sit in the client's queue and be resent on reconnection behind
      // the engine's back; a fresh client starts clean.
      Reset();
      if (status.code() != ErrorCode::kServiceUnavailable || attempt > 0 ||
          Clock::now() >= deadline) {
        return {DeliveryOutcome::kRetry, status.message(), std::nullopt};
      }
    }
  }

  std::string DisplayUrl() const override { return endpoint_.display_url; }

 private:
  Status NewClient() {
    InitMosquittoOnce();
    client_.reset(mosquitto_new(nullptr, /*clean_session=*/true, this));
    connected_ = false;
    if (!client_) return Status(ErrorCode::kInternal, "cannot create an MQTT client");
    mosquitto_connect_callback_set(client_.get(), &MqttSink::OnConnect);
    mosquitto_disconnect_callback_set(client_.get(), &MqttSink::OnDisconnect);
    mosquitto_publish_callback_set(client_.get(), &MqttSink::OnPublish);
    if (endpoint_.username) {
      int rc =
          mosquitto_username_pw_set(client_.get(), endpoint_.username->c_str(),
                                    endpoint_.password ? endpoint_.password->c_str() : nullptr);
      if (rc != MOSQ_ERR_SUCCESS) return BadUrl("user name: " + MosquittoError(rc));
    }
    if (endpoint_.tls) {
      int rc = endpoint_.ca_file.empty()
                   ? mosquitto_int_option(client_.get(), MOSQ_OPT_TLS_USE_OS_CERTS, 1)
                   : mosquitto_tls_set(client_.get(), endpoint_.ca_file.c_str(), nullptr, nullptr,
                                       nullptr, nullptr);
      if (rc != MOSQ_ERR_SUCCESS) return BadUrl("TLS setup: " + MosquittoError(rc));
    }
    return Status::Ok();
  }

  // Drops the connection and whatever the client still holds, for a clean start next time.
  void Reset() {
    if (Status status = NewClient(); !status.ok()) client_.reset();
  }

  // Runs the network loop until done() or the deadline; an error means the connection is gone.
  template <typename Done>
  Status LoopUntil(Done done, Clock::time_point deadline, std::string_view waiting_for) {
    while (!done()) {
      // Rounded up, so the last fraction of a millisecond is waited for too.
      auto remaining =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (remaining <= 0) {
        return Status(ErrorCode::kTimeoutError,
                      "no " + std::string(waiting_for) + " from " + HostPort() + " within " +
                          std::to_string(endpoint_.timeout.count()) + " ms");
      }
      int rc = mosquitto_loop(client_.get(), static_cast<int>(remaining), 1);
      if (rc != MOSQ_ERR_SUCCESS) {
        connected_ = false;
        return Status(ErrorCode::kServiceUnavailable,
                      "connection to " + HostPort() + " lost: " + MosquittoError(rc));
      }
    }
    return Status::Ok();
  }

  Status Connect(Clock::time_point deadline) {
    if (!client_) return Status(ErrorCode::kInternal, "no MQTT client");
    connack_ = -1;
    int rc = mosquitto_connect_async(client_.get(), endpoint_.host.c_str(), endpoint_.port,
                                     kKeepAliveSeconds);
    if (rc != MOSQ_ERR_SUCCESS) {
      return Status(ErrorCode::kServiceUnavailable,
                    "cannot connect to " + HostPort() + ": " + MosquittoError(rc));
    }
    Status status = LoopUntil([this] { return connack_ >= 0; }, deadline, "CONNACK");
    if (!status.ok()) return status;
    if (connack_ != 0) {
      return Status(ErrorCode::kServiceUnavailable,
                    HostPort() + " refused the connection: " + mosquitto_connack_string(connack_));
    }
    connected_ = true;
    return Status::Ok();
  }

  // kInvalidArgument: the library refused the message; kServiceUnavailable: the connection
  // dropped; kTimeoutError: no acknowledgement in time.
  Status Publish(const std::string& topic, const std::string& payload, Clock::time_point deadline) {
    // Reads what arrived while idle first, so a connection the broker closed is seen now
    // (and keep-alive pings go out when due).
    if (int rc = mosquitto_loop(client_.get(), 0, 1); rc != MOSQ_ERR_SUCCESS) {
      connected_ = false;
      return Status(ErrorCode::kServiceUnavailable,
                    "connection to " + HostPort() + " lost: " + MosquittoError(rc));
    }
    int mid = 0;
    acked_mid_ = -1;
    int rc = mosquitto_publish(client_.get(), &mid, topic.c_str(), static_cast<int>(payload.size()),
                               payload.data(), endpoint_.qos, /*retain=*/false);
    switch (rc) {
      case MOSQ_ERR_SUCCESS:
        break;
      case MOSQ_ERR_NO_CONN:
      case MOSQ_ERR_CONN_LOST:
      case MOSQ_ERR_ERRNO:
        connected_ = false;
        return Status(ErrorCode::kServiceUnavailable,
                      "connection to " + HostPort() + " lost: " + MosquittoError(rc));
      default:
        return Status(ErrorCode::kInvalidArgument,
                      "the MQTT client refused the message: " + MosquittoError(rc));
    }
    return LoopUntil([this, mid] { return acked_mid_ == mid; }, deadline,
                     endpoint_.qos == 0 ? "send completion" : "PUBACK");
  }

  std::string HostPort() const { return endpoint_.host + ":" + std::to_string(endpoint_.port); }

  static void OnConnect(mosquitto*, void* self, int rc) {
    static_cast<MqttSink*>(self)->connack_ = rc;
  }
  static void OnDisconnect(mosquitto*, void* self, int) {
    static_cast<MqttSink*>(self)->connected_ = false;
  }
  // QoS 1: called on PUBACK; QoS 0: once the message is written to the socket.
  static void OnPublish(mosquitto*, void* self, int mid) {
    static_cast<MqttSink*>(self)->acked_mid_ = mid;
  }

  const MqttEndpoint endpoint_;
  MosquittoPtr client_;
  bool connected_ = false;
  int connack_ = -1;    // the CONNACK code of the connection attempt in progress; -1: none yet
  int acked_mid_ = -1;  // the last message id the broker acknowledged
};

}  // namespace

Result<std::unique_ptr<EventSink>> MakeMqttSink(const std::string& url) {
  Result<MqttEndpoint> endpoint = ParseMqttUrl(url);
  if (!endpoint.ok()) return endpoint.status();
  auto sink = std::make_unique<MqttSink>(std::move(endpoint).value());
  if (Status status = sink->Init(); !status.ok()) return status;
  return std::unique_ptr<EventSink>(std::move(sink));
}

}  // namespace dtwin::events
