// The HTTP(S) webhook sink: POSTs each event to a URL as a CloudEvent (structured or binary
// mode) or as an Event Grid event, or each batch as a CloudEvents batch, over kept-alive
// connections; events of different twins may be in flight at once (DeliverKeyedBatch). Not
// thread-safe: one delivery thread uses a sink at a time, as EventSink requires.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "events/event_sink.h"

namespace dtwin::events {

// Query parameters with this prefix configure the sink and are not sent to the receiver.
inline constexpr std::string_view kWebhookOptionPrefix = "dtwin-";

// The sink for `http(s)://[user:password@]host[:port]/path[?query]`, configured by these query
// parameters (docs/events.md, "Webhook endpoints"):
//   dtwin-mode=structured|binary|eventgrid|batch  the body and headers (default structured);
//                                           batch: one POST of many events (a JSON array)
//   dtwin-header=Name:Value                 an extra request header, repeatable (e.g. an API key)
//   dtwin-ca=/path/ca.pem                   trust this CA for https (instead of the system's)
//   dtwin-timeout-ms=N                      per request, connecting included (default 10000)
//   dtwin-handshake=true|false              the CloudEvents webhook validation (default true)
// kInvalidArgument, naming the part at fault but never a secret, when the URL is not valid.
Result<std::unique_ptr<EventSink>> MakeWebhookSink(const std::string& url);

}  // namespace dtwin::events
