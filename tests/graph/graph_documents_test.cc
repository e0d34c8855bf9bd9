#include "graph/graph_documents.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "common/json_writer.h"

namespace dtwin::graph {
namespace {

boost::json::object Parse(std::string_view text) { return boost::json::parse(text).as_object(); }

constexpr std::string_view kFull = R"({"$dtId":"r1","$etag":"W/\"e\"","temperature":21.5,
  "thermostat":{"setpoint":20,"$metadata":{"$lastUpdateTime":"T1","setpoint":{"lastUpdateTime":"T1"}}},
  "mode":"ECO","humidity":40,
  "$metadata":{"$model":"dtmi:x:Room;1","$lastUpdateTime":"T1",
    "temperature":{"lastUpdateTime":"T1"},
    "mode":{"lastUpdateTime":"T0"},
    "humidity":{"lastUpdateTime":"T1","sourceTime":"S"}}})";

TEST(GraphDocumentsTest, DropsOnlyEntriesThatRepeatTheTwinTime) {
  boost::json::object compact = CompactTwinDocument(Parse(kFull));
  const boost::json::object& metadata = compact.at("$metadata").as_object();
  EXPECT_FALSE(metadata.contains("temperature"));  // repeats T1
  EXPECT_TRUE(metadata.contains("mode"));          // older time
  EXPECT_TRUE(metadata.contains("humidity"));      // carries a sourceTime
  EXPECT_EQ(metadata.at("$model").as_string(), "dtmi:x:Room;1");
  // Components keep their own metadata untouched.
  EXPECT_EQ(compact.at("thermostat"), Parse(kFull).at("thermostat"));
}

TEST(GraphDocumentsTest, ExpandingRestoresTheDocumentExactly) {
  boost::json::object full = Parse(kFull);
  boost::json::object round_trip = ExpandTwinDocument(CompactTwinDocument(full));
  EXPECT_EQ(WriteJson(round_trip), WriteJson(full));  // same members, same order
}

TEST(GraphDocumentsTest, DocumentsWithoutTwinTimeAreLeftAlone) {
  boost::json::object old = Parse(R"({"p":1,"$metadata":{"$model":"m","p":{"lastUpdateTime":"T"}}})");
  EXPECT_EQ(CompactTwinDocument(old), old);
  EXPECT_EQ(ExpandTwinDocument(old), old);
}

// The streaming writer must match the expansion byte for byte, whatever the document holds:
// compacted and kept entries, components, leftovers for members the twin no longer has,
// escapes in keys, and documents without a twin time.
TEST(GraphDocumentsTest, StreamingExpansionWritesExactlyWhatExpandingDoes) {
  const std::string_view documents[] = {
      kFull,
      R"({"$dtId":"a","$metadata":{"$model":"m","$lastUpdateTime":"T","gone":{"lastUpdateTime":"T0"}},
          "c\"1":{"$metadata":{"$lastUpdateTime":"T"},"x":1},"k\n":[1,2.5,{"q":null}],"b":true})",
      R"({"$dtId":"b","$metadata":{"$model":"m"},"p":1})",
      R"({"$dtId":"c","$metadata":{"$model":"m","$lastUpdateTime":"T","c":{"lastUpdateTime":"T"}},
          "c":{"$metadata":{}},"p":"T"})",
      R"({"$dtId":"d"})",
  };
  for (std::string_view text : documents) {
    const boost::json::object compact = CompactTwinDocument(Parse(text));
    std::string streamed;
    AppendExpandedTwinJson(compact, streamed);
    EXPECT_EQ(streamed, WriteJson(ExpandTwinDocument(compact))) << text;
  }
}

TEST(GraphDocumentsTest, RelationshipsKeepOnlyTheirProperties) {
  boost::json::object properties = RelationshipProperties(Parse(
      R"({"$relationshipId":"r","$etag":"e","$sourceId":"a","$targetId":"b",
          "$relationshipName":"next","since":"2020-01-01","weight":2})"));
  EXPECT_EQ(WriteJson(properties), R"({"since":"2020-01-01","weight":2})");
}

}  // namespace
}  // namespace dtwin::graph
