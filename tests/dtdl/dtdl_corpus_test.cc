// Conformance of the DTDL parser and the instance validator with the reference parser's test
// suite (dtdl.md section 10), read in place from shared/corpus. One TEST per folder and metric;
// each prints a summary line and, below 100%, the disagreeing cases (DTWIN_CORPUS_VERBOSE=N
// lists up to N, default 40). Single-threaded.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/json_reader.h"
#include "corpus_case_loader.h"
#include "dtdl/element.h"
#include "dtdl/instance_validator.h"
#include "dtdl/model_parser.h"

namespace dtwin::dtdl {
namespace {

constexpr char kCorpusMissing[] =
    "needs ../shared/corpus/dtdlparser-tests (DTDL reference test suite)";
constexpr size_t kDefaultVerbose = 40;
constexpr size_t kMaxMessage = 160;

bool CorpusPresent() { return std::filesystem::is_directory(CorpusRoot()); }

size_t VerboseLimit() {
  const char* value = std::getenv("DTWIN_CORPUS_VERBOSE");
  if (value == nullptr || *value == '\0') return kDefaultVerbose;
  return static_cast<size_t>(std::strtoull(value, nullptr, 10));
}

std::string Shorten(std::string text) {
  if (text.size() > kMaxMessage) text = text.substr(0, kMaxMessage) + "...";
  return text;
}

std::string Describe(const DtdlError& error) {
  std::string text = error.validation_id.empty() ? "(no validation id)" : error.validation_id;
  if (!error.pointer.empty()) text += " at " + error.pointer;
  return text + ": " + Shorten(error.message);
}

// Agreement counts for one folder and metric, with what was skipped and why.
struct Tally {
  size_t agree = 0;
  size_t total = 0;
  std::map<std::string, size_t> skipped;  // by reason
  std::vector<std::string> disagreements;
  std::map<std::string, size_t> disagreements_by_file;

  double Rate() const { return total == 0 ? 0.0 : static_cast<double>(agree) / total; }

  void Record(bool agrees, const CorpusCase& test_case, std::string description) {
    ++total;
    if (agrees) {
      ++agree;
      return;
    }
    disagreements.push_back(std::move(description));
    ++disagreements_by_file[test_case.file];
  }
};

// Prints "label: a/t agree (x%), n skipped (reason: n, ...)" and, below 100%, the first
// disagreements and the files with the most of them.
void Report(std::string_view label, const Tally& tally) {
  size_t skipped = 0;
  std::string reasons;
  for (const auto& [reason, count] : tally.skipped) {
    skipped += count;
    reasons += (reasons.empty() ? "" : ", ") + reason + ": " + std::to_string(count);
  }
  std::ostringstream line;
  line << label << ": " << tally.agree << "/" << tally.total << " agree (" << std::fixed
       << std::setprecision(2) << 100.0 * tally.Rate() << "%), " << skipped << " skipped";
  if (skipped > 0) line << " (" << reasons << ")";
  std::cout << line.str() << "\n";

  size_t limit = std::min(VerboseLimit(), tally.disagreements.size());
  for (size_t i = 0; i < limit; ++i) std::cout << "  " << tally.disagreements[i] << "\n";
  if (limit < tally.disagreements.size()) {
    std::cout << "  ... " << tally.disagreements.size() - limit
              << " more (DTWIN_CORPUS_VERBOSE=N lists N)\n";
  }
  std::vector<std::pair<size_t, std::string>> files;
  for (const auto& [file, count] : tally.disagreements_by_file) {
    if (count > 1) files.emplace_back(count, file);
  }
  std::sort(files.rbegin(), files.rend());
  if (!files.empty()) std::cout << "  files with the most disagreements:\n";
  for (size_t i = 0; i < std::min<size_t>(files.size(), 10); ++i) {
    std::cout << "    " << files[i].first << "  " << files[i].second << "\n";
  }
}

// One case parsed the way the reference harness does: the resolver's documents first (they
// become Interfaces already known to the parser), then the inputs as one batch.
struct CaseParse {
  ParseResult resolution;
  ParseResult inputs;
  // The case's errors: the resolution documents' when they fail, else the inputs'. A parser
  // exception is reported as an error so that one bad case does not stop the run.
  std::vector<DtdlError> errors;
};

CaseParse ParseCase(const CorpusCase& test_case) {
  ModelParser parser(ParserOptionsFor(test_case));
  CaseParse parse;
  try {
    if (!test_case.resolution_docs.empty()) {
      parse.resolution = parser.Parse(test_case.resolution_docs);
      if (!parse.resolution.ok()) {
        parse.errors = parse.resolution.errors;
        return parse;
      }
    }
    const ParsedModels& known = parse.resolution.models;
    parse.inputs = parser.Parse(test_case.inputs, [&known](const std::string& id) {
      auto it = known.by_id.find(id);
      return it != known.by_id.end() && it->second->IsInterface() ? it->second : nullptr;
    });
    parse.errors = parse.inputs.errors;
  } catch (const std::exception& e) {
    DtdlError error;
    error.validation_id = "(exception)";
    error.message = e.what();
    parse.errors.push_back(std::move(error));
  }
  return parse;
}

std::string VerdictDisagreement(const CorpusCase& test_case, const CaseParse& parse) {
  if (test_case.valid) {
    return test_case.name + ": expected valid, we reject: " + Describe(parse.errors.front());
  }
  std::string expected;
  for (const ExpectedError& error : test_case.expected_errors) {
    expected += (expected.empty() ? " (" : ", ") + error.validation_id;
  }
  if (!expected.empty()) expected += ")";
  return test_case.name + ": expected invalid" + expected + ", we accept";
}

// Every error we emit has one of the expected validation ids (the reference harness checks
// actual within expected, not the reverse); accepting the case is a mismatch too.
void RecordErrorIds(const CorpusCase& test_case, const CaseParse& parse, Tally& tally) {
  std::set<std::string> expected;
  for (const ExpectedError& error : test_case.expected_errors) expected.insert(error.validation_id);
  std::string unexpected;
  for (const DtdlError& error : parse.errors) {
    if (!expected.contains(error.validation_id)) {
      unexpected += (unexpected.empty() ? "" : "; ") + Describe(error);
    }
  }
  bool agrees = !parse.errors.empty() && unexpected.empty();
  std::string expected_list;
  for (const std::string& id : expected) expected_list += (expected_list.empty() ? "" : ", ") + id;
  tally.Record(agrees, test_case,
               test_case.name + ": expected {" + expected_list + "}, we " +
                   (parse.errors.empty() ? std::string("accept") : "emit " + unexpected));
}

// The element an instance check names: one of the case's elements, or a standard schema.
// The reference parser names standard schemas "...:double;2" in v3 models too, so both
// versions' standard elements are searched, the case's own first.
const Element* FindSubject(const CorpusCase& test_case, const CaseParse& parse,
                           const std::string& subject) {
  for (const ParsedModels* models : {&parse.inputs.models, &parse.resolution.models}) {
    auto it = models->by_id.find(subject);
    if (it != models->by_id.end()) return it->second;
  }
  DtdlVersion own = test_case.file_version == 2 ? DtdlVersion::kV2 : DtdlVersion::kV3;
  DtdlVersion other = own == DtdlVersion::kV2 ? DtdlVersion::kV3 : DtdlVersion::kV2;
  for (DtdlVersion version : {own, other}) {
    for (int type = 0; type <= static_cast<int>(PrimitiveType::kTime); ++type) {
      const Element& standard = StandardPrimitive(static_cast<PrimitiveType>(type), version);
      if (standard.id == subject) return &standard;
    }
    for (int type = 0; type <= static_cast<int>(GeospatialType::kMultiPolygon); ++type) {
      const Element& standard = StandardGeospatial(static_cast<GeospatialType>(type), version);
      if (standard.id == subject) return &standard;
    }
  }
  return nullptr;
}

void RecordInstances(const CorpusCase& test_case, const CaseParse& parse, Tally& tally) {
  for (const InstanceCheck& check : test_case.instances) {
    if (check.throws) {
      ++tally.skipped["throws (subject is not a schema)"];
      continue;
    }
    std::string what = test_case.name + ": " + check.subject + " <- `" + Shorten(check.submit) +
                       "` expected " + (check.conforms ? "conforms" : "does not conform");
    if (!parse.errors.empty()) {
      tally.Record(false, test_case,
                   what + ", but we reject the model: " + Describe(parse.errors.front()));
      continue;
    }
    const Element* subject = FindSubject(test_case, parse, check.subject);
    if (subject == nullptr) {
      tally.Record(false, test_case, what + ", but we have no element with that id");
      continue;
    }
    Result<boost::json::value> value = ReadJson(check.submit);
    std::vector<InstanceProblem> problems;
    try {
      if (value.ok()) problems = ValidateValue(*subject, *value);
    } catch (const std::exception& e) {
      problems.push_back({"", std::string("(exception) ") + e.what()});
    }
    bool conforms = value.ok() && problems.empty();
    std::string ours =
        conforms ? ", we say it conforms"
        : !value.ok()
            ? ", we say it is not JSON: " + Shorten(value.status().message())
            : ", we say no: " + problems.front().pointer + " " + Shorten(problems.front().message);
    tally.Record(conforms == check.conforms, test_case, what + ours);
  }
}

// Every metric of one folder.
struct FolderRun {
  Tally verdicts;
  Tally error_ids;  // invalid cases listing expected error ids
  Tally instances;  // instance checks of valid cases
};

FolderRun RunFolder(CorpusFolder folder) {
  FolderRun run;
  for (const std::filesystem::path& path : ListCorpusFiles(folder)) {
    Result<std::vector<CorpusCase>> cases = LoadCorpusFile(folder, path);
    if (!cases.ok()) {
      ADD_FAILURE() << "cannot load a corpus file: " << cases.status().message();
      continue;
    }
    for (const CorpusCase& test_case : *cases) {
      if (std::string reason = OutOfScopeReason(test_case); !reason.empty()) {
        ++run.verdicts.skipped[reason];
        if (!test_case.instances.empty())
          run.instances.skipped[reason] += test_case.instances.size();
        continue;
      }
      CaseParse parse = ParseCase(test_case);
      bool agrees = parse.errors.empty() == test_case.valid;
      run.verdicts.Record(agrees, test_case, agrees ? "" : VerdictDisagreement(test_case, parse));
      if (!test_case.valid && !test_case.expected_errors.empty()) {
        RecordErrorIds(test_case, parse, run.error_ids);
      }
      if (test_case.valid) RecordInstances(test_case, parse, run.instances);
    }
  }
  return run;
}

// generated/ feeds three tests; run it once per process.
const FolderRun& GeneratedRun() {
  static const FolderRun run = RunFolder(CorpusFolder::kGenerated);
  return run;
}

void ExpectRate(const Tally& tally, double bar) {
  EXPECT_GT(tally.total, 0u) << "no case in scope";
  EXPECT_GE(tally.Rate(), bar) << tally.total - tally.agree << " of " << tally.total
                               << " disagree; see the list above";
}

// The loader reads each folder's format into the same struct and scopes cases as intended.
TEST(DtdlCorpusTest, LoaderNormalizesEveryFolderFormat) {
  if (!CorpusPresent()) GTEST_SKIP() << kCorpusMissing;
  auto load = [](CorpusFolder folder, const char* file) {
    Result<std::vector<CorpusCase>> cases =
        LoadCorpusFile(folder, CorpusRoot() / CorpusFolderName(folder) / file);
    EXPECT_TRUE(cases.ok()) << file << ": " << (cases.ok() ? "" : cases.status().message());
    return cases.ok() ? std::move(*cases) : std::vector<CorpusCase>();
  };

  std::vector<CorpusCase> spec = load(CorpusFolder::kSpecification,
                                      "Requirement-ClassArrayPropertyElementSchemaElementV3.json");
  ASSERT_GT(spec.size(), 1u);
  EXPECT_EQ(spec[1].name, "Requirement-ClassArrayPropertyElementSchemaElementV3.json#case1");
  EXPECT_EQ(spec[1].file_version, 3);
  ASSERT_EQ(spec[1].inputs.size(), 1u);
  EXPECT_EQ(spec[1].inputs[0].name, spec[1].name + "/input0");
  EXPECT_TRUE(ReadJson(spec[1].inputs[0].text).ok());
  EXPECT_EQ(OutOfScopeReason(spec[1]), "");  // nests context;4, but is a V3 rule

  std::vector<CorpusCase> resolved =
      load(CorpusFolder::kGenerated, "InterfaceExtendsIdReferenceOnResolveWithNoOptionV3.json");
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_FALSE(resolved[0].valid);
  EXPECT_EQ(resolved[0].resolution_docs.size(), 2u);
  ASSERT_EQ(resolved[0].expected_errors.size(), 1u);
  EXPECT_EQ(resolved[0].expected_errors[0].validation_id, "dtmi:dtdl:parsingError:idReference");
  EXPECT_EQ(resolved[0].expected_errors[0].primary_id, "dtmi:test:childInterface;1");

  std::vector<CorpusCase> instances = load(CorpusFolder::kGenerated, "ArrayV2.json");
  ASSERT_EQ(instances.size(), 1u);
  ASSERT_EQ(instances[0].instances.size(), 15u);
  EXPECT_EQ(instances[0].instances[3].submit, "[ 2, \"hi\", 555 ]");
  EXPECT_FALSE(instances[0].instances[3].conforms);

  std::vector<CorpusCase> mqtt = load(CorpusFolder::kDocExamples, "mqttDocExample-en-US-1-V3.json");
  ASSERT_EQ(mqtt.size(), 1u);
  EXPECT_EQ(OutOfScopeReason(mqtt[0]), "context dtmi:dtdl:extension:mqtt;3");
  std::vector<CorpusCase> v4 = load(CorpusFolder::kGenerated, "ArrayV4.json");
  ASSERT_EQ(v4.size(), 1u);
  EXPECT_EQ(OutOfScopeReason(v4[0]), "v4");
}

TEST(DtdlCorpusTest, SpecificationV2V3VerdictsAgree) {
  if (!CorpusPresent()) GTEST_SKIP() << kCorpusMissing;
  FolderRun run = RunFolder(CorpusFolder::kSpecification);
  Report("specification V2+V3", run.verdicts);
  ExpectRate(run.verdicts, 0.995);
}

TEST(DtdlCorpusTest, GeneratedVerdictsAgree) {
  if (!CorpusPresent()) GTEST_SKIP() << kCorpusMissing;
  Report("generated v2/v3 verdicts", GeneratedRun().verdicts);
  ExpectRate(GeneratedRun().verdicts, 0.98);
}

TEST(DtdlCorpusTest, GeneratedErrorIdsAreExpected) {
  if (!CorpusPresent()) GTEST_SKIP() << kCorpusMissing;
  Report("generated v2/v3 invalid cases whose errors are all expected ids",
         GeneratedRun().error_ids);
  ExpectRate(GeneratedRun().error_ids, 0.90);
}

TEST(DtdlCorpusTest, GeneratedInstanceChecksAgree) {
  if (!CorpusPresent()) GTEST_SKIP() << kCorpusMissing;
  Report("generated v2/v3 instance checks", GeneratedRun().instances);
  ExpectRate(GeneratedRun().instances, 0.99);
}

TEST(DtdlCorpusTest, DocExampleVerdictsAgree) {
  if (!CorpusPresent()) GTEST_SKIP() << kCorpusMissing;
  FolderRun run = RunFolder(CorpusFolder::kDocExamples);
  Report("doc-examples v2/v3", run.verdicts);
  ExpectRate(run.verdicts, 0.995);
}

}  // namespace
}  // namespace dtwin::dtdl
