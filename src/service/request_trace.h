// The W3C traceparent of the request a thread is serving, so that the notifications of the
// write it makes continue the caller's trace. Kept per thread, as OpenTelemetry keeps its
// context: the server sets it around a handler, and the service reads it while it prepares
// the write on that same thread. Thread-safe (thread-local state only).
#pragma once

#include <optional>
#include <string_view>

namespace dtwin::service {

// Sets this thread's request traceparent for its lifetime (restoring the previous one).
// traceparent must outlive the scope.
class ScopedRequestTrace {
 public:
  explicit ScopedRequestTrace(std::optional<std::string_view> traceparent);
  ~ScopedRequestTrace();
  ScopedRequestTrace(const ScopedRequestTrace&) = delete;
  ScopedRequestTrace& operator=(const ScopedRequestTrace&) = delete;

 private:
  std::optional<std::string_view> previous_;
};

// The traceparent header of the request this thread is serving, if it sent one.
std::optional<std::string_view> CurrentRequestTraceparent();

}  // namespace dtwin::service
