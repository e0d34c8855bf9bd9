// Tests for NewEtag: the W/"<uuid v4>" format and uniqueness, within and across threads.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "graph/twin_graph.h"

namespace dtwin::graph {
namespace {

constexpr int kDraws = 100000;

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// W/"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" with lowercase hex and y in 8, 9, a, b.
bool IsUuidV4Etag(const std::string& etag) {
  const std::string_view prefix = "W/\"";
  if (etag.size() != prefix.size() + 36 + 1 || !etag.starts_with(prefix) || etag.back() != '"') {
    return false;
  }
  const std::string_view uuid = std::string_view(etag).substr(prefix.size(), 36);
  for (size_t i = 0; i < uuid.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? uuid[i] != '-' : !IsLowerHex(uuid[i])) return false;
  }
  return uuid[14] == '4' && std::string_view("89ab").find(uuid[19]) != std::string_view::npos;
}

TEST(IsUuidV4EtagTest, RejectsNearMisses) {
  EXPECT_TRUE(IsUuidV4Etag("W/\"3b88855f-1ef5-4122-98ec-73051c9f9c5f\""));   // from a recording
  EXPECT_FALSE(IsUuidV4Etag("\"3b88855f-1ef5-4122-98ec-73051c9f9c5f\""));    // strong
  EXPECT_FALSE(IsUuidV4Etag("W/\"3B88855F-1EF5-4122-98EC-73051C9F9C5F\""));  // uppercase
  EXPECT_FALSE(IsUuidV4Etag("W/\"3b88855f-1ef5-1122-98ec-73051c9f9c5f\""));  // version 1
  EXPECT_FALSE(IsUuidV4Etag("W/\"3b88855f-1ef5-4122-c8ec-73051c9f9c5f\""));  // variant
  EXPECT_FALSE(IsUuidV4Etag("W/\"3b88855f1ef5-4122-98ec-73051c9f9c5f0\""));  // dash moved
  EXPECT_FALSE(IsUuidV4Etag("W/\"3b88855f-1ef5-4122-98ec-73051c9f9c5\""));   // short
}

TEST(NewEtagTest, EveryDrawIsAWeakUuidV4AndUnique) {
  std::unordered_set<std::string> seen;
  for (int i = 0; i < kDraws; ++i) {
    std::string etag = NewEtag();
    ASSERT_TRUE(IsUuidV4Etag(etag)) << etag;
    ASSERT_TRUE(seen.insert(std::move(etag)).second) << "duplicate after " << i << " draws";
  }
}

TEST(NewEtagTest, RandomDigitsTakeEveryValue) {
  // A stuck or truncated generator would leave some digit values unused in some positions.
  std::vector<std::unordered_set<char>> values(36);
  for (int i = 0; i < 2000; ++i) {
    const std::string etag = NewEtag();
    for (size_t j = 0; j < 36; ++j) values[j].insert(etag[3 + j]);
  }
  for (size_t j = 0; j < 36; ++j) {
    const bool dash = j == 8 || j == 13 || j == 18 || j == 23;
    const size_t expected = dash ? 1 : j == 14 ? 1 : j == 19 ? 4 : 16;
    EXPECT_EQ(values[j].size(), expected) << "position " << j;
  }
}

TEST(NewEtagTest, ThreadsDrawDifferentSequences) {
  // Each thread seeds its own generator; equal seeds would repeat the same etags.
  constexpr int kPerThread = 20000;
  std::vector<std::vector<std::string>> drawn(2);
  std::vector<std::thread> threads;
  for (auto& out : drawn) {
    threads.emplace_back([&out] {
      for (int i = 0; i < kPerThread; ++i) out.push_back(NewEtag());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::unordered_set<std::string> seen;
  for (const auto& out : drawn) seen.insert(out.begin(), out.end());
  EXPECT_EQ(seen.size(), 2u * kPerThread);
}

}  // namespace
}  // namespace dtwin::graph
