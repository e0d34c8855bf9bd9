// The DTDL models the twin, component, relationship and telemetry samples use: a Floor that
// contains Rooms, and a Room with a Thermostat component. Single-threaded use.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <iostream>

#include "dtwin/client/digital_twins_client.h"
#include "dtwin/client/errors.h"

namespace dtwin::samples {

inline constexpr const char* kThermostatModelId = "dtmi:com:example:samples:Thermostat;1";
inline constexpr const char* kRoomModelId = "dtmi:com:example:samples:Room;1";
inline constexpr const char* kFloorModelId = "dtmi:com:example:samples:Floor;1";

inline boost::json::array SampleModels() {
  return boost::json::parse(R"([
    {
      "@id": "dtmi:com:example:samples:Thermostat;1",
      "@type": "Interface",
      "@context": "dtmi:dtdl:context;3",
      "displayName": "Thermostat",
      "contents": [
        {"@type": "Property", "name": "targetTemperature", "schema": "double", "writable": true},
        {"@type": "Telemetry", "name": "temperature", "schema": "double"}
      ]
    },
    {
      "@id": "dtmi:com:example:samples:Room;1",
      "@type": "Interface",
      "@context": "dtmi:dtdl:context;3",
      "displayName": "Room",
      "contents": [
        {"@type": "Property", "name": "name", "schema": "string"},
        {"@type": "Property", "name": "temperature", "schema": "double", "writable": true},
        {"@type": "Telemetry", "name": "occupancy", "schema": "integer"},
        {"@type": "Component", "name": "thermostat",
         "schema": "dtmi:com:example:samples:Thermostat;1"}
      ]
    },
    {
      "@id": "dtmi:com:example:samples:Floor;1",
      "@type": "Interface",
      "@context": "dtmi:dtdl:context;3",
      "displayName": "Floor",
      "contents": [
        {"@type": "Property", "name": "name", "schema": "string"},
        {"@type": "Relationship", "name": "contains", "target": "dtmi:com:example:samples:Room;1",
         "properties": [{"@type": "Property", "name": "isAccessible", "schema": "boolean"}]}
      ]
    }
  ])")
      .as_array();
}

// Uploads the sample models unless an earlier run already did. They stay on the instance:
// models are shared, and deleting them is what models_lifecycle shows.
inline void UploadSampleModels(client::DigitalTwinsClient& client) {
  try {
    client.CreateModels(SampleModels());
    std::cout << "Uploaded the sample models\n";
  } catch (const client::ResourceExistsError&) {
    std::cout << "The sample models are already there\n";
  }
}

}  // namespace dtwin::samples
