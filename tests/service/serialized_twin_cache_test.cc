#include "service/serialized_twin_cache.h"

#include <gtest/gtest.h>

namespace dtwin::service {
namespace {

std::shared_ptr<const std::string> Json(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(SerializedTwinCacheTest, HitsOnlyForTheEtagItWasMadeFrom) {
  SerializedTwinCache cache(1024);
  cache.Insert("t1", "W/\"a\"", Json(R"({"v":1})"));
  ASSERT_NE(cache.Find("t1", "W/\"a\""), nullptr);
  EXPECT_EQ(*cache.Find("t1", "W/\"a\""), R"({"v":1})");
  EXPECT_EQ(cache.Find("t1", "W/\"b\""), nullptr);  // the twin was written since
  EXPECT_EQ(cache.Find("t2", "W/\"a\""), nullptr);
  cache.Insert("t1", "W/\"b\"", Json(R"({"v":2})"));
  EXPECT_EQ(cache.Find("t1", "W/\"a\""), nullptr);
  EXPECT_EQ(*cache.Find("t1", "W/\"b\""), R"({"v":2})");
}

TEST(SerializedTwinCacheTest, StaysWithinItsBudget) {
  SerializedTwinCache cache(100);
  cache.Insert("big", "e", Json(std::string(200, 'x')));  // larger than the budget: not kept
  EXPECT_EQ(cache.Find("big", "e"), nullptr);
  cache.Insert("a", "e", Json(std::string(60, 'x')));
  cache.Insert("b", "e", Json(std::string(60, 'x')));  // over budget: the cache starts over
  EXPECT_EQ(cache.Find("a", "e"), nullptr);
  EXPECT_NE(cache.Find("b", "e"), nullptr);
}

TEST(SerializedTwinCacheTest, ZeroBudgetKeepsNothing) {
  SerializedTwinCache cache(0);
  cache.Insert("a", "e", Json("{}"));
  EXPECT_EQ(cache.Find("a", "e"), nullptr);
}

}  // namespace
}  // namespace dtwin::service
