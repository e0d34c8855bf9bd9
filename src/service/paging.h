// Paging of every listing: opaque continuation tokens and page slicing. A token is the sort
// key of the last item returned, tagged with its listing, so resuming "after that key" in a
// sorted listing never skips or repeats an item that exists throughout, whatever is written
// in between. Stateless; thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "service/digital_twins_service.h"

namespace dtwin::service {

// A listing's sort key: one or more strings compared in order.
using PageKey = std::vector<std::string>;

// The token that resumes listing after key (URL-safe text).
std::string EncodeContinuation(std::string_view listing, const PageKey& key);

// The key in token; kBadRequest when token was not made by EncodeContinuation for this
// listing with a key of key_size strings.
Result<PageKey> DecodeContinuation(std::string_view listing, std::string_view token,
                                   size_t key_size);

// The client's max-items-per-page, or the default when 0, at most options.max_page_size.
size_t PageSizeOf(const PageRequest& request, const ServiceOptions& options);

// The page of sorted (ascending by key_of) that request asks for, each item converted by
// convert. key_of(item) returns a PageKey of key_size strings.
template <typename Out, typename Item, typename KeyOf, typename Convert>
Result<Page<Out>> PageOf(const std::vector<Item>& sorted, std::string_view listing, size_t key_size,
                         const PageRequest& request, const ServiceOptions& options, KeyOf key_of,
                         Convert convert) {
  auto begin = sorted.begin();
  if (!request.continuation.empty()) {
    Result<PageKey> after = DecodeContinuation(listing, request.continuation, key_size);
    if (!after.ok()) return std::move(after).status();
    begin =
        std::upper_bound(sorted.begin(), sorted.end(), *after,
                         [&](const PageKey& key, const Item& item) { return key < key_of(item); });
  }
  const size_t remaining = static_cast<size_t>(sorted.end() - begin);
  const size_t count = std::min(remaining, PageSizeOf(request, options));
  Page<Out> page;
  page.items.reserve(count);
  for (auto it = begin; it != begin + count; ++it) page.items.push_back(convert(*it));
  if (count < remaining)
    page.continuation = EncodeContinuation(listing, key_of(*(begin + count - 1)));
  return page;
}

}  // namespace dtwin::service
