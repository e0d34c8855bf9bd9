// ADT renderings: error bodies (and 401), model data, routes, incoming relationships and the
// 2020-10-31 $metadata adjustment.
#include "server/adt_codec.h"

#include "common/clock.h"

#include <gtest/gtest.h>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "server/api_error.h"

namespace dtwin::server {
namespace {

boost::json::object Parse(std::string_view text) {
  Result<boost::json::value> value = ReadJson(text);
  EXPECT_TRUE(value.ok()) << text;
  return value.ok() && value->is_object() ? value->as_object() : boost::json::object();
}

TEST(ApiErrorTest, StatusBecomesAdtErrorBodyAndHeader) {
  HttpResponse response = ErrorResponse(
      Status(ErrorCode::kDigitalTwinNotFound, "There is no digital twin instance with id x."));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, R"({"error":{"code":"DigitalTwinNotFound",)"
                           R"("message":"There is no digital twin instance with id x."}})");
  EXPECT_EQ(response.Header("x-ms-error-code"), "DigitalTwinNotFound");
}

TEST(ApiErrorTest, DetailsAreRenderedRecursivelyWhenPresent) {
  Status status(ErrorCode::kValidationFailed, "Invalid twin specified");
  Status nested(ErrorCode::kValidationFailed, "outer");
  nested.AddDetail(Status(ErrorCode::kInvalidArgument, "inner"));
  status.AddDetail(Status(ErrorCode::kValidationFailed, "temperature must be a double"));
  status.AddDetail(nested);
  HttpResponse response = ErrorResponse(status);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            R"({"error":{"code":"ValidationFailed","message":"Invalid twin specified","details":[)"
            R"({"code":"ValidationFailed","message":"temperature must be a double"},)"
            R"({"code":"ValidationFailed","message":"outer","details":)"
            R"([{"code":"InvalidArgument","message":"inner"}]}]}})");
}

TEST(ApiErrorTest, ProtocolErrorsKeepTheirOwnCodeAndStatus) {
  HttpResponse response = ErrorResponse(ApiError{405, "MethodNotAllowed", "no", {}});
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("x-ms-error-code"), "MethodNotAllowed");
  EXPECT_EQ(Parse(response.body)["error"].as_object()["code"], "MethodNotAllowed");
}

TEST(ApiErrorTest, UnauthorizedHasAdtsBareShape) {
  HttpResponse response = ErrorResponse(Status(ErrorCode::kUnauthorized, "bad token"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body, R"({"statusCode":401,"message":"Unauthorized"})");
  EXPECT_EQ(response.Header("x-ms-error-code"), std::nullopt);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
}

TEST(AdtCodecTest, UploadTimeHasSevenDigitsAndAnOffset) {
  using namespace std::chrono;
  system_clock::time_point time =
      sys_days{year{2023} / 5 / 18} + hours{23} + minutes{8} + seconds{19} + nanoseconds{246645900};
  EXPECT_EQ(FormatAdtTimeWithOffset(time), "2023-05-18T23:08:19.2466459+00:00");
  EXPECT_EQ(FormatAdtTimeWithOffset(sys_days{year{2020} / 1 / 2}), "2020-01-02T00:00:00.0000000+00:00");
}

TEST(AdtCodecTest, ModelInfoInAdtKeyOrderWithoutModelUnlessAsked) {
  service::ModelInfo model;
  model.id = "dtmi:example:Room;1";
  model.display_name = {{"en", "Room"}};
  model.upload_time = std::chrono::system_clock::time_point{};
  EXPECT_EQ(WriteJson(ModelInfoToJson(model)),
            R"({"id":"dtmi:example:Room;1","description":{},"displayName":{"en":"Room"},)"
            R"("decommissioned":false,"uploadTime":"1970-01-01T00:00:00.0000000+00:00"})");

  model.decommissioned = true;
  model.model = boost::json::object{{"@id", "dtmi:example:Room;1"}};
  boost::json::object json = ModelInfoToJson(model);
  EXPECT_EQ(json["decommissioned"], true);
  EXPECT_EQ(WriteJson(json["model"]), R"({"@id":"dtmi:example:Room;1"})");
}

TEST(AdtCodecTest, EventRouteAndIncomingRelationship) {
  EXPECT_EQ(WriteJson(EventRouteToJson({"r1", "hook", "true"})),
            R"({"id":"r1","endpointName":"hook","filter":"true"})");
  EXPECT_EQ(WriteJson(IncomingRelationshipToJson({"rel1", "src", "contains"}, "https://h/x")),
            R"({"$relationshipId":"rel1","$sourceId":"src","$relationshipName":"contains",)"
            R"("$relationshipLink":"https://h/x"})");
}

constexpr std::string_view kTwin =
    R"({"$dtId":"t","$etag":"W/\"e\"","temp":1,"thermostat":{"sp":2,"$metadata":)"
    R"({"$lastUpdateTime":"T","sp":{"lastUpdateTime":"T"}}},"obj":{"a":1},)"
    R"("$metadata":{"$model":"dtmi:a;1","$lastUpdateTime":"T","temp":{"lastUpdateTime":"T"}}})";

TEST(AdtCodecTest, Version20201031DropsLastUpdateTimeFromTwinAndComponents) {
  boost::json::object twin = Parse(kTwin);
  RenderTwinForVersion(twin, ApiVersion::k2020_10_31);
  EXPECT_EQ(WriteJson(twin),
            R"({"$dtId":"t","$etag":"W/\"e\"","temp":1,"thermostat":{"sp":2,"$metadata":)"
            R"({"sp":{"lastUpdateTime":"T"}}},"obj":{"a":1},)"
            R"("$metadata":{"$model":"dtmi:a;1","temp":{"lastUpdateTime":"T"}}})");
}

TEST(AdtCodecTest, LaterVersionsKeepLastUpdateTime) {
  for (ApiVersion version :
       {ApiVersion::k2022_05_31, ApiVersion::k2023_06_30, ApiVersion::k2023_10_31}) {
    boost::json::object twin = Parse(kTwin);
    RenderTwinForVersion(twin, version);
    EXPECT_EQ(WriteJson(twin), WriteJson(Parse(kTwin)));
  }
}

TEST(AdtCodecTest, ComponentDocumentForVersion) {
  boost::json::object component = Parse(R"({"sp":2,"$metadata":{"$lastUpdateTime":"T"}})");
  RenderComponentForVersion(component, ApiVersion::k2023_10_31);
  EXPECT_TRUE(component["$metadata"].as_object().contains("$lastUpdateTime"));
  RenderComponentForVersion(component, ApiVersion::k2020_10_31);
  EXPECT_EQ(WriteJson(component), R"({"sp":2,"$metadata":{}})");
}

}  // namespace
}  // namespace dtwin::server
