// Tests of the retry delays: exponential growth from the initial delay, the cap, the jitter's
// range, and no overflow after very many retries.
#include "events/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace dtwin::events {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DoublesFromTheInitialDelayWithinTheUpperHalf) {
  Backoff backoff(milliseconds(100), milliseconds(30000), 42);
  for (uint32_t retry = 1; retry <= 8; ++retry) {
    const int64_t nominal = 100LL << (retry - 1);
    for (int sample = 0; sample < 50; ++sample) {
      int64_t delay = backoff.Delay(retry).count();
      EXPECT_GE(delay, nominal / 2) << "retry " << retry;
      EXPECT_LE(delay, nominal) << "retry " << retry;
    }
  }
}

TEST(BackoffTest, StaysWithinTheMaximumAfterManyRetries) {
  Backoff backoff(milliseconds(100), milliseconds(30000), 7);
  for (uint32_t retry : {10u, 64u, 1000u, 4000000000u}) {
    int64_t delay = backoff.Delay(retry).count();
    EXPECT_GE(delay, 15000) << "retry " << retry;
    EXPECT_LE(delay, 30000) << "retry " << retry;
  }
}

TEST(BackoffTest, JittersSoThatLanesSpreadOut) {
  Backoff backoff(milliseconds(1000), milliseconds(1000), 1);
  std::set<int64_t> delays;
  for (int sample = 0; sample < 20; ++sample) delays.insert(backoff.Delay(1).count());
  EXPECT_GT(delays.size(), 1u);
}

TEST(BackoffTest, ZeroInitialDelayMeansNoWait) {
  Backoff backoff(milliseconds(0), milliseconds(0), 3);
  EXPECT_EQ(backoff.Delay(1), milliseconds(0));
  EXPECT_EQ(backoff.Delay(5), milliseconds(0));
}

}  // namespace
}  // namespace dtwin::events
