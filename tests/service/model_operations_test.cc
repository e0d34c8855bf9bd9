// Models: upload, list (paging, dependencies), get, decommission, delete.
#include <boost/json/serialize.hpp>

#include "common/json_reader.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

namespace json = boost::json;

const char kSpaceOnly[] = R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:A;1",
  "@type": "Interface", "contents": []}])";

std::vector<std::string> IdsOf(const std::vector<ModelInfo>& infos) {
  std::vector<std::string> ids;
  for (const ModelInfo& info : infos) ids.push_back(info.id);
  return ids;
}

class ModelOperationsTest : public ServiceTest {};

TEST_F(ModelOperationsTest, AddReturnsInfosWithLanguageMapsAndStoresOneBatch) {
  Result<std::vector<ModelInfo>> added = AddModels(kTestModels);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->size(), 7u);
  const ModelInfo& space = (*added)[0];
  EXPECT_EQ(space.id, "dtmi:test:Space;1");
  EXPECT_EQ(space.display_name, Json(R"({"en": "Space"})").as_object());
  EXPECT_TRUE(space.description.empty());
  EXPECT_EQ((*added)[1].description,
            Json(R"({"en": "A thermostat", "de": "Ein Thermostat"})").as_object());
  EXPECT_TRUE((*added)[2].display_name.empty());
  for (const ModelInfo& info : *added) {
    EXPECT_EQ(info.upload_time, TestEpoch());
    EXPECT_FALSE(info.decommissioned);
    EXPECT_FALSE(info.model.has_value());
  }
  ASSERT_EQ(data_->models.size(), 7u);
  EXPECT_EQ(data_->committed_batches, 1u);
  const json::object record = Json(data_->models[0].second).as_object();
  EXPECT_EQ(data_->models[0].first, "dtmi:test:Space;1");
  EXPECT_EQ(record.at("uploadTime"), "2023-05-18T23:08:19.7086397Z");
  EXPECT_EQ(record.at("decommissioned"), false);
  EXPECT_EQ(record.at("model").at("@id"), "dtmi:test:Space;1");
  const json::value batch = record.at("batch");
  for (const auto& [id, text] : data_->models) EXPECT_EQ(Json(text).at("batch"), batch) << id;
}

TEST_F(ModelOperationsTest, BodyMustBeANonEmptyArrayOfObjects) {
  EXPECT_CODE(AddModels("{}"), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AddModels("[]"), ErrorCode::kInvalidArgument);
  Result<std::vector<ModelInfo>> mixed = AddModels(std::string(kSpaceOnly).insert(1, "1, "));
  EXPECT_CODE(mixed, ErrorCode::kInvalidArgument);
  EXPECT_NE(mixed.status().message().find("models[0]"), std::string::npos);
  EXPECT_CODE(service_->GetModel("dtmi:x:A;1", false), ErrorCode::kModelNotFound);
  EXPECT_TRUE(data_->models.empty());
}

TEST_F(ModelOperationsTest, MoreModelsThanTheUploadLimitAreRefused) {
  options_.max_models_per_upload = 2;
  Restart();
  Result<std::vector<ModelInfo>> added = AddModels(R"([
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:A;1", "@type": "Interface"},
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:B;1", "@type": "Interface"},
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:C;1", "@type": "Interface"}])");
  EXPECT_CODE(added, ErrorCode::kLimitExceeded);
  EXPECT_TRUE(service_->ListModels({}, false, {})->items.empty());
}

TEST_F(ModelOperationsTest, InvalidDtdlRejectsTheWholeUploadWithDetails) {
  Result<std::vector<ModelInfo>> added = AddModels(R"([
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:Good;1", "@type": "Interface"},
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:Bad;1", "@type": "Interface",
     "extends": "dtmi:x:Missing;1"}])");
  EXPECT_CODE(added, ErrorCode::kDtdlParserError);
  ASSERT_FALSE(added.status().details().empty());
  EXPECT_NE(added.status().details()[0].message().find("models[1] (dtmi:x:Bad;1)"),
            std::string::npos)
      << added.status().details()[0].message();
  EXPECT_CODE(service_->GetModel("dtmi:x:Good;1", false), ErrorCode::kModelNotFound);
  EXPECT_TRUE(data_->models.empty());
}

TEST_F(ModelOperationsTest, ExistingIdIsAConflictAndAddsNothing) {
  UploadTestModels();
  Result<std::vector<ModelInfo>> added = AddModels(R"([
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:x:New;1", "@type": "Interface"},
    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Lamp;1", "@type": "Interface"}])");
  EXPECT_CODE(added, ErrorCode::kModelAlreadyExists);
  EXPECT_CODE(service_->GetModel("dtmi:x:New;1", false), ErrorCode::kModelNotFound);
  EXPECT_EQ(data_->models.size(), 7u);
}

TEST_F(ModelOperationsTest, LaterUploadsReferenceEarlierModels) {
  ASSERT_TRUE(AddModels(kSpaceOnly).ok());
  Result<std::vector<ModelInfo>> added = AddModels(R"([{"@context": "dtmi:dtdl:context;3",
    "@id": "dtmi:x:B;1", "@type": "Interface", "extends": "dtmi:x:A;1"}])");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  // Separate uploads get separate batches (re-parsed in order at start-up).
  EXPECT_NE(Json(data_->models[0].second).at("batch"), Json(data_->models[1].second).at("batch"));
}

TEST_F(ModelOperationsTest, GetReturnsTheDefinitionOnlyWhenAsked) {
  UploadTestModels();
  Result<ModelInfo> without = service_->GetModel("dtmi:test:Room;1", false);
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->model.has_value());
  Result<ModelInfo> with = service_->GetModel("dtmi:test:Room;1", true);
  ASSERT_TRUE(with.ok());
  ASSERT_TRUE(with->model.has_value());
  EXPECT_EQ(with->model->at("extends"), "dtmi:test:Space;1");
  Result<ModelInfo> missing = service_->GetModel("dtmi:test:Nope;1", false);
  EXPECT_CODE(missing, ErrorCode::kModelNotFound);
  EXPECT_EQ(missing.status().message(),
            "There is no Model(s) available that matches the provided id(s) dtmi:test:Nope;1. "
            "Check that the Model ID provided is valid by doing a Model_List API call.");
}

TEST_F(ModelOperationsTest, ListPagesInIdOrder) {
  UploadTestModels();
  const std::vector<std::string> all = {
      "dtmi:test:Floor;1",  "dtmi:test:Lamp;1",  "dtmi:test:Room;1",      "dtmi:test:Room;2",
      "dtmi:test:Sensor;1", "dtmi:test:Space;1", "dtmi:test:Thermostat;1"};
  Result<Page<ModelInfo>> whole = service_->ListModels({}, false, {});
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(IdsOf(whole->items), all);
  EXPECT_TRUE(whole->continuation.empty());

  std::vector<std::string> paged;
  PageRequest request{"", 3};
  size_t pages = 0;
  do {
    Result<Page<ModelInfo>> page = service_->ListModels({}, true, request);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const ModelInfo& info : page->items) {
      paged.push_back(info.id);
      EXPECT_TRUE(info.model.has_value());
    }
    request.continuation = page->continuation;
    ++pages;
  } while (!request.continuation.empty() && pages < 10);
  EXPECT_EQ(pages, 3u);
  EXPECT_EQ(paged, all);
}

TEST_F(ModelOperationsTest, DependenciesForListsTheModelsAndWhatTheyUse) {
  UploadTestModels();
  Result<Page<ModelInfo>> page = service_->ListModels({"dtmi:test:Room;1"}, false, {});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(IdsOf(page->items), (std::vector<std::string>{"dtmi:test:Room;1", "dtmi:test:Space;1",
                                                          "dtmi:test:Thermostat;1"}));
  Result<Page<ModelInfo>> unknown =
      service_->ListModels({"dtmi:test:Room;1", "dtmi:test:Nope;1"}, false, {});
  EXPECT_CODE(unknown, ErrorCode::kModelNotFound);
  EXPECT_NE(unknown.status().message().find("dtmi:test:Nope;1"), std::string::npos);
}

TEST_F(ModelOperationsTest, DecommissionIsStoredAndReported) {
  UploadTestModels();
  ASSERT_TRUE(UpdateModel("dtmi:test:Lamp;1",
                          R"([{"op": "replace", "path": "/decommissioned", "value": true}])")
                  .ok());
  EXPECT_TRUE(service_->GetModel("dtmi:test:Lamp;1", false)->decommissioned);
  for (const auto& [id, record] : data_->models) {
    EXPECT_EQ(Json(record).at("decommissioned"), id == "dtmi:test:Lamp;1") << id;
  }
}

TEST_F(ModelOperationsTest, OnlyReplacingDecommissionedWithTrueIsAllowed) {
  UploadTestModels();
  const std::string id = "dtmi:test:Lamp;1";
  Status recommission =
      UpdateModel(id, R"([{"op": "replace", "path": "/decommissioned", "value": false}])");
  EXPECT_CODE(recommission, ErrorCode::kJsonPatchInvalid);
  EXPECT_NE(recommission.message().find("must be true"), std::string::npos)
      << recommission.message();
  EXPECT_CODE(UpdateModel(id, R"([{"op": "add", "path": "/decommissioned", "value": true}])"),
              ErrorCode::kJsonPatchInvalid);
  EXPECT_CODE(UpdateModel(id, R"([{"op": "replace", "path": "/displayName", "value": "x"}])"),
              ErrorCode::kJsonPatchInvalid);
  EXPECT_CODE(UpdateModel(id, "[]"), ErrorCode::kJsonPatchInvalid);
  EXPECT_CODE(UpdateModel(id, R"({"decommissioned": true})"), ErrorCode::kJsonPatchInvalid);
  EXPECT_FALSE(service_->GetModel(id, false)->decommissioned);
  EXPECT_CODE(UpdateModel("dtmi:test:Nope;1",
                          R"([{"op": "replace", "path": "/decommissioned", "value": true}])"),
              ErrorCode::kModelNotFound);
}

TEST_F(ModelOperationsTest, DeleteIsRefusedWhileAnotherModelUsesIt) {
  UploadTestModels();
  EXPECT_CODE(DeleteModel("dtmi:test:Thermostat;1"), ErrorCode::kModelReferencesNotDeleted);
  EXPECT_CODE(DeleteModel("dtmi:test:Space;1"), ErrorCode::kModelReferencesNotDeleted);
  ASSERT_TRUE(DeleteModel("dtmi:test:Lamp;1").ok());
  EXPECT_CODE(service_->GetModel("dtmi:test:Lamp;1", false), ErrorCode::kModelNotFound);
  EXPECT_EQ(data_->models.size(), 6u);
  EXPECT_CODE(DeleteModel("dtmi:test:Lamp;1"), ErrorCode::kModelNotFound);
  // A deleted id can be uploaded again, as a new model.
  EXPECT_TRUE(AddModels(R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Lamp;1",
    "@type": "Interface"}])")
                  .ok());
}

}  // namespace
}  // namespace dtwin::service
