// IoT Central partner extension tables.
#include "dtdl/iot_central.h"

#include <array>
#include <string>

namespace dtwin::dtdl {

namespace {

// An Object of three double fields, built once.
struct ThreeFieldObject {
  std::array<Element, 3> fields;
  Element object;

  ThreeFieldObject(std::string_view term, std::array<std::string_view, 3> names) {
    object.element_class = ElementClass::kObject;
    object.version = DtdlVersion::kV2;
    object.name = std::string(term);
    object.id = "dtmi:iotcentral:schema:" + std::string(term) + ";2";
    for (size_t i = 0; i < fields.size(); ++i) {
      fields[i].element_class = ElementClass::kField;
      fields[i].version = DtdlVersion::kV2;
      fields[i].name = std::string(names[i]);
      fields[i].id = "dtmi:iotcentral:schema:" + std::string(term) + ":_fields:__" +
                     std::string(names[i]) + ";2";
      fields[i].schema = &StandardPrimitive(PrimitiveType::kDouble, DtdlVersion::kV2);
      object.fields.push_back(&fields[i]);
    }
  }
};

}  // namespace

const Element* FindIotCentralSchema(std::string_view term) {
  static const ThreeFieldObject vector("vector", {"x", "y", "z"});
  static const ThreeFieldObject geopoint("geopoint", {"lat", "lon", "alt"});
  if (term == "vector") return &vector.object;
  if (term == "geopoint") return &geopoint.object;
  return nullptr;
}

IotCentralSchemaRule IotCentralSemanticRule(std::string_view term) {
  if (term == "AccelerationVector" || term == "VelocityVector") return IotCentralSchemaRule::kVector;
  if (term == "Location") return IotCentralSchemaRule::kLocation;
  if (term == "Event") return IotCentralSchemaRule::kNumericOrString;
  if (term == "State") return IotCentralSchemaRule::kEnum;
  return IotCentralSchemaRule::kNone;
}

std::string_view IotCentralUnitType(std::string_view term) {
  if (term == "AccelerationVector") return "AccelerationUnit";
  if (term == "VelocityVector") return "VelocityUnit";
  return {};
}

}  // namespace dtwin::dtdl
