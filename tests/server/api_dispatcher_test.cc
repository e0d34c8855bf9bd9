// The front door: 404/405/bad encodings, api-version rules, common headers, the body-size
// policy, and that a throwing handler still gets an answer.
#include "server/api_dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/json_reader.h"
#include "server/request_context.h"

namespace dtwin::server {
namespace {

class ApiDispatcherTest : public ::testing::Test {
 protected:
  static ApiDispatcher MakeDispatcher() {
    Router router;
    router.Add(HttpMethod::kGet, "/digitaltwins/{id}",
               [](const RequestContext& context, Responder respond) {
                 respond(JsonResponse(200, R"({"id":")" + context.param(0) + R"(","v":")" +
                                               std::string(ApiVersionName(context.api_version())) +
                                               "\"}"));
               });
    router.Add(HttpMethod::kDelete, "/digitaltwins/{id}",
               [](const RequestContext&, Responder respond) { respond(EmptyResponse(204)); });
    router.Add(HttpMethod::kPost, "/boom",
               [](const RequestContext&, Responder) { throw std::runtime_error("kaboom"); });
    return ApiDispatcher(std::move(router));
  }

  HttpResponse Send(HttpMethod method, std::string target, std::vector<HttpHeader> headers = {}) {
    HttpRequest request;
    request.method = method;
    request.target = std::move(target);
    request.headers = std::move(headers);
    int calls = 0;
    HttpResponse answer;
    dispatcher_.Dispatch(
        std::move(request),
        [&](HttpResponse response) {
          ++calls;
          answer = std::move(response);
        },
        [](std::function<void()> task) { task(); });
    EXPECT_EQ(calls, 1);
    return answer;
  }

  static std::string ErrorCodeOf(const HttpResponse& response) {
    Result<boost::json::value> body = ReadJson(response.body);
    if (!body.ok()) return "<not json>";
    return std::string(body->at("error").at("code").as_string());
  }

  ApiDispatcher dispatcher_ = MakeDispatcher();
};

TEST_F(ApiDispatcherTest, RoutesWithDecodedIdAndVersion) {
  HttpResponse response = Send(HttpMethod::kGet, "/DigitalTwins/room%201?api-version=2020-10-31");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"id":"room 1","v":"2020-10-31"})");
  EXPECT_EQ(response.Header("Content-Type"), "application/json; charset=utf-8");
}

TEST_F(ApiDispatcherTest, EmptyResponsesGetNoContentType) {
  HttpResponse response = Send(HttpMethod::kDelete, "/digitaltwins/x?api-version=2023-10-31");
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.Header("Content-Type"), std::nullopt);
}

TEST_F(ApiDispatcherTest, EchoesClientRequestIdOnSuccessAndErrors) {
  HttpResponse ok = Send(HttpMethod::kGet, "/digitaltwins/x?api-version=2023-10-31",
                         {{"x-ms-client-request-id", "abc-123"}});
  EXPECT_EQ(ok.Header("x-ms-client-request-id"), "abc-123");
  HttpResponse missing = Send(HttpMethod::kGet, "/nowhere", {{"X-MS-Client-Request-Id", "id-2"}});
  EXPECT_EQ(missing.Header("x-ms-client-request-id"), "id-2");
  EXPECT_EQ(Send(HttpMethod::kGet, "/digitaltwins/x?api-version=2023-10-31")
                .Header("x-ms-client-request-id"),
            std::nullopt);
}

TEST_F(ApiDispatcherTest, UnknownPathIs404WithAdtErrorBody) {
  HttpResponse response = Send(HttpMethod::kGet, "/twins/x?api-version=2023-10-31");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorCodeOf(response), "NotFound");
  EXPECT_EQ(response.Header("x-ms-error-code"), "NotFound");
  EXPECT_EQ(response.Header("Content-Type"), "application/json; charset=utf-8");
}

TEST_F(ApiDispatcherTest, WrongMethodIs405WithAllow) {
  HttpResponse response = Send(HttpMethod::kPatch, "/digitaltwins/x?api-version=2023-10-31");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(ErrorCodeOf(response), "MethodNotAllowed");
  EXPECT_EQ(response.Header("Allow"), "GET, DELETE");
}

TEST_F(ApiDispatcherTest, BadPathEncodingIs400) {
  HttpResponse response = Send(HttpMethod::kGet, "/digitaltwins/a%G0?api-version=2023-10-31");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorCodeOf(response), "InvalidArgument");
}

TEST_F(ApiDispatcherTest, BadQueryEncodingIs400) {
  HttpResponse response = Send(HttpMethod::kGet, "/digitaltwins/a?api-version=2023-10-31&x=%");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorCodeOf(response), "InvalidArgument");
}

TEST_F(ApiDispatcherTest, ApiVersionIsRequiredAndChecked) {
  HttpResponse missing = Send(HttpMethod::kGet, "/digitaltwins/a");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorCodeOf(missing), "MissingApiVersionParameter");
  HttpResponse unsupported = Send(HttpMethod::kGet, "/digitaltwins/a?api-version=2019-01-01");
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(ErrorCodeOf(unsupported), "UnsupportedApiVersionValue");
  HttpResponse repeated =
      Send(HttpMethod::kGet, "/digitaltwins/a?api-version=2022-05-31&api-version=2022-05-31");
  EXPECT_EQ(repeated.status, 200);
}

TEST_F(ApiDispatcherTest, AThrowingHandlerStillAnswers500) {
  HttpResponse response = Send(HttpMethod::kPost, "/boom?api-version=2023-10-31");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(ErrorCodeOf(response), "InternalServerError");
  EXPECT_NE(response.body.find("kaboom"), std::string::npos);
}

TEST_F(ApiDispatcherTest, BodyLimitsAndTheirAnswers) {
  EXPECT_EQ(dispatcher_.BodyLimitFor(HttpMethod::kPost, "/models?api-version=2023-10-31"),
            kModelUploadLimit);
  EXPECT_EQ(dispatcher_.BodyLimitFor(HttpMethod::kPost, "/Models/"), kModelUploadLimit);
  EXPECT_EQ(dispatcher_.BodyLimitFor(HttpMethod::kPatch, "/models/dtmi%3Aa%3B1"), kPayloadLimit);
  EXPECT_EQ(dispatcher_.BodyLimitFor(HttpMethod::kPut, "/digitaltwins/x"), kPayloadLimit);
  EXPECT_EQ(kPayloadLimit, 32u * 1024);

  HttpResponse twin = dispatcher_.BodyTooLarge(HttpMethod::kPut, "/digitaltwins/x");
  EXPECT_EQ(twin.status, 400);
  EXPECT_EQ(ErrorCodeOf(twin), "InvalidArgument");
  EXPECT_NE(twin.body.find("32 KB"), std::string::npos);
  HttpResponse models = dispatcher_.BodyTooLarge(HttpMethod::kPost, "/models");
  EXPECT_EQ(models.status, 413);
  EXPECT_EQ(ErrorCodeOf(models), "PayloadTooLarge");
}

}  // namespace
}  // namespace dtwin::server
