// Per-client request rate limit (`--rate-limit N`): one token bucket per key (client id, else
// remote address), N tokens a second with a burst of N. Thread-safe: buckets guarded by mu_.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dtwin::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate_per_second > 0. max_keys bounds the memory a flood of distinct keys can take: when
  // reached, buckets that have refilled completely (they carry no state) are dropped first.
  explicit RateLimiter(double rate_per_second, size_t max_keys = 100000);

  // Takes one token from key's bucket: zero when the request may pass, else how long until a
  // token is there (the Retry-After).
  Clock::duration Acquire(std::string_view key, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };

  void Refill(Bucket& bucket, Clock::time_point now) const;
  void DropFullBuckets(Clock::time_point now);

  const double rate_;   // tokens per second; immutable
  const double burst_;  // bucket capacity; immutable
  const size_t max_keys_;

  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace dtwin::server
