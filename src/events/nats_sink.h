// NatsSink: delivers events to NATS JetStream (libnats), one js_Publish per event, kDelivered
// only once JetStream acknowledged storing it. Used by one delivery thread at a time.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "events/event_sink.h"

namespace dtwin::events {

// The sink for an endpoint URL of the form
//   nats://[user[:password]@]host[:port][/subject-template][?stream=NAME&create_stream=true&timeout_ms=N]
// (a user without a password is sent as a token). The default template is
// "dtwin.{type}.{subject}"; port 4222; timeout 5000 ms. Does not connect: the first Deliver
// does, so a broker that is down at startup only delays delivery. kInvalidArgument for a bad
// URL, with a message that never contains the password or token.
Result<std::unique_ptr<EventSink>> MakeNatsSink(const std::string& url);

}  // namespace dtwin::events
