// One fuzz input through the query parser and engine: see query_fuzz_input.h.
#include "query_fuzz_input.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/base64url.h"
#include "common/json_writer.h"
#include "common/status.h"
#include "graph/graph_documents.h"
#include "graph/twin_graph.h"
#include "query/query_ast.h"
#include "query/query_engine.h"
#include "query/query_parser.h"

namespace dtwin::fuzz {
namespace {

namespace json = boost::json;

constexpr std::string_view kSpaceModel = "dtmi:fuzz:Space;1";
constexpr std::string_view kRoomModel = "dtmi:fuzz:Room;1";  // extends Space
constexpr std::string_view kSensorModel = "dtmi:fuzz:Sensor;1";
constexpr std::string_view kTime = "2024-05-01T10:00:00.0000000Z";
// Small pages and many of them exercise continuation tokens; the page bound keeps one input
// well under libFuzzer's -timeout even when each page runs to the engine's timeout.
constexpr size_t kPageSize = 2;
constexpr int kMaxPages = 8;
constexpr std::chrono::milliseconds kQueryTimeout{50};

void AddTwin(graph::TwinGraph& graph, std::string_view id, std::string_view model,
             json::object properties) {
  json::object metadata{{"$model", model}, {"$lastUpdateTime", kTime}};
  std::string etag = "W/\"etag-" + std::string(id) + "\"";
  json::object document{{"$dtId", id}, {"$etag", etag}};
  for (const json::key_value_pair& property : properties) {
    document.emplace(property.key(), property.value());
    metadata.emplace(property.key(), json::object{{"lastUpdateTime", kTime}});
  }
  document.emplace("$metadata", std::move(metadata));
  graph.UpsertTwin(graph::Twin{std::string(id), std::string(model), std::move(etag),
                               graph::CompactTwinDocument(std::move(document))});
}

void AddRelationship(graph::TwinGraph& graph, std::string_view id, std::string_view source,
                     std::string_view name, std::string_view target, json::object properties) {
  graph.UpsertRelationship(graph::Relationship{
      std::string(id), std::string(source), std::string(target), std::string(name),
      "W/\"etag-" + std::string(id) + "\"", std::move(properties)});
}

// Six twins of three models (one of them extending another), with properties of every JSON
// type, a component, and odd ids; relationships with properties, parallel edges, a self-loop
// and a three-twin cycle, so that MATCH and JOIN walks can loop.
std::unique_ptr<graph::TwinGraph> BuildGraph() {
  auto owned = std::make_unique<graph::TwinGraph>();
  graph::TwinGraph& graph = *owned;
  AddTwin(graph, "space1", kSpaceModel,
          {{"name", "Building"}, {"temperature", "hot"}, {"floor", nullptr}});
  AddTwin(graph, "room1", kRoomModel,
          {{"name", "Room 1"},
           {"temperature", 21.5},
           {"floor", 1},
           {"occupied", true},
           {"note", nullptr},
           {"tags", json::array{"a", "b", 1, json::array{1}}},
           {"location", json::object{{"x", 1}, {"y", json::object{{"z", "deep"}}}}},
           {"thermostat", json::object{{"setpoint", 20}, {"$metadata", json::object{}}}}});
  AddTwin(graph, "room2", kRoomModel,
          {{"name", "Room 2"},
           {"temperature", 23},
           {"floor", 2},
           {"occupied", false},
           {"tags", json::array{}},
           {"location", json::object{}},
           {"huge", 1e308},
           {"smallest", INT64_MIN},
           {"largest", UINT64_MAX}});
  AddTwin(graph, "sensor1", kSensorModel,
          {{"name", "Sensor 1"},
           {"value", -0.0},
           {"unicode", "h\xc3\xa9llo \xe2\x9c\x93"},
           {"empty", ""},
           {"nested", json::array{json::array{1, 2}, json::array{3}}}});
  AddTwin(graph, "sensor2", kSensorModel, {});
  AddTwin(graph, "odd 'id' \\ \"x\"", "dtmi:fuzz:Unknown;1", {{"name", nullptr}});
  AddRelationship(graph, "c1", "space1", "contains", "room1", {{"weight", 1.5}});
  AddRelationship(graph, "c2", "space1", "contains", "room2", {{"label", "x"}});
  AddRelationship(graph, "c3", "room1", "contains", "sensor1", {{"active", true}});
  AddRelationship(graph, "c4", "room2", "contains", "sensor2",
                  {{"meta", json::object{{"a", 1}}}, {"list", json::array{1, 2}}});
  AddRelationship(graph, "f1", "room1", "feeds", "room2", {});
  AddRelationship(graph, "f1b", "room1", "feeds", "room2", {{"weight", 2}});
  AddRelationship(graph, "f2", "room2", "feeds", "space1", {});
  AddRelationship(graph, "f3", "space1", "feeds", "room1", {{"weight", nullptr}});
  AddRelationship(graph, "self", "sensor1", "observes", "sensor1", {});
  AddRelationship(graph, "odd", "odd 'id' \\ \"x\"", "feeds", "room1", {});
  return owned;
}

const graph::TwinGraph& FuzzGraph() {
  static const std::unique_ptr<graph::TwinGraph> graph = BuildGraph();
  return *graph;
}

// The models' inheritance: Room extends Space.
std::vector<std::string> ModelAndDescendants(std::string_view model_id) {
  std::vector<std::string> models{std::string(model_id)};
  if (model_id == kSpaceModel) models.emplace_back(kRoomModel);
  return models;
}

void AppendTwinJson(const graph::Twin& twin, std::string& out) {
  AppendJson(graph::ExpandTwinDocument(twin.document), out);
}

const query::QueryCatalog& FuzzCatalog() {
  static const query::QueryCatalog catalog{ModelAndDescendants, AppendTwinJson};
  return catalog;
}

// "" when status is an error a user may cause with query text, else what is wrong with it.
std::string CheckError(std::string_view call, const Status& status) {
  if (status.ok()) return std::string(call) + " returned an OK status instead of a value";
  const ErrorCode code = status.code();
  if (code != ErrorCode::kSqlQueryError && code != ErrorCode::kBadRequest &&
      code != ErrorCode::kTimeoutError) {
    return std::string(call) + " failed with unexpected " + status.ToString();
  }
  if (status.message().empty()) return std::string(call) + " failed with an empty message";
  return "";
}

// The invariants query_ast.h and query_parser.h promise about a parsed query.
std::string CheckParsed(const query::Query& parsed) {
  if (parsed.joins.size() > query::kMaxQueryJoins) return "more JOINs than kMaxQueryJoins";
  if (parsed.select.top && *parsed.select.top < 1) return "TOP(n) with n < 1";
  if (!parsed.match) return "";
  const query::QueryMatch& match = *parsed.match;
  if (!parsed.joins.empty()) return "MATCH together with JOIN";
  if (match.nodes.empty() || match.edges.size() + 1 != match.nodes.size()) {
    return "MATCH with edges.size() != nodes.size() - 1";
  }
  for (const query::QueryMatchEdge& edge : match.edges) {
    if (edge.min_hops < 1 || edge.min_hops > edge.max_hops ||
        edge.max_hops > query::kMaxQueryMatchHops) {
      return "MATCH edge hops " + std::to_string(edge.min_hops) + ".." +
             std::to_string(edge.max_hops);
    }
  }
  return "";
}

// How one query went, page after page.
struct Run {
  std::string problem;               // "" when the engine behaved
  std::optional<size_t> rows;        // all pages' rows, when every page succeeded
  ErrorCode error = ErrorCode::kOk;  // the error that ended it
};

// Runs text (or the continuation token, when not empty) page after page, feeding back each
// continuation the engine returns, and also a truncated copy of the first one.
Run Execute(std::string_view text, std::string_view continuation, bool allow_unanchored) {
  query::QueryOptions options;
  options.timeout = kQueryTimeout;
  options.allow_unanchored_traversals = allow_unanchored;
  std::string token(continuation);
  Run run;
  size_t total = 0;
  for (int page = 0; page < kMaxPages; ++page) {
    Result<query::QueryPage> result = query::ExecuteQuery(
        FuzzGraph(), FuzzCatalog(), options, query::QueryRequest{text, token, kPageSize});
    if (!result.ok()) {
      run.problem = CheckError("ExecuteQuery", result.status());
      run.error = result.status().code();
      return run;
    }
    if (result->rows.size() > kPageSize) {
      run.problem = "ExecuteQuery returned more rows than max_items";
      return run;
    }
    for (const std::string& row : result->rows) {
      std::error_code error;
      const json::value value = json::parse(row, error);
      if (error || !value.is_object()) {
        run.problem = "ExecuteQuery returned a row that is not a JSON object: " + row;
        return run;
      }
    }
    total += result->rows.size();
    if (result->continuation.empty()) {
      run.rows = total;
      return run;
    }
    if (page == 0) {
      const std::string half = result->continuation.substr(0, result->continuation.size() / 2);
      run.problem = Execute(text, half, allow_unanchored).problem;
      if (!run.problem.empty()) {
        run.problem = "with a truncated continuation: " + run.problem;
        return run;
      }
    }
    token = std::move(result->continuation);
  }
  return run;
}

}  // namespace

std::string CheckQueryInput(std::string_view input) {
  // Either setting is as hostile as the other; let the input pick, so both get fuzzed.
  const bool allow_unanchored = input.size() % 2 == 1;
  Result<query::Query> parsed = query::ParseQuery(input);
  std::string problem;
  if (!parsed.ok()) {
    problem = CheckError("ParseQuery", parsed.status());
  } else if (input.size() > query::kMaxQueryLength) {
    problem = "ParseQuery accepted an over-long query";
  } else {
    problem = CheckParsed(parsed.value());
  }
  if (!problem.empty()) return problem;

  const Run run = Execute(input, "", allow_unanchored);
  if (!run.problem.empty()) return run.problem;
  if (!parsed.ok() && run.error != ErrorCode::kSqlQueryError) {
    return "ExecuteQuery did not fail with SqlQueryError on text ParseQuery rejects";
  }
  if (parsed.ok() && parsed->select.top && run.rows &&
      *run.rows > static_cast<uint64_t>(*parsed->select.top)) {
    return "ExecuteQuery returned more rows than TOP(n)";
  }

  // The input as a continuation token: raw (mostly not base64url), and encoded, so the
  // token's JSON decoding and the resumed execution see arbitrary content too.
  constexpr std::string_view kAnyQuery = "SELECT * FROM DIGITALTWINS";
  problem = Execute(kAnyQuery, input, allow_unanchored).problem;
  if (!problem.empty()) return "with the input as a continuation: " + problem;
  problem = Execute(kAnyQuery, Base64UrlEncode(input), allow_unanchored).problem;
  if (!problem.empty()) return "with the base64url input as a continuation: " + problem;
  return "";
}

}  // namespace dtwin::fuzz
