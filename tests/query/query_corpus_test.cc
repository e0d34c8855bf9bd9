// The data-driven query corpus: one test per tests/query/corpus/*.test file. Each file's
// fixtures are loaded through a DigitalTwinsService over an in-memory store; every query runs
// through the service (one default page, then pages of 1 and 2 rows following continuation
// tokens) and through the reference evaluator, and both must give the expected rows. Error
// records must fail with their ADT code (and message substring). The format is described in
// tests/query/README.md. Single-threaded.
//
// Fixture writes happen at the fixed instant kFixtureTime, so in expected rows
// $metadata.$lastUpdateTime and every property's lastUpdateTime are
// "2024-03-01T12:00:00.1234567Z".
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../service/fake_store.h"
#include "common/clock.h"
#include "common/json_reader.h"
#include "corpus_file.h"
#include "query/query_parser.h"
#include "reference_evaluator.h"
#include "service/digital_twins_service.h"

namespace dtwin::query::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kFixtureTime = "2024-03-01T12:00:00.1234567Z";
// The page sizes every query is also run with, following continuation tokens.
constexpr size_t kSmallPageSizes[] = {1, 2};
// Rows and messages shown in a failure are cut at this many characters.
constexpr size_t kMaxShownChars = 400;
constexpr size_t kMaxShownRows = 40;

const std::string kCorpusDir = std::string(DTWIN_SOURCE_DIR) + "/tests/query/corpus";
const std::string kFixtureDir = std::string(DTWIN_SOURCE_DIR) + "/tests/query/fixtures";

// Queries run in every file together, printed at the end of the run.
size_t total_queries = 0;

class CorpusTotals : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("[ corpus   ] %zu queries run in total\n", total_queries);
  }
};
[[maybe_unused]] ::testing::Environment* const kCorpusTotals =
    ::testing::AddGlobalTestEnvironment(new CorpusTotals);

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpusDir, error)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// ---- comparing rows ----

// value as JSON text with object members sorted and numbers by value (1, 1.0 and 1e0 are
// all "1"), so equal rows have equal text whatever their member order or number kind.
void AppendCanonical(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      out += std::to_string(value.get_int64());
      return;
    case json::kind::uint64:
      out += std::to_string(value.get_uint64());
      return;
    case json::kind::double_: {
      const double number = value.get_double();
      if (std::isfinite(number) && number == std::trunc(number) && std::fabs(number) < 9.2e18) {
        out += std::to_string(static_cast<int64_t>(number));
        return;
      }
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof(buffer), number);
      out.append(buffer, result.ptr);
      return;
    }
    case json::kind::string:
      out += json::serialize(value);
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        AppendCanonical(element, out);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      std::vector<const json::key_value_pair*> members;
      for (const json::key_value_pair& member : value.get_object()) members.push_back(&member);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out += '{';
      bool first = true;
      for (const json::key_value_pair* member : members) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string(member->key()));
        out += ':';
        AppendCanonical(member->value(), out);
      }
      out += '}';
      return;
    }
  }
}

std::string Canonical(const json::value& value) {
  std::string out;
  AppendCanonical(value, out);
  return out;
}

std::string Shorten(std::string text) {
  if (text.size() > kMaxShownChars) text = text.substr(0, kMaxShownChars) + "...";
  return text;
}

// How a fixture's rows are compared.
enum class RowOrder { kSequence, kMultiset };

// ---- one loaded fixture ----

// A fixture loaded into a fresh service, with every document read back (for "@twin:ID"
// substitution and the reference evaluator).
class LoadedFixture {
 public:
  static Result<std::unique_ptr<LoadedFixture>> Load(const std::string& name, bool unanchored) {
    auto fixture = std::unique_ptr<LoadedFixture>(new LoadedFixture());
    if (Status status = fixture->LoadFile(name, unanchored); !status.ok()) {
      return Status(status.code(), "fixture " + name + ": " + status.message());
    }
    return fixture;
  }

  const service::DigitalTwinsService& service() const { return *service_; }
  const ReferenceData& reference() const { return reference_; }

  // value with "@twin:ID", "@rel:SOURCE/ID" and "@etag:ID" strings (at any depth) replaced.
  Result<json::value> Substitute(const json::value& value) const {
    if (value.is_array()) {
      json::array out;
      for (const json::value& element : value.get_array()) {
        Result<json::value> substituted = Substitute(element);
        if (!substituted.ok()) return substituted;
        out.push_back(std::move(substituted).value());
      }
      return json::value(std::move(out));
    }
    if (value.is_object()) {
      json::object out;
      for (const json::key_value_pair& member : value.get_object()) {
        Result<json::value> substituted = Substitute(member.value());
        if (!substituted.ok()) return substituted;
        out[member.key()] = std::move(substituted).value();
      }
      return json::value(std::move(out));
    }
    if (!value.is_string()) return value;
    const std::string_view text = value.get_string();
    for (const auto& [prefix, documents, what] :
         {std::tuple{std::string_view("@twin:"), &twins_, "twin"},
          std::tuple{std::string_view("@rel:"), &relationships_, "relationship"},
          std::tuple{std::string_view("@etag:"), &twins_, "twin"}}) {
      if (!text.starts_with(prefix)) continue;
      const std::string key(text.substr(prefix.size()));
      auto it = documents->find(key);
      if (it == documents->end()) {
        return Status(ErrorCode::kNotFound, std::string("the fixture has no ") + what + " '" + key +
                                                "' (" + std::string(text) + ")");
      }
      if (prefix == "@etag:") return it->second.at("$etag");
      return json::value(it->second);
    }
    return value;
  }

  // value for a failure message: documents of the fixture shown as "@twin:ID"/"@rel:S/ID".
  std::string Show(const json::value& value) const { return Shorten(Canonical(Abbreviate(value))); }

 private:
  LoadedFixture() = default;

  Status LoadFile(const std::string& name, bool unanchored) {
    const std::string path = kFixtureDir + "/" + name + ".json";
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status(ErrorCode::kNotFound, path + " cannot be opened");
    std::ostringstream text;
    text << in.rdbuf();
    Result<json::value> root = ReadJson(text.str());
    if (!root.ok()) return Status(root.status().code(), path + ": " + root.status().message());
    if (!root->is_object()) return Status(ErrorCode::kInvalidArgument, path + ": not an object");
    const json::object& fixture = root->get_object();
    const json::array empty;
    auto array_of = [&](std::string_view member) -> const json::array& {
      const json::value* found = fixture.if_contains(member);
      return found != nullptr && found->is_array() ? found->get_array() : empty;
    };

    service::ServiceOptions options;
    options.now = [] { return *ParseAdtTime(kFixtureTime); };
    options.query.allow_unanchored_traversals = unanchored;
    auto store = std::make_unique<service::FakeStore>();
    store_ = store.get();
    service_ = std::make_unique<service::DigitalTwinsService>(std::move(store), options);
    if (Status started = service_->Start(); !started.ok()) return started;

    const json::array& models = array_of("models");
    if (!models.empty()) {
      Result<std::vector<service::ModelInfo>> added = Await<std::vector<service::ModelInfo>>(
          [&](auto done) { service_->AddModels(json::value(models), std::move(done)); });
      if (!added.ok()) return WithDetails("models", added.status());
    }
    for (const json::value& twin : array_of("twins")) {
      const json::value* id = twin.is_object() ? twin.get_object().if_contains("$dtId") : nullptr;
      if (id == nullptr || !id->is_string()) {
        return Status(ErrorCode::kInvalidArgument, "a twin without a string $dtId");
      }
      const std::string twin_id(id->get_string());
      Result<service::Document> put = Await<service::Document>(
          [&](auto done) { service_->PutTwin(twin_id, twin, {}, std::move(done)); });
      if (!put.ok()) return WithDetails("twin '" + twin_id + "'", put.status());
    }
    for (const json::value& relationship : array_of("relationships")) {
      const json::object* body = relationship.if_object();
      const json::value* source = body != nullptr ? body->if_contains("$sourceId") : nullptr;
      const json::value* id = body != nullptr ? body->if_contains("$relationshipId") : nullptr;
      if (source == nullptr || id == nullptr || !source->is_string() || !id->is_string()) {
        return Status(ErrorCode::kInvalidArgument,
                      "a relationship without string $sourceId and $relationshipId");
      }
      const std::string source_id(source->get_string());
      const std::string relationship_id(id->get_string());
      Result<service::Document> put = Await<service::Document>([&](auto done) {
        service_->PutRelationship(source_id, relationship_id, relationship, {}, std::move(done));
      });
      if (!put.ok()) {
        return WithDetails("relationship '" + source_id + "/" + relationship_id + "'",
                           put.status());
      }
    }
    return ReadBack(models, array_of("twins"), array_of("relationships"), unanchored);
  }

  // The documents as GET returns them, and the reference evaluator's view of them.
  Status ReadBack(const json::array& models, const json::array& twins,
                  const json::array& relationships, bool unanchored) {
    for (const json::value& twin : twins) {
      const std::string id(twin.at("$dtId").get_string());
      Result<service::Document> document = service_->GetTwin(id);
      if (!document.ok()) return WithDetails("reading twin '" + id + "'", document.status());
      twins_[id] = document->body;
      reference_.twins.push_back(document->body);
    }
    for (const json::value& relationship : relationships) {
      const std::string source(relationship.at("$sourceId").get_string());
      const std::string id(relationship.at("$relationshipId").get_string());
      Result<service::Document> document = service_->GetRelationship(source, id);
      if (!document.ok()) {
        return WithDetails("reading relationship '" + source + "/" + id + "'", document.status());
      }
      relationships_[source + "/" + id] = document->body;
      reference_.relationships.push_back(document->body);
    }
    for (const auto& [id, document] : twins_) labels_[Canonical(document)] = "@twin:" + id;
    for (const auto& [key, document] : relationships_) {
      labels_[Canonical(document)] = "@rel:" + key;
    }
    reference_.model_and_descendants = ModelAndDescendants(models);
    reference_.allow_unanchored_traversals = unanchored;
    return Status::Ok();
  }

  // IS_OF_MODEL's model set from the fixture's own "extends" (not the engine's catalog).
  static std::function<std::vector<std::string>(std::string_view)> ModelAndDescendants(
      const json::array& models) {
    auto children = std::make_shared<std::map<std::string, std::vector<std::string>>>();
    for (const json::value& model : models) {
      const json::object* interface = model.if_object();
      if (interface == nullptr || !interface->contains("@id")) continue;
      const std::string id(interface->at("@id").as_string());
      const json::value* extends = interface->if_contains("extends");
      if (extends == nullptr) continue;
      const json::array parents =
          extends->is_array() ? extends->get_array() : json::array{*extends};
      for (const json::value& parent : parents) {
        if (parent.is_string()) (*children)[std::string(parent.get_string())].push_back(id);
      }
    }
    return [children](std::string_view model_id) {
      std::vector<std::string> found{std::string(model_id)};
      std::set<std::string> seen{std::string(model_id)};
      for (size_t next = 0; next < found.size(); ++next) {
        auto it = children->find(found[next]);
        if (it == children->end()) continue;
        for (const std::string& child : it->second) {
          if (seen.insert(child).second) found.push_back(child);
        }
      }
      return found;
    };
  }

  json::value Abbreviate(const json::value& value) const {
    if (value.is_object()) {
      auto it = labels_.find(Canonical(value));
      if (it != labels_.end()) return json::value(it->second);
      json::object out;
      for (const json::key_value_pair& member : value.get_object()) {
        out[member.key()] = Abbreviate(member.value());
      }
      return out;
    }
    return value;
  }

  // Runs start(done) and flushes the store so the write completes as once durable.
  template <typename T, typename Start>
  Result<T> Await(Start start) {
    std::optional<Result<T>> result;
    start([&](Result<T> value) { result.emplace(std::move(value)); });
    store_->Flush();
    if (!result) return Status(ErrorCode::kInternal, "the write never completed");
    return std::move(*result);
  }

  static Status WithDetails(const std::string& what, const Status& status) {
    std::string message = what + ": " + status.ToString();
    for (const Status& detail : status.details()) message += "\n  " + detail.message();
    return Status(status.code(), message);
  }

  service::FakeStore* store_ = nullptr;  // owned by service_
  std::unique_ptr<service::DigitalTwinsService> service_;
  std::map<std::string, json::object> twins_;          // by $dtId
  std::map<std::string, json::object> relationships_;  // by "SOURCE/ID"
  std::map<std::string, std::string> labels_;          // canonical document -> "@twin:ID"...
  ReferenceData reference_;
};

// ---- running one file ----

class CorpusRunner {
 public:
  explicit CorpusRunner(const CorpusFile& file) : file_(file) {}

  // Runs every record; returns the number of queries run.
  size_t Run() {
    for (const CorpusRecord& record : file_.records) {
      if (record.kind == CorpusRecordKind::kFixture) {
        fixtures_[0].reset();
        fixtures_[1].reset();
        broken_fixture_.reset();
        continue;
      }
      const LoadedFixture* fixture = FixtureFor(record);
      if (fixture == nullptr) continue;
      ++queries_;
      if (record.kind == CorpusRecordKind::kError) {
        RunError(record, *fixture);
      } else {
        RunQuery(record, *fixture);
      }
    }
    return queries_;
  }

 private:
  void Fail(const CorpusRecord& record, const std::string& what, size_t line = 0) const {
    ADD_FAILURE_AT(file_.path.c_str(), static_cast<int>(line != 0 ? line : record.line))
        << "query: " << record.text << "\n"
        << what;
  }

  // The record's instance, loaded on first use; nullptr (reported once) if it fails to load.
  const LoadedFixture* FixtureFor(const CorpusRecord& record) {
    std::unique_ptr<LoadedFixture>& slot = fixtures_[record.unanchored ? 1 : 0];
    if (slot) return slot.get();
    if (broken_fixture_) return nullptr;
    Result<std::unique_ptr<LoadedFixture>> loaded =
        LoadedFixture::Load(record.fixture, record.unanchored);
    if (!loaded.ok()) {
      broken_fixture_ = loaded.status();
      ADD_FAILURE_AT(file_.path.c_str(), static_cast<int>(record.line))
          << "the fixture does not load; its records are skipped\n"
          << loaded.status().ToString();
      return nullptr;
    }
    slot = std::move(loaded).value();
    return slot.get();
  }

  void RunError(const CorpusRecord& record, const LoadedFixture& fixture) const {
    Result<QueryPage> page = fixture.service().Query({record.text, "", 0});
    if (page.ok()) {
      Fail(record, "expected error " + record.error_code + ", but the query succeeded with " +
                       std::to_string(page->rows.size()) + " row(s)");
      return;
    }
    const std::string code(ErrorCodeName(page.status().code()));
    if (code != record.error_code ||
        page.status().message().find(record.error_substring) == std::string::npos) {
      Fail(record, "expected error " + record.error_code +
                       (record.error_substring.empty()
                            ? std::string()
                            : " with a message containing \"" + record.error_substring + "\"") +
                       "\n  got " + code + ": " + page.status().message());
    }
  }

  void RunQuery(const CorpusRecord& record, const LoadedFixture& fixture) const {
    std::vector<json::value> expected;
    for (const CorpusRow& row : record.rows) {
      Result<json::value> value = fixture.Substitute(row.value);
      if (!value.ok()) {
        Fail(record, value.status().message(), row.line);
        return;
      }
      expected.push_back(std::move(value).value());
    }
    const RowOrder order = record.ordered ? RowOrder::kSequence : RowOrder::kMultiset;
    std::optional<int64_t> top;
    if (record.candidates) {
      Result<Query> parsed = ParseQuery(record.text);
      if (!parsed.ok() || !parsed->select.top) {
        Fail(record, "a 'candidates' record needs a query with TOP(n)");
        return;
      }
      top = parsed->select.top;
    }

    Result<std::vector<json::value>> rows = RunPages(fixture, record.text, 0, true);
    if (!rows.ok()) {
      Fail(record, "the engine failed: " + rows.status().ToString());
    } else {
      if (record.candidates) {
        CheckCandidates(record, fixture, "engine", expected, *rows, *top);
      } else {
        CheckRows(record, fixture, "engine", expected, *rows, order);
      }
      for (size_t page_size : kSmallPageSizes) {
        // Continuations sent without the text once and with it once (ADT ignores it).
        Result<std::vector<json::value>> paged =
            RunPages(fixture, record.text, page_size, page_size % 2 == 0);
        const std::string what = "engine, pages of " + std::to_string(page_size);
        if (!paged.ok()) {
          Fail(record, what + ": " + paged.status().ToString());
        } else {
          CheckRows(record, fixture, what + " (compared with the single page)", *rows, *paged,
                    order);
        }
      }
    }
    CheckReference(record, fixture, expected, top);
  }

  void CheckReference(const CorpusRecord& record, const LoadedFixture& fixture,
                      const std::vector<json::value>& expected,
                      std::optional<int64_t> candidates_top) const {
    Result<ReferenceResult> result = ReferenceEvaluate(record.text, fixture.reference());
    if (!result.ok()) {
      Fail(record, "the reference evaluator failed: " + result.status().ToString());
      return;
    }
    std::vector<json::value> rows(result->rows.begin(), result->rows.end());
    if (record.ordered && !result->ordered) {
      Fail(record,
           "the record is 'ordered' but the reference evaluator found no ORDER BY or "
           "GROUP BY");
    }
    if (record.candidates) {
      // The listed rows are all the rows without TOP.
      CheckRows(record, fixture, "reference evaluator (all rows, before TOP)", expected, rows,
                RowOrder::kMultiset);
      if (result->top != candidates_top) {
        Fail(record, "the reference evaluator read a different TOP(n)");
      }
      return;
    }
    if (result->top && static_cast<size_t>(*result->top) < rows.size()) {
      if (!result->ordered) {
        Fail(record, "TOP(" + std::to_string(*result->top) + ") without ORDER BY keeps " +
                         std::to_string(*result->top) + " of " + std::to_string(rows.size()) +
                         " rows: mark the record 'candidates' and list every row");
        return;
      }
      rows.resize(static_cast<size_t>(*result->top));
    }
    CheckRows(record, fixture, "reference evaluator", expected, rows,
              record.ordered ? RowOrder::kSequence : RowOrder::kMultiset);
  }

  // Every page of text with max_items rows per page (0 = the default), following
  // continuation tokens; the rows parsed.
  static Result<std::vector<json::value>> RunPages(const LoadedFixture& fixture,
                                                   const std::string& text, size_t max_items,
                                                   bool resend_text) {
    std::vector<json::value> rows;
    QueryRequest request{text, "", max_items};
    std::string continuation;
    for (size_t page_number = 1;; ++page_number) {
      Result<QueryPage> page = fixture.service().Query(request);
      if (!page.ok()) {
        return Status(page.status().code(),
                      "page " + std::to_string(page_number) + ": " + page.status().message());
      }
      if (max_items != 0 && page->rows.size() > max_items) {
        return Status(ErrorCode::kInternal, "page " + std::to_string(page_number) + " has " +
                                                std::to_string(page->rows.size()) +
                                                " rows, more than max_items");
      }
      for (const std::string& row : page->rows) {
        Result<json::value> value = ReadJson(row);
        if (!value.ok() || !value->is_object()) {
          return Status(ErrorCode::kInternal,
                        "page " + std::to_string(page_number) +
                            ": a row that is not a JSON object: " + Shorten(row));
        }
        rows.push_back(std::move(value).value());
      }
      if (page->continuation.empty()) return rows;
      // A page may be empty, but not every one: tokens must lead to the end.
      if (page_number > rows.size() + 2) {
        return Status(ErrorCode::kInternal, "continuation tokens go on after " +
                                                std::to_string(page_number) + " pages and " +
                                                std::to_string(rows.size()) + " rows");
      }
      continuation = std::move(page->continuation);
      request = {resend_text ? std::string_view(text) : std::string_view(), continuation,
                 max_items};
    }
  }

  void CheckRows(const CorpusRecord& record, const LoadedFixture& fixture, const std::string& what,
                 const std::vector<json::value>& expected, const std::vector<json::value>& got,
                 RowOrder order) const {
    std::vector<std::string> want = CanonicalRows(expected);
    std::vector<std::string> have = CanonicalRows(got);
    if (order == RowOrder::kMultiset) {
      std::sort(want.begin(), want.end());
      std::sort(have.begin(), have.end());
    }
    if (want == have) return;
    std::string message = what + ": expected " + std::to_string(expected.size()) + " row(s), got " +
                          std::to_string(got.size());
    if (order == RowOrder::kSequence) {
      message += "\n  expected, in order:" + ShowRows(fixture, expected);
      message += "\n  got, in order:" + ShowRows(fixture, got);
    } else {
      message += "\n  missing:" + ShowRows(fixture, Difference(expected, got));
      message += "\n  unexpected:" + ShowRows(fixture, Difference(got, expected));
    }
    Fail(record, message);
  }

  // TOP(n) without ORDER BY: min(n, count) of the candidate rows, none twice.
  void CheckCandidates(const CorpusRecord& record, const LoadedFixture& fixture,
                       const std::string& what, const std::vector<json::value>& candidates,
                       const std::vector<json::value>& got, int64_t top) const {
    const size_t want = std::min(static_cast<size_t>(top), candidates.size());
    const std::vector<json::value> extra = Difference(got, candidates);
    if (got.size() == want && extra.empty()) return;
    Fail(record, what + ": expected " + std::to_string(want) + " of the " +
                     std::to_string(candidates.size()) + " candidate rows, got " +
                     std::to_string(got.size()) + " row(s)\n  not candidates (or repeated):" +
                     ShowRows(fixture, extra) + "\n  got:" + ShowRows(fixture, got));
  }

  static std::vector<std::string> CanonicalRows(const std::vector<json::value>& rows) {
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const json::value& row : rows) out.push_back(Canonical(row));
    return out;
  }

  // The rows of a that are not in b, counting repeats (multiset difference).
  static std::vector<json::value> Difference(const std::vector<json::value>& a,
                                             const std::vector<json::value>& b) {
    std::multiset<std::string> remaining;
    for (const json::value& row : b) remaining.insert(Canonical(row));
    std::vector<json::value> out;
    for (const json::value& row : a) {
      auto it = remaining.find(Canonical(row));
      if (it == remaining.end()) {
        out.push_back(row);
      } else {
        remaining.erase(it);
      }
    }
    return out;
  }

  static std::string ShowRows(const LoadedFixture& fixture, const std::vector<json::value>& rows) {
    if (rows.empty()) return " (none)";
    std::string out;
    for (size_t i = 0; i < rows.size() && i < kMaxShownRows; ++i) {
      out += "\n    " + fixture.Show(rows[i]);
    }
    if (rows.size() > kMaxShownRows) {
      out += "\n    ... and " + std::to_string(rows.size() - kMaxShownRows) + " more";
    }
    return out;
  }

  const CorpusFile& file_;
  // The current fixture's instances: [0] as ADT, [1] allowing unanchored traversals.
  std::unique_ptr<LoadedFixture> fixtures_[2];
  std::optional<Status> broken_fixture_;
  size_t queries_ = 0;
};

class QueryCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(QueryCorpusTest, Run) {
  Result<CorpusFile> file = ReadCorpusFile(GetParam());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const size_t queries = CorpusRunner(*file).Run();
  total_queries += queries;
  RecordProperty("queries", static_cast<int>(queries));
  std::printf("[ corpus   ] %s: %zu queries\n",
              std::filesystem::path(GetParam()).filename().c_str(), queries);
  EXPECT_GT(queries, 0u) << GetParam() << " has no queries";
}

INSTANTIATE_TEST_SUITE_P(Corpus, QueryCorpusTest, ::testing::ValuesIn(CorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace dtwin::query::testing
