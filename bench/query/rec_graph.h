// The query benchmark's data: a RealEstateCore-style graph of buildings -> levels -> rooms ->
// sensors (models in rec_models.json), generated deterministically from a twin count, and the
// ADT queries the benchmark runs over it. Immutable after construction; thread-safe.
//
// Each building is 1,000 twins: the building, 9 levels, 22 rooms per level, 4 sensors per
// room (temperature, CO2, humidity, occupancy). Relationships go both ways, as RealEstateCore
// has them: hasPart / isPartOf between spaces, hasCapability / isCapabilityOf between a room
// and its sensors: 1,998 per building, so about 2 per twin.
//
// Every Space (building, level, room) has a temperature; exactly 10 rooms per building, spread
// through it, are above kHotTemperature, so HotSpacesQuery() matches exactly 1% of all twins.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace dtwin::bench {

struct RecTwin {
  std::string id;
  std::string model_id;
  boost::json::object body;  // what a client PUTs: properties and $metadata.$model
};

struct RecRelationship {
  std::string source_id;
  std::string id;
  std::string target_id;
  std::string name;
};

class RecGraph {
 public:
  static constexpr size_t kTwinsPerBuilding = 1000;
  static constexpr size_t kLevelsPerBuilding = 9;
  static constexpr size_t kRoomsPerLevel = 22;
  static constexpr size_t kSensorsPerRoom = 4;
  static constexpr size_t kRoomsPerBuilding = kLevelsPerBuilding * kRoomsPerLevel;
  static constexpr size_t kRelationshipsPerBuilding = 2 * (kTwinsPerBuilding - 1);
  static constexpr int kHotTemperature = 26;

  // twin_count must be a positive multiple of kTwinsPerBuilding.
  explicit RecGraph(size_t twin_count);

  size_t twin_count() const { return buildings_ * kTwinsPerBuilding; }
  size_t relationship_count() const { return buildings_ * kRelationshipsPerBuilding; }
  size_t room_count() const { return buildings_ * kRoomsPerBuilding; }
  // Twins HotSpacesQuery() returns: 1% of twin_count().
  size_t hot_space_count() const { return buildings_ * 10; }

  // i < twin_count(); ids are "b0042", "b0042-l3", "b0042-l3-r17", "b0042-l3-r17-co2".
  std::string TwinId(size_t i) const;
  RecTwin Twin(size_t i) const;
  // k < room_count().
  std::string RoomId(size_t k) const;
  // j < relationship_count(); the relationship id is "<name>-<target id>".
  RecRelationship Relationship(size_t j) const;

 private:
  size_t buildings_;
};

// The model every Space derives from (IS_OF_MODEL without `exact` covers Building, Level, Room).
inline constexpr std::string_view kSpaceModel = "dtmi:dtwin:bench:rec:Space;1";

// The three queries of the benchmark, as a client of ADT writes them.
std::string PointQuery(std::string_view twin_id);
// One hop from a pinned room to its sensors: 4 rows {"T": room, "S": sensor}.
std::string JoinQuery(std::string_view room_id);
// Spaces above kHotTemperature: 1% of the twins.
std::string HotSpacesQuery();

}  // namespace dtwin::bench
