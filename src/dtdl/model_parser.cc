// ModelParser: reads each source's JSON, then runs the reading and resolving passes.
#include "dtdl/model_parser.h"

#include "common/json_reader.h"
#include "dtdl/element_reader.h"
#include "dtdl/model_resolver.h"
#include "dtdl/parse_state.h"

namespace dtwin::dtdl {

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
  for (DtdlError& error : state.errors) {
    if (error.line != 0 || error.source_index >= sources.size()) continue;
    const JsonSourceMap& map = source_maps[error.source_index];
    if (map.empty()) continue;
    TextPosition position =
        PositionOfOffset(sources[error.source_index].text, map.OffsetOf(error.pointer));
    error.line = position.line;
    error.column = position.column;
  }
  result.errors = std::move(state.errors);
  return result;
}

}  // namespace dtwin::dtdl
