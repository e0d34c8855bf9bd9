// ModelParser: reads each source's JSON, then runs the reading and resolving passes.
#include "dtdl/model_parser.h"

#include "common/json_reader.h"
#include "dtdl/element_reader.h"
#include "dtdl/model_resolver.h"
#include "dtdl/parse_state.h"

namespace dtwin::dtdl {

namespace {

// DTDL v3 limits the JSON text of one Interface to 1 MiB, and ADT any single model to 1 MB;
// dtwin applies the 1 MiB bound to every top-level Interface.
constexpr size_t kMaxInterfaceTextBytes = 1024 * 1024;

void CheckInterfaceSizes(const std::vector<ModelSource>& sources,
                         const std::vector<boost::json::value>& documents,
                         const std::vector<bool>& readable,
                         const std::vector<JsonSourceMap>& source_maps, ParseState& state) {
  for (size_t i = 0; i < sources.size(); ++i) {
    if (!readable[i] || sources[i].text.size() <= kMaxInterfaceTextBytes) continue;
    std::vector<std::string> pointers;
    if (documents[i].is_array()) {
      for (size_t k = 0; k < documents[i].get_array().size(); ++k) {
        pointers.push_back("/" + std::to_string(k));
      }
    } else {
      pointers.push_back("");
    }
    for (size_t k = 0; k < pointers.size(); ++k) {
      size_t begin = source_maps[i].OffsetOf(pointers[k]);
      size_t end = k + 1 < pointers.size() ? source_maps[i].OffsetOf(pointers[k + 1])
                                           : sources[i].text.size();
      if (end - begin > kMaxInterfaceTextBytes) {
        state.AddError("objectTooLarge", SourceLocation{i, pointers[k]},
                       "this Interface's JSON text is " + std::to_string(end - begin) +
                           " bytes; one Interface may have at most 1 MiB (1,048,576 bytes)");
      }
    }
  }
}

}  // namespace

ParseResult ModelParser::Parse(const std::vector<ModelSource>& sources,
                               const ExistingInterfaceLookup& existing) const {
  ParseState state;
  state.options = &options_;
  state.sources = &sources;
  std::vector<JsonSourceMap> source_maps(sources.size());
  std::vector<boost::json::value> documents(sources.size());
  std::vector<bool> readable(sources.size(), false);
  for (size_t i = 0; i < sources.size(); ++i) {
    JsonSyntaxError syntax_error;
    Result<boost::json::value> parsed =
        ReadJson(sources[i].text, JsonReadOptions{}, &source_maps[i], &syntax_error);
    if (!parsed.ok()) {
      DtdlError error;
      error.validation_id = "dtmi:dtdl:parsingError:invalidJson";
      error.message = "not valid JSON: " + syntax_error.message;
      error.source_index = i;
      error.line = syntax_error.position.line;
      error.column = syntax_error.position.column;
      state.errors.push_back(std::move(error));
      continue;
    }
    documents[i] = std::move(parsed).value();
    readable[i] = true;
  }
  CheckInterfaceSizes(sources, documents, readable, source_maps, state);
  ElementReader reader(state);
  for (size_t i = 0; i < sources.size(); ++i) {
    if (readable[i]) reader.ReadDocument(i, documents[i]);
  }
  ParseResult result;
  if (state.errors.empty()) {
    ModelResolver resolver(state, existing);
    resolver.Resolve(result.models);
  }
  if (state.errors.empty()) {
    for (size_t i = 0; i < sources.size(); ++i) {
      if (documents[i].is_object()) {
        result.models.definitions.push_back(std::move(documents[i].get_object()));
      } else {
        for (boost::json::value& item : documents[i].get_array()) {
          result.models.definitions.push_back(std::move(item.get_object()));
        }
      }
    }
  }
  // Give every error a line and column from its source's map.
  std::vector<std::unique_ptr<LineIndex>> line_indexes(sources.size());
  for (DtdlError& error : state.errors) {
    if (error.line != 0 || error.source_index >= sources.size()) continue;
    const JsonSourceMap& map = source_maps[error.source_index];
    if (map.empty()) continue;
    std::unique_ptr<LineIndex>& lines = line_indexes[error.source_index];
    if (!lines) lines = std::make_unique<LineIndex>(sources[error.source_index].text);
    TextPosition position = lines->PositionOf(map.OffsetOf(error.pointer));
    error.line = position.line;
    error.column = position.column;
  }
  result.errors = std::move(state.errors);
  return result;
}

}  // namespace dtwin::dtdl
