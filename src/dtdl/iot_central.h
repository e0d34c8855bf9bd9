// The IoT Central partner extension of DTDL v2 (context dtmi:iotcentral:context;2): its
// two schemas ("vector", "geopoint") and its semantic types (AccelerationVector,
// VelocityVector, Location, Event, State). Static elements; thread-safe.
#pragma once

#include <string_view>

#include "dtdl/element.h"

namespace dtwin::dtdl {

// The Object schema named "vector" ({x, y, z} doubles) or "geopoint" ({lat, lon, alt}
// doubles); nullptr for any other term.
const Element* FindIotCentralSchema(std::string_view term);

// What an IoT Central semantic type needs of the schema it co-types.
enum class IotCentralSchemaRule : uint8_t {
  kNone,             // not an IoT Central semantic type
  kVector,           // AccelerationVector, VelocityVector
  kLocation,         // Location: geopoint or a geospatial schema
  kNumericOrString,  // Event
  kEnum,             // State
};

IotCentralSchemaRule IotCentralSemanticRule(std::string_view term);

// The unit type an IoT Central semantic type may carry a unit of ("AccelerationUnit"), or
// empty when it takes none.
std::string_view IotCentralUnitType(std::string_view term);

}  // namespace dtwin::dtdl
