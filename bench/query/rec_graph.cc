// The query benchmark's generated building graph and its queries (see rec_graph.h).
#include "bench/query/rec_graph.h"

#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace dtwin::bench {
namespace {

constexpr const char* kSensorKinds[RecGraph::kSensorsPerRoom] = {"temperature", "co2", "humidity",
                                                                 "occupancy"};
constexpr const char* kSensorModels[RecGraph::kSensorsPerRoom] = {
    "dtmi:dtwin:bench:rec:TemperatureSensor;1", "dtmi:dtwin:bench:rec:CO2Sensor;1",
    "dtmi:dtwin:bench:rec:HumiditySensor;1", "dtmi:dtwin:bench:rec:OccupancySensor;1"};
constexpr const char* kSensorUnits[RecGraph::kSensorsPerRoom] = {"degC", "ppm", "%RH", "persons"};

// Where twins sit inside a building (local index 0..999): the building, then its levels,
// then its rooms level by level, then the rooms' sensors room by room.
constexpr size_t kFirstLevel = 1;
constexpr size_t kFirstRoom = kFirstLevel + RecGraph::kLevelsPerBuilding;
constexpr size_t kFirstSensor = kFirstRoom + RecGraph::kRoomsPerBuilding;
static_assert(kFirstSensor + RecGraph::kRoomsPerBuilding * RecGraph::kSensorsPerRoom ==
              RecGraph::kTwinsPerBuilding);

// A building's relationships (local index 0..1997), in this order.
constexpr size_t kLevelHasPart = 0;
constexpr size_t kLevelIsPartOf = kLevelHasPart + RecGraph::kLevelsPerBuilding;
constexpr size_t kRoomHasPart = kLevelIsPartOf + RecGraph::kLevelsPerBuilding;
constexpr size_t kRoomIsPartOf = kRoomHasPart + RecGraph::kRoomsPerBuilding;
constexpr size_t kSensorHasCapability = kRoomIsPartOf + RecGraph::kRoomsPerBuilding;
constexpr size_t kSensorIsCapabilityOf =
    kSensorHasCapability + RecGraph::kRoomsPerBuilding * RecGraph::kSensorsPerRoom;
static_assert(kSensorIsCapabilityOf + RecGraph::kRoomsPerBuilding * RecGraph::kSensorsPerRoom ==
              RecGraph::kRelationshipsPerBuilding);

// Property values: a fixed function of the twin's global index (splitmix64), so every run
// and both stores see the same graph.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 10 rooms of the 198 in a building (every 20th, from the 8th) are hot.
bool IsHotRoom(size_t room_in_building) { return room_in_building % 20 == 7; }

// Tenths, so each value is the double nearest to a one-decimal number (renders as "21.3").
double Temperature(uint64_t hash, bool hot) {
  return hot ? static_cast<double>(265 + hash % 15) / 10
             : static_cast<double>(180 + hash % 70) / 10;
}

std::string BuildingId(size_t b) {
  char id[24];
  std::snprintf(id, sizeof id, "b%04zu", b);
  return id;
}

std::string LevelId(size_t b, size_t level_number) {
  return BuildingId(b) + "-l" + std::to_string(level_number);
}

// room_in_building < kRoomsPerBuilding.
std::string RoomIdIn(size_t b, size_t room_in_building) {
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "-r%02zu", room_in_building % RecGraph::kRoomsPerLevel);
  return LevelId(b, room_in_building / RecGraph::kRoomsPerLevel + 1) + suffix;
}

std::string SensorId(size_t b, size_t sensor_in_building) {
  return RoomIdIn(b, sensor_in_building / RecGraph::kSensorsPerRoom) + "-" +
         kSensorKinds[sensor_in_building % RecGraph::kSensorsPerRoom];
}

boost::json::object SpaceBody(std::string_view model, std::string name, int capacity,
                              double temperature, std::string external_id) {
  return {{"$metadata", {{"$model", model}}},
          {"name", std::move(name)},
          {"personCapacity", capacity},
          {"temperature", temperature},
          {"externalIds", {{"bms", std::move(external_id)}}}};
}

}  // namespace

RecGraph::RecGraph(size_t twin_count) : buildings_(twin_count / kTwinsPerBuilding) {
  if (twin_count == 0 || twin_count % kTwinsPerBuilding != 0) {
    throw std::invalid_argument("the twin count must be a positive multiple of 1000");
  }
}

std::string RecGraph::TwinId(size_t i) const {
  size_t b = i / kTwinsPerBuilding, t = i % kTwinsPerBuilding;
  if (t < kFirstLevel) return BuildingId(b);
  if (t < kFirstRoom) return LevelId(b, t - kFirstLevel + 1);
  if (t < kFirstSensor) return RoomIdIn(b, t - kFirstRoom);
  return SensorId(b, t - kFirstSensor);
}

std::string RecGraph::RoomId(size_t k) const {
  return RoomIdIn(k / kRoomsPerBuilding, k % kRoomsPerBuilding);
}

RecTwin RecGraph::Twin(size_t i) const {
  size_t b = i / kTwinsPerBuilding, t = i % kTwinsPerBuilding;
  uint64_t hash = Mix(i);
  RecTwin twin;
  twin.id = TwinId(i);
  std::string building_name = "Building " + std::to_string(b);
  std::string external_id = "BMS-" + twin.id;
  if (t < kFirstLevel) {
    twin.model_id = "dtmi:dtwin:bench:rec:Building;1";
    twin.body = SpaceBody(twin.model_id, building_name, static_cast<int>(800 + hash % 400),
                          Temperature(hash, false), external_id);
    twin.body["address"] = std::to_string(b) + " Benchmark Street, Springfield";
  } else if (t < kFirstRoom) {
    size_t level_number = t - kFirstLevel + 1;
    twin.model_id = "dtmi:dtwin:bench:rec:Level;1";
    twin.body = SpaceBody(twin.model_id, building_name + ", level " + std::to_string(level_number),
                          static_cast<int>(80 + hash % 40), Temperature(hash, false), external_id);
    twin.body["levelNumber"] = static_cast<int>(level_number);
  } else if (t < kFirstSensor) {
    size_t room = t - kFirstRoom;
    twin.model_id = "dtmi:dtwin:bench:rec:Room;1";
    twin.body =
        SpaceBody(twin.model_id, building_name + ", room " + twin.id,
                  static_cast<int>(2 + hash % 20), Temperature(hash, IsHotRoom(room)), external_id);
    twin.body["area"] = static_cast<double>(100 + hash % 400) / 10;
  } else {
    size_t kind = (t - kFirstSensor) % kSensorsPerRoom;
    twin.model_id = kSensorModels[kind];
    twin.body = {{"$metadata", {{"$model", twin.model_id}}},
                 {"name", std::string(kSensorKinds[kind]) + " sensor " + twin.id},
                 {"unit", kSensorUnits[kind]},
                 {"lastValue", static_cast<double>(hash % 10000) / 10},
                 {"lastValueTime", "2026-11-26T08:00:00Z"}};
  }
  return twin;
}

RecRelationship RecGraph::Relationship(size_t j) const {
  size_t b = j / kRelationshipsPerBuilding, k = j % kRelationshipsPerBuilding;
  RecRelationship r;
  if (k < kLevelIsPartOf) {
    r = {BuildingId(b), "", LevelId(b, k - kLevelHasPart + 1), "hasPart"};
  } else if (k < kRoomHasPart) {
    r = {LevelId(b, k - kLevelIsPartOf + 1), "", BuildingId(b), "isPartOf"};
  } else if (k < kRoomIsPartOf) {
    size_t room = k - kRoomHasPart;
    r = {LevelId(b, room / kRoomsPerLevel + 1), "", RoomIdIn(b, room), "hasPart"};
  } else if (k < kSensorHasCapability) {
    size_t room = k - kRoomIsPartOf;
    r = {RoomIdIn(b, room), "", LevelId(b, room / kRoomsPerLevel + 1), "isPartOf"};
  } else if (k < kSensorIsCapabilityOf) {
    size_t sensor = k - kSensorHasCapability;
    r = {RoomIdIn(b, sensor / kSensorsPerRoom), "", SensorId(b, sensor), "hasCapability"};
  } else {
    size_t sensor = k - kSensorIsCapabilityOf;
    r = {SensorId(b, sensor), "", RoomIdIn(b, sensor / kSensorsPerRoom), "isCapabilityOf"};
  }
  r.id = r.name + "-" + r.target_id;
  return r;
}

std::string PointQuery(std::string_view twin_id) {
  return "SELECT * FROM DIGITALTWINS T WHERE T.$dtId = '" + std::string(twin_id) + "'";
}

std::string JoinQuery(std::string_view room_id) {
  return "SELECT T, S FROM DIGITALTWINS T JOIN S RELATED T.hasCapability WHERE T.$dtId = '" +
         std::string(room_id) + "'";
}

std::string HotSpacesQuery() {
  return "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '" + std::string(kSpaceModel) +
         "') AND T.temperature > " + std::to_string(RecGraph::kHotTemperature);
}

}  // namespace dtwin::bench
