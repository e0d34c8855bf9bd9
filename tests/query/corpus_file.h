// Reads the query corpus format (tests/query/corpus/*.test; described in tests/query/README.md)
// into records with their line numbers. Stateless functions over value types; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dtwin::query::testing {

enum class CorpusRecordKind {
  kFixture,  // fixture NAME: load fixtures/NAME.json into a fresh instance
  kQuery,    // query [ordered] [candidates] [unanchored], text, ----, expected rows
  kError,    // error CODE [message substring], text
};

struct CorpusRow {
  boost::json::value value;  // as written: "@twin:ID" and friends not yet substituted
  size_t line = 0;
};

struct CorpusRecord {
  CorpusRecordKind kind = CorpusRecordKind::kQuery;
  size_t line = 0;  // of the record's first line (fixture / query / error)
  // kFixture: the fixture's name. kQuery/kError: the fixture in force (the last one declared).
  std::string fixture;
  // kQuery/kError: the query text, its lines joined with '\n'.
  std::string text;
  // kQuery: the flags of its header line.
  bool ordered = false;     // expected rows are a sequence, not a multiset
  bool candidates = false;  // TOP(n) without ORDER BY: rows are every row the query matches
  bool unanchored = false;  // run with QueryOptions::allow_unanchored_traversals
  std::vector<CorpusRow> rows;
  // kError: the ADT error code name and the substring its message must contain (may be empty).
  std::string error_code;
  std::string error_substring;
};

struct CorpusFile {
  std::string path;  // for messages
  std::vector<CorpusRecord> records;
};

// Parses the text of a corpus file; path only names it in errors. A malformed file gives
// kInvalidArgument "PATH:LINE: what is wrong".
Result<CorpusFile> ParseCorpusFile(std::string_view text, std::string_view path);

// Reads and parses the file at path.
Result<CorpusFile> ReadCorpusFile(const std::string& path);

}  // namespace dtwin::query::testing
