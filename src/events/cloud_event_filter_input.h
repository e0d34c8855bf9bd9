// How a route filter sees a CloudEvent: the FilterInput view of its attributes and data that
// RouteFilter::Matches evaluates. Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include "events/event_sink.h"
#include "events/route_filter.h"

namespace dtwin::events {

// The view of event for route filters: type, source, id, specversion ("1.0") and
// datacontenttype always; subject, time, dataschema and traceparent only when the event carries
// them (an empty attribute is absent, so `subject = ''` is false for twin telemetry, as for
// any missing attribute); $body reads data, which is event.data parsed (once per event by the
// caller, then shared by every route's filter), or nullptr when the event has no data.
// Non-owning: event and data must outlive the returned view.
FilterInput CloudEventFilterInput(const CloudEvent& event, const boost::json::value* data);

}  // namespace dtwin::events
