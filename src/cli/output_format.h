// How remote commands print results on stdout: indented JSON (the default, for scripts and
// jq), or aligned text tables for people. Messages never go to stdout. Not thread-safe: one
// writer per command run.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dtwin::cli {

enum class OutputFormat { kJson, kTable };

// "json" or "table"; nullopt for anything else.
std::optional<OutputFormat> ParseOutputFormat(std::string_view text);

// JSON indented by two spaces, keys in the order they came, numbers in their shortest
// round-trip form (Boost.JSON alone would write 21.5 as 2.15E1).
std::string FormatJson(const boost::json::value& value);
// The same on one line, for table cells.
std::string FormatJsonCompact(const boost::json::value& value);

// A table column: its header and where its cell comes from in each row object.
struct Column {
  std::string header;
  std::vector<std::string> path;  // {"$metadata", "$model"}
};

// Rows as an aligned table: a header line, a dashes line, one line per row. Cells are
// strings as is, other scalars as JSON, objects and arrays as one-line JSON, missing values
// empty. Without columns they are derived from the rows: every top-level key in order of
// first appearance, except that a twin's $metadata becomes its "$model" column.
std::string FormatTable(const boost::json::array& rows, const std::vector<Column>& columns = {});

class OutputWriter {
 public:
  OutputWriter(OutputFormat format, std::ostream& out, std::ostream& err)
      : format_(format), out_(out), err_(err) {}

  // One resource: a JSON document, or a one-row table.
  void WriteItem(const boost::json::value& item, const std::vector<Column>& columns = {});
  // A whole list: a JSON array, or a table (nothing when empty).
  void WriteList(const boost::json::array& items, const std::vector<Column>& columns = {});
  // One page of a list (--max-items): JSON {"items": [...], "continuationToken": ...}; as a
  // table, the rows on stdout and the token to continue with on stderr.
  void WritePage(const boost::json::array& items, const std::optional<std::string>& token,
                 const std::vector<Column>& columns = {});

 private:
  OutputFormat format_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace dtwin::cli
