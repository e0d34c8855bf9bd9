// DTDL engine benchmarks: parse+resolve the RealEstateCore ontology (767 Interfaces) and
// validate a ~1 KB twin. Each is paired with a baseline measured in the same run (plain
// Boost.JSON parsing of the same bytes) so results can be read as ratios on a noisy machine.
#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/json_reader.h"
#include "dtdl/instance_validator.h"
#include "dtdl/model_parser.h"

namespace {

namespace fs = std::filesystem;
using dtwin::dtdl::ModelSource;

std::vector<ModelSource> LoadOntology() {
  std::vector<ModelSource> sources;
  fs::path root = fs::path(DTWIN_SHARED_DIR) / "corpus/ontologies/realestatecore/Ontology";
  if (!fs::exists(root)) return sources;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    sources.push_back({entry.path().string(), std::move(text).str()});
  }
  std::sort(sources.begin(), sources.end(),
            [](const ModelSource& a, const ModelSource& b) { return a.name < b.name; });
  return sources;
}

const std::vector<ModelSource>& Ontology() {
  static const std::vector<ModelSource> sources = LoadOntology();
  return sources;
}

void BM_OntologyJsonParseBaseline(benchmark::State& state) {
  if (Ontology().empty()) {
    state.SkipWithError("needs ../shared/corpus/ontologies/realestatecore");
    return;
  }
  for (auto _ : state) {
    for (const ModelSource& source : Ontology()) {
      std::string_view text = source.text;
      if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      benchmark::DoNotOptimize(boost::json::parse(text));
    }
  }
  state.counters["interfaces"] = static_cast<double>(Ontology().size());
}
BENCHMARK(BM_OntologyJsonParseBaseline)->Unit(benchmark::kMillisecond);

void BM_OntologyParseAndResolve(benchmark::State& state) {
  if (Ontology().empty()) {
    state.SkipWithError("needs ../shared/corpus/ontologies/realestatecore");
    return;
  }
  dtwin::dtdl::ModelParser parser;
  size_t interfaces = 0;
  for (auto _ : state) {
    dtwin::dtdl::ParseResult result = parser.Parse(Ontology());
    if (!result.ok()) {
      state.SkipWithError(("ontology did not validate: " + result.errors[0].message).c_str());
      return;
    }
    interfaces = result.models.interfaces.size();
  }
  state.counters["interfaces"] = static_cast<double>(interfaces);
}
BENCHMARK(BM_OntologyParseAndResolve)->Unit(benchmark::kMillisecond);

// A room model with the shapes a typical twin uses: primitives, an enum, a map, an object.
constexpr const char* kRoomModel = R"({
  "@context": "dtmi:dtdl:context;3", "@id": "dtmi:bench:Room;1", "@type": "Interface",
  "contents": [
    {"@type": "Property", "name": "name", "schema": "string"},
    {"@type": "Property", "name": "temperature", "schema": "double"},
    {"@type": "Property", "name": "humidity", "schema": "double"},
    {"@type": "Property", "name": "co2", "schema": "integer"},
    {"@type": "Property", "name": "occupied", "schema": "boolean"},
    {"@type": "Property", "name": "lastCleaned", "schema": "dateTime"},
    {"@type": "Property", "name": "openingHours", "schema": "time"},
    {"@type": "Property", "name": "maxStay", "schema": "duration"},
    {"@type": "Property", "name": "capacity", "schema": "long"},
    {"@type": "Property", "name": "mode", "schema": {"@type": "Enum", "valueSchema": "string",
      "enumValues": [{"name": "eco", "enumValue": "ECO"}, {"name": "comfort", "enumValue": "COMFORT"}]}},
    {"@type": "Property", "name": "tags", "schema": {"@type": "Map",
      "mapKey": {"name": "key", "schema": "string"}, "mapValue": {"name": "value", "schema": "string"}}},
    {"@type": "Property", "name": "position", "schema": {"@type": "Object", "fields": [
      {"name": "x", "schema": "double"}, {"name": "y", "schema": "double"}, {"name": "floor", "schema": "integer"}]}}
  ]})";

constexpr const char* kRoomTwin = R"({
  "$dtId": "room-0001", "$etag": "W/\"b1d9c7a2-0000-0000-0000-000000000000\"",
  "name": "Conference room Orion, third floor, east wing",
  "temperature": 21.375, "humidity": 43.25, "co2": 612, "occupied": true,
  "lastCleaned": "2026-11-25T18:30:00.125Z", "openingHours": "08:00:00+01:00",
  "maxStay": "PT2H30M", "capacity": 24, "mode": "COMFORT",
  "tags": {"building": "HQ", "wing": "east", "costCenter": "CC-4711", "cleaning": "daily",
           "projector": "yes", "whiteboard": "yes", "videoConference": "Teams and Zoom",
           "accessibility": "step-free entrance, hearing loop", "bookedBy": "facilities@example.com"},
  "position": {"x": 12.5, "y": 48.25, "floor": 3},
  "$metadata": {"$model": "dtmi:bench:Room;1",
    "$lastUpdateTime": "2026-11-26T06:00:00.000Z",
    "temperature": {"lastUpdateTime": "2026-11-26T06:00:00.000Z"},
    "humidity": {"lastUpdateTime": "2026-11-26T06:00:00.000Z"},
    "co2": {"lastUpdateTime": "2026-11-26T06:00:00.000Z"}}
})";

void BM_TwinJsonParseBaseline(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::parse(kRoomTwin));
  state.counters["bytes"] = static_cast<double>(std::char_traits<char>::length(kRoomTwin));
}
BENCHMARK(BM_TwinJsonParseBaseline);

void BM_ValidateTwin(benchmark::State& state) {
  dtwin::dtdl::ParseResult models = dtwin::dtdl::ModelParser().Parse({{"room", kRoomModel}});
  if (!models.ok()) {
    state.SkipWithError(("model did not validate: " + models.errors[0].message).c_str());
    return;
  }
  const dtwin::dtdl::Element& room = *models.models.interfaces.front();
  boost::json::value twin = boost::json::parse(kRoomTwin);
  for (auto _ : state) {
    dtwin::Status status = dtwin::dtdl::ValidateTwin(room, twin);
    if (!status.ok()) {
      state.SkipWithError(status.message().c_str());
      return;
    }
  }
}
BENCHMARK(BM_ValidateTwin);

}  // namespace

BENCHMARK_MAIN();
