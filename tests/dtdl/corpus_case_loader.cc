// Loads and normalizes the DTDL reference parser's test cases; see corpus_case_loader.h.
// Reads files only; no shared state.
#include "corpus_case_loader.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <string_view>

#include "common/json_reader.h"

namespace dtwin::dtdl {
namespace {

namespace json = boost::json;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Contexts the reference parser defines but dtwin does not implement (DTDL v4, its limit
// profiles, and extension versions other than the ones dtwin supports). Cases that use
// them test features dtwin does not have. Contexts nobody defines (dtmi:ex:foo;1,
// historization;100) are different: they are undefined extensions, which dtwin must
// handle, so they stay in scope.
constexpr std::array<std::string_view, 2> kUnsupportedContextPrefixes = {
    "dtmi:dtdl:context;4",
    "dtmi:dtdl:limits:",
};
constexpr std::array<std::string_view, 11> kUnsupportedContexts = {
    "dtmi:dtdl:extension:annotation;2",
    "dtmi:dtdl:extension:historization;2",
    "dtmi:dtdl:extension:overriding;2",
    "dtmi:dtdl:extension:quantitativeTypes;2",
    "dtmi:dtdl:extension:quantitativeTypes;3",
    "dtmi:dtdl:extension:layering;1",
    "dtmi:dtdl:extension:mqtt;1",
    "dtmi:dtdl:extension:mqtt;2",
    "dtmi:dtdl:extension:mqtt;3",
    "dtmi:dtdl:extension:requirement;1",
    "dtmi:dtdl:extension:requirement;2",
};

constexpr std::array<std::string_view, 12> kKnownCaseMembers = {
    "valid",
    "options",
    "quirks",
    "input",
    "expect",
    "desirable",
    "acceptableLimits",
    "instances",
    "requiredContexts",
    "resolution",
    "partialResolution",
    "maxDtdlVersion",
};

constexpr std::string_view kAllowUndefined = "AllowUndefinedExtensions";
constexpr std::string_view kDisallowUndefined = "DisallowUndefinedExtensions";

bool IsUnsupportedContext(std::string_view context) {
  return std::any_of(kUnsupportedContextPrefixes.begin(), kUnsupportedContextPrefixes.end(),
                     [&](std::string_view prefix) { return context.starts_with(prefix); }) ||
         std::find(kUnsupportedContexts.begin(), kUnsupportedContexts.end(), context) !=
             kUnsupportedContexts.end();
}

// 3 for "FooV3.json" or "Foo-V3.json", 0 when the name ends in no version.
int FileVersionOf(std::string_view file) {
  std::string_view stem = file.substr(0, file.rfind('.'));
  size_t v = stem.rfind('V');
  if (v == std::string_view::npos || v + 1 == stem.size()) return 0;
  int version = 0;
  for (char c : stem.substr(v + 1)) {
    if (c < '0' || c > '9') return 0;
    version = version * 10 + (c - '0');
  }
  return version;
}

void CollectContexts(const json::value& value, std::vector<std::string>& out) {
  if (const json::object* object = value.if_object()) {
    for (const auto& [key, member] : *object) {
      if (key == "@context") {
        if (member.is_string()) out.emplace_back(member.get_string());
        if (const json::array* entries = member.if_array()) {
          for (const json::value& entry : *entries) {
            if (entry.is_string()) out.emplace_back(entry.get_string());
          }
        }
      }
      CollectContexts(member, out);
    }
  } else if (const json::array* array = value.if_array()) {
    for (const json::value& element : *array) CollectContexts(element, out);
  }
}

// Reads an optional array of strings; false when present and not an array of strings.
bool ReadStringArray(const json::object& object, std::string_view key,
                     std::vector<std::string>& out) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return true;
  const json::array* array = value->if_array();
  if (array == nullptr) return false;
  for (const json::value& entry : *array) {
    if (!entry.is_string()) return false;
    out.emplace_back(entry.get_string());
  }
  return true;
}

std::string OptionalString(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

Status BadCase(const CorpusCase& test_case, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, test_case.name + ": " + std::string(what));
}

Status ReadExpect(const json::object& object, CorpusCase& test_case) {
  const json::value* expect = object.if_contains("expect");
  if (expect == nullptr || expect->is_null()) return Status::Ok();
  if (!expect->is_object()) return BadCase(test_case, "\"expect\" is not an object");
  const json::value* errors = expect->get_object().if_contains("parsingErrors");
  if (errors == nullptr) return Status::Ok();
  if (!errors->is_array()) return BadCase(test_case, "\"expect.parsingErrors\" is not an array");
  for (const json::value& error : errors->get_array()) {
    const json::object* fields = error.if_object();
    if (fields == nullptr || !fields->contains("ValidationID") ||
        !fields->at("ValidationID").is_string()) {
      return BadCase(test_case, "an expected parsing error has no string \"ValidationID\"");
    }
    test_case.expected_errors.push_back({std::string(fields->at("ValidationID").get_string()),
                                         OptionalString(*fields, "PrimaryID")});
  }
  return Status::Ok();
}

Status ReadResolution(const json::object& object, CorpusCase& test_case) {
  if (const json::value* partial = object.if_contains("partialResolution")) {
    test_case.has_partial_resolution = partial->is_array() && !partial->get_array().empty();
  }
  const json::value* resolution = object.if_contains("resolution");
  if (resolution == nullptr) return Status::Ok();
  if (!resolution->is_array()) return BadCase(test_case, "\"resolution\" is not an array");
  size_t step_index = 0;
  for (const json::value& step : resolution->get_array()) {
    const json::object* fields = step.if_object();
    if (fields == nullptr || !fields->contains("response")) {
      return BadCase(test_case, "a resolution step has no \"response\"");
    }
    const json::value& response = fields->at("response");
    if (response.is_array()) {
      size_t doc_index = 0;
      for (const json::value& doc : response.get_array()) {
        test_case.resolution_docs.push_back({test_case.name + "/resolution" +
                                                 std::to_string(step_index) + "/response" +
                                                 std::to_string(doc_index++),
                                             json::serialize(doc)});
        CollectContexts(doc, test_case.contexts);
      }
    } else if (!response.is_null()) {
      return BadCase(test_case, "a resolution response is neither an array nor null");
    }
    ++step_index;
  }
  return Status::Ok();
}

Status ReadInstances(const json::object& object, CorpusCase& test_case) {
  const json::value* instances = object.if_contains("instances");
  if (instances == nullptr) return Status::Ok();
  if (!instances->is_array()) return BadCase(test_case, "\"instances\" is not an array");
  for (const json::value& instance : instances->get_array()) {
    const json::object* fields = instance.if_object();
    if (fields == nullptr || !fields->contains("subject") || !fields->contains("submit") ||
        !fields->at("subject").is_string() || !fields->at("submit").is_string()) {
      return BadCase(test_case, "an instance has no string \"subject\" and \"submit\"");
    }
    InstanceCheck check;
    check.subject = std::string(fields->at("subject").get_string());
    check.submit = std::string(fields->at("submit").get_string());
    const json::value* conforms = fields->if_contains("conforms");
    const json::value* throws = fields->if_contains("throws");
    check.throws = throws != nullptr && throws->is_bool() && throws->get_bool();
    if (!check.throws && (conforms == nullptr || !conforms->is_bool())) {
      return BadCase(test_case, "an instance has neither a boolean \"conforms\" nor \"throws\"");
    }
    check.conforms = conforms != nullptr && conforms->is_bool() && conforms->get_bool();
    test_case.instances.push_back(std::move(check));
  }
  return Status::Ok();
}

Result<CorpusCase> ReadCase(const json::value& value, CorpusCase test_case) {
  const json::object* object = value.if_object();
  if (object == nullptr) return BadCase(test_case, "the case is not a JSON object");
  for (const auto& [key, member] : *object) {
    if (std::find(kKnownCaseMembers.begin(), kKnownCaseMembers.end(), key) ==
        kKnownCaseMembers.end()) {
      test_case.unknown_members.emplace_back(key);
    }
  }

  const json::value* valid = object->if_contains("valid");
  if (valid == nullptr || !valid->is_bool()) return BadCase(test_case, "no boolean \"valid\"");
  test_case.valid = valid->get_bool();

  const json::value* input = object->if_contains("input");
  if (input == nullptr || !input->is_array()) return BadCase(test_case, "no \"input\" array");
  size_t input_index = 0;
  for (const json::value& doc : input->get_array()) {
    test_case.inputs.push_back(
        {test_case.name + "/input" + std::to_string(input_index++), json::serialize(doc)});
    CollectContexts(doc, test_case.contexts);
  }

  if (!ReadStringArray(*object, "options", test_case.options) ||
      !ReadStringArray(*object, "quirks", test_case.quirks) ||
      !ReadStringArray(*object, "requiredContexts", test_case.required_contexts) ||
      !ReadStringArray(*object, "acceptableLimits", test_case.acceptable_limits)) {
    return BadCase(test_case,
                   "\"options\", \"quirks\", \"requiredContexts\" or \"acceptableLimits\" is "
                   "not an array of strings");
  }
  if (const json::value* max_version = object->if_contains("maxDtdlVersion")) {
    if (!max_version->is_int64()) return BadCase(test_case, "\"maxDtdlVersion\" is not an integer");
    test_case.max_dtdl_version = static_cast<int>(max_version->get_int64());
  }
  if (Status status = ReadExpect(*object, test_case); !status.ok()) return status;
  if (Status status = ReadResolution(*object, test_case); !status.ok()) return status;
  if (Status status = ReadInstances(*object, test_case); !status.ok()) return status;
  return test_case;
}

}  // namespace

std::string_view CorpusFolderName(CorpusFolder folder) {
  switch (folder) {
    case CorpusFolder::kSpecification:
      return "specification";
    case CorpusFolder::kGenerated:
      return "generated";
    case CorpusFolder::kDocExamples:
      return "doc-examples";
  }
  return "";
}

std::filesystem::path CorpusRoot() {
  return std::filesystem::path(DTWIN_SHARED_DIR) / "corpus" / "dtdlparser-tests" / "test-cases";
}

std::vector<std::filesystem::path> ListCorpusFiles(CorpusFolder folder) {
  std::vector<std::filesystem::path> files;
  std::filesystem::path dir = CorpusRoot() / CorpusFolderName(folder);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::string> ReadTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string contents = std::move(text).str();
  if (std::string_view(contents).starts_with(kUtf8Bom)) contents.erase(0, kUtf8Bom.size());
  return contents;
}

Result<std::vector<CorpusCase>> LoadCorpusFile(CorpusFolder folder,
                                               const std::filesystem::path& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  std::string file = path.filename().string();
  Result<json::value> document = ReadJson(*text);
  if (!document.ok()) {
    return Status(ErrorCode::kInvalidArgument, file + ": " + document.status().message());
  }

  CorpusCase base;
  base.folder = folder;
  base.file = file;
  base.file_version = FileVersionOf(file);
  std::vector<CorpusCase> cases;
  if (folder == CorpusFolder::kSpecification) {
    if (!document->is_array()) {
      return Status(ErrorCode::kInvalidArgument, file + ": not an array of cases");
    }
    for (const json::value& value : document->get_array()) {
      CorpusCase test_case = base;
      test_case.index = cases.size();
      test_case.name = file + "#case" + std::to_string(test_case.index);
      Result<CorpusCase> read = ReadCase(value, std::move(test_case));
      if (!read.ok()) return read.status();
      cases.push_back(std::move(*read));
    }
  } else {
    base.name = file;
    Result<CorpusCase> read = ReadCase(*document, std::move(base));
    if (!read.ok()) return read.status();
    cases.push_back(std::move(*read));
  }
  return cases;
}

std::string OutOfScopeReason(const CorpusCase& test_case) {
  if (!test_case.unknown_members.empty()) {
    return "unknown member \"" + test_case.unknown_members.front() + "\"";
  }
  if (test_case.file_version == 4) return "v4";
  for (const std::string& option : test_case.options) {
    if (option != kAllowUndefined && option != kDisallowUndefined) return "option " + option;
  }
  if (!test_case.quirks.empty()) return "quirk " + test_case.quirks.front();
  if (test_case.folder == CorpusFolder::kSpecification) return "";

  if (test_case.max_dtdl_version) return "maxDtdlVersion";
  if (!test_case.acceptable_limits.empty()) return "acceptableLimits";
  if (test_case.has_partial_resolution) return "partialResolution";
  for (const std::vector<std::string>* contexts :
       {&test_case.contexts, &test_case.required_contexts}) {
    for (const std::string& context : *contexts) {
      if (context.starts_with("dtmi:dtdl:context;4")) return "v4";
      if (IsUnsupportedContext(context)) return "context " + context;
    }
  }
  return "";
}

ParserOptions ParserOptionsFor(const CorpusCase& test_case) {
  ParserOptions options;
  options.adt_mode = false;
  for (const std::string& option : test_case.options) {
    if (option == kAllowUndefined) options.undefined_terms = UndefinedTerms::kAllow;
    if (option == kDisallowUndefined) options.undefined_terms = UndefinedTerms::kDisallow;
  }
  return options;
}

}  // namespace dtwin::dtdl
