// Retry delays for one delivery lane: exponential backoff with jitter. Not thread-safe (it
// holds a random engine): each lane has its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace dtwin::events {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, uint64_t seed);

  // The wait before retry number `retry` (1 for the first): initial * 2^(retry-1), at most max,
  // then a random point in the upper half of that ("equal jitter"): lanes that failed together
  // in one outage spread their retries, yet none retries sooner than half the nominal delay.
  std::chrono::milliseconds Delay(uint32_t retry);

 private:
  const std::chrono::milliseconds initial_;  // immutable after construction
  const std::chrono::milliseconds max_;      // immutable after construction
  std::mt19937_64 random_;
};

}  // namespace dtwin::events
