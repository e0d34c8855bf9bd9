// Tests for the corpus file parser: records, flags, rows and line numbers of a well-formed
// file, and a message naming the line for each kind of malformed file.
#include "corpus_file.h"

#include <gtest/gtest.h>

#include <string>

namespace dtwin::query::testing {
namespace {

TEST(CorpusFileTest, ReadsRecordsWithTheirLines) {
  Result<CorpusFile> file = ParseCorpusFile(
      "# a comment\n"
      "fixture building\n"
      "\n"
      "query ordered unanchored\n"
      "SELECT T.name FROM DIGITALTWINS T\n"
      "# a comment inside the text\n"
      "WHERE T.capacity > 2\n"
      "----\n"
      "{\"name\": \"Lobby\"}\n"
      "\"@twin:room-101\"\n"
      "\n"
      "query candidates\n"
      "SELECT TOP(1) FROM DIGITALTWINS\n"
      "----\n"
      "\n"
      "error SqlQueryError position 8: expected\n"
      "SELECT\n",
      "x.test");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->records.size(), 4u);

  const CorpusRecord& fixture = file->records[0];
  EXPECT_EQ(fixture.kind, CorpusRecordKind::kFixture);
  EXPECT_EQ(fixture.fixture, "building");
  EXPECT_EQ(fixture.line, 2u);

  const CorpusRecord& query = file->records[1];
  EXPECT_EQ(query.kind, CorpusRecordKind::kQuery);
  EXPECT_EQ(query.line, 4u);
  EXPECT_EQ(query.fixture, "building");
  EXPECT_EQ(query.text, "SELECT T.name FROM DIGITALTWINS T\nWHERE T.capacity > 2");
  EXPECT_TRUE(query.ordered);
  EXPECT_FALSE(query.candidates);
  EXPECT_TRUE(query.unanchored);
  ASSERT_EQ(query.rows.size(), 2u);
  EXPECT_EQ(query.rows[0].value.at("name").as_string(), "Lobby");
  EXPECT_EQ(query.rows[0].line, 9u);
  EXPECT_EQ(query.rows[1].value.as_string(), "@twin:room-101");

  const CorpusRecord& empty = file->records[2];
  EXPECT_TRUE(empty.candidates);
  EXPECT_TRUE(empty.rows.empty());

  const CorpusRecord& error = file->records[3];
  EXPECT_EQ(error.kind, CorpusRecordKind::kError);
  EXPECT_EQ(error.error_code, "SqlQueryError");
  EXPECT_EQ(error.error_substring, "position 8: expected");
  EXPECT_EQ(error.text, "SELECT");
  EXPECT_EQ(error.line, 16u);
}

TEST(CorpusFileTest, AnErrorRecordNeedsNoSubstring) {
  Result<CorpusFile> file = ParseCorpusFile("fixture f\n\nerror BadRequest\nSELECT\n", "x.test");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->records[1].error_code, "BadRequest");
  EXPECT_EQ(file->records[1].error_substring, "");
}

// The message of a file that must not parse ("" if it parses).
std::string ErrorOf(const std::string& text) {
  Result<CorpusFile> file = ParseCorpusFile(text, "bad.test");
  if (file.ok()) return "";
  EXPECT_EQ(file.status().code(), ErrorCode::kInvalidArgument);
  return file.status().message();
}

TEST(CorpusFileTest, MalformedFilesNameTheLine) {
  EXPECT_EQ(ErrorOf("query\nSELECT * FROM DIGITALTWINS\n----\n"),
            "bad.test:1: a query before any 'fixture NAME' line");
  EXPECT_EQ(ErrorOf("fixture f\n\nquery\nSELECT * FROM DIGITALTWINS\n\n----\n"),
            "bad.test:5: expected '----' after the query text (a blank line or the end of the "
            "file came first)");
  EXPECT_EQ(ErrorOf("fixture f\n\nquery\nSELECT * FROM DIGITALTWINS"),
            "bad.test:4: expected '----' after the query text (a blank line or the end of the "
            "file came first)");
  EXPECT_EQ(ErrorOf("fixture f\n\nquery sorted\nSELECT 1\n----\n"),
            "bad.test:3: unknown query option 'sorted' (expected ordered, candidates or "
            "unanchored)");
  EXPECT_EQ(ErrorOf("fixture f\n\nquery ordered ordered\nSELECT 1\n----\n"),
            "bad.test:3: option 'ordered' given twice");
  EXPECT_EQ(ErrorOf("fixture f\n\nquery ordered candidates\nSELECT 1\n----\n"),
            "bad.test:3: 'candidates' is for TOP without ORDER BY; it cannot be 'ordered'");
  EXPECT_EQ(ErrorOf("fixture f\n\nquery\n----\n"), "bad.test:3: the record has no query text");
  EXPECT_EQ(ErrorOf("fixture f\n\nerror SqlQueryError\nSELECT\n----\n"),
            "bad.test:5: an error record has no '----' and no rows");
  EXPECT_EQ(ErrorOf("fixture f\n\nerror\nSELECT\n"),
            "bad.test:3: expected 'error CODE [message substring]'");
  EXPECT_EQ(ErrorOf("fixture a b\n"),
            "bad.test:1: expected 'fixture NAME' (NAME of letters, digits, '_' or '-')");
  EXPECT_EQ(ErrorOf("fixture f\nquery\n"),
            "bad.test:2: expected a blank line after the fixture line");
  EXPECT_EQ(ErrorOf("fixture f\n\nSELECT * FROM DIGITALTWINS\n"),
            "bad.test:3: expected a record: 'fixture NAME', 'query [ordered] [candidates] "
            "[unanchored]' or 'error CODE [message substring]', found 'SELECT * FROM "
            "DIGITALTWINS'");
  const std::string bad_row = ErrorOf(
      "fixture f\n\nquery\nSELECT * FROM DIGITALTWINS\n----\n"
      "{\"a\": 1}\n{\"a\": }\n");
  EXPECT_EQ(bad_row.rfind("bad.test:7: an expected row must be one JSON value on one line: ", 0),
            0u)
      << bad_row;
}

}  // namespace
}  // namespace dtwin::query::testing
