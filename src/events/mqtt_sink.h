// The MQTT sink (mqtt:// and mqtts:// endpoints): publishes each event as CloudEvents
// structured JSON to a topic made from a template, over one reused libmosquitto connection,
// and waits for the broker's PUBACK (for a batch: publishes all, then awaits all PUBACKs).
// Like every EventSink, used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "events/event_sink.h"

namespace dtwin::events {

// url: mqtt[s]://[user[:password]@]host[:port][/topic-template][?qos=0|1&timeout_ms=N&ca=PATH]
// Topic template placeholders: {type} {subject} {source} {id}; default "dtwin/{type}/{subject}".
// Port defaults to 1883 (mqtt) / 8883 (mqtts); qos to 1; timeout_ms (the bound on one Deliver
// or DeliverBatch: connect, publish and acknowledgements) to 10000; ca (mqtts only) to the
// system's CA store. User, password, path and query values may be percent-encoded. Fails with
// kInvalidArgument naming what is wrong (never echoing the password). Connects lazily, on the
// first delivery.
Result<std::unique_ptr<EventSink>> MakeMqttSink(const std::string& url);

}  // namespace dtwin::events
