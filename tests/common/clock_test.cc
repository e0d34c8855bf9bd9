// ADT timestamp formatting (src/common/clock.h): 7 fractional digits, Z and +00:00 forms,
// and parsing back with offsets.
#include "common/clock.h"

#include <gtest/gtest.h>

namespace dtwin {
namespace {

using std::chrono::system_clock;

system_clock::time_point At(int64_t ticks_since_epoch) {
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(AdtTicks(ticks_since_epoch)));
}

TEST(ClockTest, FormatsSevenFractionalDigitsInUtc) {
  // 2023-05-18T23:08:19.7086397Z = 1684451299 s + 7086397 ticks.
  const system_clock::time_point time = At(1684451299LL * 10'000'000 + 7086397);
  EXPECT_EQ(FormatAdtTime(time), "2023-05-18T23:08:19.7086397Z");
  EXPECT_EQ(FormatAdtTimeWithOffset(time), "2023-05-18T23:08:19.7086397+00:00");
  EXPECT_EQ(FormatAdtTime(At(0)), "1970-01-01T00:00:00.0000000Z");
}

TEST(ClockTest, TruncatesBelowOneTick) {
  const system_clock::time_point time =
      At(10'000'000) +
      std::chrono::duration_cast<system_clock::duration>(std::chrono::nanoseconds(199));
  EXPECT_EQ(FormatAdtTime(time), "1970-01-01T00:00:01.0000001Z");
  EXPECT_EQ(TruncateToAdtTicks(time), At(10'000'001));
}

TEST(ClockTest, FormatsTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatAdtTime(At(-1)), "1969-12-31T23:59:59.9999999Z");
}

TEST(ClockTest, ParsesWhatItFormats) {
  const system_clock::time_point time = At(1684451299LL * 10'000'000 + 7086397);
  EXPECT_EQ(ParseAdtTime(FormatAdtTime(time)), time);
  EXPECT_EQ(ParseAdtTime(FormatAdtTimeWithOffset(time)), time);
}

TEST(ClockTest, ParsesOffsetsFractionsAndNoFraction) {
  EXPECT_EQ(ParseAdtTime("1970-01-01T01:30:00+01:30"), At(0));
  EXPECT_EQ(ParseAdtTime("1969-12-31T23:00:00-01:00"), At(0));
  EXPECT_EQ(ParseAdtTime("1970-01-01T00:00:00.5Z"), At(5'000'000));
  // Digits past the seventh are dropped.
  EXPECT_EQ(ParseAdtTime("1970-01-01T00:00:00.000000129Z"), At(1));
}

TEST(ClockTest, RejectsWhatIsNotAnRfc3339DateTime) {
  for (const char* text :
       {"", "2023-05-18", "2023-05-18T23:08:19", "2023-02-30T00:00:00Z", "2023-05-18T24:00:00Z",
        "2023-05-18T23:08:19.Z", "2023-05-18T23:08:19Zjunk", "2023-05-18 23:08:19Z",
        "2023-05-18T23:08:19+0100"}) {
    EXPECT_FALSE(ParseAdtTime(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace dtwin
