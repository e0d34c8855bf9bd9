// Tests for the in-memory twin graph: twins, relationships, adjacency order, model index.
#include "graph/twin_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <string>
#include <utility>
#include <vector>

namespace dtwin::graph {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Long enough to live on the heap rather than in std::string's inline buffer, where a key that
// still viewed a replaced id's buffer would dangle.
constexpr char kLongId[] = "a-twin-id-long-enough-to-be-heap-allocated";

Twin MakeTwin(std::string id, std::string model_id, std::string etag = "W/\"1\"") {
  Twin twin;
  twin.document["$dtId"] = id;
  twin.document["$etag"] = etag;
  twin.document["$metadata"] = boost::json::object{{"$model", model_id}};
  twin.id = std::move(id);
  twin.model_id = std::move(model_id);
  twin.etag = std::move(etag);
  return twin;
}

Relationship MakeRelationship(std::string source_id, std::string id, std::string target_id,
                              std::string name = "contains") {
  Relationship relationship;
  relationship.document["$relationshipId"] = id;
  relationship.document["$sourceId"] = source_id;
  relationship.document["$targetId"] = target_id;
  relationship.document["$relationshipName"] = name;
  relationship.id = std::move(id);
  relationship.source_id = std::move(source_id);
  relationship.target_id = std::move(target_id);
  relationship.name = std::move(name);
  relationship.etag = "W/\"r\"";
  return relationship;
}

// "source/id" for each relationship, in the order given.
std::vector<std::string> Keys(const std::vector<const Relationship*>& relationships) {
  std::vector<std::string> keys;
  for (const Relationship* relationship : relationships) {
    keys.push_back(relationship->source_id + "/" + relationship->id);
  }
  return keys;
}

std::vector<std::string> Ids(const std::vector<std::string_view>& views) {
  return {views.begin(), views.end()};
}

class TwinGraphTest : public ::testing::Test {
 protected:
  // Twins a, b, c of model M and d of model N.
  void AddTwins() {
    graph_.UpsertTwin(MakeTwin("a", "dtmi:m;1"));
    graph_.UpsertTwin(MakeTwin("b", "dtmi:m;1"));
    graph_.UpsertTwin(MakeTwin("c", "dtmi:m;1"));
    graph_.UpsertTwin(MakeTwin("d", "dtmi:n;1"));
  }

  TwinGraph graph_;
};

TEST_F(TwinGraphTest, EmptyGraphAnswersEverythingWithNothing) {
  EXPECT_EQ(graph_.twin_count(), 0u);
  EXPECT_EQ(graph_.relationship_count(), 0u);
  EXPECT_EQ(graph_.FindTwin("a"), nullptr);
  EXPECT_EQ(graph_.FindRelationship("a", "r"), nullptr);
  EXPECT_THAT(graph_.Outgoing("a"), IsEmpty());
  EXPECT_THAT(graph_.Incoming("a"), IsEmpty());
  EXPECT_EQ(graph_.OutgoingCount("a"), 0u);
  EXPECT_EQ(graph_.IncomingCount("a"), 0u);
  EXPECT_THAT(graph_.TwinsOfModel("dtmi:m;1"), IsEmpty());
  EXPECT_FALSE(graph_.EraseTwin("a"));
  EXPECT_FALSE(graph_.EraseRelationship("a", "r"));
  int calls = 0;
  graph_.ForEachTwin([&](const Twin&) { ++calls; });
  graph_.ForEachRelationship([&](const Relationship&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST_F(TwinGraphTest, UpsertTwinInsertsAndFindsEveryField) {
  graph_.UpsertTwin(MakeTwin("a", "dtmi:m;1", "W/\"e1\""));
  const Twin* twin = graph_.FindTwin("a");
  ASSERT_NE(twin, nullptr);
  EXPECT_EQ(twin->id, "a");
  EXPECT_EQ(twin->model_id, "dtmi:m;1");
  EXPECT_EQ(twin->etag, "W/\"e1\"");
  EXPECT_EQ(twin->document.at("$dtId"), "a");
  EXPECT_EQ(graph_.twin_count(), 1u);
  EXPECT_EQ(graph_.FindTwin("A"), nullptr);  // ids are case-sensitive
  EXPECT_EQ(graph_.FindTwin(""), nullptr);
}

TEST_F(TwinGraphTest, UpsertTwinReplacesInPlaceOfTheOld) {
  graph_.UpsertTwin(MakeTwin(kLongId, "dtmi:m;1", "W/\"e1\""));
  graph_.UpsertTwin(MakeTwin(kLongId, "dtmi:m;1", "W/\"e2\""));
  EXPECT_EQ(graph_.twin_count(), 1u);
  // Growing the table rehashes every key: a key still viewing a freed id would be lost here.
  for (int i = 0; i < 2000; ++i) graph_.UpsertTwin(MakeTwin("t" + std::to_string(i), "dtmi:n;1"));
  const Twin* twin = graph_.FindTwin(std::string(kLongId));
  ASSERT_NE(twin, nullptr);
  EXPECT_EQ(twin->etag, "W/\"e2\"");
  EXPECT_EQ(twin->document.at("$etag"), "W/\"e2\"");
  EXPECT_EQ(graph_.twin_count(), 2001u);
  EXPECT_THAT(graph_.TwinsOfModel("dtmi:m;1"), ElementsAre(kLongId));
}

TEST_F(TwinGraphTest, TwinPointersSurviveOtherInsertsAndErases) {
  graph_.UpsertTwin(MakeTwin(kLongId, "dtmi:m;1"));
  const Twin* twin = graph_.FindTwin(kLongId);
  for (int i = 0; i < 5000; ++i) graph_.UpsertTwin(MakeTwin("t" + std::to_string(i), "dtmi:m;1"));
  for (int i = 0; i < 5000; i += 2) ASSERT_TRUE(graph_.EraseTwin("t" + std::to_string(i)));
  EXPECT_EQ(graph_.FindTwin(kLongId), twin);
  EXPECT_EQ(twin->id, kLongId);
  EXPECT_EQ(graph_.twin_count(), 2501u);
  EXPECT_EQ(graph_.TwinsOfModel("dtmi:m;1").size(), 2501u);
}

TEST_F(TwinGraphTest, EraseTwinRemovesItOnce) {
  AddTwins();
  EXPECT_TRUE(graph_.EraseTwin("b"));
  EXPECT_FALSE(graph_.EraseTwin("b"));
  EXPECT_EQ(graph_.FindTwin("b"), nullptr);
  EXPECT_NE(graph_.FindTwin("a"), nullptr);
  EXPECT_EQ(graph_.twin_count(), 3u);
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:m;1")), UnorderedElementsAre("a", "c"));
  // The id is free again.
  graph_.UpsertTwin(MakeTwin("b", "dtmi:n;1"));
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:n;1")), UnorderedElementsAre("b", "d"));
}

TEST_F(TwinGraphTest, ModelIndexIsExactAndFollowsMigration) {
  AddTwins();
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:m;1")), UnorderedElementsAre("a", "b", "c"));
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:n;1")), ElementsAre("d"));
  EXPECT_THAT(graph_.TwinsOfModel("dtmi:m;2"), IsEmpty());  // no versions or inheritance
  EXPECT_THAT(graph_.TwinsOfModel("dtmi:m"), IsEmpty());

  graph_.UpsertTwin(MakeTwin("b", "dtmi:n;1"));  // migrate b from m to n
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:m;1")), UnorderedElementsAre("a", "c"));
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:n;1")), UnorderedElementsAre("b", "d"));
  EXPECT_EQ(graph_.FindTwin("b")->model_id, "dtmi:n;1");

  graph_.UpsertTwin(MakeTwin("d", "dtmi:o;1"));  // the last twin of a model leaves it
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:n;1")), ElementsAre("b"));
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:o;1")), ElementsAre("d"));

  graph_.UpsertTwin(MakeTwin("a", "dtmi:m;1", "W/\"2\""));  // same model: index unchanged
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:m;1")), UnorderedElementsAre("a", "c"));
}

TEST_F(TwinGraphTest, ModelIndexStaysRightWhenTwinsLeaveFromAnyPosition) {
  std::vector<std::string> remaining;
  for (int i = 0; i < 10; ++i) {
    remaining.push_back("t" + std::to_string(i));
    graph_.UpsertTwin(MakeTwin(remaining.back(), "dtmi:m;1"));
  }
  // Leave from the middle, the front, the back, by erase and by migration.
  const std::vector<std::pair<const char*, bool>> leaves = {
      {"t4", true}, {"t0", true}, {"t9", false}, {"t5", false}, {"t1", false}};
  for (auto [id, erase] : leaves) {
    if (erase) {
      ASSERT_TRUE(graph_.EraseTwin(id));
    } else {
      graph_.UpsertTwin(MakeTwin(id, "dtmi:other;1"));
    }
    remaining.erase(std::find(remaining.begin(), remaining.end(), id));
    std::vector<std::string> ids = Ids(graph_.TwinsOfModel("dtmi:m;1"));
    std::sort(ids.begin(), ids.end());
    ASSERT_EQ(ids, remaining) << "after " << id << " left";
  }
  EXPECT_THAT(Ids(graph_.TwinsOfModel("dtmi:other;1")), UnorderedElementsAre("t9", "t5", "t1"));
}

TEST_F(TwinGraphTest, UpsertRelationshipNeedsBothEndpoints) {
  AddTwins();
  EXPECT_FALSE(graph_.UpsertRelationship(MakeRelationship("x", "r1", "b")));
  EXPECT_FALSE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "x")));
  EXPECT_EQ(graph_.relationship_count(), 0u);
  EXPECT_EQ(graph_.FindRelationship("a", "r1"), nullptr);
  EXPECT_EQ(graph_.IncomingCount("b"), 0u);
}

TEST_F(TwinGraphTest, UpsertRelationshipLinksBothEnds) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "b", "feeds")));
  const Relationship* relationship = graph_.FindRelationship("a", "r1");
  ASSERT_NE(relationship, nullptr);
  EXPECT_EQ(relationship->source_id, "a");
  EXPECT_EQ(relationship->target_id, "b");
  EXPECT_EQ(relationship->name, "feeds");
  EXPECT_EQ(relationship->document.at("$relationshipName"), "feeds");
  EXPECT_EQ(graph_.FindRelationship("b", "r1"), nullptr);  // keyed by its source
  EXPECT_EQ(graph_.FindRelationship("a", "r2"), nullptr);
  EXPECT_THAT(graph_.Outgoing("a"), ElementsAre(relationship));
  EXPECT_THAT(graph_.Incoming("b"), ElementsAre(relationship));
  EXPECT_THAT(graph_.Incoming("a"), IsEmpty());
  EXPECT_THAT(graph_.Outgoing("b"), IsEmpty());
  EXPECT_EQ(graph_.OutgoingCount("a"), 1u);
  EXPECT_EQ(graph_.IncomingCount("b"), 1u);
  EXPECT_EQ(graph_.relationship_count(), 1u);
}

TEST_F(TwinGraphTest, OutgoingIsOrderedByRelationshipId) {
  AddTwins();
  for (const char* id : {"r3", "r10", "r1", "r2", "R0"}) {
    ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", id, id[1] == '1' ? "c" : "b")));
  }
  // Byte order, the order pages are cut in.
  EXPECT_THAT(Keys(graph_.Outgoing("a")), ElementsAre("a/R0", "a/r1", "a/r10", "a/r2", "a/r3"));
  EXPECT_EQ(graph_.OutgoingCount("a"), 5u);
}

TEST_F(TwinGraphTest, IncomingIsOrderedBySourceThenRelationshipId) {
  AddTwins();
  for (auto [source, id] : std::vector<std::pair<const char*, const char*>>{
           {"c", "r2"}, {"a", "r9"}, {"d", "r1"}, {"c", "r1"}, {"a", "r10"}}) {
    ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship(source, id, "b")));
  }
  EXPECT_THAT(Keys(graph_.Incoming("b")), ElementsAre("a/r10", "a/r9", "c/r1", "c/r2", "d/r1"));
  EXPECT_EQ(graph_.IncomingCount("b"), 5u);
  EXPECT_EQ(graph_.relationship_count(), 5u);
}

TEST_F(TwinGraphTest, RelationshipIdsAreScopedToTheirSource) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r", "c")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("b", "r", "c")));
  EXPECT_EQ(graph_.relationship_count(), 2u);
  EXPECT_EQ(graph_.FindRelationship("a", "r")->source_id, "a");
  EXPECT_EQ(graph_.FindRelationship("b", "r")->source_id, "b");
  EXPECT_THAT(Keys(graph_.Incoming("c")), ElementsAre("a/r", "b/r"));
  EXPECT_TRUE(graph_.EraseRelationship("b", "r"));
  EXPECT_THAT(Keys(graph_.Incoming("c")), ElementsAre("a/r"));
  EXPECT_NE(graph_.FindRelationship("a", "r"), nullptr);
}

TEST_F(TwinGraphTest, ReplacingARelationshipWithTheSameTargetUpdatesIt) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r", "b", "feeds")));
  Relationship replacement = MakeRelationship("a", "r", "b", "feeds");
  replacement.etag = "W/\"r2\"";
  replacement.document["weight"] = 3;
  ASSERT_TRUE(graph_.UpsertRelationship(std::move(replacement)));
  const Relationship* relationship = graph_.FindRelationship("a", "r");
  ASSERT_NE(relationship, nullptr);
  EXPECT_EQ(relationship->etag, "W/\"r2\"");
  EXPECT_EQ(relationship->document.at("weight"), 3);
  EXPECT_EQ(graph_.relationship_count(), 1u);
  EXPECT_THAT(graph_.Outgoing("a"), ElementsAre(relationship));
  EXPECT_THAT(graph_.Incoming("b"), ElementsAre(relationship));
}

TEST_F(TwinGraphTest, ReplacingARelationshipWithANewTargetMovesItsIncomingEntry) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r2", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("d", "r0", "c")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "c")));
  EXPECT_EQ(graph_.FindRelationship("a", "r1")->target_id, "c");
  EXPECT_THAT(Keys(graph_.Incoming("b")), ElementsAre("a/r2"));
  EXPECT_THAT(Keys(graph_.Incoming("c")), ElementsAre("a/r1", "d/r0"));
  EXPECT_THAT(Keys(graph_.Outgoing("a")), ElementsAre("a/r1", "a/r2"));
  EXPECT_EQ(graph_.relationship_count(), 3u);
  // Erasing it now unlinks it from its new target, not its old one.
  ASSERT_TRUE(graph_.EraseRelationship("a", "r1"));
  EXPECT_THAT(Keys(graph_.Incoming("c")), ElementsAre("d/r0"));
  EXPECT_THAT(Keys(graph_.Incoming("b")), ElementsAre("a/r2"));
}

TEST_F(TwinGraphTest, ReplacingARelationshipWithAnAbsentTargetChangesNothing) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r", "b")));
  EXPECT_FALSE(graph_.UpsertRelationship(MakeRelationship("a", "r", "gone")));
  EXPECT_EQ(graph_.FindRelationship("a", "r")->target_id, "b");
  EXPECT_THAT(Keys(graph_.Incoming("b")), ElementsAre("a/r"));
  EXPECT_EQ(graph_.relationship_count(), 1u);
}

TEST_F(TwinGraphTest, EraseRelationshipUnlinksBothEnds) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r2", "c")));
  EXPECT_FALSE(graph_.EraseRelationship("b", "r1"));  // wrong source
  EXPECT_FALSE(graph_.EraseRelationship("a", "r3"));
  EXPECT_FALSE(graph_.EraseRelationship("x", "r1"));
  EXPECT_TRUE(graph_.EraseRelationship("a", "r1"));
  EXPECT_FALSE(graph_.EraseRelationship("a", "r1"));
  EXPECT_EQ(graph_.FindRelationship("a", "r1"), nullptr);
  EXPECT_THAT(Keys(graph_.Outgoing("a")), ElementsAre("a/r2"));
  EXPECT_THAT(graph_.Incoming("b"), IsEmpty());
  EXPECT_EQ(graph_.relationship_count(), 1u);
}

TEST_F(TwinGraphTest, RelationshipPointersSurviveGrowthOfTheirLists) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "m", "b")));
  const Relationship* relationship = graph_.FindRelationship("a", "m");
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r" + std::to_string(i), "b")));
    ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("c", "r" + std::to_string(i), "b")));
  }
  EXPECT_EQ(graph_.FindRelationship("a", "m"), relationship);
  EXPECT_EQ(relationship->id, "m");
  EXPECT_EQ(graph_.OutgoingCount("a"), 1001u);
  EXPECT_EQ(graph_.IncomingCount("b"), 2001u);
  std::vector<std::string> keys = Keys(graph_.Incoming("b"));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST_F(TwinGraphTest, ReplacingATwinKeepsItsRelationships) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "out", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("c", "in", "a")));
  graph_.UpsertTwin(MakeTwin("a", "dtmi:n;1", "W/\"2\""));  // also migrates its model
  EXPECT_THAT(Keys(graph_.Outgoing("a")), ElementsAre("a/out"));
  EXPECT_THAT(Keys(graph_.Incoming("a")), ElementsAre("c/in"));
  EXPECT_THAT(Keys(graph_.Incoming("b")), ElementsAre("a/out"));
  EXPECT_EQ(graph_.relationship_count(), 2u);
}

TEST_F(TwinGraphTest, EraseTwinTakesItsRemainingRelationshipsWithIt) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r2", "c")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("c", "r1", "a")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("d", "r1", "a")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("d", "r2", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "self", "a")));
  EXPECT_EQ(graph_.relationship_count(), 6u);

  ASSERT_TRUE(graph_.EraseTwin("a"));
  EXPECT_EQ(graph_.relationship_count(), 1u);
  EXPECT_THAT(Keys(graph_.Incoming("b")), ElementsAre("d/r2"));
  EXPECT_THAT(graph_.Incoming("c"), IsEmpty());
  EXPECT_THAT(graph_.Outgoing("c"), IsEmpty());
  EXPECT_THAT(Keys(graph_.Outgoing("d")), ElementsAre("d/r2"));
  EXPECT_EQ(graph_.FindRelationship("c", "r1"), nullptr);
  int visited = 0;
  graph_.ForEachRelationship([&](const Relationship& relationship) {
    ++visited;
    EXPECT_NE(relationship.source_id, "a");
    EXPECT_NE(relationship.target_id, "a");
  });
  EXPECT_EQ(visited, 1);

  // A new twin under the same id starts with no relationships.
  graph_.UpsertTwin(MakeTwin("a", "dtmi:m;1"));
  EXPECT_THAT(graph_.Outgoing("a"), IsEmpty());
  EXPECT_THAT(graph_.Incoming("a"), IsEmpty());
}

TEST_F(TwinGraphTest, DocumentsKeepTheirMemoryResource) {
  // Moving a document in must adopt its resource, not deep-copy it into the default one.
  auto arena = [] { return boost::json::make_shared_resource<boost::json::monotonic_resource>(); };
  auto twin_in = [](std::string id, boost::json::storage_ptr storage) {
    Twin twin = MakeTwin(std::move(id), "dtmi:m;1");
    return Twin{twin.id, twin.model_id, twin.etag, boost::json::object(twin.document, storage)};
  };
  boost::json::storage_ptr first = arena();
  graph_.UpsertTwin(twin_in("a", first));
  EXPECT_EQ(graph_.FindTwin("a")->document.storage().get(), first.get());
  boost::json::storage_ptr second = arena();
  graph_.UpsertTwin(twin_in("a", second));
  EXPECT_EQ(graph_.FindTwin("a")->document.storage().get(), second.get());
  graph_.UpsertTwin(MakeTwin("b", "dtmi:m;1"));

  auto relationship_in = [](std::string target_id, boost::json::storage_ptr storage) {
    Relationship relationship = MakeRelationship("a", "r", std::move(target_id));
    return Relationship{
        relationship.id,        relationship.source_id,
        relationship.target_id, relationship.name,
        relationship.etag,      boost::json::object(relationship.document, storage)};
  };
  ASSERT_TRUE(graph_.UpsertRelationship(relationship_in("b", first)));
  EXPECT_EQ(graph_.FindRelationship("a", "r")->document.storage().get(), first.get());
  ASSERT_TRUE(graph_.UpsertRelationship(relationship_in("a", second)));  // new target
  EXPECT_EQ(graph_.FindRelationship("a", "r")->document.storage().get(), second.get());
  EXPECT_EQ(graph_.FindRelationship("a", "r")->document.at("$targetId"), "a");
}

TEST_F(TwinGraphTest, ForEachVisitsEveryTwinAndRelationshipOnce) {
  AddTwins();
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("a", "r1", "b")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("b", "r1", "c")));
  ASSERT_TRUE(graph_.UpsertRelationship(MakeRelationship("b", "r2", "d")));
  std::vector<std::string> twins;
  graph_.ForEachTwin([&](const Twin& twin) { twins.push_back(twin.id); });
  EXPECT_THAT(twins, UnorderedElementsAre("a", "b", "c", "d"));
  std::vector<std::string> relationships;
  graph_.ForEachRelationship([&](const Relationship& relationship) {
    relationships.push_back(relationship.source_id + "/" + relationship.id + "->" +
                            relationship.target_id);
  });
  EXPECT_THAT(relationships, UnorderedElementsAre("a/r1->b", "b/r1->c", "b/r2->d"));
}

}  // namespace
}  // namespace dtwin::graph
