// Paging options of the list commands (see paged_output.h).
#include "cli/paged_output.h"

#include <charconv>

namespace dtwin::cli {

std::vector<OptionSpec> WithPagingOptions(std::vector<OptionSpec> own) {
  own.push_back(ValueOption({"--max-items"}, "N",
                            "print one page of at most N items and the token to continue from"));
  own.push_back(ValueOption({"--continuation"}, "TOKEN",
                            "start from the page this token names (from an earlier --max-items)"));
  return own;
}

client::PageOptions PageOptionsFrom(const ParsedOptions& options) {
  client::PageOptions paging;
  if (std::optional<std::string> max_items = options.Get("--max-items")) {
    int value = 0;
    auto [end, ec] =
        std::from_chars(max_items->data(), max_items->data() + max_items->size(), value);
    if (ec != std::errc() || end != max_items->data() + max_items->size() || value < 1) {
      throw UsageError("--max-items: '" + *max_items + "' is not a positive number");
    }
    paging.max_items_per_page = value;
  }
  paging.continuation_token = options.Get("--continuation");
  return paging;
}

}  // namespace dtwin::cli
