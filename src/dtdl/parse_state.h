// Internal to the parser: what the reading and resolving passes share about one batch:
// where each element came from, the links still to resolve, and the error list.
// Owned by one Parse call; not shared between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dtdl/metamodel.h"
#include "dtdl/model_parser.h"

namespace dtwin::dtdl {

// A place in the input: which source and which JSON Pointer in it.
struct SourceLocation {
  size_t source = 0;
  std::string pointer;
};

// What the reader learned about an element beyond the Element itself.
struct ElementOrigin {
  Element* element = nullptr;
  SourceLocation location;
  std::string partition;  // @id of the Interface whose partition holds the element
  bool top_level = false;
  bool inline_interface = false;  // an Interface written inside another element
};

// A value of an element-valued property still to be resolved: an inline element (already
// read) or a DTMI reference.
struct PendingLink {
  Element* owner = nullptr;
  const PropertySpec* property = nullptr;
  Element* inline_target = nullptr;
  std::string reference;  // DTMI when not inline
  SourceLocation location;
  std::string partition;  // the owner's partition
};

struct ParseState {
  const ParserOptions* options = nullptr;
  const std::vector<ModelSource>* sources = nullptr;
  std::vector<DtdlError> errors;
  std::vector<std::unique_ptr<Element>> elements;
  std::vector<ElementOrigin> origins;
  std::vector<PendingLink> links;

  void AddError(std::string_view validation_id, const SourceLocation& where,
                std::string message, std::string primary_id = {});
  void RecordOrigin(ElementOrigin origin);
  // nullptr for elements not read in this batch (registered earlier, or standard schemas).
  const ElementOrigin* OriginOf(const Element* element) const;

 private:
  std::unordered_map<const Element*, size_t> origin_index_;
};

}  // namespace dtwin::dtdl
