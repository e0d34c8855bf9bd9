// ThrowIfError: which DigitalTwinsError subclass each answer becomes, and what it carries
// (status, ADT code and message from the body or headers, request id).
#include "client/error_mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <typeinfo>

#include "dtwin/client/errors.h"

namespace dtwin::client {
namespace {

HttpResponse Answer(int status, std::string body, HttpHeaders headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

std::string AdtError(const std::string& code, const std::string& message) {
  return R"({"error":{"code":")" + code + R"(","message":")" + message + R"("}})";
}

// What ThrowIfError threw: the most-derived type's name, and the error sliced to the base.
struct Thrown {
  std::string type;
  DigitalTwinsError error{0, "", "", ""};
};

Thrown Map(const HttpResponse& response, const HttpHeaders& request_headers = {}) {
  try {
    ThrowIfError(response, SentConditions::Of(request_headers));
  } catch (const DigitalTwinsError& error) {
    return Thrown{typeid(error).name(), error};
  }
  ADD_FAILURE() << "no exception for HTTP " << response.status;
  return {};
}

TEST(ErrorMappingTest, SuccessesDoNotThrow) {
  for (int status : {200, 201, 204, 299}) {
    EXPECT_NO_THROW(ThrowIfError(Answer(status, ""), {})) << status;
  }
}

TEST(ErrorMappingTest, NotFoundCarriesCodeMessageAndRequestId) {
  Thrown thrown = Map(Answer(404, AdtError("DigitalTwinNotFound", "There is no twin 'x'."),
                             {{"x-ms-request-id", "req-1"}, {"x-ms-error-code", "Ignored"}}));
  EXPECT_EQ(thrown.type, typeid(ResourceNotFoundError).name());
  EXPECT_EQ(thrown.error.status(), 404);
  EXPECT_EQ(thrown.error.code(), "DigitalTwinNotFound");
  EXPECT_EQ(thrown.error.message(), "There is no twin 'x'.");
  EXPECT_EQ(thrown.error.request_id(), "req-1");
  EXPECT_NE(std::string(thrown.error.what()).find("DigitalTwinNotFound"), std::string::npos);
  EXPECT_NE(std::string(thrown.error.what()).find("404"), std::string::npos);
}

TEST(ErrorMappingTest, ConflictIsResourceExists) {
  Thrown thrown = Map(Answer(409, AdtError("ModelIdAlreadyExists", "exists")));
  EXPECT_EQ(thrown.type, typeid(ResourceExistsError).name());
  EXPECT_EQ(thrown.error.code(), "ModelIdAlreadyExists");
}

TEST(ErrorMappingTest, PreconditionFailedDependsOnTheConditionSent) {
  HttpResponse failed = Answer(412, AdtError("PreconditionFailed", "etag mismatch"));
  EXPECT_EQ(Map(failed, {{"If-Match", "W/\"1\""}}).type, typeid(ResourceModifiedError).name());
  EXPECT_EQ(Map(failed, {{"if-none-match", "*"}}).type, typeid(ResourceExistsError).name());
  Thrown unconditional = Map(failed, {{"Content-Type", "application/json"}});
  EXPECT_EQ(unconditional.type, typeid(DigitalTwinsError).name());
  EXPECT_EQ(unconditional.error.status(), 412);
}

TEST(ErrorMappingTest, OtherStatusesAreThePlainError) {
  for (int status : {400, 401, 403, 429, 500, 503}) {
    Thrown thrown = Map(Answer(status, AdtError("Whatever", "m")));
    EXPECT_EQ(thrown.type, typeid(DigitalTwinsError).name()) << status;
    EXPECT_EQ(thrown.error.status(), status);
  }
}

TEST(ErrorMappingTest, WithoutAnAdtBodyTheCodeComesFromTheHeader) {
  Thrown thrown =
      Map(Answer(400, "<html>Bad gateway thing</html>", {{"X-MS-Error-Code", "BadRequest"}}));
  EXPECT_EQ(thrown.error.code(), "BadRequest");
  EXPECT_EQ(thrown.error.message(), "<html>Bad gateway thing</html>");
}

TEST(ErrorMappingTest, AnEmptyAnswerStillSaysWhatHappened) {
  Thrown thrown = Map(Answer(503, ""));
  EXPECT_EQ(thrown.error.code(), "HttpError");
  EXPECT_NE(thrown.error.message().find("503"), std::string::npos) << thrown.error.message();
  EXPECT_EQ(thrown.error.request_id(), "");
}

TEST(ErrorMappingTest, AHugeNonJsonBodyIsCutInTheMessage) {
  Thrown thrown = Map(Answer(502, std::string(100000, 'x')));
  EXPECT_GT(thrown.error.message().size(), 0u);
  EXPECT_LT(thrown.error.message().size(), 1000u);
}

TEST(ErrorMappingTest, JsonBodiesOfOtherShapesFallBackToTheRawText) {
  Thrown thrown = Map(Answer(400, R"({"error":"just a string"})"));
  EXPECT_EQ(thrown.error.code(), "HttpError");
  EXPECT_EQ(thrown.error.message(), R"({"error":"just a string"})");
}

}  // namespace
}  // namespace dtwin::client
