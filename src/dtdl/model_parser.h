// The DTDL v2/v3 parser: JSON-LD documents -> validated, resolved elements. One parser call
// handles one upload batch; the batch is valid or not as a whole. A ModelParser holds only
// its options, so one instance may be used from several threads.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dtdl/element.h"

namespace dtwin::dtdl {

// What to do with terms (types, property names) that no known context defines.
enum class UndefinedTerms : uint8_t {
  kPerVersion,  // DTDL's defaults: v2 tolerates them (informal co-types), v3 rejects
  kAllow,       // the reference parser's AllowUndefinedExtensions
  kDisallow,    // DisallowUndefinedExtensions
};

struct ParserOptions {
  // Azure Digital Twins' additional rules (no Commands, no inline Interfaces, Interface
  // only at top level). Off = plain DTDL.
  bool adt_mode = true;
  UndefinedTerms undefined_terms = UndefinedTerms::kPerVersion;
};

// One input document: a name for messages (a file path, "models[3]") and its JSON text.
struct ModelSource {
  std::string name;
  std::string text;
};

// One problem found, with the reference parser's validation id so results can be compared
// with its test suite, and a place: the source, the JSON Pointer inside it, and (when the
// text is at hand) line and column.
struct DtdlError {
  std::string validation_id;  // e.g. "dtmi:dtdl:parsingError:invalidId"
  std::string message;        // what is wrong, naming the element and member
  size_t source_index = 0;    // which ModelSource (SIZE_MAX when not tied to one)
  std::string pointer;        // JSON Pointer in that source ("" = whole document)
  uint32_t line = 0;          // 1-based; 0 when unknown
  uint32_t column = 0;
  std::string primary_id;     // DTMI of the element at fault, when known
};

// Elements from one batch, owned together; pointers between them (and into models already
// registered) stay valid for the life of the batch.
struct ParsedModels {
  std::vector<std::unique_ptr<Element>> elements;
  std::vector<const Element*> interfaces;  // top-level Interfaces, in input order
  // The JSON of each top-level Interface as uploaded (parallel to interfaces).
  std::vector<boost::json::object> definitions;
  std::unordered_map<std::string, const Element*> by_id;  // every element of the batch
};

struct ParseResult {
  std::vector<DtdlError> errors;  // empty = valid
  ParsedModels models;            // meaningful only when valid
  bool ok() const { return errors.empty(); }
};

// Looks up an Interface that is already known (registered earlier); nullptr when absent.
using ExistingInterfaceLookup = std::function<const Element*(const std::string& id)>;

class ModelParser {
 public:
  explicit ModelParser(ParserOptions options = {}) : options_(options) {}

  // Parses and validates a batch. References to Interfaces not in the batch are looked up
  // with existing (when given).
  ParseResult Parse(const std::vector<ModelSource>& sources,
                    const ExistingInterfaceLookup& existing = nullptr) const;

 private:
  ParserOptions options_;
};

}  // namespace dtwin::dtdl
