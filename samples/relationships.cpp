// Sample: relationships between twins: create, get, list (outgoing by name, and incoming),
// delete. Run: AZURE_URL=http://127.0.0.1:8080 ./relationships
// (credentials: see create_client.cpp; the models: sample_models.h).
#include <iostream>
#include <string>
#include <vector>

#include "sample_client.h"
#include "sample_models.h"

using dtwin::client::DigitalTwinsClient;
using dtwin::client::IncomingRelationship;

int main() {
  return dtwin::samples::RunSample([] {
    DigitalTwinsClient client = dtwin::samples::CreateClientFromEnvironment();
    dtwin::samples::UploadSampleModels(client);

    // A floor and two rooms.
    constexpr const char* kFloorId = "sample-floor";
    const std::vector<std::string> room_ids = {"sample-floor-room-1", "sample-floor-room-2"};
    client.UpsertDigitalTwin(kFloorId, {{"$metadata", {{"$model", dtwin::samples::kFloorModelId}}},
                                        {"name", "Ground floor"}});
    for (const std::string& room_id : room_ids) {
      client.UpsertDigitalTwin(room_id, {{"$metadata", {{"$model", dtwin::samples::kRoomModelId}}},
                                         {"thermostat", {{"$metadata", boost::json::object()}}}});
    }
    std::cout << "Created " << kFloorId << ", " << room_ids[0] << " and " << room_ids[1] << "\n";

    // The floor contains each room: a relationship lives on its source twin, under an id of
    // our choosing, and may carry the properties its model declares.
    std::vector<std::string> relationship_ids;
    for (const std::string& room_id : room_ids) {
      std::string relationship_id = std::string(kFloorId) + "-contains-" + room_id;
      boost::json::object created = client.UpsertRelationship(
          kFloorId, relationship_id,
          {{"$targetId", room_id}, {"$relationshipName", "contains"}, {"isAccessible", true}});
      relationship_ids.push_back(relationship_id);
      std::cout << "Created relationship " << created.at("$relationshipId").as_string().c_str()
                << "\n";
    }

    boost::json::object first = client.GetRelationship(kFloorId, relationship_ids[0]);
    std::cout << "Got relationship " << first.at("$relationshipId").as_string().c_str() << ": "
              << first.at("$sourceId").as_string().c_str() << " "
              << first.at("$relationshipName").as_string().c_str() << " "
              << first.at("$targetId").as_string().c_str() << "\n";

    for (const boost::json::object& relationship : client.ListRelationships(kFloorId, "contains")) {
      std::cout << "Outgoing 'contains' of " << kFloorId << ": "
                << relationship.at("$targetId").as_string().c_str() << "\n";
    }
    for (const IncomingRelationship& incoming : client.ListIncomingRelationships(room_ids[1])) {
      std::cout << "Incoming to " << room_ids[1] << ": " << incoming.relationship_name << " from "
                << incoming.source_id << "\n";
    }

    // A twin can be deleted only once no relationship touches it.
    for (const std::string& relationship_id : relationship_ids) {
      client.DeleteRelationship(kFloorId, relationship_id);
    }
    std::cout << "Deleted " << relationship_ids.size() << " relationships\n";
    for (const std::string& room_id : room_ids) client.DeleteDigitalTwin(room_id);
    client.DeleteDigitalTwin(kFloorId);
    std::cout << "Deleted the twins\n";
  });
}
