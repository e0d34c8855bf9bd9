// Loads the DTDL reference parser's test cases (shared/corpus/dtdlparser-tests/test-cases) in
// their three folder formats into one normalized struct, and decides which cases are in
// dtwin's scope. Reads files only; no shared state.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dtdl/model_parser.h"

namespace dtwin::dtdl {

enum class CorpusFolder : uint8_t {
  kSpecification,  // file = array of cases
  kGenerated,      // file = one case
  kDocExamples,    // file = one case
};

// "specification", "generated", "doc-examples": the folder's name on disk.
std::string_view CorpusFolderName(CorpusFolder folder);

// One error the reference parser reports for an invalid case.
struct ExpectedError {
  std::string validation_id;  // "dtmi:dtdl:parsingError:invalidId"
  std::string primary_id;     // empty when the case gives none
};

// One instance check: does "submit" (JSON text, or not even JSON) conform to the element
// "subject"? throws = the reference parser refuses to validate against that element (it is
// not a schema), so there is no conforms verdict.
struct InstanceCheck {
  std::string subject;
  std::string submit;
  bool conforms = false;
  bool throws = false;
};

struct CorpusCase {
  CorpusFolder folder = CorpusFolder::kSpecification;
  std::string file;  // file name, e.g. "Requirement-ClassArrayPropertyElementSchemaElementV3.json"
  size_t index = 0;  // position in the file's array (always 0 for one-case files)
  std::string name;  // "<file>#case3" for array files, "<file>" otherwise
  // The DTDL version the file name ends with ("...V3.json", "...-V2.json"), 0 when none.
  // For extension doc-examples it is the extension's version, not DTDL's.
  int file_version = 0;

  bool valid = false;
  std::vector<std::string> options;  // "AllowUndefinedExtensions", "DisallowUndefinedExtensions"
  std::vector<std::string> quirks;
  std::vector<ModelSource> inputs;  // each input document re-serialized, named "<name>/inputN"
  std::vector<ExpectedError> expected_errors;  // expect.parsingErrors

  // Documents a resolver returns when the parser asks for DTMIs missing from the inputs
  // ("resolution": every non-null response of every request), named
  // "<name>/resolutionN/responseM".
  std::vector<ModelSource> resolution_docs;
  bool has_partial_resolution = false;  // a non-empty "partialResolution" (layering)

  std::vector<InstanceCheck> instances;
  std::optional<int> max_dtdl_version;
  std::vector<std::string> required_contexts;
  std::vector<std::string> acceptable_limits;
  // Every @context entry that is a string, anywhere in the inputs and resolution documents.
  std::vector<std::string> contexts;
  // Top-level members this loader does not know; a case with any is out of scope.
  std::vector<std::string> unknown_members;
};

// shared/corpus/dtdlparser-tests/test-cases, from the DTWIN_SHARED_DIR compile definition.
std::filesystem::path CorpusRoot();

// The *.json files of a folder, sorted by name; empty when the folder is absent.
std::vector<std::filesystem::path> ListCorpusFiles(CorpusFolder folder);

// Every case of one file. kInvalidArgument when the file is not JSON or not in its folder's
// format (naming the file and what is wrong).
Result<std::vector<CorpusCase>> LoadCorpusFile(CorpusFolder folder,
                                               const std::filesystem::path& path);

// Why a case is outside what dtwin implements (a short reason used to count skips, e.g.
// "v4", "context dtmi:dtdl:extension:mqtt;3"), or "" when it is in scope. specification/ is
// filtered by file name only (its V2/V3 files deliberately nest foreign contexts to test
// rejection); generated/ and doc-examples/ also by the contexts and options they need.
std::string OutOfScopeReason(const CorpusCase& test_case);

// The parser options the case asks for, in plain DTDL mode (no ADT rules), as the reference
// harness runs it.
ParserOptions ParserOptionsFor(const CorpusCase& test_case);

// The text of a file with a leading UTF-8 byte order mark removed; kNotFound when unreadable.
Result<std::string> ReadTextFile(const std::filesystem::path& path);

}  // namespace dtwin::dtdl
