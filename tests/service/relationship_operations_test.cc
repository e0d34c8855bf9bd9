// Relationships: PUT rules (name, target model, self-loops, limits, preconditions), GET,
// PATCH of properties, DELETE, and the outgoing and incoming listings.
#include "common/json_writer.h"
#include "service_test_base.h"

namespace dtwin::service {
namespace {

namespace json = boost::json;

class RelationshipOperationsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
    ASSERT_TRUE(PutRoom("r1").ok());
    ASSERT_TRUE(PutRoom("r2").ok());
    ASSERT_TRUE(PutTwin("s1", R"({"$metadata": {"$model": "dtmi:test:Sensor;1"}})").ok());
    ASSERT_TRUE(PutTwin("s2", R"({"$metadata": {"$model": "dtmi:test:Sensor;1"}})").ok());
    ASSERT_TRUE(PutTwin("f1", R"({"$metadata": {"$model": "dtmi:test:Floor;1"}})").ok());
  }

  static std::string Rel(std::string_view target, std::string_view name,
                         std::string_view extra = "") {
    std::string body = R"({"$targetId": ")" + std::string(target) + R"(", "$relationshipName": ")" +
                       std::string(name) + "\"";
    if (!extra.empty()) body += ", " + std::string(extra);
    return body + "}";
  }
};

TEST_F(RelationshipOperationsTest, PutStoresTheAdtDocument) {
  Result<Document> put = PutRelationship(
      "r1", "rel-1",
      Rel("s1", "hasSensor",
          R"("$relationshipId": "ignored", "$sourceId": "ignored", "$etag": null, "weight": 2.5)"));
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  const std::string expected =
      R"({"$relationshipId":"rel-1","$etag":)" + WriteJson(json::value(put->etag)) +
      R"(,"$sourceId":"r1","$targetId":"s1","$relationshipName":"hasSensor","weight":2.5})";
  EXPECT_EQ(WriteJson(put->body), expected);
  Result<Document> got = service_->GetRelationship("r1", "rel-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, put->body);
  EXPECT_EQ(got->etag, put->etag);
  EXPECT_EQ(data_->relationships.at({"r1", "rel-1"}), expected);
}

TEST_F(RelationshipOperationsTest, InheritedRelationshipsAndSubtypeTargetsAreAccepted) {
  EXPECT_TRUE(PutRelationship("r1", "a", Rel("r2", "adjacentTo")).ok());  // from Space;1
  EXPECT_TRUE(PutRelationship("f1", "c", Rel("r1", "contains")).ok());    // Room;1 extends Space;1
  // Several relationships between the same pair are fine.
  EXPECT_TRUE(PutRelationship("r1", "b", Rel("r2", "adjacentTo")).ok());
}

TEST_F(RelationshipOperationsTest, PutRulesAreEnforced) {
  struct Case {
    const char* source;
    std::string body;
    ErrorCode code;
  };
  const Case cases[] = {
      {"ghost", Rel("s1", "hasSensor"), ErrorCode::kDigitalTwinNotFound},
      {"r1", Rel("ghost", "hasSensor"), ErrorCode::kTargetTwinNotFound},
      {"r1", Rel("r1", "adjacentTo"), ErrorCode::kOperationNotAllowed},
      {"r1", Rel("s1", "owns"), ErrorCode::kInvalidRelationship},
      {"r1", Rel("s1", "temperature"), ErrorCode::kInvalidRelationship},
      {"r1", Rel("r2", "hasSensor"), ErrorCode::kInvalidRelationship},
      {"f1", Rel("s1", "contains"), ErrorCode::kInvalidRelationship},
      {"r1", Rel("s1", "hasSensor", R"("weight": "heavy")"), ErrorCode::kValidationFailed},
      {"r1", Rel("s1", "hasSensor", R"("color": "red")"), ErrorCode::kValidationFailed},
      {"r1", Rel("s1", "hasSensor", R"("$color": "red")"), ErrorCode::kValidationFailed},
      // ADT (recorded): "Could not deserialize relationship create body." is InvalidArgument.
      {"r1", R"({"$relationshipName": "hasSensor"})", ErrorCode::kInvalidArgument},
      {"r1", R"({"$targetId": "s1"})", ErrorCode::kInvalidArgument},
      {"r1", R"({"$targetId": 5, "$relationshipName": "hasSensor"})", ErrorCode::kInvalidArgument},
      {"r1", "[]", ErrorCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    EXPECT_CODE(PutRelationship(c.source, "x", c.body), c.code) << c.source << " " << c.body;
  }
  EXPECT_TRUE(data_->relationships.empty());
  Result<Document> wrong_target = PutRelationship("f1", "x", Rel("s1", "contains"));
  EXPECT_NE(wrong_target.status().message().find("dtmi:test:Space;1"), std::string::npos)
      << wrong_target.status().message();
}

TEST_F(RelationshipOperationsTest, OutgoingAndIncomingCountsAreLimited) {
  options_.max_relationships_per_twin = 2;
  Restart();
  ASSERT_TRUE(PutRelationship("r1", "a", Rel("s1", "hasSensor")).ok());
  ASSERT_TRUE(PutRelationship("r1", "b", Rel("s2", "hasSensor")).ok());
  Result<Document> third = PutRelationship("r1", "c", Rel("r2", "adjacentTo"));
  EXPECT_CODE(third, ErrorCode::kLimitExceeded);
  EXPECT_NE(third.status().message().find("outgoing"), std::string::npos);
  // Replacing one of them is not a new relationship.
  EXPECT_TRUE(PutRelationship("r1", "b", Rel("s2", "hasSensor", R"("weight": 1)")).ok());

  ASSERT_TRUE(PutRelationship("r2", "a", Rel("s1", "hasSensor")).ok());
  ASSERT_TRUE(
      PutTwin("r3",
              R"({"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}}})")
          .ok());
  Result<Document> incoming = PutRelationship("r3", "a", Rel("s1", "hasSensor"));
  EXPECT_CODE(incoming, ErrorCode::kLimitExceeded);
  EXPECT_NE(incoming.status().message().find("incoming"), std::string::npos);
  // Moving r1's relationship b from s2 to the full s1 counts as a new incoming one.
  EXPECT_CODE(PutRelationship("r1", "b", Rel("s1", "hasSensor")), ErrorCode::kLimitExceeded);
}

TEST_F(RelationshipOperationsTest, PreconditionsOfPut) {
  Preconditions create_only;
  create_only.if_none_match_any = true;
  Result<Document> first = PutRelationship("r1", "a", Rel("s1", "hasSensor"), create_only);
  ASSERT_TRUE(first.ok());
  Result<Document> again = PutRelationship("r1", "a", Rel("s1", "hasSensor"), create_only);
  EXPECT_CODE(again, ErrorCode::kPreconditionFailed);
  EXPECT_NE(again.status().message().find("a relationship with the id a"), std::string::npos);
  Preconditions stale;
  stale.if_match = "W/\"stale\"";
  EXPECT_CODE(PutRelationship("r1", "a", Rel("s2", "hasSensor"), stale),
              ErrorCode::kPreconditionFailed);
  Preconditions current;
  current.if_match = first->etag;
  EXPECT_TRUE(PutRelationship("r1", "a", Rel("s2", "hasSensor"), current).ok());
  EXPECT_EQ(service_->GetRelationship("r1", "a")->body.at("$targetId"), "s2");
}

TEST_F(RelationshipOperationsTest, MissingRelationshipsAreNotFoundWithAdtsMessage) {
  Result<Document> got = service_->GetRelationship("r1", "nope");
  EXPECT_CODE(got, ErrorCode::kRelationshipNotFound);
  EXPECT_EQ(got.status().message(),
            "Relationship nope not found on twin r1. Please verify that the relationship id is "
            "valid and ensure that the relationship is not deleted. See section on listing "
            "relationships in the documentation https://aka.ms/adtv2twins.");
  EXPECT_CODE(service_->GetRelationship("ghost", "nope"), ErrorCode::kDigitalTwinNotFound);
  EXPECT_CODE(PatchRelationship("r1", "nope", "[]"), ErrorCode::kRelationshipNotFound);
  EXPECT_CODE(DeleteRelationship("r1", "nope"), ErrorCode::kRelationshipNotFound);
  EXPECT_CODE(DeleteRelationship("ghost", "nope"), ErrorCode::kDigitalTwinNotFound);
}

TEST_F(RelationshipOperationsTest, PatchChangesPropertiesOnly) {
  Result<Document> put = PutRelationship("r1", "a", Rel("s1", "hasSensor"));
  ASSERT_TRUE(put.ok());
  Result<std::string> etag =
      PatchRelationship("r1", "a", R"([{"op": "add", "path": "/weight", "value": 0.5}])");
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  EXPECT_NE(*etag, put->etag);
  Result<Document> got = service_->GetRelationship("r1", "a");
  EXPECT_EQ(got->etag, *etag);
  EXPECT_EQ(got->body.at("$etag"), etag->c_str());
  EXPECT_EQ(got->body.at("weight"), 0.5);
  EXPECT_EQ(got->body.at("$targetId"), "s1");

  for (const char* patch : {R"([{"op": "replace", "path": "/$targetId", "value": "s2"}])",
                            R"([{"op": "replace", "path": "/$relationshipName", "value": "x"}])",
                            R"([{"op": "replace", "path": "/$etag", "value": "x"}])",
                            R"([{"op": "replace", "path": "", "value": {}}])"}) {
    EXPECT_CODE(PatchRelationship("r1", "a", patch), ErrorCode::kJsonPatchInvalid) << patch;
  }
  EXPECT_CODE(PatchRelationship("r1", "a", R"([{"op": "add", "path": "/weight", "value": "x"}])"),
              ErrorCode::kValidationFailed);
  EXPECT_CODE(PatchRelationship("r1", "a", R"([{"op": "add", "path": "/color", "value": "x"}])"),
              ErrorCode::kValidationFailed);
  Preconditions stale;
  stale.if_match = put->etag;
  EXPECT_CODE(PatchRelationship("r1", "a", R"([{"op": "remove", "path": "/weight"}])", stale),
              ErrorCode::kPreconditionFailed);
  EXPECT_EQ(service_->GetRelationship("r1", "a")->etag, *etag);
}

TEST_F(RelationshipOperationsTest, DeleteRemovesItFromBothEnds) {
  Result<Document> put = PutRelationship("r1", "a", Rel("s1", "hasSensor"));
  ASSERT_TRUE(put.ok());
  Preconditions stale;
  stale.if_match = "W/\"stale\"";
  EXPECT_CODE(DeleteRelationship("r1", "a", stale), ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(DeleteRelationship("r1", "a").ok());
  EXPECT_CODE(service_->GetRelationship("r1", "a"), ErrorCode::kRelationshipNotFound);
  EXPECT_TRUE(service_->ListIncomingRelationships("s1", {})->items.empty());
  EXPECT_TRUE(data_->relationships.empty());
}

TEST_F(RelationshipOperationsTest, ListIsOrderedFilteredAndPaged) {
  for (const char* id : {"e", "c", "a", "d", "b"}) {
    ASSERT_TRUE(
        PutRelationship("r1", id,
                        std::string(id) < "c" ? Rel("r2", "adjacentTo") : Rel("s1", "hasSensor"))
            .ok());
  }
  Result<Page<json::object>> all = service_->ListRelationships("r1", "", {});
  ASSERT_TRUE(all.ok());
  std::vector<std::string> ids;
  for (const json::object& item : all->items)
    ids.emplace_back(item.at("$relationshipId").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(all->items[0].contains("$etag"));

  Result<Page<json::object>> named = service_->ListRelationships("r1", "hasSensor", {"", 2});
  ASSERT_TRUE(named.ok());
  ASSERT_EQ(named->items.size(), 2u);
  EXPECT_EQ(named->items[0].at("$relationshipId"), "c");
  ASSERT_FALSE(named->continuation.empty());
  Result<Page<json::object>> rest =
      service_->ListRelationships("r1", "hasSensor", {named->continuation, 2});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].at("$relationshipId"), "e");
  EXPECT_TRUE(rest->continuation.empty());

  EXPECT_CODE(service_->ListRelationships("ghost", "", {}), ErrorCode::kDigitalTwinNotFound);
}

TEST_F(RelationshipOperationsTest, IncomingItemsAreSlimAndOrderedBySource) {
  ASSERT_TRUE(PutRelationship("r2", "z", Rel("s1", "hasSensor")).ok());
  ASSERT_TRUE(PutRelationship("r1", "y", Rel("s1", "hasSensor")).ok());
  ASSERT_TRUE(PutRelationship("r1", "x", Rel("s1", "hasSensor")).ok());
  Result<Page<IncomingRelationship>> first = service_->ListIncomingRelationships("s1", {"", 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].source_id, "r1");
  EXPECT_EQ(first->items[0].relationship_id, "x");
  EXPECT_EQ(first->items[0].relationship_name, "hasSensor");
  EXPECT_EQ(first->items[1].relationship_id, "y");
  Result<Page<IncomingRelationship>> second =
      service_->ListIncomingRelationships("s1", {first->continuation, 2});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].source_id, "r2");
  EXPECT_TRUE(second->continuation.empty());
  EXPECT_CODE(service_->ListIncomingRelationships("ghost", {}), ErrorCode::kDigitalTwinNotFound);
}

TEST_F(RelationshipOperationsTest, ModelLessTwinsKeepTheirRelationshipsButCannotAddOutgoing) {
  ASSERT_TRUE(PutRelationship("r1", "a", Rel("s1", "hasSensor")).ok());
  ASSERT_TRUE(DeleteModel("dtmi:test:Room;1").ok());
  EXPECT_TRUE(service_->GetRelationship("r1", "a").ok());
  Result<Document> outgoing = PutRelationship("r1", "b", Rel("s2", "hasSensor"));
  EXPECT_CODE(outgoing, ErrorCode::kValidationFailed);
  EXPECT_NE(outgoing.status().message().find("was deleted"), std::string::npos);
  EXPECT_CODE(PatchRelationship("r1", "a", R"([{"op": "add", "path": "/weight", "value": 1}])"),
              ErrorCode::kValidationFailed);
  // Relationships to it are allowed, and its own can be removed.
  EXPECT_TRUE(PutRelationship("f1", "c", Rel("r1", "contains")).ok());
  EXPECT_TRUE(DeleteRelationship("r1", "a").ok());
}

}  // namespace
}  // namespace dtwin::service
