// RateLimiter on a clock the test moves: the burst, the refill rate, the Retry-After wait,
// one bucket per key, and the bounded key count.
#include "server/rate_limiter.h"

#include <gtest/gtest.h>

namespace dtwin::server {
namespace {

using std::chrono::milliseconds;
using Clock = RateLimiter::Clock;

const Clock::time_point kStart{std::chrono::hours(1)};

TEST(RateLimiterTest, BurstThenRefillAtTheRate) {
  RateLimiter limiter(2.0);  // 2 per second, burst 2
  EXPECT_EQ(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_EQ(limiter.Acquire("a", kStart), Clock::duration::zero());
  Clock::duration wait = limiter.Acquire("a", kStart);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(wait), milliseconds(500));
  // Half a second later one token is back, and only one.
  EXPECT_EQ(limiter.Acquire("a", kStart + milliseconds(500)), Clock::duration::zero());
  EXPECT_GT(limiter.Acquire("a", kStart + milliseconds(500)), Clock::duration::zero());
}

TEST(RateLimiterTest, RefusedRequestsTakeNoToken) {
  RateLimiter limiter(1.0);
  EXPECT_EQ(limiter.Acquire("a", kStart), Clock::duration::zero());
  for (int i = 0; i < 5; ++i) EXPECT_GT(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_EQ(limiter.Acquire("a", kStart + std::chrono::seconds(1)), Clock::duration::zero());
}

TEST(RateLimiterTest, KeysHaveTheirOwnBuckets) {
  RateLimiter limiter(1.0);
  EXPECT_EQ(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_GT(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_EQ(limiter.Acquire("b", kStart), Clock::duration::zero());
}

TEST(RateLimiterTest, FractionalRateHasABurstOfOne) {
  RateLimiter limiter(0.1);  // one per 10 s
  EXPECT_EQ(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(limiter.Acquire("a", kStart)),
            std::chrono::seconds(10));
}

TEST(RateLimiterTest, FullKeyTableForgetsOnlyIdleBuckets) {
  RateLimiter limiter(1.0, 2);
  EXPECT_EQ(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_EQ(limiter.Acquire("b", kStart), Clock::duration::zero());
  // Both buckets are empty (active): a third key must not reset them.
  EXPECT_EQ(limiter.Acquire("c", kStart), Clock::duration::zero());
  EXPECT_GT(limiter.Acquire("a", kStart), Clock::duration::zero());
  EXPECT_GT(limiter.Acquire("b", kStart), Clock::duration::zero());
}

}  // namespace
}  // namespace dtwin::server
