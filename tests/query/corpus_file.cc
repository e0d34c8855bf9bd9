// Corpus file parser: see corpus_file.h. A record is a header line, then its lines up to a
// blank line; '#' lines are comments wherever they appear.
#include "corpus_file.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/json_reader.h"

namespace dtwin::query::testing {
namespace {

constexpr std::string_view kRowsSeparator = "----";

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool IsComment(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '#';
}

// The words of a header line, split at spaces and tabs.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (true) {
    pos = line.find_first_not_of(" \t", pos);
    if (pos == std::string_view::npos) return words;
    const size_t end = std::min(line.find_first_of(" \t", pos), line.size());
    words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
}

bool IsFixtureName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

// One pass over the lines of a file. Not thread-safe; lives for one ParseCorpusFile call.
class CorpusParser {
 public:
  CorpusParser(std::string_view text, std::string_view path) : path_(path) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(line);
      start = end + 1;
    }
  }

  Result<CorpusFile> Parse() {
    CorpusFile file;
    file.path = path_;
    while (SkipToContent()) {
      Result<CorpusRecord> record = ParseRecord();
      if (!record.ok()) return std::move(record).status();
      if (record->kind == CorpusRecordKind::kFixture) fixture_ = record->fixture;
      file.records.push_back(std::move(record).value());
    }
    return file;
  }

 private:
  Status Error(size_t index, std::string_view what) const {
    return Status(ErrorCode::kInvalidArgument,
                  path_ + ":" + std::to_string(index + 1) + ": " + std::string(what));
  }

  // Moves past blank and comment lines; false at the end of the file.
  bool SkipToContent() {
    while (next_ < lines_.size() && (IsBlank(lines_[next_]) || IsComment(lines_[next_]))) ++next_;
    return next_ < lines_.size();
  }

  // Whether the record's body goes on (the next line is neither blank nor past the end);
  // moves past comment lines.
  bool BodyContinues() {
    while (next_ < lines_.size() && IsComment(lines_[next_])) ++next_;
    return next_ < lines_.size() && !IsBlank(lines_[next_]);
  }

  Result<CorpusRecord> ParseRecord() {
    const size_t header = next_++;
    const std::vector<std::string_view> words = Words(lines_[header]);
    CorpusRecord record;
    record.line = header + 1;
    record.fixture = fixture_;
    if (words[0] == "fixture") {
      if (words.size() != 2 || !IsFixtureName(words[1])) {
        return Error(header, "expected 'fixture NAME' (NAME of letters, digits, '_' or '-')");
      }
      record.kind = CorpusRecordKind::kFixture;
      record.fixture = std::string(words[1]);
      if (BodyContinues()) return Error(next_, "expected a blank line after the fixture line");
      return record;
    }
    if (words[0] != "query" && words[0] != "error") {
      return Error(header,
                   "expected a record: 'fixture NAME', 'query [ordered] [candidates] "
                   "[unanchored]' or 'error CODE [message substring]', found '" +
                       std::string(lines_[header]) + "'");
    }
    if (fixture_.empty()) return Error(header, "a query before any 'fixture NAME' line");
    if (words[0] == "error") {
      if (words.size() < 2) return Error(header, "expected 'error CODE [message substring]'");
      record.kind = CorpusRecordKind::kError;
      record.error_code = std::string(words[1]);
      const std::string_view line = lines_[header];
      const size_t code_end = static_cast<size_t>(words[1].data() - line.data()) + words[1].size();
      const size_t substring = line.find_first_not_of(" \t", code_end);
      if (substring != std::string_view::npos) {
        record.error_substring = std::string(line.substr(substring));
      }
    } else {
      record.kind = CorpusRecordKind::kQuery;
      for (size_t i = 1; i < words.size(); ++i) {
        bool* flag = words[i] == "ordered"      ? &record.ordered
                     : words[i] == "candidates" ? &record.candidates
                     : words[i] == "unanchored" ? &record.unanchored
                                                : nullptr;
        if (flag == nullptr) {
          return Error(header, "unknown query option '" + std::string(words[i]) +
                                   "' (expected ordered, candidates or unanchored)");
        }
        if (*flag) return Error(header, "option '" + std::string(words[i]) + "' given twice");
        *flag = true;
      }
      if (record.ordered && record.candidates) {
        return Error(header, "'candidates' is for TOP without ORDER BY; it cannot be 'ordered'");
      }
    }
    if (Status status = ParseText(header, record); !status.ok()) return status;
    if (record.kind == CorpusRecordKind::kQuery) return ParseRows(std::move(record));
    return record;
  }

  // The query text: up to "----" for a query, up to a blank line for an error.
  Status ParseText(size_t header, CorpusRecord& record) {
    std::vector<std::string_view> text;
    while (BodyContinues() && lines_[next_] != kRowsSeparator) text.push_back(lines_[next_++]);
    if (text.empty()) return Error(header, "the record has no query text");
    for (size_t i = 0; i < text.size(); ++i) {
      if (i > 0) record.text += '\n';
      record.text += text[i];
    }
    const bool at_separator = next_ < lines_.size() && lines_[next_] == kRowsSeparator;
    if (record.kind == CorpusRecordKind::kError && at_separator) {
      return Error(next_, "an error record has no '----' and no rows");
    }
    if (record.kind == CorpusRecordKind::kQuery && !at_separator) {
      return Error(next_ < lines_.size() ? next_ : lines_.size() - 1,
                   "expected '----' after the query text (a blank line or the end of the "
                   "file came first)");
    }
    return Status::Ok();
  }

  // After "----": one JSON value per line up to a blank line.
  Result<CorpusRecord> ParseRows(CorpusRecord record) {
    ++next_;  // "----"
    while (BodyContinues()) {
      const size_t index = next_++;
      JsonSyntaxError syntax_error;
      Result<boost::json::value> value = ReadJson(lines_[index], {}, nullptr, &syntax_error);
      if (!value.ok()) {
        return Error(index,
                     "an expected row must be one JSON value on one line: " + syntax_error.message +
                         " at column " + std::to_string(syntax_error.position.column));
      }
      record.rows.push_back({std::move(value).value(), index + 1});
    }
    return record;
  }

  const std::string path_;
  std::vector<std::string_view> lines_;
  size_t next_ = 0;
  std::string fixture_;  // the last fixture declared
};

}  // namespace

Result<CorpusFile> ParseCorpusFile(std::string_view text, std::string_view path) {
  return CorpusParser(text, path).Parse();
}

Result<CorpusFile> ReadCorpusFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, path + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseCorpusFile(text.str(), path);
}

}  // namespace dtwin::query::testing
