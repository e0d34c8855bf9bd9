// The outcome an asynchronous call hands its callback: the value the synchronous form would
// return, or the exception it would throw (a DigitalTwinsError or one of its subclasses).
// Value types; safe to move between threads.
#pragma once

#include <exception>
#include <functional>
#include <utility>
#include <variant>

namespace dtwin::client {

template <typename T>
class AsyncResult {
 public:
  explicit AsyncResult(T value) : state_(std::move(value)) {}
  explicit AsyncResult(std::exception_ptr failure) : state_(std::move(failure)) {}

  bool ok() const { return state_.index() == 0; }
  // The value; rethrows the call's exception when it failed, so a callback can handle errors
  // with the same catch clauses as synchronous code.
  T& value() {
    if (!ok()) std::rethrow_exception(std::get<1>(state_));
    return std::get<0>(state_);
  }
  // The call's exception; null when it succeeded.
  std::exception_ptr failure() const { return ok() ? nullptr : std::get<1>(state_); }

 private:
  std::variant<T, std::exception_ptr> state_;
};

template <>
class AsyncResult<void> {
 public:
  AsyncResult() = default;
  explicit AsyncResult(std::exception_ptr failure) : failure_(std::move(failure)) {}

  bool ok() const { return failure_ == nullptr; }
  void value() const {
    if (failure_) std::rethrow_exception(failure_);
  }
  std::exception_ptr failure() const { return failure_; }

 private:
  std::exception_ptr failure_;
};

// Called once per asynchronous call, on the client's I/O thread (or on the calling thread
// when the call fails before it starts). It may start further asynchronous calls, but must not
// make synchronous ones (they throw kInvalidOperation: they would wait for that very thread)
// and should return quickly: every call of the client waits while it runs. An exception
// escaping it ends the process (as one escaping a std::thread does).
template <typename T>
using AsyncCallback = std::function<void(AsyncResult<T> result)>;

}  // namespace dtwin::client
