// The service test fixture and its models.
#include "service_test_base.h"

#include "common/clock.h"
#include "common/json_reader.h"

namespace dtwin::service {

const char kTestModels[] = R"([
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Space;1", "@type": "Interface",
   "displayName": "Space",
   "contents": [
     {"@type": "Property", "name": "name", "schema": "string"},
     {"@type": "Relationship", "name": "adjacentTo"}
   ]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Thermostat;1", "@type": "Interface",
   "description": {"en": "A thermostat", "de": "Ein Thermostat"},
   "contents": [
     {"@type": "Property", "name": "setpoint", "schema": "double"},
     {"@type": "Property", "name": "mode", "schema": "string"}
   ]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Sensor;1", "@type": "Interface",
   "contents": [{"@type": "Property", "name": "reading", "schema": "double"}]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Room;1", "@type": "Interface",
   "extends": "dtmi:test:Space;1",
   "contents": [
     {"@type": "Property", "name": "temperature", "schema": "double"},
     {"@type": "Property", "name": "humidity", "schema": "integer"},
     {"@type": "Property", "name": "info", "schema": {"@type": "Object", "fields": [
       {"name": "floor", "schema": "integer"}, {"name": "wing", "schema": "string"}]}},
     {"@type": "Property", "name": "tags",
      "schema": {"@type": "Map", "mapKey": {"name": "k", "schema": "string"},
                 "mapValue": {"name": "v", "schema": "string"}}},
     {"@type": "Component", "name": "thermostat", "schema": "dtmi:test:Thermostat;1"},
     {"@type": "Relationship", "name": "hasSensor", "target": "dtmi:test:Sensor;1",
      "properties": [{"@type": "Property", "name": "weight", "schema": "double"}]}
   ]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Floor;1", "@type": "Interface",
   "extends": "dtmi:test:Space;1",
   "contents": [{"@type": "Relationship", "name": "contains", "target": "dtmi:test:Space;1"}]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Room;2", "@type": "Interface",
   "extends": "dtmi:test:Space;1",
   "contents": [
     {"@type": "Property", "name": "temperature", "schema": "double"},
     {"@type": "Property", "name": "occupancy", "schema": "integer"},
     {"@type": "Component", "name": "thermostat", "schema": "dtmi:test:Thermostat;1"}
   ]},
  {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Lamp;1", "@type": "Interface",
   "contents": [{"@type": "Property", "name": "on", "schema": "boolean"}]}
])";

std::chrono::system_clock::time_point TestEpoch() {
  return *ParseAdtTime("2023-05-18T23:08:19.7086397Z");
}

boost::json::value Json(std::string_view text) {
  Result<boost::json::value> value = ReadJson(text);
  EXPECT_TRUE(value.ok()) << value.status().ToString() << " in " << text;
  return value.ok() ? std::move(value).value() : boost::json::value();
}

void ServiceTest::SetUp() {
  options_.endpoint_names = {"hub", "grid"};
  options_.now = [this] { return now_; };
  Restart();
}

void ServiceTest::Restart() {
  service_.reset();
  auto store = std::make_unique<FakeStore>(data_);
  store_ = store.get();
  service_ = std::make_unique<DigitalTwinsService>(std::move(store), options_);
  Status started = service_->Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
}

void ServiceTest::UploadTestModels() {
  Result<std::vector<ModelInfo>> added = AddModels(kTestModels);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
}

Result<Document> ServiceTest::PutRoom(std::string_view id, std::string_view extra) {
  std::string body =
      R"({"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}})";
  if (!extra.empty()) body += ", " + std::string(extra);
  return PutTwin(id, body + "}");
}

Result<std::vector<ModelInfo>> ServiceTest::AddModels(std::string_view json) {
  return Await<std::vector<ModelInfo>>(
      [&](auto done) { service_->AddModels(Json(json), std::move(done)); });
}

Status ServiceTest::UpdateModel(std::string_view id, std::string_view patch) {
  return AwaitStatus([&](auto done) { service_->UpdateModel(id, Json(patch), std::move(done)); });
}

Status ServiceTest::DeleteModel(std::string_view id) {
  return AwaitStatus([&](auto done) { service_->DeleteModel(id, std::move(done)); });
}

Result<Document> ServiceTest::PutTwin(std::string_view id, std::string_view json,
                                      Preconditions pre) {
  return Await<Document>(
      [&](auto done) { service_->PutTwin(id, Json(json), pre, std::move(done)); });
}

Result<std::string> ServiceTest::PatchTwin(std::string_view id, std::string_view patch,
                                           Preconditions pre) {
  return Await<std::string>(
      [&](auto done) { service_->PatchTwin(id, Json(patch), pre, std::move(done)); });
}

Status ServiceTest::DeleteTwin(std::string_view id, Preconditions pre) {
  return AwaitStatus([&](auto done) { service_->DeleteTwin(id, pre, std::move(done)); });
}

Result<std::string> ServiceTest::PatchComponent(std::string_view id, std::string_view component,
                                                std::string_view patch, Preconditions pre) {
  return Await<std::string>([&](auto done) {
    service_->PatchComponent(id, component, Json(patch), pre, std::move(done));
  });
}

Result<Document> ServiceTest::PutRelationship(std::string_view source, std::string_view id,
                                              std::string_view json, Preconditions pre) {
  return Await<Document>(
      [&](auto done) { service_->PutRelationship(source, id, Json(json), pre, std::move(done)); });
}

Result<std::string> ServiceTest::PatchRelationship(std::string_view source, std::string_view id,
                                                   std::string_view patch, Preconditions pre) {
  return Await<std::string>([&](auto done) {
    service_->PatchRelationship(source, id, Json(patch), pre, std::move(done));
  });
}

Status ServiceTest::DeleteRelationship(std::string_view source, std::string_view id,
                                       Preconditions pre) {
  return AwaitStatus(
      [&](auto done) { service_->DeleteRelationship(source, id, pre, std::move(done)); });
}

Status ServiceTest::SendTelemetry(std::string_view id, std::string_view component,
                                  std::string_view json, std::string_view message_id) {
  return AwaitStatus([&](auto done) {
    service_->SendTelemetry(id, component, Json(json), message_id, "2024-01-01T00:00:00Z",
                            std::move(done));
  });
}

Status ServiceTest::PutRoute(std::string_view id, std::string_view json) {
  return AwaitStatus([&](auto done) { service_->PutEventRoute(id, Json(json), std::move(done)); });
}

Status ServiceTest::DeleteRoute(std::string_view id) {
  return AwaitStatus([&](auto done) { service_->DeleteEventRoute(id, std::move(done)); });
}

}  // namespace dtwin::service
