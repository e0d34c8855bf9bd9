// ScopedRequestTrace: one thread-local slot.
#include "service/request_trace.h"

namespace dtwin::service {

namespace {
thread_local std::optional<std::string_view> current_traceparent;
}  // namespace

ScopedRequestTrace::ScopedRequestTrace(std::optional<std::string_view> traceparent)
    : previous_(current_traceparent) {
  current_traceparent = traceparent;
}

ScopedRequestTrace::~ScopedRequestTrace() { current_traceparent = previous_; }

std::optional<std::string_view> CurrentRequestTraceparent() { return current_traceparent; }

}  // namespace dtwin::service
