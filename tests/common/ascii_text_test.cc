#include "common/ascii_text.h"

#include <gtest/gtest.h>

namespace dtwin {
namespace {

TEST(AsciiTextTest, TrimsSpacesTabsAndLineEndsOnBothSides) {
  EXPECT_EQ(TrimAsciiSpace(" \t value x\r\n"), "value x");
  EXPECT_EQ(TrimAsciiSpace("inner  space"), "inner  space");
  EXPECT_EQ(TrimAsciiSpace(" \t\r\n"), "");
  EXPECT_EQ(TrimAsciiSpace(""), "");
  EXPECT_EQ(TrimAsciiSpace("\vx\f"), "\vx\f");  // not HTTP white space
}

TEST(AsciiTextTest, LowersOnlyAsciiLetters) {
  EXPECT_EQ(LowerAscii("Content-TYPE: A/Z"), "content-type: a/z");
  EXPECT_EQ(LowerAscii("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // UTF-8 left alone
}

}  // namespace
}  // namespace dtwin
