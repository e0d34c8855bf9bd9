// Sample: the life of digital twins: create (only if absent), update with an etag, query
// page by page, delete. Run: AZURE_URL=http://127.0.0.1:8080 ./twins_lifecycle
// (credentials: see create_client.cpp; the models: sample_models.h).
#include <boost/json/parse.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "sample_client.h"
#include "sample_models.h"

using dtwin::client::DigitalTwinsClient;
using dtwin::client::MatchConditions;
using dtwin::client::Page;
using dtwin::client::PageOptions;
using dtwin::client::Pager;

int main() {
  return dtwin::samples::RunSample([] {
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();
    dtwin::samples::UploadSampleModels(client);

    // Create three rooms. If-None-Match: * makes each a create, never a replace.
    const std::vector<std::string> room_ids = {"sample-room-1", "sample-room-2", "sample-room-3"};
    MatchConditions create_only;
    create_only.if_none_match_any = true;
    for (size_t i = 0; i < room_ids.size(); ++i) {
      boost::json::object room = {
          {"$metadata", {{"$model", dtwin::samples::kRoomModelId}}},
          {"name", "Room " + std::to_string(i + 1)},
          {"temperature", 20.0 + static_cast<double>(i)},
          {"thermostat", {{"$metadata", boost::json::object()}}},
      };
      boost::json::object created = client.UpsertDigitalTwin(room_ids[i], room, create_only);
      std::cout << "Created " << created.at("$dtId").as_string().c_str() << "\n";
    }

    // Update with JSON Patch, only if nobody changed the twin since we read it.
    boost::json::object first = client.GetDigitalTwin(room_ids[0]);
    MatchConditions unchanged;
    unchanged.if_match = std::string(first.at("$etag").as_string());
    client.UpdateDigitalTwin(
        room_ids[0],
        boost::json::parse(R"([{"op": "replace", "path": "/temperature", "value": 25.5}])")
            .as_array(),
        unchanged);
    std::cout << "Updated " << room_ids[0] << ": temperature "
              << client.GetDigitalTwin(room_ids[0]).at("temperature").to_number<double>() << "\n";

    // Query, two rows per page to show paging. (Azure Digital Twins answers queries from an
    // index that may lag writes by a few seconds; dtwin's queries see every write at once.)
    PageOptions two_per_page;
    two_per_page.max_items_per_page = 2;
    Pager<boost::json::object> rooms = client.QueryTwins(
        "SELECT * FROM digitaltwins T WHERE IS_OF_MODEL(T, 'dtmi:com:example:samples:Room;1') "
        "AND STARTSWITH(T.$dtId, 'sample-room-')",
        two_per_page);
    while (std::optional<Page<boost::json::object>> page = rooms.NextPage()) {
      std::cout << "Query page (charge " << page->query_charge.value_or(0) << "):";
      for (const boost::json::object& twin : page->items) {
        std::cout << " " << twin.at("$dtId").as_string().c_str();
      }
      std::cout << "\n";
    }

    for (const std::string& id : room_ids) client.DeleteDigitalTwin(id);
    std::cout << "Deleted " << room_ids.size() << " twins\n";
  });
}
