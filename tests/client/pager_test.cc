// Pager<T> over a scripted fetch function: pages are fetched lazily (counted), range-for
// crosses pages (empty ones too), NextPage walks page by page, a pager resumes from a token,
// and a failed fetch can be retried.
#include "dtwin/client/pager.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace dtwin::client {
namespace {

// Pages keyed by the token that fetches them ("" = the first page); records each fetch.
class ScriptedPages {
 public:
  explicit ScriptedPages(std::map<std::string, Page<int>> pages) : pages_(std::move(pages)) {}

  Pager<int> MakePager(std::optional<std::string> start = std::nullopt) {
    return Pager<int>(
        [this](const std::optional<std::string>& token) {
          requested_.push_back(token.value_or(""));
          if (fail_next_) {
            fail_next_ = false;
            throw std::runtime_error("fetch failed");
          }
          return pages_.at(token.value_or(""));
        },
        std::move(start));
  }

  const std::vector<std::string>& requested() const { return requested_; }
  void FailNext() { fail_next_ = true; }

 private:
  std::map<std::string, Page<int>> pages_;
  std::vector<std::string> requested_;
  bool fail_next_ = false;
};

ScriptedPages ThreePages() {
  return ScriptedPages({
      {"", Page<int>{{1, 2}, "t1", 1.5}},
      {"t1", Page<int>{{}, "t2", 0.5}},  // services may send an empty page mid-way
      {"t2", Page<int>{{3}, std::nullopt, 2.0}},
  });
}

// So std::ranges algorithms and views work over a pager.
static_assert(std::input_iterator<Pager<int>::Iterator>);

TEST(PagerTest, FetchesNothingUntilIterated) {
  ScriptedPages pages = ThreePages();
  Pager<int> pager = pages.MakePager();
  EXPECT_TRUE(pages.requested().empty());
}

TEST(PagerTest, FetchesTheNextPageOnlyWhenTheIterationReachesIt) {
  ScriptedPages pages = ThreePages();
  Pager<int> pager = pages.MakePager();
  auto it = pager.begin();
  EXPECT_EQ(pages.requested(), std::vector<std::string>{""});
  EXPECT_EQ(*it, 1);
  ++it;
  EXPECT_EQ(*it, 2);
  EXPECT_EQ(pages.requested().size(), 1u) << "the second item is on the first page";
  ++it;  // crosses the empty page to the third
  EXPECT_EQ(*it, 3);
  EXPECT_EQ(pages.requested(), (std::vector<std::string>{"", "t1", "t2"}));
  ++it;
  EXPECT_TRUE(it == pager.end());
  EXPECT_EQ(pages.requested().size(), 3u) << "no fetch after the last page";
}

TEST(PagerTest, RangeForVisitsEveryItemInOrder) {
  ScriptedPages pages = ThreePages();
  std::vector<int> seen;
  for (int item : pages.MakePager()) seen.push_back(item);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(pages.requested().size(), 3u);
}

TEST(PagerTest, BreakingOutOfARangeForLeavesLaterPagesUnfetched) {
  ScriptedPages pages = ThreePages();
  for (int item : pages.MakePager()) {
    if (item == 2) break;
  }
  EXPECT_EQ(pages.requested(), std::vector<std::string>{""});
}

TEST(PagerTest, NextPageWalksPagesWithTheirTokensAndCharges) {
  ScriptedPages pages = ThreePages();
  Pager<int> pager = pages.MakePager();
  std::optional<Page<int>> first = pager.NextPage();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->items, (std::vector<int>{1, 2}));
  EXPECT_EQ(first->continuation_token, "t1");
  EXPECT_EQ(first->query_charge, 1.5);
  std::optional<Page<int>> second = pager.NextPage();
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->items.empty());
  std::optional<Page<int>> third = pager.NextPage();
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->continuation_token, std::nullopt);
  EXPECT_EQ(pager.NextPage(), std::nullopt);
  EXPECT_EQ(pager.NextPage(), std::nullopt);
  EXPECT_EQ(pages.requested().size(), 3u);
}

TEST(PagerTest, ItemIterationContinuesWherePagingLeftOff) {
  ScriptedPages pages = ThreePages();
  Pager<int> pager = pages.MakePager();
  ASSERT_TRUE(pager.NextPage().has_value());
  std::vector<int> rest;
  for (int item : pager) rest.push_back(item);
  EXPECT_EQ(rest, std::vector<int>{3});
}

TEST(PagerTest, ResumesFromAContinuationToken) {
  ScriptedPages pages = ThreePages();
  std::vector<int> seen;
  for (int item : pages.MakePager("t1")) seen.push_back(item);
  EXPECT_EQ(seen, std::vector<int>{3});
  EXPECT_EQ(pages.requested(), (std::vector<std::string>{"t1", "t2"}));
}

TEST(PagerTest, AFailedFetchCanBeRetriedWithTheSameToken) {
  ScriptedPages pages = ThreePages();
  Pager<int> pager = pages.MakePager();
  ASSERT_TRUE(pager.NextPage().has_value());
  pages.FailNext();
  EXPECT_THROW(pager.NextPage(), std::runtime_error);
  std::optional<Page<int>> retried = pager.NextPage();
  ASSERT_TRUE(retried.has_value());
  EXPECT_EQ(retried->continuation_token, "t2");
  EXPECT_EQ(pages.requested(), (std::vector<std::string>{"", "t1", "t1"}));
}

TEST(PagerTest, AnEmptyListHasNoItems) {
  ScriptedPages pages({{"", Page<int>{}}});
  Pager<int> pager = pages.MakePager();
  EXPECT_TRUE(pager.begin() == pager.end());
  EXPECT_EQ(pages.requested().size(), 1u);
}

}  // namespace
}  // namespace dtwin::client
