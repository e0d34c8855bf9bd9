// Element helpers and the standard (primitive and geospatial) schema elements, which are
// built once, on first use, and never change afterwards.
#include "dtdl/element.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace dtwin::dtdl {

namespace {

constexpr size_t kPrimitiveCount = static_cast<size_t>(PrimitiveType::kTime) + 1;
constexpr size_t kGeospatialCount = static_cast<size_t>(GeospatialType::kMultiPolygon) + 1;

// In enum order.
constexpr std::array<std::string_view, kPrimitiveCount> kPrimitiveTerms = {
    "boolean", "date",    "dateTime", "double", "duration",
    "float",   "integer", "long",     "string", "time"};
constexpr std::array<std::string_view, kGeospatialCount> kGeospatialTerms = {
    "point", "multiPoint", "lineString", "multiLineString", "polygon", "multiPolygon"};

char VersionDigit(DtdlVersion version) { return version == DtdlVersion::kV2 ? '2' : '3'; }

Element MakeStandard(ElementClass element_class, std::string_view prefix, std::string_view term,
                     DtdlVersion version) {
  Element e;
  e.element_class = element_class;
  e.version = version;
  e.name = std::string(term);
  e.id = std::string(prefix);
  e.id += term;
  e.id += ';';
  e.id += VersionDigit(version);
  return e;
}

// Index 0 is v2, 1 is v3.
struct StandardTables {
  std::array<std::array<Element, kPrimitiveCount>, 2> primitives;
  std::array<std::array<Element, kGeospatialCount>, 2> geospatial;

  StandardTables() {
    for (size_t v = 0; v < 2; ++v) {
      DtdlVersion version = v == 0 ? DtdlVersion::kV2 : DtdlVersion::kV3;
      for (size_t i = 0; i < kPrimitiveCount; ++i) {
        primitives[v][i] = MakeStandard(ElementClass::kPrimitiveSchema,
                                        "dtmi:dtdl:instance:Schema:", kPrimitiveTerms[i], version);
        primitives[v][i].primitive = static_cast<PrimitiveType>(i);
      }
      for (size_t i = 0; i < kGeospatialCount; ++i) {
        geospatial[v][i] =
            MakeStandard(ElementClass::kGeospatialSchema,
                         "dtmi:standard:schema:geospatial:", kGeospatialTerms[i], version);
        geospatial[v][i].geospatial = static_cast<GeospatialType>(i);
      }
    }
  }
};

const StandardTables& Tables() {
  static const StandardTables tables;  // thread-safe initialization (C++11 magic statics)
  return tables;
}

size_t VersionIndex(DtdlVersion version) { return version == DtdlVersion::kV2 ? 0 : 1; }

}  // namespace

std::string_view ElementClassName(ElementClass element_class) {
  switch (element_class) {
    case ElementClass::kInterface:
      return "Interface";
    case ElementClass::kTelemetry:
      return "Telemetry";
    case ElementClass::kProperty:
      return "Property";
    case ElementClass::kCommand:
      return "Command";
    case ElementClass::kRelationship:
      return "Relationship";
    case ElementClass::kComponent:
      return "Component";
    case ElementClass::kCommandPayload:
      return "CommandPayload";
    case ElementClass::kCommandRequest:
      return "CommandRequest";
    case ElementClass::kCommandResponse:
      return "CommandResponse";
    case ElementClass::kArray:
      return "Array";
    case ElementClass::kEnum:
      return "Enum";
    case ElementClass::kEnumValue:
      return "EnumValue";
    case ElementClass::kMap:
      return "Map";
    case ElementClass::kMapKey:
      return "MapKey";
    case ElementClass::kMapValue:
      return "MapValue";
    case ElementClass::kObject:
      return "Object";
    case ElementClass::kField:
      return "Field";
    case ElementClass::kPrimitiveSchema:
      return "PrimitiveSchema";
    case ElementClass::kGeospatialSchema:
      return "GeospatialSchema";
  }
  return "Element";
}

bool Element::IsOrExtends(std::string_view interface_id) const {
  if (id == interface_id) return true;
  return std::find(ancestor_ids.begin(), ancestor_ids.end(), interface_id) != ancestor_ids.end();
}

const Element& StandardPrimitive(PrimitiveType type, DtdlVersion version) {
  return Tables().primitives[VersionIndex(version)][static_cast<size_t>(type)];
}

const Element& StandardGeospatial(GeospatialType type, DtdlVersion version) {
  return Tables().geospatial[VersionIndex(version)][static_cast<size_t>(type)];
}

}  // namespace dtwin::dtdl
