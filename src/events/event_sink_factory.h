// Makes the sink for an endpoint URL, chosen by its scheme (http/https: webhook, mqtt/mqtts:
// MQTT, nats: NATS JetStream), and checks such a URL without making anything. Stateless;
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "events/event_sink.h"

namespace dtwin::events {

// "webhook", "mqtt" or "nats" for a URL whose scheme (any case) one of the sinks serves; empty
// otherwise. Also names a sink by its DisplayUrl, which keeps the scheme.
std::string_view EndpointKind(std::string_view url);

// The sink for url. kInvalidArgument for a scheme no sink serves (naming the ones that work) or
// a URL the sink refuses (naming the part at fault, never a secret). Connects to nothing: every
// sink connects on its first Deliver, so a receiver that is down only delays delivery.
Result<std::unique_ptr<EventSink>> MakeEventSink(const std::string& url);

// What MakeEventSink would answer for url, for configuration checks: the same code path (the
// sink is made and dropped), so the two cannot disagree; nothing is connected to.
Status CheckEndpointUrl(std::string_view url);

}  // namespace dtwin::events
