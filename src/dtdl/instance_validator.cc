// Instance validation with the reference parser's wire rules (reference/dtdl.md 3.8-3.12)
// and ADT's twin shape (section 8). Runs on every twin write, so the success path does not
// allocate: the path to the current value lives on the stack and becomes a JSON Pointer,
// and messages are built, only when a problem is found.
#include "dtdl/instance_validator.h"

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

// Most problems listed in a Status message; every problem is still a detail.
constexpr size_t kMaxProblemsInMessage = 10;

// One step from the validated root to the current value. Steps live on the stack of the
// recursive checks; a JSON Pointer is built from them only for a problem.
struct PathStep {
  const PathStep* parent = nullptr;
  std::string_view key;  // member name, when !is_index
  size_t index = 0;
  bool is_index = false;
};

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

// "string \"hot\"", "number 1.5", "null", "an object"... Long strings are cut.
std::string Describe(const json::value& value) {
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
    message += Describe(value);
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
    message += Describe(value);
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

// ---- twins, relationships, telemetry ----------------------------------------------------

// Content named name in interface, inherited ones included; nullptr when none.
const Element* FindContent(const Element& interface, std::string_view name) {
  if (!interface.all_contents.empty()) {
    // all_contents is keyed by std::string; reuse one buffer per thread so that lookups
    // of long names do not allocate.
    thread_local std::string key;
    key.assign(name.data(), name.size());
    auto it = interface.all_contents.find(key);
    return it == interface.all_contents.end() ? nullptr : it->second;
  }
  // Not resolved (elements built by hand): own contents, then bases.
  for (const Element* content : interface.contents) {
    if (content->name == name) return content;
  }
  for (const Element* base : interface.extends) {
    if (const Element* found = FindContent(*base, name)) return found;
  }
  return nullptr;
}

template <typename Fn>
void ForEachContent(const Element& interface, Fn&& fn) {
  if (!interface.all_contents.empty()) {
    for (const auto& [name, content] : interface.all_contents) fn(*content);
    return;
  }
  for (const Element* content : interface.contents) fn(*content);
  for (const Element* base : interface.extends) ForEachContent(*base, fn);
}

// Collects the problems of one document as messages for a Status.
class ProblemList {
 public:
  void Add(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const { return messages_.empty(); }

  // Turns the problems found by a Checker for the value of a named member into messages:
  // "Property 'temp': expected ..." or "Property 'pos' at /pos/x: expected ...".
  void AddValueProblems(std::string_view subject, std::string_view member_pointer,
                        std::vector<InstanceProblem>& problems) {
    for (InstanceProblem& problem : problems) {
      std::string message(subject);
      if (problem.pointer != member_pointer) {
        message += " at ";
        message += problem.pointer;
      }
      message += ": ";
      message += problem.message;
      Add(std::move(message));
    }
    problems.clear();
  }

  Status ToStatus(std::string_view what) && {
    if (messages_.empty()) return Status::Ok();
    std::string message(what);
    message += ": ";
    for (size_t i = 0; i < messages_.size() && i < kMaxProblemsInMessage; ++i) {
      if (i > 0) message += "; ";
      message += messages_[i];
    }
    if (messages_.size() > kMaxProblemsInMessage) {
      message +=
          "; and " + std::to_string(messages_.size() - kMaxProblemsInMessage) + " more problems";
    }
    Status status(ErrorCode::kValidationFailed, std::move(message));
    for (std::string& detail : messages_) {
      status.AddDetail(Status(ErrorCode::kValidationFailed, std::move(detail)));
    }
    return status;
  }

 private:
  std::vector<std::string> messages_;
};

std::string Quoted(std::string_view text) {
  std::string out = "'";
  out += text;
  out += "'";
  return out;
}

// The message for a member that is a content of the Interface but not a Property.
std::string NotAPropertyMessage(const Element& content, std::string_view name,
                                const Element& interface) {
  std::string message = Quoted(name);
  message += " is a ";
  message += ElementClassName(content.element_class);
  message += " of ";
  message += interface.id;
  message += ", not a Property";
  switch (content.element_class) {
    case ElementClass::kRelationship:
      message += ": relationships are created through the relationships API";
      break;
    case ElementClass::kTelemetry:
      message += ": telemetry is sent as events, not stored on the twin";
      break;
    case ElementClass::kCommand:
      message += ": commands are not stored on the twin";
      break;
    default:
      break;
  }
  return message;
}

// Checks the "$metadata" object of a twin (component_name empty) or of a component.
void CheckMetadata(const Element& interface, const json::value& metadata,
                   std::string_view component_name, ProblemList& problems) {
  const bool top_level = component_name.empty();
  // "'$metadata'", "'$metadata/$model'", "'thermostat/$metadata/x'": built only on failure.
  auto where = [&](std::string_view key) {
    std::string out = "'";
    if (!top_level) {
      out += component_name;
      out += '/';
    }
    out += "$metadata";
    if (!key.empty()) {
      out += '/';
      out += key;
    }
    out += "'";
    return out;
  };
  if (!metadata.is_object()) {
    problems.Add(where({}) + " must be an object, got " + Describe(metadata));
    return;
  }
  for (const json::key_value_pair& member : metadata.get_object()) {
    std::string_view key = member.key();
    if (key.starts_with('$')) {
      if ((key == "$model" && top_level) || key == "$lastUpdateTime") {
        if (!member.value().is_string()) {
          problems.Add(where(key) + " must be a string, got " + Describe(member.value()));
        }
      } else {
        problems.Add(where(key) + " is not allowed (allowed: " + (top_level ? "$model, " : "") +
                     "$lastUpdateTime and property names)");
      }
      continue;
    }
    const Element* content = FindContent(interface, key);
    if (content == nullptr || (content->element_class != ElementClass::kProperty &&
                               content->element_class != ElementClass::kComponent)) {
      problems.Add(where(key) + ": " + Quoted(key) + " is not a Property of " + interface.id);
    } else if (!member.value().is_object()) {
      problems.Add(where(key) + " must be an object (e.g. {\"sourceTime\": \"...\"}), got " +
                   Describe(member.value()));
    }
  }
}

// Checks the value of Component component (named name) of a twin.
void CheckComponent(const Element& component, std::string_view name, const json::value& value,
                    std::vector<InstanceProblem>& scratch, ProblemList& problems) {
  const Element* schema = component.schema;
  if (schema == nullptr || !schema->IsInterface()) {
    problems.Add("Component " + Quoted(name) + " has no resolved Interface");
    return;
  }
  if (!value.is_object()) {
    problems.Add("Component " + Quoted(name) +
                 " must be an object with a \"$metadata\" object, got " + Describe(value));
    return;
  }
  const json::object& object = value.get_object();
  if (object.find("$metadata") == object.end()) {
    problems.Add("Component " + Quoted(name) +
                 " has no \"$metadata\" object (a component is at least {\"$metadata\": {}})");
  }
  PathStep component_step{nullptr, name, 0, false};
  Checker checker(&scratch);
  for (const json::key_value_pair& member : object) {
    std::string_view key = member.key();
    if (key == "$metadata") {
      CheckMetadata(*schema, member.value(), name, problems);
      continue;
    }
    const Element* content = key.starts_with('$') ? nullptr : FindContent(*schema, key);
    if (content == nullptr) {
      problems.Add(Quoted(key) + " is not a Property of component " + Quoted(name) + " (" +
                   schema->id + ")");
      continue;
    }
    if (content->element_class != ElementClass::kProperty) {
      problems.Add(NotAPropertyMessage(*content, key, *schema) + " (in component " + Quoted(name) +
                   ")");
      continue;
    }
    PathStep step{&component_step, key, 0, false};
    checker.Check(*content, member.value(), &step);
    if (!scratch.empty()) {
      problems.AddValueProblems("Property " + Quoted(key) + " of component " + Quoted(name),
                                PointerOf(&step), scratch);
    }
  }
}

}  // namespace

std::vector<InstanceProblem> ValidateValue(const Element& schema, const json::value& value) {
  std::vector<InstanceProblem> problems;
  Checker(&problems).Check(schema, value, nullptr);
  return problems;
}

Status ValidateTwin(const Element& interface, const json::value& twin) {
  if (!twin.is_object()) {
    return Status(ErrorCode::kValidationFailed,
                  "Invalid twin specified: a twin must be a JSON object, got " + Describe(twin));
  }
  ProblemList problems;
  std::vector<InstanceProblem> scratch;  // reused; allocates only once a problem is found
  Checker checker(&scratch);
  const json::object& object = twin.get_object();
  for (const json::key_value_pair& member : object) {
    std::string_view key = member.key();
    if (key.starts_with('$')) {
      if (key == "$metadata") {
        CheckMetadata(interface, member.value(), /*component_name=*/{}, problems);
      } else if (key == "$dtId" || key == "$etag" || key == "$lastUpdateTime") {
        if (!member.value().is_string()) {
          problems.Add(Quoted(key) + " must be a string, got " + Describe(member.value()));
        }
      } else {
        problems.Add(Quoted(key) +
                     " is not an allowed system member of a twin (allowed: $dtId, $etag, "
                     "$metadata, $lastUpdateTime)");
      }
      continue;
    }
    const Element* content = FindContent(interface, key);
    if (content == nullptr) {
      problems.Add(Quoted(key) + " does not appear on the DTDL of " + interface.id +
                   ": it is not a Property or Component of the Interface or its bases");
      continue;
    }
    switch (content->element_class) {
      case ElementClass::kProperty: {
        PathStep step{nullptr, key, 0, false};
        checker.Check(*content, member.value(), &step);
        if (!scratch.empty()) {
          problems.AddValueProblems("Property " + Quoted(key), PointerOf(&step), scratch);
        }
        break;
      }
      case ElementClass::kComponent:
        CheckComponent(*content, key, member.value(), scratch, problems);
        break;
      default:
        problems.Add(NotAPropertyMessage(*content, key, interface));
        break;
    }
  }
  // Components are required (ADT: "they can be empty objects, but the components
  // themselves have to exist"). Sorted, so that the message does not depend on hashing.
  std::vector<std::string_view> missing;
  ForEachContent(interface, [&](const Element& content) {
    if (content.element_class == ElementClass::kComponent &&
        object.find(content.name) == object.end()) {
      missing.push_back(content.name);
    }
  });
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (std::string_view name : missing) {
    problems.Add("Component " + Quoted(name) +
                 " is missing: every component must be present, at least as {\"$metadata\": {}}");
  }
  return std::move(problems).ToStatus("Invalid twin specified");
}

Status ValidateRelationshipProperties(const Element& relationship, const json::value& body) {
  if (!body.is_object()) {
    return Status(ErrorCode::kValidationFailed,
                  "Invalid relationship specified: a relationship must be a JSON object, got " +
                      Describe(body));
  }
  ProblemList problems;
  std::vector<InstanceProblem> scratch;
  Checker checker(&scratch);
  for (const json::key_value_pair& member : body.get_object()) {
    std::string_view key = member.key();
    if (key.starts_with('$')) continue;  // $relationshipId, $targetId...: checked elsewhere
    const Element* property = nullptr;
    for (const Element* p : relationship.properties) {
      if (p->name == key) {
        property = p;
        break;
      }
    }
    if (property == nullptr) {
      problems.Add(Quoted(key) + " is not a property of Relationship " + Quoted(relationship.name) +
                   " (" + relationship.id + ")");
      continue;
    }
    PathStep step{nullptr, key, 0, false};
    checker.Check(*property, member.value(), &step);
    if (!scratch.empty()) {
      problems.AddValueProblems("Property " + Quoted(key), PointerOf(&step), scratch);
    }
  }
  return std::move(problems).ToStatus("Invalid relationship specified");
}

Status ValidateTelemetry(const Element& interface, const json::value& payload) {
  if (!payload.is_object()) {
    return Status(ErrorCode::kValidationFailed,
                  "Invalid telemetry specified: a telemetry payload must be a JSON object, got " +
                      Describe(payload));
  }
  ProblemList problems;
  std::vector<InstanceProblem> scratch;
  Checker checker(&scratch);
  // Checks one member against the Telemetry contents of owner (the Interface, or the
  // Interface of the component named component_name).
  auto check_member = [&](const Element& owner, const PathStep* parent,
                          const json::key_value_pair& member, std::string_view component_name) {
    auto suffix = [&] {
      return component_name.empty() ? std::string()
                                    : " (in component " + Quoted(component_name) + ")";
    };
    std::string_view key = member.key();
    const Element* content = FindContent(owner, key);
    if (content == nullptr || content->element_class != ElementClass::kTelemetry) {
      problems.Add(Quoted(key) + " is not a Telemetry of " + owner.id + suffix());
      return;
    }
    PathStep step{parent, key, 0, false};
    checker.Check(*content, member.value(), &step);
    if (!scratch.empty()) {
      problems.AddValueProblems("Telemetry " + Quoted(key) + suffix(), PointerOf(&step), scratch);
    }
  };
  for (const json::key_value_pair& member : payload.get_object()) {
    const Element* content = FindContent(interface, member.key());
    if (content != nullptr && content->element_class == ElementClass::kComponent &&
        content->schema != nullptr && member.value().is_object()) {
      // {"thermostat": {"temperature": 21.5}}: telemetry of a component.
      PathStep component_step{nullptr, member.key(), 0, false};
      for (const json::key_value_pair& inner : member.value().get_object()) {
        check_member(*content->schema, &component_step, inner, member.key());
      }
      continue;
    }
    check_member(interface, nullptr, member, {});
  }
  return std::move(problems).ToStatus("Invalid telemetry specified");
}

}  // namespace dtwin::dtdl
