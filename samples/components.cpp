// Sample: a twin's component: get it, update it with JSON Patch (paths relative to the
// component), get it again. Run: AZURE_URL=http://127.0.0.1:8080 ./components
// (credentials: see create_client.cpp; the models: sample_models.h).
#include <boost/json/parse.hpp>
#include <iostream>

#include "sample_client.h"
#include "sample_models.h"

using dtwin::client::DigitalTwinsClient;

int main() {
  return dtwin::samples::RunSample([] {
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();
    dtwin::samples::UploadSampleModels(client);

    // A twin must carry every component its model declares (with its own $metadata).
    constexpr const char* kTwinId = "sample-component-room";
    boost::json::object room = {
        {"$metadata", {{"$model", dtwin::samples::kRoomModelId}}},
        {"name", "Meeting room"},
        {"thermostat", {{"$metadata", boost::json::object()}, {"targetTemperature", 21.0}}},
    };
    client.UpsertDigitalTwin(kTwinId, room);
    std::cout << "Created " << kTwinId << " with component thermostat\n";

    boost::json::object thermostat = client.GetComponent(kTwinId, "thermostat");
    std::cout << "Component thermostat: targetTemperature "
              << thermostat.at("targetTemperature").to_number<double>() << "\n";

    std::string etag = client.UpdateComponent(
        kTwinId, "thermostat",
        boost::json::parse(R"([{"op": "replace", "path": "/targetTemperature", "value": 23.5}])")
            .as_array());
    std::cout << "Updated component thermostat, the twin's etag is now " << etag << "\n";

    thermostat = client.GetComponent(kTwinId, "thermostat");
    std::cout << "Component thermostat: targetTemperature "
              << thermostat.at("targetTemperature").to_number<double>() << "\n";
    // Each property's metadata says when it was last written.
    const boost::json::object& metadata = thermostat.at("$metadata").as_object();
    std::cout << "  targetTemperature last written at "
              << metadata.at("targetTemperature").at("lastUpdateTime").as_string().c_str() << "\n";

    client.DeleteDigitalTwin(kTwinId);
    std::cout << "Deleted " << kTwinId << "\n";
  });
}
