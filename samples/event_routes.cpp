// Sample: event routes: create, get, list, delete. A route sends the events that match its
// filter to an endpoint the instance already has (on Azure, set up through the portal or
// `az dt endpoint create`; on dtwin, `dtwin serve --endpoint NAME=URL`).
// Run: AZURE_URL=http://127.0.0.1:8080 EVENT_ROUTE_ENDPOINT_NAME=NAME ./event_routes
// (credentials: see create_client.cpp).
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "sample_client.h"

using dtwin::client::DigitalTwinsClient;
using dtwin::client::EventRoute;

int main() {
  return dtwin::samples::RunSample([] {
    const char* endpoint_name = std::getenv("EVENT_ROUTE_ENDPOINT_NAME");
    if (endpoint_name == nullptr || *endpoint_name == '\0') {
      throw std::invalid_argument("set EVENT_ROUTE_ENDPOINT_NAME to an endpoint of the instance");
    }
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();

    constexpr const char* kRouteId = "sample-route";
    EventRoute route;
    route.endpoint_name = endpoint_name;
    route.filter =
        "type = 'Microsoft.DigitalTwins.Twin.Create' OR type = 'microsoft.iot.telemetry'";
    client.UpsertEventRoute(kRouteId, route);
    std::cout << "Created route " << kRouteId << "\n";

    EventRoute stored = client.GetEventRoute(kRouteId);
    std::cout << "Got route " << stored.id << ": endpoint " << stored.endpoint_name << ", filter "
              << stored.filter << "\n";

    for (const EventRoute& listed : client.ListEventRoutes()) {
      std::cout << "Listed route " << listed.id << " -> " << listed.endpoint_name << "\n";
    }

    client.DeleteEventRoute(kRouteId);
    std::cout << "Deleted route " << kRouteId << "\n";
  });
}
