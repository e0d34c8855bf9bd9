// The data-driven route filter corpus: one test per tests/events/filter_corpus/*.test file
// (format in filter_corpus/README.md). Every filter of a file is evaluated against every event
// of that file and must match exactly the events it lists; every error record must be refused
// with its code and a message containing its fragment. Failures name file:line. Single-threaded.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/cloud_event_filter_input.h"
#include "events/cloud_event_json.h"
#include "events/notification_builder.h"
#include "events/route_filter.h"
#include "regression_files.h"

namespace dtwin::events {
namespace {

namespace json = boost::json;

const std::filesystem::path kCorpusDir = DTWIN_FILTER_CORPUS_DIR;
constexpr std::string_view kExpectedSeparator = "----";
constexpr std::string_view kRepeatOpen = "{{repeat ";
constexpr std::string_view kRepeatClose = "}}";
// Filters shown in failures are cut here (the limit cases are 2,000 characters long).
constexpr size_t kMaxShownFilter = 300;

// The attributes an `input` record may give, and where they go in the view.
const std::pair<std::string_view, std::optional<std::string_view> FilterInput::*> kAttributes[] = {
    {"type", &FilterInput::type},
    {"source", &FilterInput::source},
    {"id", &FilterInput::id},
    {"subject", &FilterInput::subject},
    {"specversion", &FilterInput::specversion},
    {"dataschema", &FilterInput::dataschema},
    {"datacontenttype", &FilterInput::datacontenttype},
    {"time", &FilterInput::time},
    {"traceparent", &FilterInput::traceparent},
};

// One named event of a file.
struct CorpusEvent {
  std::string name;
  // `event`: a CloudEvent as dtwin emits it, seen as the outbox sees it (CloudEventFilterInput).
  std::optional<CloudEvent> emitted;
  // `input`: the filter's view given directly; an attribute is present when its member is.
  std::vector<std::pair<std::string, std::string>> attributes;
  json::value data;
  bool has_data = false;

  // The view filters are evaluated against; it points into this event.
  FilterInput View() const {
    const json::value* body = has_data ? &data : nullptr;
    if (emitted) return CloudEventFilterInput(*emitted, body);
    FilterInput input;
    for (const auto& [name, value] : attributes) {
      for (const auto& [attribute, member] : kAttributes) {
        if (attribute == name) input.*member = value;
      }
    }
    input.data = body;
    return input;
  }
};

// A `filter` record (the events it matches) or an `error` record (how it is refused).
struct FilterCase {
  size_t line = 0;
  std::string text;
  bool is_error = false;
  std::set<std::string> expected;  // filter: the names of the events it matches
  size_t expected_line = 0;        // filter: the line after "----"
  std::string error_code;          // error: the code's wire name
  std::string error_fragment;      // error: what the message must contain
};

struct CorpusFile {
  std::vector<CorpusEvent> events;
  std::vector<FilterCase> cases;
};

std::string Shown(std::string_view filter) {
  if (filter.size() <= kMaxShownFilter) return std::string(filter);
  return std::string(filter.substr(0, kMaxShownFilter)) + "... (" + std::to_string(filter.size()) +
         " bytes)";
}

// text with every "{{repeat N:TEXT}}" replaced by N copies of TEXT.
Result<std::string> ExpandRepeats(std::string_view text) {
  std::string out;
  size_t pos = 0;
  for (size_t open; (open = text.find(kRepeatOpen, pos)) != std::string_view::npos;) {
    out += text.substr(pos, open - pos);
    const size_t colon = text.find(':', open);
    const size_t close =
        colon == std::string_view::npos ? colon : text.find(kRepeatClose, colon + 1);
    size_t count = 0;
    const char* digits = text.data() + open + kRepeatOpen.size();
    const char* digits_end = text.data() + (colon == std::string_view::npos ? open : colon);
    const auto [end, error] = std::from_chars(digits, digits_end, count);
    if (close == std::string_view::npos || error != std::errc() || end != digits_end) {
      return Status(ErrorCode::kInvalidArgument, "expected {{repeat N:TEXT}}");
    }
    for (size_t i = 0; i < count; ++i) out += text.substr(colon + 1, close - colon - 1);
    pos = close + kRepeatClose.size();
  }
  out += text.substr(pos);
  return out;
}

bool HasStrings(const json::value& data, std::initializer_list<std::string_view> keys) {
  const json::object* object = data.if_object();
  if (object == nullptr) return false;
  for (std::string_view key : keys) {
    const json::value* member = object->if_contains(key);
    if (member == nullptr || !member->is_string()) return false;
  }
  return true;
}

// The event dtwin's notification builder makes for the change that `declared` describes (its
// type, subject and data, with its id, source, time and traceparent as the context).
Result<CloudEvent> Rebuild(const CloudEvent& declared, const json::value& data) {
  NotificationContext context{declared.source, declared.time, declared.traceparent,
                              [&declared] { return declared.id; }};
  const std::string_view type = declared.type;
  if (type == kTwinCreateType || type == kTwinDeleteType) {
    if (!HasStrings(data, {"$dtId"})) {
      return Status(ErrorCode::kInvalidArgument, "a twin's data needs a string $dtId");
    }
    return type == kTwinCreateType ? TwinCreatedEvent(context, data.get_object())
                                   : TwinDeletedEvent(context, data.get_object());
  }
  if (type == kRelationshipCreateType || type == kRelationshipDeleteType) {
    if (!HasStrings(data, {"$sourceId", "$relationshipId"})) {
      return Status(ErrorCode::kInvalidArgument,
                    "a relationship's data needs string $sourceId and $relationshipId");
    }
    return type == kRelationshipCreateType ? RelationshipCreatedEvent(context, data.get_object())
                                           : RelationshipDeletedEvent(context, data.get_object());
  }
  if (type == kTwinUpdateType || type == kRelationshipUpdateType) {
    const json::value* patch = data.is_object() ? data.get_object().if_contains("patch") : nullptr;
    if (!HasStrings(data, {"modelId"}) || patch == nullptr || !patch->is_array()) {
      return Status(ErrorCode::kInvalidArgument, "an update's data is {\"modelId\", \"patch\"}");
    }
    const std::string_view model = data.at("modelId").get_string();
    if (type == kTwinUpdateType) {
      return TwinUpdatedEvent(context, declared.subject, model, patch->get_array());
    }
    constexpr std::string_view kRelationships = "/relationships/";
    const size_t split = declared.subject.find(kRelationships);
    if (split == std::string::npos) {
      return Status(ErrorCode::kInvalidArgument,
                    "a relationship's subject is SOURCE" + std::string(kRelationships) + "ID");
    }
    return RelationshipUpdatedEvent(context, declared.subject.substr(0, split),
                                    declared.subject.substr(split + kRelationships.size()), model,
                                    patch->get_array());
  }
  if (type == kTelemetryType) {
    constexpr std::string_view kTwins = "/digitaltwins/";
    const size_t split = declared.source.find(kTwins);
    if (split == std::string::npos) {
      return Status(ErrorCode::kInvalidArgument, "telemetry's source is HOST/digitaltwins/TWIN");
    }
    context.source = declared.source.substr(0, split);
    return TelemetryEvent(context, declared.source.substr(split + kTwins.size()), declared.subject,
                          declared.data_schema, declared.id, data);
  }
  return Status(ErrorCode::kInvalidArgument,
                "'" + declared.type + "' is no type ADT emits (declare it with `input`)");
}

// Ok when `declared` is exactly what dtwin emits for its change; otherwise what differs.
Status CheckEmitted(const CloudEvent& declared, const json::value& data) {
  Result<CloudEvent> rebuilt_or = Rebuild(declared, data);
  if (!rebuilt_or.ok()) return rebuilt_or.status();
  const CloudEvent& rebuilt = *rebuilt_or;
  std::string differences;
  for (const auto& [name, member] :
       {std::pair{"subject", &CloudEvent::subject}, std::pair{"time", &CloudEvent::time},
        std::pair{"datacontenttype", &CloudEvent::data_content_type},
        std::pair{"dataschema", &CloudEvent::data_schema}}) {
    if (declared.*member != rebuilt.*member) {
      differences += std::string(differences.empty() ? "" : "; ") + name + " is '" +
                     declared.*member + "' where dtwin emits '" + rebuilt.*member + "'";
    }
  }
  if (json::parse(rebuilt.data) != data) {
    differences +=
        std::string(differences.empty() ? "" : "; ") + "data differs from " + rebuilt.data;
  }
  if (differences.empty()) return Status::Ok();
  return Status(ErrorCode::kInvalidArgument,
                "not an event dtwin emits (or use `input`): " + differences);
}

bool IsName(std::string_view name) {
  return !name.empty() && name.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == std::string_view::npos;
}

// Reads one corpus file. A record is a header line and its lines up to a blank line; lines
// starting with '#' are comments. One parser per file; not thread-safe.
class CorpusParser {
 public:
  CorpusParser(std::string_view text, std::string path) : path_(std::move(path)) {
    for (size_t start = 0; start < text.size();) {
      const size_t end = std::min(text.find('\n', start), text.size());
      std::string_view line = text.substr(start, end - start);
      if (line.ends_with('\r')) line.remove_suffix(1);
      lines_.push_back(line);
      start = end + 1;
    }
  }

  Result<CorpusFile> Parse() {
    while (SkipToContent()) {
      const size_t header = next_++;
      const std::string_view line = lines_[header];
      const size_t word_end = std::min(line.find(' '), line.size());
      const std::string_view word = line.substr(0, word_end);
      const std::string_view rest = word_end < line.size() ? line.substr(word_end + 1) : "";
      Status status = word == "event" || word == "input" ? ParseEvent(header, word, rest)
                      : word == "filter" || word == "error"
                          ? ParseCase(header, word, rest)
                          : Error(header,
                                  "expected 'event NAME', 'input NAME', 'filter' or 'error CODE "
                                  "FRAGMENT', found '" +
                                      std::string(line) + "'");
      if (!status.ok()) return status;
    }
    return CheckExpectedNames();
  }

 private:
  Status Error(size_t index, std::string_view what) const {
    return Status(ErrorCode::kInvalidArgument,
                  path_ + ":" + std::to_string(index + 1) + ": " + std::string(what));
  }

  static bool IsBlank(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
  }
  static bool IsComment(std::string_view line) { return line.starts_with('#'); }

  // Moves past blank and comment lines; false at the end of the file.
  bool SkipToContent() {
    while (next_ < lines_.size() && (IsBlank(lines_[next_]) || IsComment(lines_[next_]))) ++next_;
    return next_ < lines_.size();
  }

  // The record's next lines up to a blank line (or "----" when stop_at_separator), comments
  // left out, joined with '\n'.
  std::string Body(bool stop_at_separator) {
    std::string body;
    bool first = true;
    for (; next_ < lines_.size() && !IsBlank(lines_[next_]); ++next_) {
      if (IsComment(lines_[next_])) continue;
      if (stop_at_separator && lines_[next_] == kExpectedSeparator) break;
      if (!first) body += '\n';
      body += lines_[next_];
      first = false;
    }
    return body;
  }

  Status ParseEvent(size_t header, std::string_view kind, std::string_view name) {
    if (!IsName(name)) return Error(header, "expected '" + std::string(kind) + " NAME'");
    for (const CorpusEvent& event : file_.events) {
      if (event.name == name) return Error(header, "a second event named '" + event.name + "'");
    }
    CorpusEvent event;
    event.name = std::string(name);
    const std::string body = Body(/*stop_at_separator=*/false);
    if (kind == "event") {
      Result<CloudEvent> parsed = ParseStructuredCloudEvent(body);
      if (!parsed.ok()) return Error(header, parsed.status().message());
      boost::system::error_code error;
      event.data = json::parse(parsed->data, error);
      if (error || parsed->data.empty()) return Error(header, "an emitted event has JSON data");
      event.has_data = true;
      if (Status emitted = CheckEmitted(*parsed, event.data); !emitted.ok()) {
        return Error(header, emitted.message());
      }
      event.emitted = std::move(parsed).value();
    } else {
      boost::system::error_code error;
      json::value parsed = json::parse(body, error);
      if (error || !parsed.is_object()) return Error(header, "expected a JSON object");
      for (const auto& member : parsed.get_object()) {
        if (member.key() == "data") {
          event.data = member.value();
          event.has_data = true;
          continue;
        }
        const bool known =
            std::any_of(std::begin(kAttributes), std::end(kAttributes),
                        [&](const auto& entry) { return entry.first == member.key(); });
        if (!known || !member.value().is_string()) {
          return Error(header, "'" + std::string(member.key()) +
                                   "' is not a filter attribute with a string value, nor data");
        }
        event.attributes.emplace_back(member.key(), member.value().get_string());
      }
    }
    file_.events.push_back(std::move(event));
    return Status::Ok();
  }

  Status ParseCase(size_t header, std::string_view kind, std::string_view rest) {
    FilterCase filter_case;
    filter_case.line = header + 1;
    filter_case.is_error = kind == "error";
    if (filter_case.is_error) {
      const size_t code_end = std::min(rest.find(' '), rest.size());
      filter_case.error_code = std::string(rest.substr(0, code_end));
      Result<std::string> fragment =
          ExpandRepeats(code_end < rest.size() ? rest.substr(code_end + 1) : "");
      if (filter_case.error_code.empty() || !fragment.ok()) {
        return Error(header, "expected 'error CODE FRAGMENT' (FRAGMENT may use {{repeat N:TEXT}})");
      }
      filter_case.error_fragment = std::move(fragment).value();
    } else if (!rest.empty()) {
      return Error(header, "a 'filter' line has nothing after it");
    }
    Result<std::string> text = ExpandRepeats(Body(/*stop_at_separator=*/!filter_case.is_error));
    if (!text.ok()) return Error(header, text.status().message());
    filter_case.text = std::move(text).value();
    if (!filter_case.is_error) {
      if (next_ == lines_.size() || lines_[next_] != kExpectedSeparator) {
        return Error(header, "expected the filter text, then '----', then the events it matches");
      }
      filter_case.expected_line = ++next_ + 1;
      for (; next_ < lines_.size() && !IsBlank(lines_[next_]); ++next_) {
        std::string_view names = lines_[next_];
        while (!names.empty()) {
          const size_t start = names.find_first_not_of(' ');
          if (start == std::string_view::npos) break;
          const size_t end = std::min(names.find(' ', start), names.size());
          if (!filter_case.expected.emplace(names.substr(start, end - start)).second) {
            return Error(next_,
                         "'" + std::string(names.substr(start, end - start)) + "' is listed twice");
          }
          names.remove_prefix(end);
        }
      }
    }
    file_.cases.push_back(std::move(filter_case));
    return Status::Ok();
  }

  // Events are declared for the whole file, so names are checked once it is read.
  Result<CorpusFile> CheckExpectedNames() {
    for (const FilterCase& filter_case : file_.cases) {
      for (const std::string& name : filter_case.expected) {
        const bool declared =
            std::any_of(file_.events.begin(), file_.events.end(),
                        [&](const CorpusEvent& event) { return event.name == name; });
        if (!declared) {
          return Error(filter_case.expected_line - 1, "no event is named '" + name + "'");
        }
      }
    }
    return std::move(file_);
  }

  const std::string path_;
  std::vector<std::string_view> lines_;
  size_t next_ = 0;
  CorpusFile file_;
};

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return " (none)";
  std::string out;
  for (const std::string& name : names) out += " " + name;
  return out;
}

void RunFilter(const std::string& path, const CorpusFile& file, const FilterCase& filter_case) {
  Result<RouteFilter> filter = RouteFilter::Parse(filter_case.text);
  if (!filter.ok()) {
    ADD_FAILURE_AT(path.c_str(), static_cast<int>(filter_case.line))
        << "filter: " << Shown(filter_case.text)
        << "\n  does not parse: " << filter.status().ToString();
    return;
  }
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  for (const CorpusEvent& event : file.events) {
    const bool expected = filter_case.expected.contains(event.name);
    if (filter->Matches(event.View()) != expected) {
      (expected ? missing : unexpected).push_back(event.name);
    }
  }
  if (missing.empty() && unexpected.empty()) return;
  ADD_FAILURE_AT(path.c_str(), static_cast<int>(filter_case.line))
      << "filter: " << Shown(filter_case.text)
      << "\n  listed but not matched:" << JoinNames(missing)
      << "\n  matched but not listed:" << JoinNames(unexpected);
}

void RunError(const std::string& path, const FilterCase& filter_case) {
  Result<RouteFilter> filter = RouteFilter::Parse(filter_case.text);
  const std::string expected =
      "expected " + filter_case.error_code + " with \"" + filter_case.error_fragment + "\"";
  if (filter.ok()) {
    ADD_FAILURE_AT(path.c_str(), static_cast<int>(filter_case.line))
        << "filter: " << Shown(filter_case.text) << "\n  " << expected << ", but the filter parses";
    return;
  }
  const Status& status = filter.status();
  if (ErrorCodeName(status.code()) != filter_case.error_code ||
      status.message().find(filter_case.error_fragment) == std::string::npos) {
    ADD_FAILURE_AT(path.c_str(), static_cast<int>(filter_case.line))
        << "filter: " << Shown(filter_case.text) << "\n  " << expected << "\n  got "
        << ErrorCodeName(status.code()) << ": " << status.message();
  }
}

std::vector<std::string> CorpusFileNames() {
  std::vector<std::string> names = dtwin::testing::RegressionFiles(kCorpusDir);
  std::erase_if(names, [](const std::string& name) { return !name.ends_with(".test"); });
  return names;
}

TEST(FilterCorpusFilesTest, TheCorpusDirectoryHasTestFiles) {
  EXPECT_FALSE(CorpusFileNames().empty()) << "no .test files in " << kCorpusDir;
}

class FilterCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FilterCorpusTest, Run) {
  const std::string path = (kCorpusDir / GetParam()).string();
  Result<CorpusFile> file = CorpusParser(dtwin::testing::ReadBytes(path), path).Parse();
  ASSERT_TRUE(file.ok()) << file.status().message();
  size_t errors = 0;
  for (const FilterCase& filter_case : file->cases) {
    if (filter_case.is_error) {
      ++errors;
      RunError(path, filter_case);
    } else {
      RunFilter(path, *file, filter_case);
    }
  }
  std::printf("[ corpus   ] %s: %zu filters and %zu errors over %zu events\n", GetParam().c_str(),
              file->cases.size() - errors, errors, file->events.size());
  EXPECT_FALSE(file->cases.empty()) << path << " has no filter or error records";
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FilterCorpusTest);
INSTANTIATE_TEST_SUITE_P(Corpus, FilterCorpusTest, ::testing::ValuesIn(CorpusFileNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return dtwin::testing::TestNameOf(
                               std::filesystem::path(info.param).stem().string());
                         });

}  // namespace
}  // namespace dtwin::events
