#include "common/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>
#include <vector>

namespace dtwin {
namespace {

TEST(UuidTest, IsAVersionFourUuidInLowerCase) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 100; ++i) {
    std::string uuid = NewUuid();
    EXPECT_TRUE(std::regex_match(uuid, shape)) << uuid;
  }
}

TEST(UuidTest, AppendKeepsWhatIsThere) {
  std::string text = "id:";
  AppendUuid(text);
  EXPECT_EQ(text.size(), 3u + 36u);
  EXPECT_EQ(text.substr(0, 3), "id:");
}

TEST(UuidTest, ThreadsDrawDifferentIds) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kPerThread; ++i) drawn[t].push_back(NewUuid());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& ids : drawn) unique.insert(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace dtwin
