// Per-call control: a deadline, and cancellation from another thread. Copies share one
// cancellation flag, so a caller can keep a copy and Cancel() while the call runs elsewhere.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace dtwin::client {

class CallContext {
 public:
  using Clock = std::chrono::steady_clock;

  CallContext() = default;

  // A context whose deadline is timeout from now.
  static CallContext WithTimeout(Clock::duration timeout) {
    CallContext context;
    context.deadline_ = Clock::now() + timeout;
    return context;
  }

  // The call fails with DigitalTwinsError(0, kTimeoutError) once the deadline passes, also
  // between retries.
  std::optional<Clock::time_point> deadline() const { return deadline_; }

  // Stops the call (and its retries); it fails with kCancelledError. A transfer in progress
  // stops within about 20 ms (the client's I/O thread looks at the flags of the calls in
  // flight that often); a wait between retries and a call not yet started as quickly.
  void Cancel() const { cancelled_->store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_->load(std::memory_order_relaxed); }

 private:
  std::optional<Clock::time_point> deadline_;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace dtwin::client
