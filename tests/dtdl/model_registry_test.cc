// ModelRegistry: all-or-nothing batches, references to registered models, decommission and
// delete rules.
#include "dtdl/model_registry.h"

#include <gtest/gtest.h>

namespace dtwin::dtdl {
namespace {

std::string Interface(std::string_view id, std::string_view extends = "",
                      std::string_view component_schema = "") {
  std::string text = R"({"@context":"dtmi:dtdl:context;3","@type":"Interface","@id":")" +
                     std::string(id) + "\"";
  if (!extends.empty()) text += R"(,"extends":")" + std::string(extends) + "\"";
  // Each Interface gets its own property name so bases and derived ones never clash.
  std::string name(id.substr(id.rfind(':') + 1, id.find(';') - id.rfind(':') - 1));
  text += R"(,"contents":[{"@type":"Property","name":"p)" + name + R"(","schema":"double"})";
  if (!component_schema.empty()) {
    text += R"(,{"@type":"Component","name":"c","schema":")" + std::string(component_schema) + "\"}";
  }
  return text + "]}";
}

TEST(ModelRegistryTest, BatchIsAddedWholeWithDefinitions) {
  ModelRegistry registry;
  auto added = registry.AddBatch({{"a", Interface("dtmi:ex:A;1")}, {"b", "[" + Interface("dtmi:ex:B;1") + "]"}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->size(), 2u);
  EXPECT_EQ(registry.size(), 2u);
  const RegisteredModel* b = registry.Find("dtmi:ex:B;1");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->definition.at("@id").as_string(), "dtmi:ex:B;1");
  EXPECT_FALSE(b->decommissioned);
}

TEST(ModelRegistryTest, InvalidBatchAddsNothingAndDetailsEveryProblem) {
  ModelRegistry registry;
  auto added = registry.AddBatch({{"good.json", Interface("dtmi:ex:A;1")},
                                  {"bad.json", Interface("dtmi:ex:B;1", "dtmi:ex:Missing;1")}});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), ErrorCode::kDtdlParserError);
  ASSERT_EQ(added.status().details().size(), 1u);
  EXPECT_NE(added.status().details()[0].message().find("bad.json:1:"), std::string::npos)
      << added.status().details()[0].message();
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(registry.Find("dtmi:ex:A;1"), nullptr);
}

TEST(ModelRegistryTest, LaterBatchesReferenceRegisteredModels) {
  ModelRegistry registry;
  ASSERT_TRUE(registry.AddBatch({{"a", Interface("dtmi:ex:A;1")}}).ok());
  auto added = registry.AddBatch({{"b", Interface("dtmi:ex:B;1", "dtmi:ex:A;1")}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE((*added)[0]->interface->IsOrExtends("dtmi:ex:A;1"));
}

TEST(ModelRegistryTest, UploadingAnExistingIdIsAConflictAndChangesNothing) {
  ModelRegistry registry;
  ASSERT_TRUE(registry.AddBatch({{"a", Interface("dtmi:ex:A;1")}}).ok());
  auto again = registry.AddBatch({{"c", Interface("dtmi:ex:C;1")}, {"a", Interface("dtmi:ex:A;1")}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kModelAlreadyExists);
  EXPECT_EQ(registry.Find("dtmi:ex:C;1"), nullptr);
}

TEST(ModelRegistryTest, DeleteIsRefusedWhileAnotherModelDependsOnIt) {
  ModelRegistry registry;
  ASSERT_TRUE(registry.AddBatch({{"a", Interface("dtmi:ex:A;1")},
                                 {"t", Interface("dtmi:ex:Thermostat;1")},
                                 {"b", Interface("dtmi:ex:B;1", "dtmi:ex:A;1", "dtmi:ex:Thermostat;1")}})
                  .ok());
  EXPECT_EQ(registry.Delete("dtmi:ex:A;1").code(), ErrorCode::kModelReferencesNotDeleted);
  EXPECT_EQ(registry.Delete("dtmi:ex:Thermostat;1").code(), ErrorCode::kModelReferencesNotDeleted);
  EXPECT_TRUE(registry.Delete("dtmi:ex:B;1").ok());
  EXPECT_TRUE(registry.Delete("dtmi:ex:A;1").ok());
  EXPECT_EQ(registry.Delete("dtmi:ex:A;1").code(), ErrorCode::kModelNotFound);
  EXPECT_EQ(registry.size(), 1u);
}

TEST(ModelRegistryTest, DecommissionMarksTheModel) {
  ModelRegistry registry;
  ASSERT_TRUE(registry.AddBatch({{"a", Interface("dtmi:ex:A;1")}}).ok());
  EXPECT_TRUE(registry.Decommission("dtmi:ex:A;1").ok());
  EXPECT_TRUE(registry.Find("dtmi:ex:A;1")->decommissioned);
  EXPECT_EQ(registry.Decommission("dtmi:ex:Nope;1").code(), ErrorCode::kModelNotFound);
}

TEST(ModelRegistryTest, DependenciesAreTransitiveAndIncludeTheModel) {
  ModelRegistry registry;
  ASSERT_TRUE(registry.AddBatch({{"a", Interface("dtmi:ex:A;1")},
                                 {"b", Interface("dtmi:ex:B;1", "dtmi:ex:A;1")},
                                 {"c", Interface("dtmi:ex:C;1", "dtmi:ex:B;1")},
                                 {"d", Interface("dtmi:ex:D;1")}})
                  .ok());
  auto deps = registry.WithDependencies({"dtmi:ex:C;1"});
  ASSERT_TRUE(deps.ok());
  std::vector<std::string> ids;
  for (const RegisteredModel* m : *deps) ids.push_back(m->interface->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"dtmi:ex:A;1", "dtmi:ex:B;1", "dtmi:ex:C;1"}));
  EXPECT_EQ(registry.WithDependencies({"dtmi:ex:X;1"}).status().code(), ErrorCode::kModelNotFound);
}

}  // namespace
}  // namespace dtwin::dtdl
