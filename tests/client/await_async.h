// Waits for an asynchronous DigitalTwinsClient call in a test: `start` gets the callback to
// pass to the ...Async method; the result it receives is returned.
#pragma once

#include <future>
#include <utility>

#include "dtwin/client/async_result.h"

namespace dtwin::client::testing {

template <typename T, typename Start>
AsyncResult<T> AwaitAsync(Start&& start) {
  std::promise<AsyncResult<T>> finished;
  std::future<AsyncResult<T>> result = finished.get_future();
  start([&finished](AsyncResult<T> outcome) { finished.set_value(std::move(outcome)); });
  return result.get();
}

}  // namespace dtwin::client::testing
