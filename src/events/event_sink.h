// Where events go: one sink per configured endpoint (webhook, MQTT broker, NATS JetStream),
// chosen by the endpoint URL's scheme. A sink delivers events in the order it is given them
// (one, or a batch at once) and says of each whether it arrived, should be retried, or can never
// be delivered; the delivery engine (queues, retries, dead letters) sits above it.
// Implementations are used by one delivery thread at a time; a call may block up to the
// sink's timeout.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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
  // Delivers events in order, as many Deliver calls would, but may do it in one exchange with
  // the receiver (pipelined MQTT publishes, one HTTP request). results[i] is the outcome of
  // events[i]; fewer results than events means the rest were not attempted (the engine offers
  // them again). A non-empty batch gets at least one result. This default calls Deliver in
  // order and stops after the first result that is not kDelivered.
  virtual std::vector<DeliveryResult> DeliverBatch(std::span<const CloudEvent* const> events) {
    std::vector<DeliveryResult> results;
    for (const CloudEvent* event : events) {
      results.push_back(Deliver(*event));
      if (results.back().outcome != DeliveryOutcome::kDelivered) break;
    }
    return results;
  }
  // DeliverBatch where keys[i] is the ordering key of events[i] (its twin): only events of one
  // key must reach the receiver in the order given, so a sink may deliver events of different
  // keys at once. Results as DeliverBatch's. This default is DeliverBatch (all in order).
  virtual std::vector<DeliveryResult> DeliverKeyedBatch(std::span<const CloudEvent* const> events,
                                                        std::span<const std::string_view> keys) {
    (void)keys;
    return DeliverBatch(events);
  }
  // The endpoint URL with any secret (password, key) replaced by "***", for listings and logs.
  virtual std::string DisplayUrl() const = 0;
  // Whether a batch travels together: over one connection (MQTT, NATS) or in one request (a
  // webhook's batch mode), so a receiver that is down or slow holds back all of it,
  // whatever twins it carries. The engine then gives the endpoint fewer lanes
  // (DeliveryOptions): more would add wake-ups and connections, not isolation between twins.
  virtual bool DeliversBatchTogether() const { return false; }
};

}  // namespace dtwin::events
