// The MQTT sink (see mqtt_sink.h). libmosquitto is driven synchronously from DeliverBatch with
// mosquitto_loop (no library thread), so every wait is bounded by the endpoint's timeout and
// the sink needs no locking; one delivery thread at a time, like every EventSink.
#include "events/mqtt_sink.h"

#include <mosquitto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
constexpr int kMaxInFlight = 65535;  // the most MQTT allows
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
    const CloudEvent* events[] = {&event};
    return DeliverBatch(events).front();
  }

  // Publishes every event before waiting, so the batch costs one round of PUBACKs rather than
  // one per event; whatever is not acknowledged by the timeout is to be retried.
  std::vector<DeliveryResult> DeliverBatch(std::span<const CloudEvent* const> events) override {
    Clock::time_point deadline = Clock::now() + endpoint_.timeout;
    std::vector<DeliveryResult> results(events.size());
    std::vector<std::string> topics(events.size());
    std::vector<std::string> payloads(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      topics[i] = ExpandTopic(endpoint_.topic_template, *events[i]);
      const std::string& topic = topics[i];
      if (mosquitto_pub_topic_check2(topic.data(), topic.size()) != MOSQ_ERR_SUCCESS ||
          mosquitto_validate_utf8(topic.data(), static_cast<int>(topic.size())) !=
              MOSQ_ERR_SUCCESS) {
        results[i] = {DeliveryOutcome::kRejected, "not a valid MQTT topic: " + topic, std::nullopt};
      } else {
        results[i] = {DeliveryOutcome::kRetry, "", std::nullopt};
        payloads[i] = StructuredCloudEventJson(*events[i]);
      }
    }

    // A connection found dead while publishing (e.g. the broker restarted while we were idle)
    // is replaced once within the same call; a second failure is the broker's state. After a
    // loss, everything from the first unacknowledged event on is published again, in order.
    size_t from = 0;
    for (int attempt = 0;; ++attempt) {
      Status status = Status::Ok();
      bool connect_failed = false;
      if (!connected_) {
        status = Connect(deadline);
        connect_failed = !status.ok();
      }
      if (status.ok()) status = PublishAll(topics, payloads, from, results, deadline);
      if (status.ok()) return results;
      Reset();
      while (from < results.size() && results[from].outcome != DeliveryOutcome::kRetry) ++from;
      if (connect_failed || status.code() != ErrorCode::kServiceUnavailable || attempt > 0 ||
          Clock::now() >= deadline) {
        for (size_t i = from; i < results.size(); ++i) {
          if (results[i].outcome == DeliveryOutcome::kRetry) results[i].reason = status.message();
        }
        return results;
      }
    }
  }

  std::string DisplayUrl() const override { return endpoint_.display_url; }
  bool DeliversBatchTogether() const override { return true; }

 private:
  Status NewClient() {
    InitMosquittoOnce();
    client_.reset(mosquitto_new(nullptr, /*clean_session=*/true, this));
    connected_ = false;
    in_flight_.clear();  // the old client's acknowledgements can no longer arrive
    if (!client_) return Status(ErrorCode::kInternal, "cannot create an MQTT client");
    // A whole batch is published before any PUBACK is awaited; libmosquitto's default of 20
    // messages in flight would hold the rest back a round trip each.
    mosquitto_int_option(client_.get(), MOSQ_OPT_SEND_MAXIMUM, kMaxInFlight);
    // Nagle's algorithm would hold each publish of a batch until the previous one is ACKed
    // at the TCP level (which the broker delays): a round trip per message again.
    mosquitto_int_option(client_.get(), MOSQ_OPT_TCP_NODELAY, 1);
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
      // Brokers leave Nagle's algorithm on by default (mosquitto: set_tcp_nodelay false), so
      // the PUBACKs of a batch after the first wait for our TCP ACK; without quick ACKs the
      // kernel delays it by up to 40 ms. Linux clears the flag as it goes: set it each time.
      int one = 1;
      setsockopt(mosquitto_socket(client_.get()), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
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

  // Publishes the events from `from` on that results does not already reject, then waits for
  // every acknowledgement: those acknowledged become kDelivered, the others kRetry.
  // kServiceUnavailable: the connection dropped; kTimeoutError: not every PUBACK in time. A
  // message the library refuses (kInvalidArgument) is rejected and the others go on.
  Status PublishAll(const std::vector<std::string>& topics,
                    const std::vector<std::string>& payloads, size_t from,
                    std::vector<DeliveryResult>& results, Clock::time_point deadline) {
    // Reads what arrived while idle first, so a connection the broker closed is seen now
    // (and keep-alive pings go out when due).
    if (int rc = mosquitto_loop(client_.get(), 0, 1); rc != MOSQ_ERR_SUCCESS) {
      connected_ = false;
      return Status(ErrorCode::kServiceUnavailable,
                    "connection to " + HostPort() + " lost: " + MosquittoError(rc));
    }
    for (size_t i = from; i < results.size(); ++i) {
      if (results[i].outcome == DeliveryOutcome::kRejected) continue;
      results[i] = {DeliveryOutcome::kRetry, "", std::nullopt};
      int mid = 0;
      publishing_ = &results[i];
      int rc = mosquitto_publish(client_.get(), &mid, topics[i].c_str(),
                                 static_cast<int>(payloads[i].size()), payloads[i].data(),
                                 endpoint_.qos, /*retain=*/false);
      publishing_ = nullptr;
      switch (rc) {
        case MOSQ_ERR_SUCCESS:
          // QoS 0 may have completed within mosquitto_publish already.
          if (results[i].outcome != DeliveryOutcome::kDelivered)
            in_flight_.emplace(mid, &results[i]);
          break;
        case MOSQ_ERR_NO_CONN:
        case MOSQ_ERR_CONN_LOST:
        case MOSQ_ERR_ERRNO:
          connected_ = false;
          return Status(ErrorCode::kServiceUnavailable,
                        "connection to " + HostPort() + " lost: " + MosquittoError(rc));
        default:
          results[i] = {DeliveryOutcome::kRejected,
                        "the MQTT client refused the message: " + MosquittoError(rc), std::nullopt};
      }
    }
    return LoopUntil([this] { return in_flight_.empty(); }, deadline,
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
    auto* sink = static_cast<MqttSink*>(self);
    if (auto it = sink->in_flight_.find(mid); it != sink->in_flight_.end()) {
      *it->second = {DeliveryOutcome::kDelivered, "", std::nullopt};
      sink->in_flight_.erase(it);
    } else if (sink->publishing_ != nullptr) {  // QoS 0, sent within mosquitto_publish
      *sink->publishing_ = {DeliveryOutcome::kDelivered, "", std::nullopt};
    }
  }

  const MqttEndpoint endpoint_;
  MosquittoPtr client_;
  bool connected_ = false;
  int connack_ = -1;  // the CONNACK code of the connection attempt in progress; -1: none yet
  // The messages of the batch being published that the broker has not acknowledged yet, by
  // message id, with the result each acknowledgement sets.
  std::unordered_map<int, DeliveryResult*> in_flight_;
  // The result of the message mosquitto_publish is sending, while it runs; otherwise null.
  DeliveryResult* publishing_ = nullptr;
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
