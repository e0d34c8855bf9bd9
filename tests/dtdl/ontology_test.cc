// Real ontologies (shared/corpus/ontologies) parse as one upload each under ADT rules, and
// corrupted copies are rejected with errors that point at the damage. Single-threaded.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "common/json_reader.h"
#include "corpus_case_loader.h"
#include "dtdl/model_parser.h"

namespace dtwin::dtdl {
namespace {

namespace json = boost::json;

constexpr size_t kErrorsShown = 10;

struct Ontology {
  const char* name;  // test name suffix
  const char* dir;   // under shared/corpus/ontologies
};

constexpr Ontology kOntologies[] = {
    {"RealEstateCore", "realestatecore/Ontology"},
    {"SmartCities", "smartcities/Ontology"},
    {"EnergyGrid", "energygrid/Ontology"},
    {"Isa95Manufacturing", "isa95-manufacturing/Ontologies/ISA95"},
};

// Names the parameter in test names and ctest ("GetParam() = smartcities/Ontology").
void PrintTo(const Ontology& ontology, std::ostream* out) { *out << ontology.dir; }

std::filesystem::path OntologyDir(const Ontology& ontology) {
  return std::filesystem::path(DTWIN_SHARED_DIR) / "corpus" / "ontologies" / ontology.dir;
}

// Every *.json below the ontology's folder (each is one Interface), sorted by path, named by
// path relative to the folder, byte order marks removed.
std::vector<ModelSource> LoadOntology(const Ontology& ontology) {
  std::filesystem::path dir = OntologyDir(ontology);
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<ModelSource> sources;
  for (const std::filesystem::path& path : paths) {
    Result<std::string> text = ReadTextFile(path);
    EXPECT_TRUE(text.ok()) << text.status().message();
    if (text.ok()) {
      sources.push_back({std::filesystem::relative(path, dir).string(), std::move(*text)});
    }
  }
  return sources;
}

std::string FirstErrors(const ParseResult& result, const std::vector<ModelSource>& sources) {
  std::string text = std::to_string(result.errors.size()) + " errors, first ones:\n";
  for (size_t i = 0; i < std::min(result.errors.size(), kErrorsShown); ++i) {
    const DtdlError& error = result.errors[i];
    std::string where =
        error.source_index < sources.size() ? sources[error.source_index].name : "(batch)";
    text += "  " + where + " " + error.pointer + " [" + error.validation_id + "] " + error.message +
            "\n";
  }
  return text;
}

// The document of each source; the ontologies are JSON by construction.
std::vector<json::object> ReadDocuments(const std::vector<ModelSource>& sources) {
  std::vector<json::object> documents;
  for (const ModelSource& source : sources) {
    Result<json::value> value = ReadJson(source.text);
    EXPECT_TRUE(value.ok() && value->is_object()) << source.name << " is not a JSON object";
    documents.push_back(value.ok() && value->is_object() ? value->get_object() : json::object());
  }
  return documents;
}

std::vector<std::string> ExtendedIds(const json::object& document) {
  std::vector<std::string> ids;
  const json::value* extends = document.if_contains("extends");
  if (extends == nullptr) return ids;
  if (extends->is_string()) ids.emplace_back(extends->get_string());
  if (extends->is_array()) {
    for (const json::value& base : extends->get_array()) {
      if (base.is_string()) ids.emplace_back(base.get_string());
    }
  }
  return ids;
}

class OntologyTest : public testing::TestWithParam<Ontology> {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(OntologyDir(GetParam()))) {
      GTEST_SKIP() << "needs ../shared/corpus/ontologies/" << GetParam().dir
                   << " (real DTDL ontologies)";
    }
    sources_ = LoadOntology(GetParam());
    ASSERT_FALSE(sources_.empty()) << "no *.json under " << OntologyDir(GetParam());
  }

  std::vector<ModelSource> sources_;
};

TEST_P(OntologyTest, ParsesAsOneBatchWithEveryInterface) {
  ParseResult result = ModelParser().Parse(sources_);
  EXPECT_TRUE(result.ok()) << FirstErrors(result, sources_);

  std::set<std::string> parsed;
  for (const Element* interface : result.models.interfaces) parsed.insert(interface->id);
  std::vector<json::object> documents = ReadDocuments(sources_);
  for (size_t i = 0; i < documents.size(); ++i) {
    const json::value* id = documents[i].if_contains("@id");
    ASSERT_TRUE(id != nullptr && id->is_string()) << sources_[i].name << " has no @id";
    EXPECT_TRUE(parsed.contains(std::string(id->get_string())))
        << sources_[i].name << ": " << id->get_string() << " missing from models.interfaces";
  }
  EXPECT_EQ(result.models.interfaces.size(), sources_.size());
}

TEST_P(OntologyTest, TruncatedFileIsRejectedAtThatFile) {
  size_t damaged = sources_.size() / 2;
  sources_[damaged].text.resize(sources_[damaged].text.size() / 2);

  ParseResult result = ModelParser().Parse(sources_);
  ASSERT_FALSE(result.ok()) << sources_[damaged].name << " cut in half was accepted";
  bool points_at_damage =
      std::any_of(result.errors.begin(), result.errors.end(),
                  [&](const DtdlError& error) { return error.source_index == damaged; });
  EXPECT_TRUE(points_at_damage) << "no error names " << sources_[damaged].name << "\n"
                                << FirstErrors(result, sources_);
}

TEST_P(OntologyTest, RenamedBaseInterfaceLeavesExtendsUnresolved) {
  // The first Interface (by file) that another file extends gets a new @id, so the
  // extends that named it point at nothing.
  std::vector<json::object> documents = ReadDocuments(sources_);
  std::set<std::string> extended;
  for (const json::object& document : documents) {
    for (const std::string& id : ExtendedIds(document)) extended.insert(id);
  }
  auto base = std::find_if(documents.begin(), documents.end(), [&](const json::object& document) {
    const json::value* id = document.if_contains("@id");
    return id != nullptr && id->is_string() && extended.contains(std::string(id->get_string()));
  });
  ASSERT_NE(base, documents.end()) << "no Interface of the ontology is extended by another";
  std::string missing_id(base->at("@id").get_string());
  (*base)["@id"] = "dtmi:dtwinrenamed:" + missing_id.substr(std::string("dtmi:").size());
  size_t renamed = static_cast<size_t>(base - documents.begin());
  sources_[renamed].text = json::serialize(*base);

  ParseResult result = ModelParser().Parse(sources_);
  ASSERT_FALSE(result.ok()) << "renaming " << missing_id << " in " << sources_[renamed].name
                            << " went unnoticed";
  bool names_missing = std::any_of(
      result.errors.begin(), result.errors.end(),
      [&](const DtdlError& error) { return error.message.find(missing_id) != std::string::npos; });
  EXPECT_TRUE(names_missing) << "no error names the missing " << missing_id << "\n"
                             << FirstErrors(result, sources_);
}

INSTANTIATE_TEST_SUITE_P(Ontologies, OntologyTest, testing::ValuesIn(kOntologies),
                         [](const testing::TestParamInfo<Ontology>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace dtwin::dtdl
