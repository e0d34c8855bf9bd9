// DTDL v2 and v3 class and property tables (DTDL.v2.md, DTDL.v3.md and their normative
// specifications; limits in reference/dtdl.md section 5.1).
#include "dtdl/metamodel.h"

#include <array>
#include <string>

#include "dtdl/semantic_types.h"

namespace dtwin::dtdl {

namespace {

using C = ElementClass;
using K = PropertyKind;

constexpr ClassMask kContentClasses = MaskOf(C::kCommand) | MaskOf(C::kComponent) |
                                      MaskOf(C::kProperty) | MaskOf(C::kRelationship) |
                                      MaskOf(C::kTelemetry);

// The three descriptive properties every class has; displayName's limit differs by version.
#define DTWIN_DESCRIPTIVE(display_limit)                                  \
  PropertySpec{"comment", K::kString, false, 0, 512},                     \
      PropertySpec{"description", K::kLangString, false, 0, 512},         \
      PropertySpec{"displayName", K::kLangString, false, 0, display_limit}

// ---- v2 -------------------------------------------------------------------------------

constexpr PropertySpec kInterfaceV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"contents", K::kElements, false, kContentClasses, 0, 0, 0},
    {"extends", K::kElements, false, MaskOf(C::kInterface), 0, 0, 2},
    {"schemas", K::kElements, false, kComplexSchemas},
};
constexpr PropertySpec kTelemetryV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"schema", K::kElement, true, kAnySchema},
    {"unit", K::kUnit},
};
constexpr PropertySpec kPropertyV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"schema", K::kElement, true, kAnySchema},
    {"unit", K::kUnit},
    {"writable", K::kBoolean},
};
constexpr PropertySpec kCommandV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"commandType", K::kCommandType},
    {"request", K::kElement, false, MaskOf(C::kCommandPayload)},
    {"response", K::kElement, false, MaskOf(C::kCommandPayload)},
};
constexpr PropertySpec kRelationshipV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"target", K::kIdentifier},
    {"minMultiplicity", K::kInteger},
    {"maxMultiplicity", K::kInteger},
    {"properties", K::kElements, false, MaskOf(C::kProperty), 0, 0, 300},
    {"writable", K::kBoolean},
};
constexpr PropertySpec kComponentV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"schema", K::kElement, true, MaskOf(C::kInterface)},
};
constexpr PropertySpec kNamedSchemaHolderV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"schema", K::kElement, true, kAnySchema},
};
constexpr PropertySpec kArrayV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"elementSchema", K::kElement, true, kAnySchema},
};
constexpr PropertySpec kEnumV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"valueSchema", K::kValueSchema, true},
    {"enumValues", K::kElements, true, MaskOf(C::kEnumValue), 0, 1, 100},
};
constexpr PropertySpec kEnumValueV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"enumValue", K::kEnumLiteral, true},
};
constexpr PropertySpec kMapV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"mapKey", K::kElement, true, MaskOf(C::kMapKey)},
    {"mapValue", K::kElement, true, MaskOf(C::kMapValue)},
};
constexpr PropertySpec kMapKeyV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"name", K::kName, true, 0, 64},
    {"schema", K::kElement, true, MaskOf(C::kPrimitiveSchema)},
};
constexpr PropertySpec kObjectV2[] = {
    DTWIN_DESCRIPTIVE(64),
    {"fields", K::kElements, true, MaskOf(C::kField), 0, 1, 30},
};

// ---- v3 -------------------------------------------------------------------------------

constexpr PropertySpec kInterfaceV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"contents", K::kElements, false, kContentClasses},
    {"extends", K::kElements, false, MaskOf(C::kInterface)},
    {"schemas", K::kElements, false, kComplexSchemas},
};
constexpr PropertySpec kTelemetryV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"schema", K::kElement, true, kAnySchema},
};
constexpr PropertySpec kPropertyV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"schema", K::kElement, true, kAnySchema},
    {"writable", K::kBoolean},
};
constexpr PropertySpec kCommandV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"commandType", K::kCommandType},
    {"request", K::kElement, false, MaskOf(C::kCommandRequest)},
    {"response", K::kElement, false, MaskOf(C::kCommandResponse)},
};
constexpr PropertySpec kRelationshipV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"target", K::kIdentifier},
    {"minMultiplicity", K::kInteger},
    {"maxMultiplicity", K::kInteger},
    {"properties", K::kElements, false, MaskOf(C::kProperty)},
    {"writable", K::kBoolean},
};
constexpr PropertySpec kComponentV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"schema", K::kElement, true, MaskOf(C::kInterface)},
};
constexpr PropertySpec kNamedSchemaHolderV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"schema", K::kElement, true, kAnySchema},
};
constexpr PropertySpec kArrayV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"elementSchema", K::kElement, true, kAnySchema},
};
constexpr PropertySpec kEnumV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"valueSchema", K::kValueSchema, true},
    {"enumValues", K::kElements, false, MaskOf(C::kEnumValue)},
};
constexpr PropertySpec kEnumValueV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"enumValue", K::kEnumLiteral, true},
};
constexpr PropertySpec kMapV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"mapKey", K::kElement, true, MaskOf(C::kMapKey)},
    {"mapValue", K::kElement, true, MaskOf(C::kMapValue)},
};
constexpr PropertySpec kMapKeyV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"name", K::kName, true, 0, 512},
    {"schema", K::kElement, true, MaskOf(C::kPrimitiveSchema)},
};
constexpr PropertySpec kObjectV3[] = {
    DTWIN_DESCRIPTIVE(512),
    {"fields", K::kElements, false, MaskOf(C::kField)},
};

#undef DTWIN_DESCRIPTIVE

constexpr ClassSpec kClassesV2[] = {
    {C::kInterface, "Interface", true, true, kInterfaceV2},
    {C::kTelemetry, "Telemetry", true, false, kTelemetryV2},
    {C::kProperty, "Property", true, false, kPropertyV2},
    {C::kCommand, "Command", true, false, kCommandV2},
    {C::kRelationship, "Relationship", true, false, kRelationshipV2},
    {C::kComponent, "Component", true, false, kComponentV2},
    {C::kCommandPayload, "CommandPayload", false, false, kNamedSchemaHolderV2},
    {C::kArray, "Array", true, false, kArrayV2},
    {C::kEnum, "Enum", true, false, kEnumV2},
    {C::kEnumValue, "EnumValue", false, false, kEnumValueV2},
    {C::kMap, "Map", true, false, kMapV2},
    {C::kMapKey, "MapKey", false, false, kMapKeyV2},
    {C::kMapValue, "MapValue", false, false, kNamedSchemaHolderV2},
    {C::kObject, "Object", true, false, kObjectV2},
    {C::kField, "Field", false, false, kNamedSchemaHolderV2},
};

constexpr ClassSpec kClassesV3[] = {
    {C::kInterface, "Interface", true, true, kInterfaceV3},
    {C::kTelemetry, "Telemetry", true, false, kTelemetryV3},
    {C::kProperty, "Property", true, false, kPropertyV3},
    {C::kCommand, "Command", true, false, kCommandV3},
    {C::kRelationship, "Relationship", true, false, kRelationshipV3},
    {C::kComponent, "Component", true, false, kComponentV3},
    {C::kCommandRequest, "CommandRequest", false, false, kNamedSchemaHolderV3},
    {C::kCommandResponse, "CommandResponse", false, false, kNamedSchemaHolderV3},
    {C::kArray, "Array", true, false, kArrayV3},
    {C::kEnum, "Enum", true, false, kEnumV3},
    {C::kEnumValue, "EnumValue", false, false, kEnumValueV3},
    {C::kMap, "Map", true, false, kMapV3},
    {C::kMapKey, "MapKey", false, false, kMapKeyV3},
    {C::kMapValue, "MapValue", false, false, kNamedSchemaHolderV3},
    {C::kObject, "Object", true, false, kObjectV3},
    {C::kField, "Field", false, false, kNamedSchemaHolderV3},
};

std::span<const ClassSpec> ClassesOf(DtdlVersion version) {
  return version == DtdlVersion::kV2 ? std::span<const ClassSpec>(kClassesV2)
                                     : std::span<const ClassSpec>(kClassesV3);
}

char VersionDigit(DtdlVersion version) { return version == DtdlVersion::kV2 ? '2' : '3'; }

// "dtmi:dtdl:<kind>:<term>;<v>" -> term, or empty when text is not of that form.
std::string_view TermOfDtdlDtmi(std::string_view text, std::string_view kind,
                                DtdlVersion version) {
  std::string prefix = "dtmi:dtdl:";
  prefix += kind;
  prefix += ':';
  if (text.size() < prefix.size() + 3 || text.substr(0, prefix.size()) != prefix) return {};
  if (text[text.size() - 2] != ';' || text.back() != VersionDigit(version)) return {};
  return text.substr(prefix.size(), text.size() - prefix.size() - 2);
}

constexpr std::string_view kPrimitiveTerms[] = {"boolean", "date",    "dateTime", "double",
                                                "duration", "float",  "integer",  "long",
                                                "string",   "time"};
constexpr std::string_view kGeospatialTerms[] = {"point",           "multiPoint", "lineString",
                                                 "multiLineString", "polygon",    "multiPolygon"};

// Terms of the vocabulary that are neither classes nor properties of the tables above.
constexpr std::string_view kOtherTerms[] = {"synchronous", "asynchronous"};

// Classes of the metamodel that no element of a model can be: abstract classes and the
// classes of the standard schemas ("Double" is the class of "double").
constexpr std::string_view kAbstractClassTerms[] = {
    "Boolean",    "Date",          "DateTime",     "Double",          "Duration",
    "Float",      "Integer",       "Long",         "String",          "Time",
    "Point",      "MultiPoint",    "LineString",   "MultiLineString", "Polygon",
    "MultiPolygon", "ComplexSchema", "Content",    "Schema",          "Entity",
    "NamedEntity", "PrimitiveSchema", "NumericSchema", "TemporalSchema", "GeospatialSchema",
    "Unit",       "UnitAttribute", "SemanticType", "CommandType",     "LatentType",
    "QuantitativeType"};

}  // namespace

const ClassSpec* FindClassSpec(DtdlVersion version, ElementClass element_class) {
  for (const ClassSpec& spec : ClassesOf(version)) {
    if (spec.element_class == element_class) return &spec;
  }
  return nullptr;
}

const ClassSpec* FindClassByTerm(DtdlVersion version, std::string_view term) {
  std::string_view dtmi_term = TermOfDtdlDtmi(term, "class", version);
  if (!dtmi_term.empty()) term = dtmi_term;
  for (const ClassSpec& spec : ClassesOf(version)) {
    if (spec.term == term) return &spec;
  }
  return nullptr;
}

const PropertySpec* FindPropertySpec(const ClassSpec& spec, std::string_view name,
                                     DtdlVersion version, bool* used_dtmi_form) {
  std::string_view dtmi_term = TermOfDtdlDtmi(name, "property", version);
  *used_dtmi_form = !dtmi_term.empty();
  if (*used_dtmi_form) name = dtmi_term;
  for (const PropertySpec& property : spec.properties) {
    if (property.term == name) return &property;
  }
  return nullptr;
}

bool IsAbstractClassTerm(DtdlVersion version, std::string_view term) {
  for (std::string_view t : kAbstractClassTerms) {
    if (t == term) return true;
  }
  // A class of the other language version is a known term that cannot be used here.
  DtdlVersion other = version == DtdlVersion::kV2 ? DtdlVersion::kV3 : DtdlVersion::kV2;
  if (FindClassByTerm(other, term) && !FindClassByTerm(version, term)) return true;
  SemanticTable table =
      version == DtdlVersion::kV2 ? SemanticTable::kV2Core : SemanticTable::kQuantitativeTypesV1;
  return IsUnitType(table, term);
}

bool IsDtdlTerm(DtdlVersion version, std::string_view term, bool quantitative_types) {
  for (const ClassSpec& spec : ClassesOf(version)) {
    if (spec.term == term) return true;
    for (const PropertySpec& property : spec.properties) {
      if (property.term == term) return true;
    }
  }
  for (std::string_view t : kPrimitiveTerms) {
    if (t == term) return true;
  }
  for (std::string_view t : kGeospatialTerms) {
    if (t == term) return true;
  }
  for (std::string_view t : kOtherTerms) {
    if (t == term) return true;
  }
  if (IsAbstractClassTerm(version, term)) return true;
  // Semantic types and units are terms of v2 itself, but of v3 only with QuantitativeTypes.
  if (version == DtdlVersion::kV3 && !quantitative_types) return false;
  SemanticTable table =
      version == DtdlVersion::kV2 ? SemanticTable::kV2Core : SemanticTable::kQuantitativeTypesV1;
  return IsSemanticType(table, term) || IsUnit(table, term);
}

const Element* FindStandardSchema(DtdlVersion version, std::string_view term_or_dtmi,
                                  bool* used_dtmi_form) {
  *used_dtmi_form = false;
  std::string_view term = term_or_dtmi;
  std::string_view dtmi_term = TermOfDtdlDtmi(term_or_dtmi, "instance:Schema", version);
  if (!dtmi_term.empty()) {
    term = dtmi_term;
    *used_dtmi_form = true;
  }
  for (size_t i = 0; i < std::size(kPrimitiveTerms); ++i) {
    if (kPrimitiveTerms[i] == term) {
      return &StandardPrimitive(static_cast<PrimitiveType>(i), version);
    }
  }
  if (!dtmi_term.empty()) return nullptr;
  // Geospatial schemas have DTMIs of their own: dtmi:standard:schema:geospatial:<term>;<v>.
  constexpr std::string_view kGeoPrefix = "dtmi:standard:schema:geospatial:";
  if (term.substr(0, kGeoPrefix.size()) == kGeoPrefix && term.size() > kGeoPrefix.size() + 2 &&
      term[term.size() - 2] == ';' && term.back() == VersionDigit(version)) {
    term = term.substr(kGeoPrefix.size(), term.size() - kGeoPrefix.size() - 2);
    *used_dtmi_form = true;
  }
  for (size_t i = 0; i < std::size(kGeospatialTerms); ++i) {
    if (kGeospatialTerms[i] == term) {
      return &StandardGeospatial(static_cast<GeospatialType>(i), version);
    }
  }
  return nullptr;
}

}  // namespace dtwin::dtdl
