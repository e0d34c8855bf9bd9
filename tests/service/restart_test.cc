// Start-up: a new service over the same stored data sees everything (over the FakeStore and
// over the real SQLite store), and inconsistent stores are reported.
#include <algorithm>
#include <filesystem>
#include <future>
#include <random>
#include <set>

#include "common/json_writer.h"
#include "service/outbox_records.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

namespace json = boost::json;

// What a client can observe of an instance, for before/after comparisons.
std::string Snapshot(const DigitalTwinsService& service) {
  std::string out;
  const Result<Page<ModelInfo>> models = service.ListModels({}, true, {});
  for (const ModelInfo& info : models->items) {
    out += info.id + " " + WriteJson(info.display_name) + WriteJson(info.description) +
           std::to_string(info.upload_time.time_since_epoch().count()) +
           (info.decommissioned ? " decommissioned " : " ") + WriteJson(*info.model) + "\n";
  }
  for (const char* twin : {"r1", "s1"}) {
    Result<Document> document = service.GetTwin(twin);
    out +=
        document.ok() ? document->etag + WriteJson(document->body) : document.status().ToString();
    out += "\n";
    Result<Page<json::object>> relationships = service.ListRelationships(twin, "", {});
    for (const json::object& relationship : relationships->items)
      out += WriteJson(relationship) + "\n";
    const Result<Page<IncomingRelationship>> incomings =
        service.ListIncomingRelationships(twin, {});
    for (const IncomingRelationship& incoming : incomings->items) {
      out += "<- " + incoming.source_id + "/" + incoming.relationship_id + "\n";
    }
  }
  const Result<Page<EventRoute>> routes = service.ListEventRoutes({});
  for (const EventRoute& route : routes->items) {
    out += route.id + " " + route.endpoint_name + " " + route.filter + "\n";
  }
  return out;
}

const char kOffice[] = R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Office;1",
  "@type": "Interface", "extends": "dtmi:test:Room;1", "displayName": "Office"}])";

class RestartTest : public ServiceTest {
 protected:
  // Fills the instance: two upload batches (the second extends the first), a decommissioned
  // and a deleted model, twins, a relationship, a route.
  void Populate() {
    UploadTestModels();
    ASSERT_TRUE(AddModels(kOffice).ok());
    ASSERT_TRUE(UpdateModel("dtmi:test:Lamp;1",
                            R"([{"op": "replace", "path": "/decommissioned", "value": true}])")
                    .ok());
    ASSERT_TRUE(DeleteModel("dtmi:test:Room;2").ok());
    ASSERT_TRUE(PutTwin("r1", R"({"$metadata": {"$model": "dtmi:test:Office;1",
        "temperature": {"sourceTime": "2023-01-01T00:00:00Z"}},
      "temperature": 21, "thermostat": {"$metadata": {}, "setpoint": 20}})")
                    .ok());
    ASSERT_TRUE(PutTwin("s1", R"({"$metadata": {"$model": "dtmi:test:Sensor;1"}})").ok());
    ASSERT_TRUE(
        PutRelationship("r1", "rel", R"({"$targetId": "s1", "$relationshipName": "hasSensor",
                                                 "weight": 1.5})")
            .ok());
    ASSERT_TRUE(PutRoute("all", R"({"endpointName": "hub", "filter": "true"})").ok());
  }

  // A service over data_ whose Start() result is returned rather than asserted.
  Status StartOver() {
    DigitalTwinsService service(std::make_unique<FakeStore>(data_), options_);
    return service.Start();
  }
};

TEST_F(RestartTest, ANewServiceOverTheSameStoreSeesEverything) {
  Populate();
  const std::string before = Snapshot(*service_);
  now_ += std::chrono::hours(1);
  Restart();
  EXPECT_EQ(Snapshot(*service_), before);
  EXPECT_TRUE(service_->GetModel("dtmi:test:Lamp;1", false)->decommissioned);
  EXPECT_CODE(service_->GetModel("dtmi:test:Room;2", false), ErrorCode::kModelNotFound);
  // Decommissioned after the restart too.
  EXPECT_CODE(PutTwin("l1", R"({"$metadata": {"$model": "dtmi:test:Lamp;1"}})"),
              ErrorCode::kModelDecommissioned);
  // It keeps working, and new uploads get a batch of their own.
  EXPECT_TRUE(PatchTwin("r1", R"([{"op": "add", "path": "/humidity", "value": 3}])").ok());
  ASSERT_TRUE(AddModels(R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Desk;1",
    "@type": "Interface"}])")
                  .ok());
  std::set<int64_t> batches;
  for (const auto& [id, record] : data_->models)
    batches.insert(Json(record).at("batch").as_int64());
  EXPECT_EQ(batches.size(), 3u);
  const std::string after = Snapshot(*service_);
  Restart();
  EXPECT_EQ(Snapshot(*service_), after);
}

TEST_F(RestartTest, BatchesLoadInUploadOrderWhateverTheStoredOrder) {
  Populate();
  const std::string before = Snapshot(*service_);
  // Office (second batch) extends Room (first batch): list it first.
  std::reverse(data_->models.begin(), data_->models.end());
  Restart();
  EXPECT_EQ(Snapshot(*service_), before);
}

TEST_F(RestartTest, AModelDeletedAndUploadedAgainLoadsAsItsNewVersion) {
  UploadTestModels();
  ASSERT_TRUE(DeleteModel("dtmi:test:Lamp;1").ok());
  ASSERT_TRUE(AddModels(R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Lamp;1",
    "@type": "Interface", "displayName": "Lamp again"}])")
                  .ok());
  Restart();
  EXPECT_EQ(service_->GetModel("dtmi:test:Lamp;1", false)->display_name.at("en"), "Lamp again");
}

TEST_F(RestartTest, InconsistentStoresAreReportedNamingTheRecord) {
  Populate();
  const FakeStoreData good = *data_;

  data_->relationships[{"s1", "dangling"}] =
      R"({"$relationshipId": "dangling", "$etag": "W/\"e\"", "$sourceId": "s1",
          "$targetId": "ghost", "$relationshipName": "x"})";
  Status dangling = StartOver();
  EXPECT_CODE(dangling, ErrorCode::kInternal);
  EXPECT_NE(dangling.message().find("ghost"), std::string::npos) << dangling.message();

  *data_ = good;
  data_->twins["s1"] = "{not json";
  Status corrupt = StartOver();
  EXPECT_CODE(corrupt, ErrorCode::kInternal);
  EXPECT_NE(corrupt.message().find("twin s1"), std::string::npos) << corrupt.message();

  *data_ = good;
  data_->twins["s1"] = R"({"$dtId": "other", "$etag": "W/\"e\"", "$metadata": {"$model": "m"}})";
  EXPECT_CODE(StartOver(), ErrorCode::kInternal);

  *data_ = good;
  data_->models[0].second =
      R"({"model": {}, "uploadTime": "2023-05-18T23:08:19Z", "decommissioned": false})";
  Status no_batch = StartOver();
  EXPECT_CODE(no_batch, ErrorCode::kInternal);
  EXPECT_NE(no_batch.message().find("batch"), std::string::npos) << no_batch.message();

  // An outbox row must name at least one endpoint (the endpoint column lists those waiting).
  *data_ = good;
  events::OutboxEntry entry;
  entry.partition_key = "s1";
  entry.committed_at = std::chrono::system_clock::now();
  entry.event.id = "e7";
  entry.event.source = "dt.test";
  entry.event.subject = "s1";
  entry.event.type = "Microsoft.DigitalTwins.Twin.Update";
  entry.event.data = "{}";
  data_->outbox[7] = {"", EncodeOutboxRecord(entry)};
  Status no_endpoint = StartOver();
  EXPECT_CODE(no_endpoint, ErrorCode::kInternal);
  EXPECT_NE(no_endpoint.message().find("outbox event 7 has no endpoint"), std::string::npos)
      << no_endpoint.message();
  data_->outbox[7].first = "hub,grid";
  EXPECT_TRUE(StartOver().ok());  // the same record with endpoints loads

  *data_ = good;
  EXPECT_TRUE(StartOver().ok());
}

// ---- the real store ----

template <typename T, typename Start>
Result<T> Wait(Start start) {
  std::promise<Result<T>> promise;
  start([&](Result<T> value) { promise.set_value(std::move(value)); });
  return promise.get_future().get();
}

template <typename Start>
Status WaitStatus(Start start) {
  std::promise<Status> promise;
  start([&](Status status) { promise.set_value(std::move(status)); });
  return promise.get_future().get();
}

class SqliteRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dtwin-service-test-" + std::to_string(std::random_device{}()));
    options_.endpoint_names = {"hub"};
    options_.now = [] { return TestEpoch(); };
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<DigitalTwinsService> Open() {
    Result<std::unique_ptr<storage::Store>> store = storage::OpenSqliteStore({dir_.string()});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return nullptr;
    auto service = std::make_unique<DigitalTwinsService>(std::move(store).value(), options_);
    Status started = service->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
    return service;
  }

  std::filesystem::path dir_;
  ServiceOptions options_;
};

TEST_F(SqliteRestartTest, ASecondServiceOverTheSameDirectorySeesEverything) {
  std::string before;
  {
    std::unique_ptr<DigitalTwinsService> service = Open();
    ASSERT_NE(service, nullptr);
    auto added = Wait<std::vector<ModelInfo>>(
        [&](auto done) { service->AddModels(Json(kTestModels), std::move(done)); });
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    ASSERT_TRUE(Wait<std::vector<ModelInfo>>([&](auto done) {
                  service->AddModels(Json(kOffice), std::move(done));
                }).ok());
    ASSERT_TRUE(WaitStatus([&](auto done) {
                  service->UpdateModel(
                      "dtmi:test:Lamp;1",
                      Json(R"([{"op": "replace", "path": "/decommissioned", "value": true}])"),
                      std::move(done));
                }).ok());
    ASSERT_TRUE(WaitStatus([&](auto done) {
                  service->DeleteModel("dtmi:test:Room;2", std::move(done));
                }).ok());
    ASSERT_TRUE(Wait<Document>([&](auto done) {
                  service->PutTwin("r1", Json(R"({"$metadata": {"$model": "dtmi:test:Office;1"},
                      "temperature": 21, "thermostat": {"$metadata": {}}})"),
                                   {}, std::move(done));
                }).ok());
    ASSERT_TRUE(Wait<Document>([&](auto done) {
                  service->PutTwin("s1", Json(R"({"$metadata": {"$model": "dtmi:test:Sensor;1"}})"),
                                   {}, std::move(done));
                }).ok());
    ASSERT_TRUE(Wait<Document>([&](auto done) {
                  service->PutRelationship(
                      "r1", "rel", Json(R"({"$targetId": "s1", "$relationshipName": "hasSensor"})"),
                      {}, std::move(done));
                }).ok());
    ASSERT_TRUE(Wait<std::string>([&](auto done) {
                  service->PatchTwin("r1",
                                     Json(R"([{"op": "add", "path": "/humidity", "value": 4}])"),
                                     {}, std::move(done));
                }).ok());
    ASSERT_TRUE(WaitStatus([&](auto done) {
                  service->PutEventRoute(
                      "all", Json(R"({"endpointName": "hub", "filter": "true"})"), std::move(done));
                }).ok());
    service->Flush();
    before = Snapshot(*service);
  }
  std::unique_ptr<DigitalTwinsService> reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(Snapshot(*reopened), before);
  EXPECT_NE(before.find("\"humidity\":4"), std::string::npos);
  EXPECT_NE(before.find("all hub true"), std::string::npos);
  EXPECT_TRUE(reopened->GetModel("dtmi:test:Lamp;1", false)->decommissioned);
}

}  // namespace
}  // namespace dtwin::service
