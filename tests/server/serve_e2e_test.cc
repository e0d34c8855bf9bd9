// `dtwin serve` as a user runs it: the real binary on port 0 with a temporary data
// directory, driven over loopback TCP (and curl for HTTPS); exact statuses and headers of
// the ADT wire; SIGTERM exits 0 with the data kept; a second server on the same directory
// and bad flags are refused.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "common/json_reader.h"
#include "dtwin_server_process.h"
#include "raw_http_client.h"

namespace dtwin::server {
namespace {

namespace fs = std::filesystem;
using dtwin::testing::DtwinServerProcess;
using testing::RawHttpClient;
using testing::RawResponse;

constexpr const char* kApi = "api-version=2023-10-31";

class ServeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_serve_e2e_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static RawResponse Call(int port, const std::string& method, const std::string& target,
                          const std::string& body = "",
                          const std::vector<std::string>& headers = {}) {
    return testing::CallOnce(port, method, target, body, headers);
  }

  static boost::json::value Json(const RawResponse& response) {
    Result<boost::json::value> value = ReadJson(response.body);
    EXPECT_TRUE(value.ok()) << response.body;
    return value.ok() ? *value : boost::json::value();
  }

  static std::string ErrorCodeOf(const RawResponse& response) {
    boost::json::value body = Json(response);
    if (!body.is_object() || !body.as_object().contains("error")) return "<no error body>";
    return std::string(body.at("error").at("code").as_string());
  }

  fs::path dir_;  // the test's scratch files (TLS certificates); servers have their own
};

constexpr const char* kRoomModel = R"([{
  "@context": "dtmi:dtdl:context;3", "@id": "dtmi:test:Room;1", "@type": "Interface",
  "displayName": "Room",
  "contents": [
    {"@type": "Property", "name": "temperature", "schema": "double"},
    {"@type": "Relationship", "name": "next", "target": "dtmi:test:Room;1"}
  ]
}])";

TEST_F(ServeE2eTest, ServesTheAdtWireAndStopsCleanlyOnSigterm) {
  DtwinServerProcess server;
  server.Start();
  ASSERT_TRUE(std::regex_match(server.first_line(),
                               std::regex(R"(dtwin listening on http://127\.0\.0\.1:\d+)")))
      << server.first_line() << "\n"
      << server.Stderr();
  const int port = server.port();
  const std::string host = server.url();
  EXPECT_EQ(host, "http://127.0.0.1:" + std::to_string(port));

  // Models: 201 with a bare array; GET by encoded id with the fixed segment in another case.
  RawResponse upload = Call(port, "POST", std::string("/models?") + kApi, kRoomModel);
  ASSERT_EQ(upload.status, 201) << upload.body;
  EXPECT_EQ(upload.Header("content-type"), "application/json; charset=utf-8");
  ASSERT_TRUE(Json(upload).is_array());
  EXPECT_EQ(Json(upload).at(0).at("id"), "dtmi:test:Room;1");
  RawResponse model =
      Call(port, "GET",
           std::string("/Models/dtmi%3Atest%3ARoom%3B1?") + kApi + "&includeModelDefinition=true");
  ASSERT_EQ(model.status, 200) << model.body;
  EXPECT_TRUE(Json(model).as_object().contains("model"));
  EXPECT_TRUE(std::regex_match(std::string(Json(model).at("uploadTime").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00)")));

  // Twins: PUT 200 + ETag equal to $etag; the client request id is echoed.
  const std::string twin = R"({"$metadata":{"$model":"dtmi:test:Room;1"},"temperature":21.5})";
  RawResponse put = Call(port, "PUT", std::string("/digitaltwins/room1?") + kApi, twin,
                         {"x-ms-client-request-id: e2e-1"});
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_TRUE(put.Header("etag").has_value());
  EXPECT_EQ(*put.Header("etag"), Json(put).at("$etag").as_string());
  EXPECT_EQ(put.Header("x-ms-client-request-id"), "e2e-1");
  ASSERT_EQ(Call(port, "PUT", std::string("/digitaltwins/room2?") + kApi, twin).status, 200);

  // If-None-Match: * on an existing twin is 412; another If-None-Match value is 400.
  RawResponse exists =
      Call(port, "PUT", std::string("/digitaltwins/room1?") + kApi, twin, {"If-None-Match: *"});
  EXPECT_EQ(exists.status, 412);
  EXPECT_EQ(exists.Header("x-ms-error-code"), "PreconditionFailed");
  EXPECT_EQ(Call(port, "PUT", std::string("/digitaltwins/room1?") + kApi, twin,
                 {"If-None-Match: W/\"x\""})
                .status,
            400);

  // 2020-10-31 renders no $lastUpdateTime.
  RawResponse old_get = Call(port, "GET", "/digitaltwins/room1?api-version=2020-10-31");
  ASSERT_EQ(old_get.status, 200);
  EXPECT_FALSE(Json(old_get).at("$metadata").as_object().contains("$lastUpdateTime"));

  // PATCH: stale If-Match 412; otherwise 204 + new ETag + Content-Length: 0.
  const std::string patch = R"([{"op":"replace","path":"/temperature","value":22}])";
  RawResponse stale = Call(port, "PATCH", std::string("/digitaltwins/room1?") + kApi, patch,
                           {"If-Match: W/\"00000000-0000-0000-0000-000000000000\""});
  EXPECT_EQ(stale.status, 412);
  RawResponse patched = Call(port, "PATCH", std::string("/digitaltwins/room1?") + kApi, patch,
                             {"If-Match: " + *put.Header("etag")});
  EXPECT_EQ(patched.status, 204) << patched.body;
  EXPECT_EQ(patched.Header("content-length"), "0");
  ASSERT_TRUE(patched.Header("etag").has_value());
  EXPECT_NE(*patched.Header("etag"), *put.Header("etag"));

  // Malformed JSON: 400 InvalidArgument with the position.
  RawResponse malformed = Call(port, "PUT", std::string("/digitaltwins/room3?") + kApi, "{\"a\":");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(ErrorCodeOf(malformed), "InvalidArgument");
  EXPECT_NE(malformed.body.find("line 1"), std::string::npos) << malformed.body;

  // Relationships and paging: nextLink is absolute, carries the token, and is https when a
  // proxy says so; the last page says "nextLink": null, before "value".
  for (std::string id : {"r1", "r2"}) {
    RawResponse relationship =
        Call(port, "PUT", "/digitaltwins/room1/relationships/" + id + "?" + kApi,
             R"({"$targetId":"room2","$relationshipName":"next"})");
    ASSERT_EQ(relationship.status, 200) << relationship.body;
    EXPECT_TRUE(relationship.Header("etag").has_value());
  }
  RawResponse first_page =
      Call(port, "GET", std::string("/digitaltwins/room1/relationships?") + kApi, "",
           {"max-items-per-page: 1"});
  ASSERT_EQ(first_page.status, 200) << first_page.body;
  std::string next = std::string(Json(first_page).at("nextLink").as_string());
  EXPECT_EQ(next.rfind(host + "/digitaltwins/room1/relationships?continuationToken=", 0), 0u)
      << next;
  EXPECT_NE(next.find("&api-version=2023-10-31"), std::string::npos) << next;
  RawResponse second_page =
      Call(port, "GET", next.substr(host.size()), "", {"max-items-per-page: 1"});
  ASSERT_EQ(second_page.status, 200) << second_page.body;
  EXPECT_EQ(second_page.body.rfind(R"({"nextLink":null,"value":[)", 0), 0u) << second_page.body;
  RawResponse forwarded =
      Call(port, "GET", std::string("/digitaltwins/room1/relationships?") + kApi, "",
           {"max-items-per-page: 1", "X-Forwarded-Proto: https"});
  EXPECT_EQ(std::string(Json(forwarded).at("nextLink").as_string()).rfind("https://127.0.0.1:", 0),
            0u);

  RawResponse incoming =
      Call(port, "GET", std::string("/digitaltwins/room2/incomingrelationships?") + kApi);
  ASSERT_EQ(incoming.status, 200) << incoming.body;
  EXPECT_EQ(Json(incoming).at("value").at(0).at("$relationshipLink").as_string(),
            host + "/digitaltwins/room1/relationships/r1?api-version=2023-10-31");

  // Telemetry: Message-Id is required.
  RawResponse no_id = Call(port, "POST", std::string("/digitaltwins/room1/telemetry?") + kApi,
                           R"({"temperature":20})");
  EXPECT_EQ(no_id.status, 400);
  EXPECT_EQ(ErrorCodeOf(no_id), "InvalidArgument");
  RawResponse sent = Call(port, "POST", std::string("/digitaltwins/room1/telemetry?") + kApi,
                          R"({"temperature":20})",
                          {"Message-Id: m1", "Telemetry-Source-Time: 01/01/01 0:00:00 +00:00"});
  EXPECT_EQ(sent.status, 204) << sent.body;

  // Protocol errors.
  RawResponse no_version = Call(port, "GET", "/digitaltwins/room1");
  EXPECT_EQ(no_version.status, 400);
  EXPECT_EQ(no_version.Header("x-ms-error-code"), "MissingApiVersionParameter");
  EXPECT_EQ(Call(port, "GET", "/digitaltwins/room1?api-version=2099-01-01").status, 400);
  EXPECT_EQ(Call(port, "GET", std::string("/nothing/here?") + kApi).status, 404);
  EXPECT_EQ(Call(port, "POST", std::string("/digitaltwins/room1?") + kApi, "{}").status, 405);
  RawResponse query =
      Call(port, "POST", std::string("/query?") + kApi,
           R"({"query":"SELECT T.$dtId FROM digitaltwins T WHERE T.$dtId = 'room1'"})");
  EXPECT_EQ(query.status, 200) << query.body;
  EXPECT_EQ(query.body, R"({"value":[{"$dtId":"room1"}],"continuationToken":null})");
  EXPECT_TRUE(query.Header("query-charge").has_value());
  RawResponse bad_query =
      Call(port, "POST", std::string("/query?") + kApi, R"({"query":"SELECT FROM x"})");
  EXPECT_EQ(bad_query.status, 400);
  EXPECT_EQ(ErrorCodeOf(bad_query), "SqlQueryError");
  RawResponse too_big = Call(
      port, "PUT", std::string("/digitaltwins/big?") + kApi,
      R"({"$metadata":{"$model":"dtmi:test:Room;1"},"x":")" + std::string(40 * 1024, 'x') + "\"}");
  EXPECT_EQ(too_big.status, 400);
  EXPECT_NE(too_big.body.find("32 KB"), std::string::npos);

  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  std::string log = server.Stderr();
  EXPECT_NE(log.find(" PUT /digitaltwins/room1 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("dtwin: stopped"), std::string::npos) << log;

  // The data survives a restart.
  DtwinServerProcess again;
  again.Start({}, server.data_dir());
  ASSERT_GT(again.port(), 0) << again.Stderr();
  RawResponse kept = Call(again.port(), "GET", std::string("/digitaltwins/room1?") + kApi);
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(Json(kept).at("temperature"), 22);
  EXPECT_EQ(again.Stop(), 0);
}

TEST_F(ServeE2eTest, SigtermRightAfterTheListeningLineStillStopsGracefully) {
  // Whoever reads the URL may signal at once: the handler is installed before it is printed.
  DtwinServerProcess server;
  ASSERT_TRUE(server.Start()) << server.Stderr();
  ASSERT_GT(server.port(), 0) << server.Stderr();
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  EXPECT_NE(server.Stderr().find("dtwin: stopped"), std::string::npos) << server.Stderr();
}

TEST_F(ServeE2eTest, EventRoutesNameConfiguredEndpoints) {
  DtwinServerProcess server;
  server.Start({"--endpoint", "hook=http://127.0.0.1:9/events"});
  const int port = server.port();
  ASSERT_GT(port, 0) << server.Stderr();
  RawResponse put = Call(port, "PUT", std::string("/eventroutes/all?") + kApi,
                         R"({"endpointName":"hook","filter":"true"})");
  EXPECT_EQ(put.status, 204) << put.body;
  EXPECT_EQ(put.Header("content-length"), "0");
  EXPECT_EQ(put.Header("content-type"), std::nullopt);
  RawResponse get = Call(port, "GET", std::string("/eventroutes/all?") + kApi);
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(get.body, R"({"id":"all","endpointName":"hook","filter":"true"})");
  RawResponse list = Call(port, "GET", std::string("/eventroutes?") + kApi);
  EXPECT_EQ(list.body,
            R"({"value":[{"id":"all","endpointName":"hook","filter":"true"}],"nextLink":null})");
  RawResponse unknown = Call(port, "PUT", std::string("/eventroutes/other?") + kApi,
                             R"({"endpointName":"nope","filter":"true"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServeE2eTest, ASecondServerOnTheSameDataDirectoryRefusesToStart) {
  DtwinServerProcess first;
  first.Start();
  ASSERT_GT(first.port(), 0) << first.Stderr();
  DtwinServerProcess second;
  EXPECT_FALSE(second.Start({}, first.data_dir()));
  EXPECT_EQ(second.first_line(), "");
  int code = second.Wait();
  EXPECT_NE(code, 0);
  std::string message = second.Stderr();
  EXPECT_NE(message.find("dtwin serve: "), std::string::npos) << message;
  EXPECT_NE(message.find(first.data_dir().string()), std::string::npos) << message;
  // The first one is unaffected.
  EXPECT_EQ(Call(first.port(), "GET", std::string("/models?") + kApi).status, 200);
  EXPECT_EQ(first.Stop(), 0);
}

TEST_F(ServeE2eTest, UsageErrorsExitTwoWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--auth", "entra"}, "--auth entra needs --tenant"},
           {{"--endpoint", "q=ftp://broker/t"}, "unknown scheme 'ftp'"},
           {{"--bogus"}, "unknown option '--bogus'"},
       }) {
    DtwinServerProcess server;
    server.StartWithArgs(c.args);
    EXPECT_EQ(server.Wait(), 2);
    EXPECT_NE(server.Stderr().find(c.message), std::string::npos) << server.Stderr();
  }
}

TEST_F(ServeE2eTest, ServesHttpsWithTheGivenCertificate) {
  fs::path cert = dir_ / "cert.pem";
  fs::path key = dir_ / "key.pem";
  std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
      key.string() + " -out " + cert.string() + " >/dev/null 2>&1";
  if (std::system(make_cert.c_str()) != 0) GTEST_SKIP() << "openssl is not installed";
  DtwinServerProcess server;
  server.Start({"--tls-cert", cert.string(), "--tls-key", key.string()});
  ASSERT_TRUE(std::regex_match(server.first_line(),
                               std::regex(R"(dtwin listening on https://127\.0\.0\.1:\d+)")))
      << server.first_line() << "\n"
      << server.Stderr();
  std::string url = server.url();
  std::string command =
      "curl -s -k -i -H 'max-items-per-page: 1' '" + url + "/models?" + kApi + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  int curl_status = pclose(pipe);
  if (WIFEXITED(curl_status) && WEXITSTATUS(curl_status) == 127) {
    GTEST_SKIP() << "curl is not installed";
  }
  EXPECT_EQ(output.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << output;
  EXPECT_NE(output.find(R"({"value":[],"nextLink":null})"), std::string::npos) << output;
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

}  // namespace
}  // namespace dtwin::server
