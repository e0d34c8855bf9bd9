// Lazy paging over the service's lists and query results: iterate items with range-for, or
// walk page by page (with each page's continuation token, to resume later). A page is fetched
// only when the iteration reaches it. Not thread-safe: one pager, one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dtwin::client {

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> continuation_token;  // nullopt on the last page
  std::optional<double> query_charge;              // queries only: the query-charge header
};

// Which page to start from, and how big pages should be (the service may send fewer).
struct PageOptions {
  std::optional<int> max_items_per_page;
  std::optional<std::string> continuation_token;
};

template <typename T>
class Pager {
 public:
  // Fetches the page that continuation_token names (nullopt: the first page).
  using FetchPage = std::function<Page<T>(const std::optional<std::string>& continuation_token)>;

  Pager(FetchPage fetch, std::optional<std::string> start_token = std::nullopt)
      : fetch_(std::move(fetch)), next_token_(std::move(start_token)) {}

  // The next page, or nullopt once the last one has been returned.
  std::optional<Page<T>> NextPage() {
    if (done_) return std::nullopt;
    Page<T> page = fetch_(next_token_);
    next_token_ = page.continuation_token;
    done_ = !next_token_.has_value();
    return page;
  }

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    Iterator() = default;  // end
    explicit Iterator(Pager* pager) : pager_(pager) { Advance(); }

    T& operator*() const { return pager_->current_.items[index_]; }
    T* operator->() const { return &pager_->current_.items[index_]; }
    Iterator& operator++() {
      ++index_;
      Advance();
      return *this;
    }
    void operator++(int) { ++*this; }  // makes this a std::input_iterator
    bool operator==(const Iterator& other) const { return pager_ == other.pager_; }

   private:
    // Moves to the next item, fetching pages (skipping empty ones) as needed.
    void Advance() {
      while (pager_ != nullptr && index_ >= pager_->current_.items.size()) {
        std::optional<Page<T>> page = pager_->NextPage();
        if (!page) {
          pager_ = nullptr;
          return;
        }
        pager_->current_ = std::move(*page);
        index_ = 0;
      }
    }

    Pager* pager_ = nullptr;
    size_t index_ = 0;
  };

  // Item iteration starts from where page iteration left off; iterate one way or the other.
  // Every page is fetched with the CallContext of the call that made the pager, so its
  // deadline bounds the whole iteration.
  Iterator begin() { return Iterator(this); }
  Iterator end() { return Iterator(); }

 private:
  FetchPage fetch_;
  std::optional<std::string> next_token_;
  bool done_ = false;
  Page<T> current_;
};

}  // namespace dtwin::client
