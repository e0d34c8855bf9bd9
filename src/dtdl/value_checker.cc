// Value validation with the reference parser's wire rules (reference/dtdl.md 3.8-3.12).
// Runs on every twin write, so the success path does not allocate: the path to the current
// value lives on the stack and becomes a JSON Pointer, and messages are built, only when a
// problem is found. Stateless; thread-safe.
#include "dtdl/value_checker.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_pointer.h"
#include "common/json_writer.h"
#include "dtdl/instance_formats.h"

namespace dtwin::dtdl {

namespace {

namespace json = boost::json;

// Above this magnitude a number rounds to infinity as an IEEE single: FLT_MAX plus half an
// ulp (2^128 - 2^103), exactly representable as a double.
constexpr double kFloatOverflow = 0x1.ffffffp127;

// A number as a message shows it; a double that looks integral keeps a ".0" so that
// "expected an integer, got number 1.0" reads right.
std::string RenderNumber(const json::value& value) {
  if (!value.is_double()) return WriteJson(value);
  char buffer[32];
  char* end = std::to_chars(buffer, buffer + sizeof(buffer), value.get_double()).ptr;
  std::string out(buffer, end);
  if (out.find_first_of(".eEn") == std::string::npos) out += ".0";  // n: inf, nan
  return out;
}

std::string_view GeoJsonType(GeospatialType type) {
  switch (type) {
    case GeospatialType::kPoint:
      return "Point";
    case GeospatialType::kMultiPoint:
      return "MultiPoint";
    case GeospatialType::kLineString:
      return "LineString";
    case GeospatialType::kMultiLineString:
      return "MultiLineString";
    case GeospatialType::kPolygon:
      return "Polygon";
    case GeospatialType::kMultiPolygon:
      return "MultiPolygon";
  }
  return "Geometry";
}

// How many array levels "coordinates" has: 1 = a position ([x, y]).
int CoordinateDepth(GeospatialType type) {
  switch (type) {
    case GeospatialType::kPoint:
      return 1;
    case GeospatialType::kMultiPoint:
    case GeospatialType::kLineString:
      return 2;
    case GeospatialType::kMultiLineString:
    case GeospatialType::kPolygon:
      return 3;
    case GeospatialType::kMultiPolygon:
      return 4;
  }
  return 1;
}

bool IsNumber(const json::value& value) {
  return value.is_int64() || value.is_uint64() ||
         (value.is_double() && std::isfinite(value.get_double()));
}

// True when value is a JSON integer (not a double, so not 1.0 or 1e2) within [min, max];
// *out_of_range tells an integer that does not fit from a non-integer.
bool IsIntegerIn(const json::value& value, int64_t min, int64_t max, bool* out_of_range) {
  *out_of_range = false;
  if (value.is_int64()) {
    int64_t v = value.get_int64();
    *out_of_range = v < min || v > max;
  } else if (value.is_uint64()) {
    *out_of_range = value.get_uint64() > static_cast<uint64_t>(max);
  } else {
    if (value.is_double()) {
      // An integral double beyond 64 bits came from a huge integer literal.
      double d = value.get_double();
      *out_of_range = std::isfinite(d) && std::trunc(d) == d && std::fabs(d) >= 0x1p63;
    }
    return false;
  }
  return !*out_of_range;
}

// The schema used for values of element: itself for schemas, the schema of schema-bearing
// elements (Property, Telemetry, Field, MapKey, MapValue, command payloads); nullptr for
// elements that have no value (Interface, Command, Relationship, Component, EnumValue).
const Element* ValueSchemaOf(const Element& element) {
  switch (element.element_class) {
    case ElementClass::kProperty:
    case ElementClass::kTelemetry:
    case ElementClass::kField:
    case ElementClass::kMapKey:
    case ElementClass::kMapValue:
    case ElementClass::kCommandPayload:
    case ElementClass::kCommandRequest:
    case ElementClass::kCommandResponse:
      return element.schema;
    case ElementClass::kArray:
    case ElementClass::kEnum:
    case ElementClass::kMap:
    case ElementClass::kObject:
    case ElementClass::kPrimitiveSchema:
    case ElementClass::kGeospatialSchema:
      return &element;
    default:
      return nullptr;
  }
}

// Walks a value against a schema and appends problems.
class Checker {
 public:
  explicit Checker(std::vector<InstanceProblem>* problems) : problems_(problems) {}

  void Check(const Element& element, const json::value& value, const PathStep* path) {
    const Element* schema = ValueSchemaOf(element);
    if (schema == nullptr) {
      Fail(path, std::string(ElementClassName(element.element_class)) + " '" + element.id +
                     "' has no value schema to validate against");
      return;
    }
    switch (schema->element_class) {
      case ElementClass::kPrimitiveSchema:
        CheckPrimitive(schema->primitive, value, path);
        return;
      case ElementClass::kGeospatialSchema:
        CheckGeospatial(schema->geospatial, value, path);
        return;
      case ElementClass::kArray:
        CheckArray(*schema, value, path);
        return;
      case ElementClass::kEnum:
        CheckEnum(*schema, value, path);
        return;
      case ElementClass::kMap:
        CheckMap(*schema, value, path);
        return;
      case ElementClass::kObject:
        CheckObject(*schema, value, path);
        return;
      default:
        Fail(path, std::string(ElementClassName(schema->element_class)) + " '" + schema->id +
                       "' is not a schema");
        return;
    }
  }

 private:
  void Fail(const PathStep* path, std::string message) {
    problems_->push_back(InstanceProblem{PointerOf(path), std::move(message)});
  }

  void Expected(const PathStep* path, std::string_view what, const json::value& value) {
    std::string message = "expected ";
    message += what;
    message += ", got ";
    message += DescribeJson(value);
    Fail(path, std::move(message));
  }

  void CheckIntegral(const json::value& value, int64_t min, int64_t max, std::string_view name,
                     const PathStep* path) {
    bool out_of_range = false;
    if (IsIntegerIn(value, min, max, &out_of_range)) return;
    if (out_of_range) {
      Fail(path, "number " + RenderNumber(value) + " is out of range for " + std::string(name) +
                     " (" + std::to_string(min) + " to " + std::to_string(max) + ")");
    } else if (value.is_double() && std::trunc(value.get_double()) == value.get_double()) {
      Fail(path, "expected " + std::string(name == "integer" ? "an integer" : "a long") +
                     ", got number " + RenderNumber(value) +
                     " (write integers without a fraction or exponent)");
    } else {
      Expected(path, name == "integer" ? "an integer" : "a long", value);
    }
  }

  void CheckPrimitive(PrimitiveType type, const json::value& value, const PathStep* path) {
    switch (type) {
      case PrimitiveType::kBoolean:
        if (!value.is_bool()) Expected(path, "a boolean", value);
        return;
      case PrimitiveType::kInteger:
        CheckIntegral(value, std::numeric_limits<int32_t>::min(),
                      std::numeric_limits<int32_t>::max(), "integer", path);
        return;
      case PrimitiveType::kLong:
        CheckIntegral(value, std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max(), "long", path);
        return;
      case PrimitiveType::kFloat:
        if (!IsNumber(value)) {
          Expected(path, "a number", value);
        } else if (value.is_double() && std::fabs(value.get_double()) >= kFloatOverflow) {
          Fail(path, "number " + RenderNumber(value) +
                         " is out of range for float (magnitude at most 3.4028235e38)");
        }
        return;
      case PrimitiveType::kDouble:
        if (!IsNumber(value)) Expected(path, "a number", value);
        return;
      case PrimitiveType::kString:
        if (!value.is_string()) Expected(path, "a string", value);
        return;
      case PrimitiveType::kDate:
        if (!value.is_string() || !IsDtdlDate(value.get_string())) {
          Expected(path, "a date (YYYY-MM-DD, e.g. 2024-01-31)", value);
        }
        return;
      case PrimitiveType::kDateTime:
        if (!value.is_string() || !IsDtdlDateTime(value.get_string())) {
          Expected(path, "a dateTime (RFC 3339 with Z or an offset, e.g. 2024-01-31T12:00:00Z)",
                   value);
        }
        return;
      case PrimitiveType::kTime:
        if (!value.is_string() || !IsDtdlTime(value.get_string())) {
          Expected(path, "a time (hh:mm:ss with Z or an offset, e.g. 12:00:00Z)", value);
        }
        return;
      case PrimitiveType::kDuration:
        if (!value.is_string() || !IsDtdlDuration(value.get_string())) {
          Expected(path, "an ISO 8601 duration (e.g. P1DT2H30M)", value);
        }
        return;
    }
  }

  void CheckArray(const Element& schema, const json::value& value, const PathStep* path) {
    if (!value.is_array()) {
      Expected(path, "an array", value);
      return;
    }
    if (schema.element_schema == nullptr) {
      Fail(path, "Array '" + schema.id + "' has no resolved elementSchema");
      return;
    }
    const json::array& array = value.get_array();
    for (size_t i = 0; i < array.size(); ++i) {
      PathStep step{path, {}, i, true};
      Check(*schema.element_schema, array[i], &step);
    }
  }

  static bool EnumValueMatches(const Element& schema, const json::value& wire,
                               const json::value& value) {
    if (schema.value_schema == PrimitiveType::kString) {
      return value.is_string() && wire.is_string() && value.get_string() == wire.get_string();
    }
    bool out_of_range = false;
    if (!IsIntegerIn(value, std::numeric_limits<int32_t>::min(),
                     std::numeric_limits<int32_t>::max(), &out_of_range)) {
      return false;
    }
    int64_t v = value.is_int64() ? value.get_int64() : static_cast<int64_t>(value.get_uint64());
    if (wire.is_int64()) return wire.get_int64() == v;
    if (wire.is_uint64()) return v >= 0 && wire.get_uint64() == static_cast<uint64_t>(v);
    return false;
  }

  void CheckEnum(const Element& schema, const json::value& value, const PathStep* path) {
    for (const Element* enum_value : schema.enum_values) {
      if (EnumValueMatches(schema, enum_value->enum_value, value)) return;
    }
    if (schema.enum_values.empty()) {
      Fail(path, "no value conforms to Enum '" + schema.id + "': it has no enumValues");
      return;
    }
    std::string message = "expected one of ";
    constexpr size_t kMaxListed = 10;
    for (size_t i = 0; i < schema.enum_values.size() && i < kMaxListed; ++i) {
      if (i > 0) message += ", ";
      message += WriteJson(schema.enum_values[i]->enum_value);
    }
    if (schema.enum_values.size() > kMaxListed) message += ", ...";
    message += " (the Enum's enumValue";
    message += schema.enum_values.size() == 1 ? ")" : "s)";
    message += ", got ";
    message += DescribeJson(value);
    Fail(path, std::move(message));
  }

  void CheckMap(const Element& schema, const json::value& value, const PathStep* path) {
    if (!value.is_object()) {
      Expected(path, "an object (a Map)", value);
      return;
    }
    if (schema.map_value == nullptr) {
      Fail(path, "Map '" + schema.id + "' has no resolved mapValue");
      return;
    }
    // Map keys are not checked, as the reference parser does not check them.
    for (const json::key_value_pair& member : value.get_object()) {
      PathStep step{path, member.key(), 0, false};
      Check(*schema.map_value, member.value(), &step);
    }
  }

  void CheckObject(const Element& schema, const json::value& value, const PathStep* path) {
    if (!value.is_object()) {
      Expected(path, "an object", value);
      return;
    }
    // Every field is optional; unknown members are not allowed.
    for (const json::key_value_pair& member : value.get_object()) {
      const Element* field = nullptr;
      for (const Element* f : schema.fields) {
        if (f->name == member.key()) {
          field = f;
          break;
        }
      }
      PathStep step{path, member.key(), 0, false};
      if (field == nullptr) {
        std::string message = "'" + std::string(member.key()) + "' is not a field of the Object";
        if (schema.fields.empty()) {
          message += " (it has no fields)";
        } else {
          message += " (fields: ";
          for (size_t i = 0; i < schema.fields.size(); ++i) {
            if (i > 0) message += ", ";
            message += schema.fields[i]->name;
          }
          message += ")";
        }
        Fail(&step, std::move(message));
        continue;
      }
      Check(*field, member.value(), &step);
    }
  }

  void CheckCoordinates(const json::value& value, int depth, const PathStep* path) {
    if (depth == 1) {
      if (!value.is_array() || value.get_array().size() < 2) {
        Expected(path, "a position (an array of two or more numbers)", value);
        return;
      }
      const json::array& position = value.get_array();
      for (size_t i = 0; i < position.size(); ++i) {
        if (!IsNumber(position[i])) {
          PathStep step{path, {}, i, true};
          Expected(&step, "a number", position[i]);
        }
      }
      return;
    }
    if (!value.is_array()) {
      Expected(path, depth == 2 ? "an array of positions" : "an array of arrays of positions",
               value);
      return;
    }
    const json::array& array = value.get_array();
    for (size_t i = 0; i < array.size(); ++i) {
      PathStep step{path, {}, i, true};
      CheckCoordinates(array[i], depth - 1, &step);
    }
  }

  void CheckGeospatial(GeospatialType type, const json::value& value, const PathStep* path) {
    std::string_view type_name = GeoJsonType(type);
    if (!value.is_object()) {
      Expected(path,
               "a GeoJSON " + std::string(type_name) + " ({\"type\": \"" + std::string(type_name) +
                   "\", \"coordinates\": [...]})",
               value);
      return;
    }
    const json::object& object = value.get_object();
    bool has_type = false;
    bool has_coordinates = false;
    for (const json::key_value_pair& member : object) {
      PathStep step{path, member.key(), 0, false};
      if (member.key() == "type") {
        has_type = true;
        if (!member.value().is_string() || member.value().get_string() != type_name) {
          Expected(&step, "\"" + std::string(type_name) + "\"", member.value());
        }
      } else if (member.key() == "coordinates") {
        has_coordinates = true;
        CheckCoordinates(member.value(), CoordinateDepth(type), &step);
      } else {
        Fail(&step, "'" + std::string(member.key()) + "' is not a member of a GeoJSON " +
                        std::string(type_name) + " (members: type, coordinates)");
      }
    }
    if (!has_type) {
      Fail(path, "missing member \"type\" (\"" + std::string(type_name) + "\") of a GeoJSON " +
                     std::string(type_name));
    }
    if (!has_coordinates) {
      Fail(path, "missing member \"coordinates\" of a GeoJSON " + std::string(type_name));
    }
  }

  std::vector<InstanceProblem>* problems_;
};

}  // namespace

std::string PointerOf(const PathStep* step) {
  const PathStep* steps[64];
  size_t count = 0;
  for (const PathStep* s = step; s != nullptr && count < std::size(steps); s = s->parent) {
    steps[count++] = s;
  }
  std::string out;
  while (count > 0) {
    const PathStep* s = steps[--count];
    out += '/';
    if (s->is_index) {
      out += std::to_string(s->index);
    } else {
      out += EscapeJsonPointerToken(s->key);
    }
  }
  return out;
}

// "string \"hot\"", "number 1.5", "null", "an object"... Long strings are cut.
std::string DescribeJson(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return value.get_bool() ? "boolean true" : "boolean false";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number " + RenderNumber(value);
    case json::kind::string: {
      constexpr size_t kMaxShown = 64;
      std::string_view text = value.get_string();
      bool cut = text.size() > kMaxShown;
      if (cut) {
        size_t end = kMaxShown;
        // Do not split a UTF-8 sequence: back up over continuation bytes.
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        text = text.substr(0, end);
      }
      std::string out = "string " + WriteJson(json::value(json::string(text)));
      if (cut) out += " (cut)";
      return out;
    }
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

void CheckValue(const Element& element, const json::value& value, const PathStep* path,
                std::vector<InstanceProblem>& problems) {
  Checker(&problems).Check(element, value, path);
}

std::vector<InstanceProblem> ValidateValue(const Element& schema, const json::value& value) {
  std::vector<InstanceProblem> problems;
  CheckValue(schema, value, nullptr, problems);
  return problems;
}

}  // namespace dtwin::dtdl
