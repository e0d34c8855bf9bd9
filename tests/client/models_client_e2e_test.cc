// Models through DigitalTwinsClient against `dtwin serve`: create, get, list (paging,
// dependencies, definitions), decommission, delete; the scenarios of the Python SDK suite
// (tests/conformance/python_sdk/test_models.py) with the same expected results.
#include <boost/json/parse.hpp>
#include <map>
#include <regex>
#include <set>

#include "client_e2e_fixture.h"

namespace dtwin::client::testing {
namespace {

boost::json::object Interface(const std::string& dtmi, const std::string& extra_members = "") {
  return JsonObject(R"({"@id":")" + dtmi +
                    R"(","@type":"Interface","@context":"dtmi:dtdl:context;2")" +
                    (extra_members.empty() ? "" : "," + extra_members) + "}");
}

ListModelsOptions DependenciesFor(std::vector<std::string> model_ids) {
  ListModelsOptions options;
  options.dependencies_for = std::move(model_ids);
  return options;
}

ListModelsOptions WithDefinitions() {
  ListModelsOptions options;
  options.include_model_definition = true;
  return options;
}

std::set<std::string> Ids(Pager<ModelData> pager) {
  std::set<std::string> ids;
  for (const ModelData& model : pager) ids.insert(model.id);
  return ids;
}

class ModelsClientE2eTest : public ClientE2eTest {
 protected:
  static void SetUpTestSuite() {
    StartServer(/*upload_fixture_models=*/false);
    created_ = client().CreateModels(FixtureModels());
  }

  static std::vector<ModelData> created_;
};

std::vector<ModelData> ModelsClientE2eTest::created_;

TEST_F(ModelsClientE2eTest, CreateModelsReturnsSummaries) {
  std::map<std::string, ModelData> by_id;
  for (const ModelData& model : created_) by_id[model.id] = model;
  ASSERT_EQ(by_id.size(), 4u);
  ASSERT_TRUE(by_id.contains(kThermostat) && by_id.contains(kFloor) &&
              by_id.contains(kCornerRoom) && by_id.contains(kRoom));
  const ModelData& room = by_id[kRoom];
  EXPECT_EQ(room.display_name, JsonObject(R"({"en":"Room"})"));
  EXPECT_EQ(room.description, JsonObject(R"({"en":"A room of a floor."})"));
  EXPECT_TRUE(by_id[kThermostat].description.empty());
  EXPECT_FALSE(room.decommissioned);
  ASSERT_TRUE(room.upload_time.has_value());
  EXPECT_TRUE(
      std::regex_match(*room.upload_time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*)")))
      << *room.upload_time;
  EXPECT_EQ(room.model, std::nullopt) << "a create answer carries summaries, not definitions";
}

TEST_F(ModelsClientE2eTest, CreateInvalidModelIsDtdlParserError) {
  boost::json::array bad = {
      Interface("dtmi:conformance:Bad;1", R"("contents":[{"@type":"Property","name":"x"}])")};
  DigitalTwinsError error =
      ExpectError<DigitalTwinsError>([&] { client().CreateModels(bad); }, 400, "DTDLParserError");
  EXPECT_FALSE(error.message().empty());
  ExpectError<ResourceNotFoundError>([&] { client().GetModel("dtmi:conformance:Bad;1"); }, 404,
                                     "ModelNotFound");
}

TEST_F(ModelsClientE2eTest, CreateIsAllOrNothing) {
  boost::json::array batch = {
      Interface("dtmi:conformance:Batch;1"),
      Interface("dtmi:conformance:Batch2;1", R"("extends":"dtmi:conformance:Missing;1")")};
  ExpectError<DigitalTwinsError>([&] { client().CreateModels(batch); }, 400, "DTDLParserError");
  ExpectError<ResourceNotFoundError>([&] { client().GetModel("dtmi:conformance:Batch;1"); }, 404,
                                     "ModelNotFound");
}

TEST_F(ModelsClientE2eTest, CreateDuplicateIsResourceExists) {
  boost::json::array again = {FixtureModels().at(0)};
  ExpectError<ResourceExistsError>([&] { client().CreateModels(again); }, 409,
                                   "ModelIdAlreadyExists");
}

TEST_F(ModelsClientE2eTest, GetModelWithAndWithoutDefinition) {
  ModelData model = client().GetModel(kRoom);
  EXPECT_EQ(model.id, kRoom);
  EXPECT_EQ(model.display_name, JsonObject(R"({"en":"Room"})"));
  EXPECT_EQ(model.model, std::nullopt);
  ModelData full = client().GetModel(kRoom, /*include_model_definition=*/true);
  ASSERT_TRUE(full.model.has_value());
  boost::json::value expected;
  for (const boost::json::value& fixture : FixtureModels()) {
    if (fixture.at("@id") == kRoom) expected = fixture;
  }
  EXPECT_EQ(boost::json::value(*full.model), expected);
}

TEST_F(ModelsClientE2eTest, GetMissingModel) {
  ExpectError<ResourceNotFoundError>([&] { client().GetModel("dtmi:conformance:Nope;1"); }, 404,
                                     "ModelNotFound");
}

TEST_F(ModelsClientE2eTest, ListModelsPagesSeeEveryModelOnce) {
  boost::json::array extra;
  for (int i = 0; i < 7; ++i) {
    extra.push_back(Interface("dtmi:conformance:Paged" + std::to_string(i) + ";1"));
  }
  client().CreateModels(extra);
  Pager<ModelData> pager = client().ListModels({}, PageSize(3));
  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  while (std::optional<Page<ModelData>> page = pager.NextPage()) {
    page_sizes.push_back(page->items.size());
    for (const ModelData& model : page->items) seen.push_back(model.id);
    if (page->continuation_token) {
      EXPECT_EQ(page->continuation_token->rfind(server().url() + "/models?", 0), 0u)
          << "the token is the service's absolute nextLink: " << *page->continuation_token;
    }
  }
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a model came twice";
  for (const boost::json::value& model : extra) {
    EXPECT_TRUE(unique.contains(std::string(model.at("@id").as_string())));
  }
  for (const char* id : {kThermostat, kRoom, kFloor, kCornerRoom}) EXPECT_TRUE(unique.contains(id));
  EXPECT_GE(page_sizes.size(), 4u);
  for (size_t size : page_sizes) EXPECT_LE(size, 3u);
}

TEST_F(ModelsClientE2eTest, ListModelsResumesFromAContinuationToken) {
  Pager<ModelData> pager = client().ListModels({}, PageSize(2));
  std::optional<Page<ModelData>> first = pager.NextPage();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->continuation_token.has_value());
  std::set<std::string> all = Ids(client().ListModels());
  std::set<std::string> resumed;
  for (const ModelData& model : first->items) resumed.insert(model.id);
  for (const ModelData& model : client().ListModels({}, PageSize(2, first->continuation_token))) {
    EXPECT_TRUE(resumed.insert(model.id).second) << model.id << " twice";
  }
  EXPECT_EQ(resumed, all);
}

TEST_F(ModelsClientE2eTest, ListModelsWithDefinitions) {
  size_t count = 0;
  for (const ModelData& model : client().ListModels(WithDefinitions(), PageSize(2))) {
    ++count;
    ASSERT_TRUE(model.model.has_value()) << model.id << " (every page keeps the option)";
    EXPECT_EQ(model.model->at("@id").as_string(), model.id);
  }
  EXPECT_GE(count, 4u);
  for (const ModelData& model : client().ListModels()) {
    EXPECT_EQ(model.model, std::nullopt) << model.id;
  }
}

TEST_F(ModelsClientE2eTest, ListModelsDependenciesFor) {
  std::set<std::string> ids = Ids(client().ListModels(DependenciesFor({kCornerRoom})));
  EXPECT_TRUE(ids.contains(kCornerRoom) && ids.contains(kRoom) && ids.contains(kThermostat));
  EXPECT_FALSE(ids.contains(kFloor));
  // Repeated dependenciesFor: the union.
  std::set<std::string> both = Ids(client().ListModels(DependenciesFor({kThermostat, kFloor})));
  EXPECT_TRUE(both.contains(kThermostat) && both.contains(kFloor)) << both.size();
  EXPECT_FALSE(both.contains(kCornerRoom));
}

TEST_F(ModelsClientE2eTest, ListModelsDependenciesForMissingModel) {
  ExpectError<ResourceNotFoundError>(
      [&] { Ids(client().ListModels(DependenciesFor({"dtmi:conformance:Nope;1"}))); }, 404,
      "ModelNotFound");
}

TEST_F(ModelsClientE2eTest, DecommissionModel) {
  const std::string dtmi = "dtmi:conformance:Retired;1";
  client().CreateModels({Interface(dtmi)});
  client().DecommissionModel(dtmi);
  EXPECT_TRUE(client().GetModel(dtmi).decommissioned);
  ExpectError<DigitalTwinsError>(
      [&] {
        client().UpsertDigitalTwin("retired-twin",
                                   JsonObject(R"({"$metadata":{"$model":")" + dtmi + R"("}})"));
      },
      400, "ModelDecommissioned");
}

TEST_F(ModelsClientE2eTest, DecommissionMissingModel) {
  ExpectError<ResourceNotFoundError>([&] { client().DecommissionModel("dtmi:conformance:Nope;1"); },
                                     404, "ModelNotFound");
}

TEST_F(ModelsClientE2eTest, DeleteModelReferencedByAnotherIsResourceExists) {
  ExpectError<ResourceExistsError>([&] { client().DeleteModel(kRoom); }, 409,
                                   "ModelReferencesNotDeleted");
  EXPECT_EQ(client().GetModel(kRoom).id, kRoom);
}

TEST_F(ModelsClientE2eTest, DeleteModel) {
  const std::string dtmi = "dtmi:conformance:Doomed;1";
  client().CreateModels({Interface(dtmi)});
  client().DeleteModel(dtmi);
  ExpectError<ResourceNotFoundError>([&] { client().GetModel(dtmi); }, 404, "ModelNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().DeleteModel(dtmi); }, 404, "ModelNotFound");
}

TEST_F(ModelsClientE2eTest, DeleteModelUsedByTwins) {
  // Twins do not block a model's deletion; the twin stays readable.
  const std::string dtmi = "dtmi:conformance:Used;1";
  client().CreateModels({Interface(dtmi)});
  client().UpsertDigitalTwin("used-twin",
                             JsonObject(R"({"$metadata":{"$model":")" + dtmi + R"("}})"));
  client().DeleteModel(dtmi);
  EXPECT_EQ(client().GetDigitalTwin("used-twin").at("$metadata").at("$model").as_string(), dtmi);
}

TEST_F(ModelsClientE2eTest, ModelUseByTwin) {
  boost::json::object twin = client().UpsertDigitalTwin("models-room", RoomTwin());
  EXPECT_EQ(twin.at("$metadata").at("$model"), kRoom);
}

}  // namespace
}  // namespace dtwin::client::testing
