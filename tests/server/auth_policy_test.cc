// The roles' data actions as adt-api.md section 10 lists them, the role spellings accepted,
// and the route table's action for a path (case-insensitive, encoded ids).
#include "server/auth_policy.h"

#include <gtest/gtest.h>

#include <set>

namespace dtwin::server {
namespace {

constexpr DataAction kAll[] = {
    DataAction::kQuery,
    DataAction::kTwinsRead,
    DataAction::kTwinsWrite,
    DataAction::kTwinsDelete,
    DataAction::kTwinsCommands,
    DataAction::kRelationshipsRead,
    DataAction::kRelationshipsWrite,
    DataAction::kRelationshipsDelete,
    DataAction::kEventRoutesRead,
    DataAction::kEventRoutesWrite,
    DataAction::kEventRoutesDelete,
    DataAction::kModelsRead,
    DataAction::kModelsWrite,
    DataAction::kModelsDelete,
    DataAction::kJobsImportRead,
    DataAction::kJobsImportWrite,
    DataAction::kJobsImportDelete,
    DataAction::kJobsImportsRead,
    DataAction::kJobsDeletionsRead,
    DataAction::kJobsDeletionsWrite,
};

TEST(AuthPolicyTest, OwnerHasEveryDataAction) {
  for (DataAction action : kAll) {
    EXPECT_TRUE(RoleGrants(Role::kDataOwner, action)) << DataActionName(action);
  }
}

TEST(AuthPolicyTest, ReaderHasExactlyTheReadActions) {
  // The Data Reader's dataActions, from the reference (not from auth_policy.cc).
  const std::set<std::string_view> reader = {
      "Microsoft.DigitalTwins/digitaltwins/read",
      "Microsoft.DigitalTwins/digitaltwins/relationships/read",
      "Microsoft.DigitalTwins/eventroutes/read",
      "Microsoft.DigitalTwins/jobs/import/read",
      "Microsoft.DigitalTwins/jobs/imports/read",
      "Microsoft.DigitalTwins/jobs/deletions/read",
      "Microsoft.DigitalTwins/models/read",
      "Microsoft.DigitalTwins/query/action"};
  for (DataAction action : kAll) {
    EXPECT_EQ(RoleGrants(Role::kDataReader, action), reader.count(DataActionName(action)) == 1)
        << DataActionName(action);
  }
}

TEST(AuthPolicyTest, RoleSpellings) {
  EXPECT_EQ(ParseRole("Azure Digital Twins Data Owner"), Role::kDataOwner);
  EXPECT_EQ(ParseRole("bcd981a7-7f74-457b-83e1-cceb9e632ffe"), Role::kDataOwner);
  EXPECT_EQ(ParseRole("DataOwner"), Role::kDataOwner);
  EXPECT_EQ(ParseRole("Azure Digital Twins Data Reader"), Role::kDataReader);
  EXPECT_EQ(ParseRole("d57506d4-4c8d-48b1-8587-93c323f6a5a3"), Role::kDataReader);
  EXPECT_EQ(ParseRole("DataReader"), Role::kDataReader);
  EXPECT_EQ(ParseRole("azure digital twins data owner"), std::nullopt);
  EXPECT_EQ(ParseRole("Owner"), std::nullopt);
  EXPECT_EQ(RoleName(Role::kDataReader), "Azure Digital Twins Data Reader");
}

TEST(AuthPolicyTest, TableMatchesPathsAsTheRouterDoes) {
  DataActionTable table;
  EXPECT_EQ(table.Find(HttpMethod::kGet, "/Models"), DataAction::kModelsRead);
  EXPECT_EQ(table.Find(HttpMethod::kDelete, "/models/dtmi:a:b;1"), DataAction::kModelsDelete);
  EXPECT_EQ(table.Find(HttpMethod::kPut, "/digitaltwins/a%2Fb/relationships/r"),
            DataAction::kRelationshipsWrite);
  EXPECT_EQ(table.Find(HttpMethod::kPost, "/digitaltwins/t/components/c/telemetry"),
            DataAction::kTwinsWrite);
  EXPECT_EQ(table.Find(HttpMethod::kPost, "/query"), DataAction::kQuery);
  EXPECT_EQ(table.Find(HttpMethod::kGet, "/nothing"), std::nullopt);
  EXPECT_EQ(table.Find(HttpMethod::kPost, "/models/x"), std::nullopt);
}

}  // namespace
}  // namespace dtwin::server
