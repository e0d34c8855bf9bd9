// Printing what a list or query returns: every page by default, or one page with
// --max-items (and resuming with --continuation). Shared by every list command. Stateless.
#pragma once

#include <boost/json/array.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "cli/output_format.h"
#include "dtwin/client/pager.h"

namespace dtwin::cli {

// own options followed by --max-items and --continuation.
std::vector<OptionSpec> WithPagingOptions(std::vector<OptionSpec> own);

// The page size and start token those options ask for. Throws UsageError.
client::PageOptions PageOptionsFrom(const ParsedOptions& options);

struct PagedResult {
  int pages = 0;
  std::optional<double> query_charge;  // the sum over the pages that carried one
};

// Reads pager and prints its items through to_json, which returns the item as JSON, or
// nullopt to leave it out (a filter the service does not offer). With --max-items only the
// first page is read and printed together with its continuation token.
template <typename T, typename ToJson>
PagedResult WritePagedItems(client::Pager<T>& pager, ToJson to_json, CommandContext& context,
                            const std::vector<Column>& columns = {}) {
  bool one_page = context.options.Has("--max-items");
  boost::json::array items;
  PagedResult result;
  std::optional<std::string> token;
  while (std::optional<client::Page<T>> page = pager.NextPage()) {
    ++result.pages;
    if (page->query_charge)
      result.query_charge = result.query_charge.value_or(0) + *page->query_charge;
    for (T& item : page->items) {
      if (std::optional<boost::json::value> row = to_json(item)) items.push_back(std::move(*row));
    }
    token = page->continuation_token;
    if (one_page) break;
  }
  if (one_page) {
    context.output.WritePage(items, token, columns);
  } else {
    context.output.WriteList(items, columns);
  }
  return result;
}

}  // namespace dtwin::cli
