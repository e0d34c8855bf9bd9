// DigitalTwinsService::Query: what the service adds to the engine — read-your-writes, model
// families for IS_OF_MODEL that follow model uploads and deletions, rows rendered as GET
// renders twins. (The language itself is tested by the corpus in tests/query.)
#include <boost/json/parse.hpp>

#include "service_test_base.h"

namespace dtwin::service {
namespace {

class QueryOperationsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    UploadTestModels();
  }

  // The $dtId of every row of a one-page query.
  std::vector<std::string> Ids(std::string_view text) {
    Result<query::QueryPage> page =
        service_->Query({.text = text, .continuation = {}, .max_items = 0});
    EXPECT_TRUE(page.ok()) << page.status().message();
    std::vector<std::string> ids;
    if (!page.ok()) return ids;
    for (const std::string& row : page->rows) {
      ids.emplace_back(boost::json::parse(row).at("$dtId").as_string());
    }
    return ids;
  }
};

TEST_F(QueryOperationsTest, QueriesSeeEveryAcknowledgedWrite) {
  ASSERT_TRUE(PutRoom("r1", R"("temperature": 20)").ok());
  EXPECT_EQ(Ids("SELECT * FROM DIGITALTWINS T WHERE T.temperature = 20"),
            std::vector<std::string>{"r1"});
  ASSERT_TRUE(PatchTwin("r1", R"([{"op":"replace","path":"/temperature","value":25}])").ok());
  EXPECT_TRUE(Ids("SELECT * FROM DIGITALTWINS T WHERE T.temperature = 20").empty());
  ASSERT_TRUE(DeleteTwin("r1").ok());
  EXPECT_TRUE(Ids("SELECT * FROM DIGITALTWINS").empty());
}

TEST_F(QueryOperationsTest, ModelFamiliesFollowModelUploadsAndDeletions) {
  ASSERT_TRUE(PutRoom("r1").ok());
  constexpr std::string_view kOfSpace =
      "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1')";
  EXPECT_EQ(Ids(kOfSpace), std::vector<std::string>{"r1"});  // Room;1 extends Space;1
  // A model uploaded after the family was first computed joins it.
  ASSERT_TRUE(AddModels(R"([{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Hall;1",
      "@type": "Interface", "extends": "dtmi:test:Space;1"}])")
                  .ok());
  ASSERT_TRUE(PutTwin("h1", R"({"$metadata": {"$model": "dtmi:test:Hall;1"}})").ok());
  EXPECT_EQ(Ids(kOfSpace), (std::vector<std::string>{"h1", "r1"}));
  EXPECT_EQ(Ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1', exact)"),
            std::vector<std::string>{});
  // A deleted model leaves the family; its twins keep their $model and still match exactly.
  ASSERT_TRUE(DeleteModel("dtmi:test:Hall;1").ok());
  EXPECT_EQ(Ids(kOfSpace), std::vector<std::string>{"r1"});
  EXPECT_EQ(Ids("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Hall;1')"),
            std::vector<std::string>{"h1"});
}

TEST_F(QueryOperationsTest, RowsAreTheDocumentsGetReturns) {
  ASSERT_TRUE(PutRoom("r1", R"("temperature": 21.5)").ok());
  Result<query::QueryPage> page =
      service_->Query({.text = "SELECT * FROM DIGITALTWINS", .continuation = {}, .max_items = 0});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0], service_->GetTwinJson("r1")->json);
}

}  // namespace
}  // namespace dtwin::service
