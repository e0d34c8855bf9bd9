// Event routes: id, endpoint and filter checks, the route limit, get, list, delete.
#include "service_test_base.h"

namespace dtwin::service {
namespace {

class RouteOperationsTest : public ServiceTest {};

TEST_F(RouteOperationsTest, PutStoresTheRoute) {
  ASSERT_TRUE(PutRoute("route-1", R"({"endpointName": "hub", "filter": "true"})").ok());
  Result<EventRoute> route = service_->GetEventRoute("route-1");
  ASSERT_TRUE(route.ok());
  EXPECT_EQ(route->id, "route-1");
  EXPECT_EQ(route->endpoint_name, "hub");
  EXPECT_EQ(route->filter, "true");
  EXPECT_EQ(Json(data_->routes.at("route-1")),
            Json(R"({"endpointName": "hub", "filter": "true"})"));
  // PUT replaces.
  ASSERT_TRUE(PutRoute("route-1", R"({"endpointName": "grid",
    "filter": "type = 'Microsoft.DigitalTwins.Twin.Create'", "id": "ignored"})")
                  .ok());
  EXPECT_EQ(service_->GetEventRoute("route-1")->endpoint_name, "grid");
}

TEST_F(RouteOperationsTest, IdsAreChecked) {
  const std::string body = R"({"endpointName": "hub", "filter": "true"})";
  EXPECT_TRUE(PutRoute(std::string(50, 'r'), body).ok());
  EXPECT_TRUE(PutRoute("Route_2-b", body).ok());
  for (const std::string& id : {std::string(51, 'r'), std::string("a b"), std::string("a/b"),
                                std::string("é"), std::string()}) {
    EXPECT_CODE(PutRoute(id, body), ErrorCode::kEventRouteIdInvalid) << id;
  }
}

TEST_F(RouteOperationsTest, EndpointMustBeConfigured) {
  Status unknown = PutRoute("r", R"({"endpointName": "elsewhere", "filter": "true"})");
  EXPECT_CODE(unknown, ErrorCode::kEventRouteEndpointInvalid);
  EXPECT_EQ(unknown.message(),
            "endpoint elsewhere is not configured; declare it with --endpoint NAME=URL");
  EXPECT_CODE(PutRoute("r", R"({"filter": "true"})"), ErrorCode::kEventRouteEndpointInvalid);
  EXPECT_CODE(PutRoute("r", "[]"), ErrorCode::kInvalidArgument);
  EXPECT_CODE(service_->GetEventRoute("r"), ErrorCode::kEventRouteNotFound);
}

TEST_F(RouteOperationsTest, FilterIsRequiredAndParsed) {
  EXPECT_CODE(PutRoute("r", R"({"endpointName": "hub"})"), ErrorCode::kEventRouteFilterInvalid);
  EXPECT_CODE(PutRoute("r", R"({"endpointName": "hub", "filter": "  "})"),
              ErrorCode::kEventRouteFilterInvalid);
  EXPECT_CODE(PutRoute("r", R"({"endpointName": "hub", "filter": 1})"),
              ErrorCode::kEventRouteFilterInvalid);
  Status invalid =
      PutRoute("r", R"({"endpointName": "hub", "filter": "this is not a valid filter string"})");
  EXPECT_CODE(invalid, ErrorCode::kEventRouteFilterInvalid);
  EXPECT_NE(invalid.message().find("Position="), std::string::npos) << invalid.message();
  EXPECT_TRUE(data_->routes.empty());
}

TEST_F(RouteOperationsTest, RouteCountIsLimited) {
  const std::string body = R"({"endpointName": "hub", "filter": "true"})";
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(PutRoute("r" + std::to_string(i), body).ok());
  EXPECT_CODE(PutRoute("r6", body), ErrorCode::kLimitExceeded);
  EXPECT_TRUE(PutRoute("r5", body).ok());  // replacing is not adding
  ASSERT_TRUE(DeleteRoute("r0").ok());
  EXPECT_TRUE(PutRoute("r6", body).ok());
}

TEST_F(RouteOperationsTest, ListAndDelete) {
  const std::string body = R"({"endpointName": "hub", "filter": "false"})";
  for (const char* id : {"c", "a", "b"}) ASSERT_TRUE(PutRoute(id, body).ok());
  Result<Page<EventRoute>> first = service_->ListEventRoutes({"", 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].id, "a");
  EXPECT_EQ(first->items[1].id, "b");
  Result<Page<EventRoute>> second = service_->ListEventRoutes({first->continuation, 2});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, "c");
  EXPECT_TRUE(second->continuation.empty());

  ASSERT_TRUE(DeleteRoute("b").ok());
  EXPECT_CODE(service_->GetEventRoute("b"), ErrorCode::kEventRouteNotFound);
  EXPECT_CODE(DeleteRoute("b"), ErrorCode::kEventRouteNotFound);
  EXPECT_FALSE(data_->routes.contains("b"));
  EXPECT_EQ(service_->ListEventRoutes({})->items.size(), 2u);
}

}  // namespace
}  // namespace dtwin::service
