// Relationships through DigitalTwinsClient against `dtwin serve`: upsert, get, update, delete,
// outgoing lists (by name, paged), incoming lists, conditions and errors; the scenarios of
// tests/conformance/python_sdk/test_relationships.py with the same expected results.
#include <algorithm>
#include <regex>
#include <set>

#include "client_e2e_fixture.h"

namespace dtwin::client::testing {
namespace {

const std::set<std::string> kRelationshipKeys = {"$relationshipId", "$etag", "$sourceId",
                                                 "$relationshipName", "$targetId"};

std::set<std::string> KeysOf(const boost::json::object& object) {
  std::set<std::string> keys;
  for (const auto& member : object) keys.insert(std::string(member.key()));
  return keys;
}

std::string Str(const boost::json::object& object, std::string_view key) {
  return std::string(object.at(key).as_string());
}

MatchConditions IfMatch(std::string etag) {
  MatchConditions conditions;
  conditions.if_match = std::move(etag);
  return conditions;
}

boost::json::object Relationship(const std::string& name, const std::string& target,
                                 const std::string& extra_members = "") {
  return JsonObject(R"({"$relationshipName":")" + name + R"(","$targetId":")" + target + "\"" +
                    (extra_members.empty() ? "" : "," + extra_members) + "}");
}

std::vector<std::string> RelationshipIds(Pager<boost::json::object> pager) {
  std::vector<std::string> ids;
  for (const boost::json::object& relationship : pager) {
    ids.push_back(Str(relationship, "$relationshipId"));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

class RelationshipsClientE2eTest : public ClientE2eTest {
 protected:
  static void SetUpTestSuite() {
    StartServer(/*upload_fixture_models=*/true);
    client().UpsertDigitalTwin("floor", JsonObject(R"({"$metadata":{"$model":")" +
                                                   std::string(kFloor) + R"("},"level":1})"));
    for (const char* name : {"roomA", "roomB", "roomC"}) {
      client().UpsertDigitalTwin(name, RoomTwin(name));
    }
  }
};

TEST_F(RelationshipsClientE2eTest, UpsertGetUpdateDelete) {
  boost::json::object created = client().UpsertRelationship(
      "roomA", "adj-ab", Relationship("adjacentTo", "roomB", R"("door":true)"));
  std::set<std::string> expected_keys = kRelationshipKeys;
  expected_keys.insert("door");
  EXPECT_EQ(KeysOf(created), expected_keys);
  EXPECT_EQ(Str(created, "$relationshipId"), "adj-ab");
  EXPECT_EQ(Str(created, "$sourceId"), "roomA");
  EXPECT_EQ(Str(created, "$targetId"), "roomB");
  EXPECT_EQ(Str(created, "$relationshipName"), "adjacentTo");
  EXPECT_EQ(created.at("door"), true);
  EXPECT_EQ(client().GetRelationship("roomA", "adj-ab"), created);

  std::string etag = client().UpdateRelationship(
      "roomA", "adj-ab", JsonArray(R"([{"op":"replace","path":"/door","value":false}])"));
  boost::json::object updated = client().GetRelationship("roomA", "adj-ab");
  EXPECT_EQ(updated.at("door"), false);
  EXPECT_NE(Str(updated, "$etag"), Str(created, "$etag"));
  EXPECT_EQ(etag, Str(updated, "$etag")) << "UpdateRelationship returns the new etag";

  ExpectError<ResourceModifiedError>(
      [&] {
        client().UpdateRelationship("roomA", "adj-ab",
                                    JsonArray(R"([{"op":"replace","path":"/door","value":true}])"),
                                    IfMatch(Str(created, "$etag")));
      },
      412, "PreconditionFailed");
  ExpectError<ResourceModifiedError>(
      [&] { client().DeleteRelationship("roomA", "adj-ab", IfMatch(Str(created, "$etag"))); }, 412,
      "PreconditionFailed");
  client().DeleteRelationship("roomA", "adj-ab", IfMatch(Str(updated, "$etag")));
  ExpectError<ResourceNotFoundError>([&] { client().GetRelationship("roomA", "adj-ab"); }, 404,
                                     "RelationshipNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().DeleteRelationship("roomA", "adj-ab"); }, 404,
                                     "RelationshipNotFound");
}

TEST_F(RelationshipsClientE2eTest, UpsertReplacesAndIfNoneMatch) {
  MatchConditions if_missing;
  if_missing.if_none_match_any = true;
  boost::json::object first = client().UpsertRelationship(
      "roomB", "adj-bc", Relationship("adjacentTo", "roomC", R"("door":true)"), if_missing);
  ExpectError<ResourceExistsError>(
      [&] {
        client().UpsertRelationship("roomB", "adj-bc", Relationship("adjacentTo", "roomC"),
                                    if_missing);
      },
      412, "PreconditionFailed");
  boost::json::object second =
      client().UpsertRelationship("roomB", "adj-bc", Relationship("adjacentTo", "roomA"));
  EXPECT_NE(Str(first, "$etag"), Str(second, "$etag"));
  EXPECT_EQ(Str(second, "$targetId"), "roomA");
  EXPECT_FALSE(second.contains("door"));
  client().DeleteRelationship("roomB", "adj-bc");
}

TEST_F(RelationshipsClientE2eTest, ListsAndNameFilter) {
  client().UpsertRelationship("floor", "has-a",
                              Relationship("contains", "roomA", R"("since":"2020")"));
  client().UpsertRelationship("floor", "has-b", Relationship("contains", "roomB"));
  client().UpsertRelationship("roomC", "next-a", Relationship("adjacentTo", "roomA"));

  std::vector<boost::json::object> outgoing;
  for (boost::json::object& relationship : client().ListRelationships("floor")) {
    outgoing.push_back(std::move(relationship));
  }
  ASSERT_EQ(outgoing.size(), 2u);
  for (const boost::json::object& relationship : outgoing) {
    std::set<std::string> keys = KeysOf(relationship);
    EXPECT_TRUE(std::includes(keys.begin(), keys.end(), kRelationshipKeys.begin(),
                              kRelationshipKeys.end()));
  }
  EXPECT_EQ(RelationshipIds(client().ListRelationships("floor")),
            (std::vector<std::string>{"has-a", "has-b"}));
  EXPECT_EQ(RelationshipIds(client().ListRelationships("floor", "contains")),
            (std::vector<std::string>{"has-a", "has-b"}));
  EXPECT_TRUE(RelationshipIds(client().ListRelationships("floor", "other")).empty());
  EXPECT_EQ(RelationshipIds(client().ListRelationships("roomC", "adjacentTo")),
            std::vector<std::string>{"next-a"});

  std::vector<IncomingRelationship> incoming;
  for (const IncomingRelationship& relationship : client().ListIncomingRelationships("roomA")) {
    incoming.push_back(relationship);
  }
  std::sort(incoming.begin(), incoming.end(),
            [](const auto& a, const auto& b) { return a.relationship_id < b.relationship_id; });
  ASSERT_EQ(incoming.size(), 2u);
  EXPECT_EQ(incoming[0].relationship_id, "has-a");
  EXPECT_EQ(incoming[0].source_id, "floor");
  EXPECT_EQ(incoming[0].relationship_name, "contains");
  EXPECT_EQ(incoming[1].relationship_id, "next-a");
  EXPECT_EQ(incoming[1].source_id, "roomC");
  EXPECT_EQ(incoming[1].relationship_name, "adjacentTo");
  EXPECT_TRUE(std::regex_match(
      incoming[0].relationship_link,
      std::regex(R"(^https?://[^/]+/digitaltwins/floor/relationships/has-a\?api-version=.*)")))
      << incoming[0].relationship_link;
  Pager<IncomingRelationship> none = client().ListIncomingRelationships("floor");
  EXPECT_TRUE(none.begin() == none.end());

  for (auto [source, id] : {std::pair{"floor", "has-a"}, {"floor", "has-b"}, {"roomC", "next-a"}}) {
    client().DeleteRelationship(source, id);
  }
}

TEST_F(RelationshipsClientE2eTest, ManyRelationshipsPageThroughNextLinks) {
  constexpr int kCount = 130;  // more than one page at the service's default page size (100)
  client().UpsertDigitalTwin("hub", RoomTwin("hub"));
  std::vector<std::string> expected;
  for (int i = 0; i < kCount; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "link%03d", i);
    expected.push_back(id);
    client().UpsertRelationship("hub", id, Relationship("adjacentTo", "roomC"));
  }
  int pages = 0;
  std::vector<std::string> seen;
  Pager<boost::json::object> pager = client().ListRelationships("hub");
  while (std::optional<Page<boost::json::object>> page = pager.NextPage()) {
    ++pages;
    for (const boost::json::object& relationship : page->items) {
      seen.push_back(Str(relationship, "$relationshipId"));
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, expected);
  EXPECT_GE(pages, 2);

  std::vector<std::string> incoming;
  for (const IncomingRelationship& relationship : client().ListIncomingRelationships("roomC")) {
    incoming.push_back(relationship.relationship_id);
  }
  std::sort(incoming.begin(), incoming.end());
  EXPECT_EQ(incoming, expected);
}

TEST_F(RelationshipsClientE2eTest, SmallPagesOfOutgoingAndIncomingRelationships) {
  client().UpsertDigitalTwin("small-hub", RoomTwin("small-hub"));
  client().UpsertDigitalTwin("small-sink", RoomTwin("small-sink"));
  for (const char* id : {"s1", "s2", "s3", "s4", "s5"}) {
    client().UpsertRelationship("small-hub", id, Relationship("adjacentTo", "small-sink"));
  }
  std::vector<size_t> sizes;
  std::set<std::string> seen;
  Pager<boost::json::object> outgoing = client().ListRelationships("small-hub", "", PageSize(2));
  while (std::optional<Page<boost::json::object>> page = outgoing.NextPage()) {
    sizes.push_back(page->items.size());
    for (const boost::json::object& relationship : page->items) {
      EXPECT_TRUE(seen.insert(Str(relationship, "$relationshipId")).second);
    }
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));

  sizes.clear();
  Pager<IncomingRelationship> incoming =
      client().ListIncomingRelationships("small-sink", PageSize(2));
  while (std::optional<Page<IncomingRelationship>> page = incoming.NextPage()) {
    sizes.push_back(page->items.size());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
}

TEST_F(RelationshipsClientE2eTest, MissingSourceTwin) {
  ExpectError<ResourceNotFoundError>(
      [&] { client().UpsertRelationship("ghost", "x", Relationship("contains", "roomA")); }, 404,
      "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>(
      [&] {
        for (const IncomingRelationship& relationship :
             client().ListIncomingRelationships("ghost")) {
          ADD_FAILURE() << relationship.relationship_id;
        }
      },
      404, "DigitalTwinNotFound");
  ExpectError<ResourceNotFoundError>([&] { client().GetRelationship("ghost", "x"); }, 404,
                                     "DigitalTwinNotFound");
}

TEST_F(RelationshipsClientE2eTest, MissingTargetTwin) {
  try {
    client().UpsertRelationship("floor", "x", Relationship("contains", "ghost"));
    ADD_FAILURE() << "a relationship to a missing twin was accepted";
  } catch (const ResourceNotFoundError& error) {
    EXPECT_EQ(error.status(), 404);
  }
}

TEST_F(RelationshipsClientE2eTest, MissingRelationshipName) {
  ExpectError<DigitalTwinsError>(
      [&] { client().UpsertRelationship("floor", "x", JsonObject(R"({"$targetId":"roomA"})")); },
      400, "InvalidArgument");
}

TEST_F(RelationshipsClientE2eTest, SelfRelationship) {
  ExpectError<DigitalTwinsError>(
      [&] { client().UpsertRelationship("roomA", "self", Relationship("adjacentTo", "roomA")); },
      400, "OperationNotAllowed");
}

TEST_F(RelationshipsClientE2eTest, UndeclaredRelationshipName) {
  try {
    client().UpsertRelationship("floor", "x", Relationship("owns", "roomA"));
    ADD_FAILURE() << "an undeclared relationship was accepted";
  } catch (const DigitalTwinsError& error) {
    EXPECT_EQ(error.status(), 400) << error.what();
  }
  ExpectError<ResourceNotFoundError>([&] { client().GetRelationship("floor", "x"); }, 404,
                                     "RelationshipNotFound");
}

}  // namespace
}  // namespace dtwin::client::testing
