// The DTDL metamodel as data: which classes exist in each language version, which
// properties each class has, and their kinds, cardinalities and limits. The parser is
// driven by these tables, so a rule that the specification states per class and property
// ("Property.name is a string of at most 64 characters") is written once, here.
// Static, immutable tables; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "dtdl/dtmi.h"
#include "dtdl/element.h"

namespace dtwin::dtdl {

// How a property's value is written and read.
enum class PropertyKind : uint8_t {
  kString,        // literal string (comment; annotates and overrides of the extensions)
  kName,          // literal string matching the name pattern
  kLangString,    // localizable string (displayName, description)
  kBoolean,       // literal boolean (writable)
  kInteger,       // literal integer (min/maxMultiplicity)
  kEnumLiteral,   // literal integer or string (enumValue)
  kIdentifier,    // a DTMI that is not a dependent reference (Relationship target)
  kElement,       // one element: inline object or DTMI reference (schema, request...)
  kElements,      // a set of elements (contents, extends, schemas, fields, ...)
  kValueSchema,   // Enum valueSchema: "integer" or "string"
  kCommandType,   // "synchronous" or "asynchronous" (deprecated)
  kUnit,          // a unit term (semantic types)
};

// Bit set of ElementClass values.
using ClassMask = uint32_t;
constexpr ClassMask MaskOf(ElementClass c) { return ClassMask{1} << static_cast<uint32_t>(c); }
inline constexpr ClassMask kComplexSchemas = MaskOf(ElementClass::kArray) |
                                             MaskOf(ElementClass::kEnum) |
                                             MaskOf(ElementClass::kMap) |
                                             MaskOf(ElementClass::kObject);
inline constexpr ClassMask kStandardSchemas =
    MaskOf(ElementClass::kPrimitiveSchema) | MaskOf(ElementClass::kGeospatialSchema);
inline constexpr ClassMask kAnySchema = kComplexSchemas | kStandardSchemas;

struct PropertySpec {
  std::string_view term;
  PropertyKind kind;
  bool required = false;
  ClassMask allowed = 0;    // kElement/kElements: classes a value may be
  uint32_t max_length = 0;  // strings: 0 = unlimited
  uint32_t min_count = 0;   // kElements
  uint32_t max_count = 0;   // kElements: 0 = unlimited
  // Whether a value is a dependent reference (must resolve; extends, schema...). Only
  // kElement/kElements; Relationship target is a kIdentifier.
  bool dependent = true;
};

struct ClassSpec {
  ElementClass element_class;
  std::string_view term;
  bool type_required;  // false: @type may be omitted and is inferred (Field, EnumValue...)
  bool id_required;    // Interface
  std::span<const PropertySpec> properties;
};

// The class spec of a class in a version; nullptr when the class does not exist in that
// version (CommandPayload in v3, CommandRequest in v2, standard schemas).
const ClassSpec* FindClassSpec(DtdlVersion version, ElementClass element_class);

// The class whose @type term (or "dtmi:dtdl:class:<term>;<v>") is term; nullptr if none.
const ClassSpec* FindClassByTerm(DtdlVersion version, std::string_view term);

// The property of spec whose term (or "dtmi:dtdl:property:<term>;<v>") is name.
const PropertySpec* FindPropertySpec(const ClassSpec& spec, std::string_view name,
                                     DtdlVersion version, bool* used_dtmi_form);

// True when term is any term of the DTDL vocabulary of that version (a class, property,
// schema, semantic type or unit): such a term where it does not belong is "irrelevant",
// not "undefined".
bool IsDtdlTerm(DtdlVersion version, std::string_view term, bool quantitative_types);

// True when term names a class that no model element can be: an abstract class
// ("Schema", "Content"), the class of a standard schema ("Double"), a unit type, or a
// class of the other language version ("CommandPayload" in v3).
bool IsAbstractClassTerm(DtdlVersion version, std::string_view term);

// Standard schema terms ("double", "point") and their DTMI forms.
const Element* FindStandardSchema(DtdlVersion version, std::string_view term_or_dtmi,
                                  bool* used_dtmi_form);

}  // namespace dtwin::dtdl
