// What the remote commands send and how they treat refusals they cannot get from a dtwin
// started with --auth none: the token each --auth mode puts on the wire (a scripted fake
// service and token endpoint), 401 and 403 answers, and --ca-file against dtwin over HTTPS.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "dtwin_cli_runner.h"
#include "dtwin_server_process.h"
#include "fake_http_server.h"

namespace dtwin::testing {
namespace {

namespace fs = std::filesystem;
using client::testing::FakeHttpServer;
using client::testing::RecordedRequest;
using client::testing::ScriptedResponse;

constexpr const char* kTwin =
    R"({"$dtId": "x", "$etag": "W/\"1\"", "$metadata": {"$model": "dtmi:a:B;1"}})";

// A service that answers every twin GET with kTwin.
void ServeTwins(FakeHttpServer& service) {
  service.SetHandler([](const RecordedRequest&) { return ScriptedResponse::Json(200, kTwin); });
}

CliResult ShowTwin(const FakeHttpServer& service, const std::string& auth,
                   const EnvChanges& env = {}) {
  return RunDtwinCli(
      {"twin", "show", "--twin-id", "x", "--endpoint", service.Url(), "--auth", auth}, env);
}

TEST(RemoteAuthTest, NoneSendsAPlaceholderTokenAndTheCliUserAgent) {
  FakeHttpServer service;
  ServeTwins(service);
  CliResult result = ShowTwin(service, "none");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(service.Requests().size(), 1u);
  RecordedRequest request = service.Requests()[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.Path(), "/digitaltwins/x");
  EXPECT_EQ(request.Header("Authorization"), "Bearer dtwin-auth-none");
  EXPECT_NE(request.Header("User-Agent").value_or("").find("dtwin-cli"), std::string::npos);
}

TEST(RemoteAuthTest, StaticSendsDtwinToken) {
  FakeHttpServer service;
  ServeTwins(service);
  CliResult result = ShowTwin(service, "static", {{"DTWIN_TOKEN", "token-from-env"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(service.Requests().at(0).Header("Authorization"), "Bearer token-from-env");
}

TEST(RemoteAuthTest, ClientSecretGetsItsTokenFromTheAuthorityInTheEnvironment) {
  FakeHttpServer service, authority;
  ServeTwins(service);
  authority.Enqueue(ScriptedResponse::Token("token-from-authority", 3600));
  EnvChanges env = {{"AZURE_AUTHORITY_HOST", authority.Url()},
                    {"AZURE_TENANT_ID", "tenant-1"},
                    {"AZURE_CLIENT_ID", "client-1"},
                    {"AZURE_CLIENT_SECRET", "secret-1"}};
  for (const char* mode : {"client-secret", "default"}) {
    if (std::string(mode) == "default") authority.Enqueue(ScriptedResponse::Token("token-2", 3600));
    CliResult result = ShowTwin(service, mode, env);
    ASSERT_EQ(result.exit_code, 0) << mode << ": " << result.err;
  }
  ASSERT_EQ(authority.Requests().size(), 2u);
  RecordedRequest token_request = authority.Requests()[0];
  EXPECT_EQ(token_request.Path(), "/tenant-1/oauth2/v2.0/token");
  EXPECT_NE(token_request.body.find("client_id=client-1"), std::string::npos) << token_request.body;
  EXPECT_NE(token_request.body.find("digitaltwins.azure.net"), std::string::npos)
      << token_request.body;
  ASSERT_EQ(service.Requests().size(), 2u);
  EXPECT_EQ(service.Requests()[0].Header("Authorization"), "Bearer token-from-authority");
  EXPECT_EQ(service.Requests()[1].Header("Authorization"), "Bearer token-2");
}

TEST(RemoteAuthTest, RefusedTokenExitsThreeWithoutCallingTheService) {
  FakeHttpServer service, authority;
  ServeTwins(service);
  authority.SetHandler([](const RecordedRequest&) {
    return ScriptedResponse::Json(
        401,
        R"({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."})");
  });
  CliResult result = ShowTwin(service, "client-secret",
                              {{"AZURE_AUTHORITY_HOST", authority.Url()},
                               {"AZURE_TENANT_ID", "t"},
                               {"AZURE_CLIENT_ID", "c"},
                               {"AZURE_CLIENT_SECRET", "wrong"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.rfind("dtwin: ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("AADSTS7000215"), std::string::npos) << result.err;
  EXPECT_TRUE(service.Requests().empty());
}

TEST(RemoteAuthTest, UnauthorizedExitsThreeForbiddenExitsOne) {
  FakeHttpServer service;
  // What the real service answers a bad token: no ADT error wrapper, no x-ms-error-code.
  service.Enqueue(ScriptedResponse::Json(401, R"({"statusCode": 401, "message": "Unauthorized"})"));
  CliResult unauthorized = ShowTwin(service, "none");
  EXPECT_EQ(unauthorized.exit_code, 3) << unauthorized.err;
  EXPECT_EQ(unauthorized.out, "");
  EXPECT_NE(unauthorized.err.find("Unauthorized"), std::string::npos) << unauthorized.err;

  service.Enqueue(ScriptedResponse::Json(
      403, R"({"error": {"code": "Forbidden", "message": "The principal lacks the role."}})"));
  CliResult forbidden = ShowTwin(service, "none");
  EXPECT_EQ(forbidden.exit_code, 1) << forbidden.err;
  EXPECT_EQ(forbidden.err, "dtwin: Forbidden: The principal lacks the role.\n");
}

TEST(RemoteAuthTest, CaFileTrustsAPrivatelySignedDtwin) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "openssl CLI not found; the test needs it to make a certificate";
  }
  fs::path dir = fs::temp_directory_path() / ("dtwin_cli_tls_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(make_cert.c_str()), 0) << make_cert;
  DtwinServerProcess server;
  ASSERT_TRUE(server.Start({"--tls-cert", cert, "--tls-key", key})) << server.Stderr();
  ASSERT_EQ(server.url().rfind("https://", 0), 0u) << server.url();

  std::vector<std::string> list = {"route", "list", "--endpoint", server.url()};
  CliResult untrusted = RunDtwinCli(list);
  EXPECT_EQ(untrusted.exit_code, 3) << untrusted.err;
  EXPECT_EQ(untrusted.out, "");
  list.insert(list.end(), {"--ca-file", cert});
  CliResult trusted = RunDtwinCli(list);
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_EQ(trusted.out, "[]\n");
  server.Stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dtwin::testing
