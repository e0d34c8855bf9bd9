// Bookkeeping shared by the parser passes.
#include "dtdl/parse_state.h"

namespace dtwin::dtdl {

void ParseState::AddError(std::string_view validation_id, const SourceLocation& where,
                          std::string message, std::string primary_id) {
  DtdlError error;
  error.validation_id = "dtmi:dtdl:parsingError:";
  error.validation_id += validation_id;
  error.message = std::move(message);
  error.source_index = where.source;
  error.pointer = where.pointer;
  error.primary_id = std::move(primary_id);
  errors.push_back(std::move(error));
}

void ParseState::RecordOrigin(ElementOrigin origin) {
  origin_index_[origin.element] = origins.size();
  origins.push_back(std::move(origin));
}

const ElementOrigin* ParseState::OriginOf(const Element* element) const {
  auto it = origin_index_.find(element);
  return it == origin_index_.end() ? nullptr : &origins[it->second];
}

}  // namespace dtwin::dtdl
