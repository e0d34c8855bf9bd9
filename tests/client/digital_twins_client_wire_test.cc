// DigitalTwinsClient's requests on the wire, against the scripted fake server: what the
// official SDKs send (reference/sdk-wire.md) — encoded paths, api-version, JSON Patch content
// type, match conditions, repeated dependenciesFor, nextLinks followed verbatim with the page
// size on every page, query bodies with continuation tokens, telemetry headers, the dtwin
// extension calls (event endpoints, dead letters) — which operations are retried, and answers
// the client cannot read.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <regex>

#include "dtwin/client/digital_twins_client.h"
#include "fake_http_server.h"

namespace dtwin::client {
namespace {

using testing::FakeHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

class DigitalTwinsClientWireTest : public ::testing::Test {
 protected:
  DigitalTwinsClient MakeClient(int max_retries = 0) {
    DigitalTwinsClientOptions options;
    options.retry.max_retries = max_retries;
    options.retry.retry_delay = std::chrono::milliseconds(1);
    return DigitalTwinsClient(server_.Url(), std::make_shared<StaticTokenCredential>("token-1"),
                              options);
  }

  RecordedRequest OnlyRequest() {
    std::vector<RecordedRequest> requests = server_.Requests();
    EXPECT_EQ(requests.size(), 1u);
    return requests.empty() ? RecordedRequest{} : requests.front();
  }

  static boost::json::value Json(const std::string& text) { return boost::json::parse(text); }

  // Runs call against one scripted answer; the code of the DigitalTwinsError it throws.
  template <typename Call>
  std::string ErrorCodeFor(const std::string& body, Call call) {
    server_.Enqueue(ScriptedResponse::Json(200, body));
    DigitalTwinsClient client = MakeClient();
    try {
      call(client);
    } catch (const DigitalTwinsError& error) {
      return error.code();
    }
    return "no error";
  }

  FakeHttpServer server_;
};

// The query part of a target, for exact comparisons.
std::string QueryOf(const RecordedRequest& request) {
  size_t question = request.target.find('?');
  return question == std::string::npos ? "" : request.target.substr(question + 1);
}

TEST_F(DigitalTwinsClientWireTest, PathsArePercentEncodedAndCarryTheApiVersion) {
  server_.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"room 1/\u00e9"})"));
  DigitalTwinsClient client = MakeClient();
  boost::json::object twin = client.GetDigitalTwin("room 1/\xC3\xA9");
  EXPECT_EQ(twin.at("$dtId").as_string(), "room 1/\xC3\xA9");
  RecordedRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.Path(), "/digitaltwins/room%201%2F%C3%A9");
  EXPECT_EQ(QueryOf(request), "api-version=2023-10-31");
  EXPECT_EQ(request.Header("Authorization"), "Bearer token-1");
  EXPECT_EQ(request.Header("Accept"), "application/json");
}

TEST_F(DigitalTwinsClientWireTest, GetModelAlwaysSaysWhetherToIncludeTheDefinition) {
  for (int i = 0; i < 2; ++i) {
    server_.Enqueue(ScriptedResponse::Json(200, R"({"id":"dtmi:a:B;1","decommissioned":false})"));
  }
  DigitalTwinsClient client = MakeClient();
  EXPECT_EQ(client.GetModel("dtmi:a:B;1").id, "dtmi:a:B;1");
  client.GetModel("dtmi:a:B;1", /*include_model_definition=*/true);
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Path(), "/models/dtmi%3Aa%3AB%3B1");
  EXPECT_EQ(requests[0].Query("includeModelDefinition"), "false");
  EXPECT_EQ(requests[1].Query("includeModelDefinition"), "true");
}

TEST_F(DigitalTwinsClientWireTest, PatchesAreJsonPatchWithConditionsAndReturnTheEtag) {
  for (int i = 0; i < 4; ++i) {
    server_.Enqueue(ScriptedResponse{204, {{"ETag", "W/\"e" + std::to_string(i) + "\""}}, ""});
  }
  DigitalTwinsClient client = MakeClient();
  const boost::json::array patch = Json(R"([{"op":"add","path":"/a","value":1}])").as_array();
  MatchConditions if_match;
  if_match.if_match = "W/\"old\"";
  EXPECT_EQ(client.UpdateDigitalTwin("t1", patch, if_match), "W/\"e0\"");
  EXPECT_EQ(client.UpdateComponent("t1", "thermostat", patch), "W/\"e1\"");
  EXPECT_EQ(client.UpdateRelationship("t1", "r 1", patch), "W/\"e2\"");
  client.DecommissionModel("dtmi:a:B;1");

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.method, "PATCH");
    EXPECT_EQ(request.Header("Content-Type"), "application/json-patch+json") << request.target;
  }
  EXPECT_EQ(requests[0].Path(), "/digitaltwins/t1");
  EXPECT_EQ(requests[0].Header("If-Match"), "W/\"old\"");
  EXPECT_EQ(Json(requests[0].body), boost::json::value(patch));
  EXPECT_EQ(requests[1].Path(), "/digitaltwins/t1/components/thermostat");
  EXPECT_EQ(requests[1].Header("If-Match"), std::nullopt);
  EXPECT_EQ(requests[2].Path(), "/digitaltwins/t1/relationships/r%201");
  EXPECT_EQ(requests[3].Path(), "/models/dtmi%3Aa%3AB%3B1");
  EXPECT_EQ(Json(requests[3].body),
            Json(R"([{"op":"replace","path":"/decommissioned","value":true}])"));
}

TEST_F(DigitalTwinsClientWireTest, PutsAndDeletesCarryTheirConditions) {
  server_.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"t1"})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"$relationshipId":"r1"})"));
  server_.Enqueue(ScriptedResponse{204, {}, ""});
  server_.Enqueue(ScriptedResponse{204, {}, ""});
  DigitalTwinsClient client = MakeClient();
  MatchConditions if_none_match;
  if_none_match.if_none_match_any = true;
  MatchConditions if_match;
  if_match.if_match = "*";
  const boost::json::object twin = Json(R"({"$metadata":{"$model":"dtmi:a:B;1"}})").as_object();
  client.UpsertDigitalTwin("t1", twin, if_none_match);
  client.UpsertRelationship("t1", "r1", Json(R"({"$targetId":"t2"})").as_object());
  client.DeleteDigitalTwin("t1", if_match);
  client.DeleteRelationship("t1", "r1");

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].Header("If-None-Match"), "*");
  EXPECT_EQ(requests[0].Header("If-Match"), std::nullopt);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json");
  EXPECT_EQ(Json(requests[0].body), boost::json::value(twin));
  EXPECT_EQ(requests[1].Path(), "/digitaltwins/t1/relationships/r1");
  EXPECT_EQ(requests[1].Header("If-None-Match"), std::nullopt);
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_EQ(requests[2].Header("If-Match"), "*");
  EXPECT_EQ(requests[3].Header("If-Match"), std::nullopt);
}

TEST_F(DigitalTwinsClientWireTest, ListModelsRepeatsDependenciesForAndFollowsNextLinksVerbatim) {
  const std::string next = server_.Url() + "/models?opaque=%2Bstate&api-version=2023-10-31";
  server_.Enqueue(
      ScriptedResponse::Json(200, R"({"value":[{"id":"dtmi:a:A;1"}],"nextLink":")" + next + "\"}"));
  server_.Enqueue(
      ScriptedResponse::Json(200, R"({"value":[{"id":"dtmi:a:B;1"}],"nextLink":null})"));
  DigitalTwinsClient client = MakeClient();
  ListModelsOptions options;
  options.dependencies_for = {"dtmi:a:A;1", "dtmi:a:B;1"};
  options.include_model_definition = true;
  PageOptions paging;
  paging.max_items_per_page = 3;
  Pager<ModelData> pager = client.ListModels(options, paging);
  EXPECT_TRUE(server_.Requests().empty()) << "nothing is fetched before the iteration";
  std::vector<std::string> ids;
  for (const ModelData& model : pager) ids.push_back(model.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"dtmi:a:A;1", "dtmi:a:B;1"}));

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Path(), "/models");
  EXPECT_EQ(QueryOf(requests[0]),
            "includeModelDefinition=true&dependenciesFor=dtmi%3Aa%3AA%3B1&"
            "dependenciesFor=dtmi%3Aa%3AB%3B1&api-version=2023-10-31");
  EXPECT_EQ(requests[1].target, "/models?opaque=%2Bstate&api-version=2023-10-31");
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.Header("max-items-per-page"), "3") << "on every page";
  }
}

TEST_F(DigitalTwinsClientWireTest, AnEmptyNextLinkEndsTheList) {
  server_.Enqueue(ScriptedResponse::Json(
      200, R"({"value":[{"id":"e","endpointName":"x","filter":"true"}],"nextLink":""})"));
  DigitalTwinsClient client = MakeClient();
  Pager<EventRoute> pager = client.ListEventRoutes();
  std::optional<Page<EventRoute>> page = pager.NextPage();
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->continuation_token, std::nullopt);
  EXPECT_EQ(pager.NextPage(), std::nullopt);
  EXPECT_EQ(server_.Requests().size(), 1u);
}

TEST_F(DigitalTwinsClientWireTest, RelationshipListsFilterByName) {
  server_.Enqueue(ScriptedResponse::Json(200, R"({"value":[],"nextLink":null})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"value":[],"nextLink":null})"));
  DigitalTwinsClient client = MakeClient();
  for (const boost::json::object& relationship : client.ListRelationships("t 1", "contains")) {
    ADD_FAILURE() << boost::json::value(relationship);
  }
  for (const IncomingRelationship& relationship : client.ListIncomingRelationships("t 1")) {
    ADD_FAILURE() << relationship.relationship_id;
  }
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Path(), "/digitaltwins/t%201/relationships");
  EXPECT_EQ(requests[0].Query("relationshipName"), "contains");
  EXPECT_EQ(requests[1].Path(), "/digitaltwins/t%201/incomingrelationships");
}

TEST_F(DigitalTwinsClientWireTest, QueryPagesSendTheTokenBackAndReadTheCharge) {
  server_.Enqueue(ScriptedResponse{200,
                                   {{"Content-Type", "application/json"}, {"query-charge", "2.5"}},
                                   R"({"value":[{"a":1}],"continuationToken":"tok+1"})"});
  server_.Enqueue(ScriptedResponse{200,
                                   {{"Content-Type", "application/json"}, {"query-charge", "1"}},
                                   R"({"value":[{"a":2}],"continuationToken":null})"});
  DigitalTwinsClient client = MakeClient();
  PageOptions paging;
  paging.max_items_per_page = 1;
  Pager<boost::json::object> pager = client.QueryTwins("SELECT * FROM DIGITALTWINS", paging);
  std::optional<Page<boost::json::object>> first = pager.NextPage();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->continuation_token, "tok+1");
  EXPECT_EQ(first->query_charge, 2.5);
  std::optional<Page<boost::json::object>> second = pager.NextPage();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->items.at(0).at("a"), 2);
  EXPECT_EQ(second->query_charge, 1.0);
  EXPECT_EQ(second->continuation_token, std::nullopt);

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].Path(), "/query");
  EXPECT_EQ(Json(requests[0].body), Json(R"({"query":"SELECT * FROM DIGITALTWINS"})"));
  EXPECT_EQ(Json(requests[1].body),
            Json(R"({"query":"SELECT * FROM DIGITALTWINS","continuationToken":"tok+1"})"));
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.Header("max-items-per-page"), "1");
  }
}

TEST_F(DigitalTwinsClientWireTest, TelemetryCarriesMessageIdAndSourceTime) {
  for (int i = 0; i < 2; ++i) server_.Enqueue(ScriptedResponse{204, {}, ""});
  DigitalTwinsClient client = MakeClient();
  client.PublishTelemetry("t1", Json(R"({"humidity":40.5})"));
  TelemetryOptions options;
  options.message_id = "m-7";
  options.source_time = "2024-05-01T12:00:00.123Z";
  client.PublishComponentTelemetry("t1", "thermostat", Json(R"({"measured":20.1})"), options);

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].Path(), "/digitaltwins/t1/telemetry");
  EXPECT_EQ(Json(requests[0].body), Json(R"({"humidity":40.5})"));
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json");
  std::string generated_id = requests[0].Header("Message-Id").value_or("");
  EXPECT_TRUE(std::regex_match(
      generated_id,
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << generated_id;
  std::string stamped = requests[0].Header("Telemetry-Source-Time").value_or("");
  EXPECT_TRUE(std::regex_match(stamped, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")))
      << stamped;
  EXPECT_EQ(requests[1].Path(), "/digitaltwins/t1/components/thermostat/telemetry");
  EXPECT_EQ(requests[1].Header("Message-Id"), "m-7");
  EXPECT_EQ(requests[1].Header("Telemetry-Source-Time"), "2024-05-01T12:00:00.123Z");
}

TEST_F(DigitalTwinsClientWireTest, EventRoutesSendEndpointAndFilterOnly) {
  server_.Enqueue(ScriptedResponse{204, {}, ""});
  server_.Enqueue(
      ScriptedResponse::Json(200, R"({"id":"r1","endpointName":"hook","filter":"true"})"));
  DigitalTwinsClient client = MakeClient();
  EventRoute route;
  route.id = "ignored";
  route.endpoint_name = "hook";
  client.UpsertEventRoute("r1", route);
  EventRoute got = client.GetEventRoute("r1");
  EXPECT_EQ(got.id, "r1");
  EXPECT_EQ(got.endpoint_name, "hook");
  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].Path(), "/eventroutes/r1");
  EXPECT_EQ(Json(requests[0].body), Json(R"({"endpointName":"hook","filter":"true"})"));
}

TEST_F(DigitalTwinsClientWireTest, OnlyIdempotentOperationsAreRetriedAfterAnAnswer) {
  DigitalTwinsClient client = MakeClient(/*max_retries=*/2);
  // GET and POST /query: 503 then success.
  server_.Enqueue(
      ScriptedResponse::Json(503, R"({"error":{"code":"ServiceUnavailable","message":"busy"}})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"$dtId":"t1"})"));
  client.GetDigitalTwin("t1");
  server_.Enqueue(ScriptedResponse::Json(503, ""));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"value":[],"continuationToken":null})"));
  for (const boost::json::object& row : client.QueryTwins("SELECT * FROM DIGITALTWINS")) {
    ADD_FAILURE() << boost::json::value(row);
  }
  EXPECT_EQ(server_.Requests().size(), 4u);

  // PATCH, telemetry and model uploads: the 503 is final.
  const boost::json::array patch = Json(R"([{"op":"add","path":"/a","value":1}])").as_array();
  auto expect_one_attempt = [&](const std::function<void()>& call) {
    size_t before = server_.Requests().size();
    server_.Enqueue(
        ScriptedResponse::Json(503, R"({"error":{"code":"ServiceUnavailable","message":"busy"}})"));
    try {
      call();
      ADD_FAILURE() << "a 503 was taken for a success";
    } catch (const DigitalTwinsError& error) {
      EXPECT_EQ(error.status(), 503);
      EXPECT_EQ(error.code(), "ServiceUnavailable");
    }
    EXPECT_EQ(server_.Requests().size(), before + 1);
  };
  expect_one_attempt([&] { client.UpdateDigitalTwin("t1", patch); });
  expect_one_attempt([&] { client.PublishTelemetry("t1", Json("{}")); });
  expect_one_attempt([&] { client.CreateModels(boost::json::array()); });
}

TEST_F(DigitalTwinsClientWireTest, AnswersOfTheWrongShapeAreErrors) {
  server_.Enqueue(ScriptedResponse::Json(200, "not json"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"nextLink":null})"));
  server_.Enqueue(ScriptedResponse::Json(201, R"({"id":"not an array"})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"displayName":{}})"));
  DigitalTwinsClient client = MakeClient();
  auto expect_unexpected = [](const std::function<void()>& call, int status) {
    try {
      call();
      ADD_FAILURE() << "an unreadable answer was accepted";
    } catch (const DigitalTwinsError& error) {
      EXPECT_EQ(error.code(), "UnexpectedResponse") << error.what();
      EXPECT_EQ(error.status(), status);
    }
  };
  expect_unexpected([&] { client.GetDigitalTwin("t1"); }, 200);
  expect_unexpected([&] { client.ListEventRoutes().NextPage(); }, 200);
  expect_unexpected([&] { client.CreateModels(boost::json::array()); }, 201);
  expect_unexpected([&] { client.GetModel("dtmi:a:B;1"); }, 200);  // no "id"
}

// ---- dtwin extensions: event endpoints and dead letters ----

TEST_F(DigitalTwinsClientWireTest, EndpointsPathsAndMethods) {
  server_.Enqueue(ScriptedResponse::Json(200, R"({"value": [
      {"name": "a", "kind": "mqtt", "url": "mqtt://u:***@h/t", "delivered": 5,
       "retried": 4, "failed": 3, "deadLettered": 2, "queueDepth": 1}]})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"name": "a b/c", "kind": "webhook",
      "url": "http://h/"})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"value": [], "nextLink": null})"));
  server_.Enqueue(ScriptedResponse::Json(200, R"({"replayed": 7})"));
  DigitalTwinsClient client = MakeClient();

  std::vector<EndpointInfo> endpoints = client.ListEndpoints();
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].url, "mqtt://u:***@h/t");
  EXPECT_EQ(endpoints[0].delivered, 5u);
  EXPECT_EQ(endpoints[0].retried, 4u);
  EXPECT_EQ(endpoints[0].failed, 3u);
  EXPECT_EQ(endpoints[0].dead_lettered, 2u);
  EXPECT_EQ(endpoints[0].queue_depth, 1u);
  EndpointInfo endpoint = client.GetEndpoint("a b/c");
  EXPECT_EQ(endpoint.kind, "webhook");
  EXPECT_EQ(endpoint.delivered, 0u);  // counters the answer leaves out
  PageOptions paging;
  paging.max_items_per_page = 10;
  EXPECT_FALSE(client.ListDeadLetters("a b/c", paging).NextPage()->continuation_token);
  EXPECT_EQ(client.ReplayDeadLetters("a b/c"), 7u);

  std::vector<RecordedRequest> requests = server_.Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method + " " + requests[0].Path(), "GET /extensions/endpoints");
  EXPECT_EQ(requests[1].method + " " + requests[1].Path(), "GET /extensions/endpoints/a%20b%2Fc");
  EXPECT_EQ(requests[2].method + " " + requests[2].Path(),
            "GET /extensions/endpoints/a%20b%2Fc/deadletters");
  EXPECT_EQ(requests[2].Header("max-items-per-page"), "10");
  EXPECT_EQ(requests[3].method + " " + requests[3].Path(),
            "POST /extensions/endpoints/a%20b%2Fc/deadletters/replay");
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.Query("api-version"), "2023-10-31") << request.target;
    EXPECT_EQ(request.Header("Authorization"), "Bearer token-1") << request.target;
  }
}

TEST_F(DigitalTwinsClientWireTest, EndpointsReplayIsNotRepeatedAfterAnError) {
  server_.Enqueue(ScriptedResponse::Json(503, R"({"error": {"code": "ServiceUnavailable",
      "message": "busy"}})"));
  DigitalTwinsClient client = MakeClient(/*max_retries=*/2);
  try {
    client.ReplayDeadLetters("hook");
    ADD_FAILURE() << "the 503 was not thrown";
  } catch (const DigitalTwinsError& error) {
    EXPECT_EQ(error.status(), 503);
    EXPECT_EQ(error.code(), "ServiceUnavailable");
  }
  EXPECT_EQ(server_.Requests().size(), 1u);
}

TEST_F(DigitalTwinsClientWireTest, EndpointsAnswersOfTheWrongShapeAreUnexpected) {
  auto replay = [](DigitalTwinsClient& client) { client.ReplayDeadLetters("hook"); };
  EXPECT_EQ(ErrorCodeFor("{}", replay), kUnexpectedResponse);
  EXPECT_EQ(ErrorCodeFor(R"({"replayed": -1})", replay), kUnexpectedResponse);
  auto get = [](DigitalTwinsClient& client) { client.GetEndpoint("hook"); };
  EXPECT_EQ(ErrorCodeFor(R"({"name": "hook", "kind": "webhook"})", get), kUnexpectedResponse);
  EXPECT_EQ(ErrorCodeFor(R"({"name": "hook", "kind": "webhook", "url": "u", "failed": "2"})", get),
            kUnexpectedResponse);
  auto letters = [](DigitalTwinsClient& client) { client.ListDeadLetters("hook").NextPage(); };
  EXPECT_EQ(ErrorCodeFor(R"({"value": [{"id": "1", "endpoint": "hook", "event": "x"}]})", letters),
            kUnexpectedResponse);
  EXPECT_EQ(ErrorCodeFor(R"({"value": [{"id": "1", "endpoint": "hook", "event": {}}]})", letters),
            "no error");
}

}  // namespace
}  // namespace dtwin::client
