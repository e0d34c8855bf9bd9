// The resolved DTDL model: every element (Interface, content, schema) as a plain value with
// its references resolved to pointers. Elements are owned by a ModelRegistry (or a parse
// result) and immutable once resolution finishes, so they may be read from any thread.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dtdl/dtmi.h"

namespace dtwin::dtdl {

// The DTDL metamodel classes dtwin knows (v2 and v3 plus the v3 extensions' adjuncts).
enum class ElementClass : uint8_t {
  kInterface,
  kTelemetry,
  kProperty,
  kCommand,
  kRelationship,
  kComponent,
  kCommandPayload,   // v2 request/response
  kCommandRequest,   // v3
  kCommandResponse,  // v3
  kArray,
  kEnum,
  kEnumValue,
  kMap,
  kMapKey,
  kMapValue,
  kObject,
  kField,
  kPrimitiveSchema,   // boolean, date, dateTime, double, duration, float, integer, long, string, time
  kGeospatialSchema,  // point, multiPoint, lineString, multiLineString, polygon, multiPolygon
};

// "Interface", "Telemetry", ...: the @type term of the class.
std::string_view ElementClassName(ElementClass element_class);

enum class PrimitiveType : uint8_t {
  kBoolean,
  kDate,
  kDateTime,
  kDouble,
  kDuration,
  kFloat,
  kInteger,
  kLong,
  kString,
  kTime,
};

enum class GeospatialType : uint8_t {
  kPoint,
  kMultiPoint,
  kLineString,
  kMultiLineString,
  kPolygon,
  kMultiPolygon,
};

struct Element {
  std::string id;  // @id as written, or the generated system DTMI
  ElementClass element_class = ElementClass::kInterface;
  DtdlVersion version = DtdlVersion::kV3;
  bool id_generated = false;

  // Co-types from @type besides the class term: semantic types ("Temperature"), adjunct
  // types ("Historized", "ValueAnnotation", "Override"), or undefined terms (v2).
  std::vector<std::string> co_types;

  // Named elements (contents, fields, enum values, map key/value, payloads).
  std::string name;
  // Literal metadata kept for clients (listing models, CLI show): plain JSON.
  boost::json::value display_name;  // null, or language map {"en": "..."}
  boost::json::value description;   // same
  std::string comment;

  // Schema-bearing elements (Property, Telemetry, Field, MapKey, MapValue, Component,
  // command payloads): the resolved schema. For a Component, an Interface.
  const Element* schema = nullptr;
  std::string unit;             // semantic unit term, when co-typed with a semantic type
  bool writable = false;        // Property, Relationship (ADT does not enforce it)

  // Interface
  std::vector<const Element*> extends;   // direct bases
  std::vector<const Element*> contents;  // own contents only
  std::vector<const Element*> schemas;   // Interface "schemas" (reusable complex schemas)
  // Contents by name including inherited ones; filled by resolution.
  std::unordered_map<std::string, const Element*> all_contents;
  // This Interface and every Interface it extends, directly or not; filled by resolution.
  std::vector<std::string> ancestor_ids;

  // Relationship
  std::string target;  // target Interface DTMI; empty = any
  std::optional<int64_t> min_multiplicity;
  std::optional<int64_t> max_multiplicity;
  std::vector<const Element*> properties;

  // Command
  const Element* request = nullptr;
  const Element* response = nullptr;

  // Array
  const Element* element_schema = nullptr;
  // Enum
  PrimitiveType value_schema = PrimitiveType::kString;  // kInteger or kString
  std::vector<const Element*> enum_values;
  boost::json::value enum_value;  // EnumValue: the wire value (int64 or string)
  // Map
  const Element* map_key = nullptr;
  const Element* map_value = nullptr;
  // Object
  std::vector<const Element*> fields;

  // Standard schemas
  PrimitiveType primitive = PrimitiveType::kString;
  GeospatialType geospatial = GeospatialType::kPoint;

  // ValueAnnotation / Override extension members.
  std::string annotates;
  std::string overrides;

  bool IsInterface() const { return element_class == ElementClass::kInterface; }
  // True when this Interface is interface_id or extends it, directly or not.
  bool IsOrExtends(std::string_view interface_id) const;
};

// The standard schema element for a primitive or geospatial type in a DTDL version
// (statically allocated, one per type and version; ids "dtmi:dtdl:instance:Schema:double;2",
// "dtmi:standard:schema:geospatial:point;3" etc.; name is the term, "double", "point").
const Element& StandardPrimitive(PrimitiveType type, DtdlVersion version);
const Element& StandardGeospatial(GeospatialType type, DtdlVersion version);

}  // namespace dtwin::dtdl
