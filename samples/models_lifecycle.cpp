// Sample: the life of DTDL models: create, get, list, decommission, delete.
// Run: AZURE_URL=http://127.0.0.1:8080 ./models_lifecycle (credentials: see create_client.cpp)
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "sample_client.h"

using dtwin::client::DigitalTwinsClient;
using dtwin::client::ListModelsOptions;
using dtwin::client::ModelData;

namespace {

constexpr const char* kBatteryModelId = "dtmi:com:example:samples:lifecycle:Battery;1";
constexpr const char* kSensorModelId = "dtmi:com:example:samples:lifecycle:Sensor;1";

// A Sensor with a Battery component: the Sensor depends on the Battery, so one upload holds
// both (or the Battery is uploaded first).
boost::json::array LifecycleModels() {
  return boost::json::parse(R"([
    {
      "@id": "dtmi:com:example:samples:lifecycle:Battery;1",
      "@type": "Interface",
      "@context": "dtmi:dtdl:context;3",
      "displayName": "Battery",
      "contents": [{"@type": "Property", "name": "level", "schema": "double"}]
    },
    {
      "@id": "dtmi:com:example:samples:lifecycle:Sensor;1",
      "@type": "Interface",
      "@context": "dtmi:dtdl:context;3",
      "displayName": "Sensor",
      "description": "A sensor with a battery",
      "contents": [
        {"@type": "Telemetry", "name": "reading", "schema": "double"},
        {"@type": "Component", "name": "battery",
         "schema": "dtmi:com:example:samples:lifecycle:Battery;1"}
      ]
    }
  ])")
      .as_array();
}

void PrintModel(const ModelData& model) {
  std::cout << "  " << model.id << " " << boost::json::serialize(model.display_name)
            << (model.decommissioned ? " decommissioned" : "") << "\n";
}

}  // namespace

int main() {
  return dtwin::samples::RunSample([] {
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();

    // Create: one all-or-nothing upload.
    std::cout << "Created models:\n";
    for (const ModelData& model : client.CreateModels(LifecycleModels())) PrintModel(model);

    // Get, with the DTDL itself.
    ModelData sensor = client.GetModel(kSensorModelId, /*include_model_definition=*/true);
    std::cout << "Got model " << sensor.id << " uploaded at " << sensor.upload_time.value_or("?")
              << ", its DTDL has " << sensor.model->at("contents").as_array().size()
              << " contents\n";

    // List: what the Sensor depends on (itself and the Battery)...
    ListModelsOptions dependencies;
    dependencies.dependencies_for = {kSensorModelId};
    std::cout << "Models the sensor needs:\n";
    for (const ModelData& model : client.ListModels(dependencies)) PrintModel(model);
    // ...and every model, fetched page by page as the loop goes.
    std::cout << "All models:\n";
    for (const ModelData& model : client.ListModels()) PrintModel(model);

    // Decommission: existing twins keep working, new twins cannot use the model.
    client.DecommissionModel(kSensorModelId);
    std::cout << "Decommissioned " << kSensorModelId << ": "
              << (client.GetModel(kSensorModelId).decommissioned ? "yes" : "no") << "\n";

    // Delete: the Sensor first, since it references the Battery.
    client.DeleteModel(kSensorModelId);
    client.DeleteModel(kBatteryModelId);
    std::cout << "Deleted " << kSensorModelId << " and " << kBatteryModelId << "\n";

    try {
      client.GetModel(kSensorModelId);
    } catch (const dtwin::client::ResourceNotFoundError& error) {
      std::cout << "Getting it again fails: " << error.code() << "\n";
    }
  });
}
