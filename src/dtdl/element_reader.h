// First parser pass: reads DTDL JSON-LD documents into Elements, checking everything that
// can be checked on one element alone (types, identifiers, contexts, property kinds,
// cardinalities, literal forms, limits). References between elements are recorded as
// PendingLinks for the resolver. Works on one ParseState; not thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "dtdl/context.h"
#include "dtdl/parse_state.h"

namespace dtwin::dtdl {

class ElementReader {
 public:
  explicit ElementReader(ParseState& state) : state_(state) {}

  // Reads one source document: a top-level Interface object or an array of them.
  void ReadDocument(size_t source_index, const boost::json::value& root);

 private:
  // Where and as what an element is being read.
  struct Scope {
    const ActiveContext* context = nullptr;  // nullptr at top level
    ClassMask allowed = 0;
    std::string parent_id;
    std::string_view member;  // property of the parent holding this element
    bool plural = false;
    bool id_required = false;  // Interface "schemas" entries need an @id
    std::string partition;
    SourceLocation location;
  };

  Element* ReadElement(const boost::json::object& object, const Scope& scope);
  void ReadProperty(Element& element, const ClassSpec& spec, const PropertySpec& property,
                    const boost::json::value& value, const ActiveContext& context,
                    const std::string& partition, const SourceLocation& where);
  void ReadElementValues(Element& element, const PropertySpec& property,
                         const boost::json::value& value, const ActiveContext& context,
                         const std::string& partition, const SourceLocation& where);
  void CheckCoTypeRules(Element& element, bool informally_co_typed, bool has_unit,
                        const SourceLocation& where);
  // Records a value of an element-valued property: an element already read (target) or a
  // DTMI reference to resolve later.
  void AddLink(Element& owner, const PropertySpec& property, const Element* target,
               std::string reference, const SourceLocation& where, const std::string& partition);
  bool CheckId(std::string_view id, ElementClass element_class, DtdlVersion version,
               bool iot_central, const SourceLocation& where);

  ParseState& state_;
};

}  // namespace dtwin::dtdl
