// Sample: publish telemetry from a twin and from one of its components. Telemetry is not
// stored on the twin: it becomes an event that routes deliver (see event_routes.cpp).
// Run: AZURE_URL=http://127.0.0.1:8080 ./publish_telemetry
// (credentials: see create_client.cpp; the models: sample_models.h).
#include <ctime>
#include <iostream>
#include <string>

#include "sample_client.h"
#include "sample_models.h"

using dtwin::client::DigitalTwinsClient;
using dtwin::client::TelemetryOptions;

namespace {

// Now, in the RFC 3339 form Telemetry-Source-Time takes.
std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

int main() {
  return dtwin::samples::RunSample([] {
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();
    dtwin::samples::UploadSampleModels(client);

    constexpr const char* kTwinId = "sample-telemetry-room";
    client.UpsertDigitalTwin(kTwinId, {{"$metadata", {{"$model", dtwin::samples::kRoomModelId}}},
                                       {"thermostat", {{"$metadata", boost::json::object()}}}});
    std::cout << "Created " << kTwinId << "\n";

    // The service deduplicates by message id; with none given, the client makes a random one.
    TelemetryOptions options;
    options.message_id = "occupancy-" + std::to_string(std::time(nullptr));
    options.source_time = NowRfc3339();  // when it was measured
    client.PublishTelemetry(kTwinId, {{"occupancy", 3}}, options);
    std::cout << "Published telemetry to " << kTwinId << " (message id " << options.message_id
              << ")\n";

    client.PublishComponentTelemetry(kTwinId, "thermostat", {{"temperature", 21.5}});
    std::cout << "Published telemetry to component thermostat of " << kTwinId << "\n";

    client.DeleteDigitalTwin(kTwinId);
    std::cout << "Deleted " << kTwinId << "\n";
  });
}
