// Where events go: one sink per configured endpoint (webhook, MQTT broker, NATS JetStream),
// chosen by the endpoint URL's scheme. A sink delivers one event at a time, in the order it is
// given, and says whether it arrived, should be retried, or can never be delivered; the
// delivery engine (queues, retries, dead letters) sits above it. Implementations are used by
// one delivery thread at a time; Deliver may block up to the sink's timeout.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"

namespace dtwin::events {

// A CloudEvents 1.0 event as ADT emits it (reference/adt-api.md section 8.2).
struct CloudEvent {
  std::string id;
  std::string source;   // the instance host name, e.g. "mydt.api.wcus.digitaltwins.azure.net"
  std::string type;     // "Microsoft.DigitalTwins.Twin.Update", "microsoft.iot.telemetry", ...
  std::string subject;  // twin id, "twin/relationships/rel", or "twin/components/c"
  std::string time;     // RFC 3339
  std::string data_content_type = "application/json";
  std::string data_schema;  // telemetry: the model (dataschema); empty otherwise
  std::string traceparent;  // W3C, propagated from the request or newly started
  std::string data;         // the payload, JSON text
};

enum class DeliveryOutcome {
  kDelivered,  // the sink acknowledged it (HTTP 2xx, MQTT PUBACK, JetStream ack)
  kRetry,      // a transient failure: try again later (retry_after, when the sink said)
  kRejected,   // can never be delivered as is (e.g. HTTP 400): dead-letter it
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string reason;  // for kRetry / kRejected: what happened, for logs and dead letters
  std::optional<std::chrono::milliseconds> retry_after;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual DeliveryResult Deliver(const CloudEvent& event) = 0;
  // The endpoint URL with any secret (password, key) replaced by "***", for listings and logs.
  virtual std::string DisplayUrl() const = 0;
};

}  // namespace dtwin::events
