// Authentication, authorization, the built-in issuer and the rate limit of `dtwin serve`,
// over loopback HTTP against the real binary: every token defect answers ADT's exact 401;
// every route x {Data Owner, Data Reader, no role} answers as the roles' data actions say;
// the issuer's discovery, token and key endpoints; 429 with Retry-After; audit lines; no
// token in the log.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/token_issuer.h"
#include "common/base64url.h"
#include "common/json_reader.h"
#include "dtwin_server_process.h"
#include "jwt_test_keys.h"
#include "raw_http_client.h"

namespace dtwin::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using auth::JwkType;
using auth::test::GenerateTestKey;
using auth::test::MakeToken;
using auth::test::SignCompact;
using auth::test::SigningInput;
using auth::test::TestKey;
using dtwin::testing::DtwinServerProcess;
using testing::RawHttpClient;
using testing::RawResponse;

constexpr const char* kIssuer = "https://issuer.test/";
constexpr const char* kApi = "?api-version=2023-10-31";
constexpr const char* kSecret = "issuer-test-secret";

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RawResponse Call(int port, const std::string& method, const std::string& target,
                 const std::optional<std::string>& authorization, const std::string& body = "",
                 const std::string& content_type = "application/json",
                 const char* source_address = nullptr) {
  RawHttpClient client;
  EXPECT_TRUE(client.Connect(port, source_address));
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (authorization) request += "Authorization: " + *authorization + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!body.empty()) request += "Content-Type: " + content_type + "\r\n";
  request += "\r\n" + body;
  EXPECT_TRUE(client.Send(request));
  std::optional<RawResponse> response = client.ReadResponse();
  EXPECT_TRUE(response.has_value()) << method << " " << target;
  return response.value_or(RawResponse{});
}

json::object JsonObject(const RawResponse& response) {
  Result<json::value> value = ReadJson(response.body);
  EXPECT_TRUE(value.ok() && value->is_object()) << response.body;
  return value.ok() && value->is_object() ? value->as_object() : json::object{};
}

// The string member key of object, or "" when absent or not a string.
std::string Str(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

std::string ErrorCode(const RawResponse& response) {
  json::object body = JsonObject(response);
  const json::value* error = body.if_contains("error");
  if (error == nullptr || !error->is_object()) return "<no error object>";
  return std::string(error->at("code").as_string());
}

// Polls the server's stderr (the log is flushed every 200 ms) until it holds text.
bool LogEventuallyContains(const DtwinServerProcess& server, const std::string& text) {
  for (int i = 0; i < 100; ++i) {
    if (server.Stderr().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// One server for the suite: --auth jwt with a JWKS file (RSA and EC keys) and the built-in
// issuer with an Owner client and a Reader client; role assignments by client and object id.
class AuthE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new fs::path(fs::temp_directory_path() / ("dtwin_auth_e2e_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    rsa_ = new TestKey(GenerateTestKey("rsa-1", JwkType::kRsa));
    ec_ = new TestKey(GenerateTestKey("ec-1", JwkType::kEcP256));
    std::ofstream(*dir_ / "jwks.json") << auth::test::JwksJson({rsa_, ec_});
    const std::string hash = auth::SecretSha256Hex(kSecret);
    std::ofstream(*dir_ / "dtwin.toml")
        << "[[role_assignments]]\nprincipal = \"assigned-app\"\nrole = \"DataReader\"\n"
        << "[[role_assignments]]\nprincipal = \"owner-object\"\n"
        << "role = \"bcd981a7-7f74-457b-83e1-cceb9e632ffe\"\n"
        << "[issuer]\nenabled = true\nname = \"https://dtwin.test/issuer\"\n"
        << "[[issuer.clients]]\nclient_id = \"owner-client\"\nsecret_sha256 = \"" << hash
        << "\"\nroles = [\"Azure Digital Twins Data Owner\"]\n"
        << "[[issuer.clients]]\nclient_id = \"reader-client\"\nsecret_sha256 = \"" << hash
        << "\"\nroles = [\"Azure Digital Twins Data Reader\"]\n";
    server_ = new DtwinServerProcess();
    ASSERT_TRUE(
        server_->Start({"--auth", "jwt", "--jwks", (*dir_ / "jwks.json").string(), "--jwt-issuer",
                        kIssuer, "--config", (*dir_ / "dtwin.toml").string()}))
        << server_->Stderr();
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->Stop();
    delete server_;
    delete rsa_;
    delete ec_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  static json::object Claims(json::array roles) {
    const int64_t now = NowSeconds();
    return {{"iss", kIssuer},      {"aud", "https://digitaltwins.azure.net"},
            {"exp", now + 600},    {"nbf", now - 10},
            {"appid", "test-app"}, {"roles", std::move(roles)}};
  }
  static std::string Bearer(const json::object& claims, const TestKey& key) {
    return "Bearer " + MakeToken(claims, key);
  }
  static std::string OwnerToken() {
    return Bearer(Claims({"Azure Digital Twins Data Owner"}), *rsa_);
  }

  static int port() { return server_->port(); }

  static inline fs::path* dir_ = nullptr;
  static inline TestKey* rsa_ = nullptr;
  static inline TestKey* ec_ = nullptr;
  static inline DtwinServerProcess* server_ = nullptr;
};

void ExpectAdt401(const RawResponse& response, const std::string& what) {
  EXPECT_EQ(response.status, 401) << what << ": " << response.body;
  EXPECT_EQ(response.body, R"({"statusCode":401,"message":"Unauthorized"})") << what;
  EXPECT_EQ(response.Header("content-type"), "application/json") << what;
  EXPECT_EQ(response.Header("x-ms-error-code"), std::nullopt) << what;
  std::optional<std::string> challenge = response.Header("www-authenticate");
  ASSERT_TRUE(challenge.has_value()) << what;
  EXPECT_EQ(challenge->rfind("Bearer", 0), 0u) << what << ": " << *challenge;
}

TEST_F(AuthE2eTest, GoodTokensOfBothAlgorithmsPass) {
  EXPECT_EQ(Call(port(), "GET", std::string("/models") + kApi, OwnerToken()).status, 200);
  EXPECT_EQ(Call(port(), "GET", std::string("/models") + kApi, Bearer(Claims({"DataReader"}), *ec_))
                .status,
            200);
}

TEST_F(AuthE2eTest, EveryTokenDefectIsAdts401) {
  const int64_t now = NowSeconds();
  json::object expired = Claims({"DataOwner"});
  expired["exp"] = now - 3600;
  json::object not_yet = Claims({"DataOwner"});
  not_yet["nbf"] = now + 3600;
  json::object wrong_aud = Claims({"DataOwner"});
  wrong_aud["aud"] = "https://graph.microsoft.com";
  json::object wrong_iss = Claims({"DataOwner"});
  wrong_iss["iss"] = "https://evil.test/";
  const TestKey impostor = GenerateTestKey("rsa-1", JwkType::kRsa);  // same kid, other key
  const TestKey stranger = GenerateTestKey("unknown-kid", JwkType::kEcP256);
  const std::string alg_none = Base64UrlEncode(R"({"alg":"none","kid":"rsa-1"})") + "." +
                               Base64UrlEncode(json::serialize(Claims({"DataOwner"}))) + ".";
  const std::string unsigned_input =
      SigningInput({{"alg", "RS256"}, {"kid", "rsa-1"}}, Claims({"DataOwner"}));

  const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
      {"expired", Bearer(expired, *rsa_)},
      {"nbf in the future", Bearer(not_yet, *rsa_)},
      {"wrong audience", Bearer(wrong_aud, *rsa_)},
      {"wrong issuer", Bearer(wrong_iss, *ec_)},
      {"bad signature", Bearer(Claims({"DataOwner"}), impostor)},
      {"alg none", "Bearer " + alg_none},
      {"unknown kid", Bearer(Claims({"DataOwner"}), stranger)},
      {"truncated signature", "Bearer " + unsigned_input + ".AAAA"},
      {"malformed", "Bearer not-a-jwt"},
      {"empty bearer", "Bearer "},
      {"basic scheme", "Basic dXNlcjpwYXNz"},
      {"missing", std::nullopt},
  };
  for (const auto& [what, authorization] : cases) {
    ExpectAdt401(Call(port(), "GET", std::string("/digitaltwins/t1") + kApi, authorization), what);
  }
  // The reasons are logged; the tokens are not.
  ASSERT_TRUE(LogEventuallyContains(*server_, "auth GET /digitaltwins/t1 401: "));
  const std::string log = server_->Stderr();
  EXPECT_EQ(log.find(MakeToken(expired, *rsa_).substr(0, 60)), std::string::npos);
  EXPECT_EQ(log.find(alg_none.substr(0, 40)), std::string::npos);
  EXPECT_EQ(log.find("dXNlcjpwYXNz"), std::string::npos);
}

struct RouteCase {
  const char* method;
  const char* path;
  bool reader_allowed;
};

// Every route of the API with the data action adt-api.md section 10 gives it: GET and POST
// /query are reads, everything else writes or deletes.
constexpr RouteCase kRoutes[] = {
    {"POST", "/models", false},
    {"GET", "/models", true},
    {"GET", "/models/dtmi:test:M;1", true},
    {"PATCH", "/models/dtmi:test:M;1", false},
    {"DELETE", "/models/dtmi:test:M;1", false},
    {"POST", "/query", true},
    {"GET", "/digitaltwins/t1", true},
    {"PUT", "/digitaltwins/t1", false},
    {"PATCH", "/digitaltwins/t1", false},
    {"DELETE", "/digitaltwins/t1", false},
    {"GET", "/digitaltwins/t1/components/c1", true},
    {"PATCH", "/digitaltwins/t1/components/c1", false},
    {"POST", "/digitaltwins/t1/telemetry", false},
    {"POST", "/digitaltwins/t1/components/c1/telemetry", false},
    {"GET", "/digitaltwins/t1/relationships", true},
    {"GET", "/digitaltwins/t1/incomingrelationships", true},
    {"GET", "/digitaltwins/t1/relationships/r1", true},
    {"PUT", "/digitaltwins/t1/relationships/r1", false},
    {"PATCH", "/digitaltwins/t1/relationships/r1", false},
    {"DELETE", "/digitaltwins/t1/relationships/r1", false},
    {"GET", "/eventroutes", true},
    {"GET", "/eventroutes/route1", true},
    {"PUT", "/eventroutes/route1", false},
    {"DELETE", "/eventroutes/route1", false},
};

TEST_F(AuthE2eTest, RoleMatrixCoversEveryRoute) {
  const std::string owner = OwnerToken();
  const std::string reader = Bearer(Claims({"Azure Digital Twins Data Reader"}), *ec_);
  const std::string no_role = Bearer(Claims({"Some.Other.Role"}), *rsa_);
  for (const RouteCase& route : kRoutes) {
    const std::string target = std::string(route.path) + kApi;
    const std::string body = std::string(route.method) == "GET" ? "" : "{}";
    const std::string what = std::string(route.method) + " " + route.path;

    RawResponse as_owner = Call(port(), route.method, target, owner, body);
    EXPECT_NE(as_owner.status, 401) << what;
    EXPECT_NE(as_owner.status, 403) << what << " as owner: " << as_owner.body;

    RawResponse as_reader = Call(port(), route.method, target, reader, body);
    if (route.reader_allowed) {
      EXPECT_NE(as_reader.status, 403) << what << " as reader: " << as_reader.body;
    } else {
      EXPECT_EQ(as_reader.status, 403) << what << " as reader: " << as_reader.body;
      EXPECT_EQ(ErrorCode(as_reader), "Forbidden") << what;
      EXPECT_EQ(as_reader.Header("x-ms-error-code"), "Forbidden") << what;
    }

    RawResponse as_nobody = Call(port(), route.method, target, no_role, body);
    EXPECT_EQ(as_nobody.status, 403) << what << " without a role: " << as_nobody.body;
    EXPECT_EQ(ErrorCode(as_nobody), "Forbidden") << what;
  }
}

TEST_F(AuthE2eTest, RoleAssignmentsByClientIdAndObjectId) {
  json::object assigned = Claims({});
  assigned["appid"] = "assigned-app";
  EXPECT_EQ(Call(port(), "GET", std::string("/models") + kApi, Bearer(assigned, *rsa_)).status,
            200);
  EXPECT_EQ(
      Call(port(), "DELETE", std::string("/models/dtmi:a:b;1") + kApi, Bearer(assigned, *rsa_))
          .status,
      403);

  json::object by_object = Claims({});
  by_object.erase("appid");
  by_object["oid"] = "owner-object";
  RawResponse deleted =
      Call(port(), "DELETE", std::string("/models/dtmi:a:b;1") + kApi, Bearer(by_object, *rsa_));
  EXPECT_EQ(deleted.status, 404) << deleted.body;  // authorized; the model does not exist
}

TEST_F(AuthE2eTest, WritesAreAuditedWithTheCaller) {
  RawResponse put = Call(port(), "PUT", std::string("/eventroutes/audited-route") + kApi,
                         OwnerToken(), R"({"endpointName":"nowhere","filter":"true"})");
  EXPECT_TRUE(LogEventuallyContains(*server_, "audit PUT /eventroutes/audited-route " +
                                                  std::to_string(put.status) +
                                                  " caller=client:test-app"))
      << server_->Stderr();
  // Reads are not audited.
  Call(port(), "GET", std::string("/eventroutes/audited-route") + kApi, OwnerToken());
  ASSERT_TRUE(LogEventuallyContains(*server_, "GET /eventroutes/audited-route "));
  EXPECT_EQ(server_->Stderr().find("audit GET"), std::string::npos);
}

std::string Form(const std::string& client_id, const std::string& secret,
                 const std::string& grant = "client_credentials") {
  return "grant_type=" + grant + "&client_id=" + client_id + "&client_secret=" + secret +
         "&scope=https%3A%2F%2Fdigitaltwins.azure.net%2F.default";
}

TEST_F(AuthE2eTest, IssuerDiscoveryDocumentsPointAtItsEndpoints) {
  const std::string base = "http://127.0.0.1:" + std::to_string(port());
  RawResponse adfs = Call(port(), "GET", "/adfs/.well-known/openid-configuration", std::nullopt);
  ASSERT_EQ(adfs.status, 200) << adfs.body;
  json::object adfs_doc = JsonObject(adfs);
  EXPECT_EQ(Str(adfs_doc, "token_endpoint"), base + "/adfs/oauth2/token");
  EXPECT_EQ(Str(adfs_doc, "issuer"), base + "/adfs");  // MSAL wants the authority's origin
  EXPECT_TRUE(adfs_doc.contains("authorization_endpoint"));

  const std::string tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  RawResponse v2 =
      Call(port(), "GET", "/" + tenant + "/v2.0/.well-known/openid-configuration", std::nullopt);
  ASSERT_EQ(v2.status, 200) << v2.body;
  json::object v2_doc = JsonObject(v2);
  EXPECT_EQ(Str(v2_doc, "token_endpoint"), base + "/" + tenant + "/oauth2/v2.0/token");

  const std::string jwks_path = Str(v2_doc, "jwks_uri").substr(base.size());
  RawResponse keys = Call(port(), "GET", jwks_path, std::nullopt);
  ASSERT_EQ(keys.status, 200);
  Result<auth::Jwks> jwks = auth::ParseJwks(keys.body);
  ASSERT_TRUE(jwks.ok()) << keys.body;
  EXPECT_EQ(jwks->keys.size(), 1u);
}

TEST_F(AuthE2eTest, IssuerTokensCarryTheClientsRoles) {
  for (const std::string path : {"/adfs/oauth2/token", "/some-tenant/oauth2/v2.0/token"}) {
    RawResponse owner = Call(port(), "POST", path, std::nullopt, Form("owner-client", kSecret),
                             "application/x-www-form-urlencoded");
    ASSERT_EQ(owner.status, 200) << owner.body;
    json::object token = JsonObject(owner);
    EXPECT_EQ(Str(token, "token_type"), "Bearer");
    EXPECT_GT(token["expires_in"].as_int64(), 0);
    EXPECT_EQ(owner.Header("cache-control"), "no-store");
    const std::string bearer = "Bearer " + Str(token, "access_token");
    EXPECT_NE(Call(port(), "DELETE", std::string("/eventroutes/none") + kApi, bearer).status, 403);
  }

  RawResponse reader = Call(port(), "POST", "/adfs/oauth2/token", std::nullopt,
                            Form("reader-client", kSecret), "application/x-www-form-urlencoded");
  ASSERT_EQ(reader.status, 200) << reader.body;
  const std::string bearer = "Bearer " + Str(JsonObject(reader), "access_token");
  EXPECT_EQ(Call(port(), "GET", std::string("/eventroutes") + kApi, bearer).status, 200);
  EXPECT_EQ(Call(port(), "DELETE", std::string("/eventroutes/none") + kApi, bearer).status, 403);
}

TEST_F(AuthE2eTest, IssuerRefusesBadClientsWithOAuthErrors) {
  struct Case {
    std::string what;
    std::string form;
    std::string content_type;
    int status;
    std::string error;
  };
  const std::string form_type = "application/x-www-form-urlencoded";
  const std::vector<Case> cases = {
      {"wrong secret", Form("owner-client", "nope"), form_type, 401, "invalid_client"},
      {"unknown client", Form("stranger", kSecret), form_type, 401, "invalid_client"},
      {"wrong grant", Form("owner-client", kSecret, "password"), form_type, 400,
       "unsupported_grant_type"},
      {"json body", R"({"grant_type":"client_credentials"})", "application/json", 400,
       "invalid_request"},
  };
  for (const Case& test : cases) {
    RawResponse response =
        Call(port(), "POST", "/adfs/oauth2/token", std::nullopt, test.form, test.content_type);
    EXPECT_EQ(response.status, test.status) << test.what << ": " << response.body;
    json::object body = JsonObject(response);
    EXPECT_EQ(Str(body, "error"), test.error) << test.what;
    EXPECT_TRUE(body.contains("error_description")) << test.what;
  }
  ASSERT_TRUE(LogEventuallyContains(*server_, "POST /adfs/oauth2/token 401"));
  EXPECT_EQ(server_->Stderr().find(kSecret), std::string::npos);
}

TEST(AuthServeTest, EntraModeAcceptsTheTenantsIssuersOnly) {
  const fs::path dir =
      fs::temp_directory_path() / ("dtwin_auth_entra_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const TestKey key = GenerateTestKey("entra-1", JwkType::kRsa);
  std::ofstream(dir / "keys.json") << auth::test::JwksJson({&key});
  const std::string tenant = "11111111-2222-3333-4444-555555555555";
  DtwinServerProcess server;
  ASSERT_TRUE(
      server.Start({"--auth", "entra", "--tenant", tenant, "--jwks", (dir / "keys.json").string()}))
      << server.Stderr();
  auto token_of = [&](const std::string& issuer, const std::string& audience) {
    const int64_t now = NowSeconds();
    return "Bearer " + MakeToken({{"iss", issuer},
                                  {"aud", audience},
                                  {"exp", now + 600},
                                  {"azp", "entra-app"},
                                  {"roles", json::array{"DataReader"}}},
                                 key);
  };
  const std::string target = std::string("/models") + kApi;
  // v1 (sts.windows.net, resource URI audience) and v2 (login.microsoftonline.com, app id).
  EXPECT_EQ(
      Call(server.port(), "GET", target,
           token_of("https://sts.windows.net/" + tenant + "/", "https://digitaltwins.azure.net"))
          .status,
      200);
  EXPECT_EQ(Call(server.port(), "GET", target,
                 token_of("https://login.microsoftonline.com/" + tenant + "/v2.0",
                          "0b07f429-9f4b-4714-9392-cc5e8e80c8b0"))
                .status,
            200);
  ExpectAdt401(Call(server.port(), "GET", target,
                    token_of("https://sts.windows.net/99999999-2222-3333-4444-555555555555/",
                             "https://digitaltwins.azure.net")),
               "another tenant");
  fs::remove_all(dir);
}

TEST(AuthServeTest, RateLimitAnswers429WithRetryAfter) {
  DtwinServerProcess server;
  // One request per 100 s: the second request is over the limit however slow the machine.
  ASSERT_TRUE(server.Start({"--rate-limit", "0.01"})) << server.Stderr();
  const std::string target = std::string("/models") + kApi;
  EXPECT_EQ(Call(server.port(), "GET", target, "Bearer x").status, 200);
  RawResponse limited = Call(server.port(), "GET", target, "Bearer x");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(ErrorCode(limited), "QuotaReachedError");
  std::optional<std::string> retry_after = limited.Header("retry-after");
  ASSERT_TRUE(retry_after.has_value());
  const int seconds = std::stoi(*retry_after);
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 100);
}

TEST(AuthServeTest, CallersWithoutAnIdentityAreLimitedPerAddress) {
  DtwinServerProcess server;
  ASSERT_TRUE(server.Start({"--rate-limit", "0.01"})) << server.Stderr();
  const std::string target = std::string("/models") + kApi;
  auto from = [&](const char* address) {
    return Call(server.port(), "GET", target, "Bearer x", "", "application/json", address).status;
  };
  EXPECT_EQ(from("127.0.0.1"), 200);
  EXPECT_EQ(from("127.0.0.1"), 429);
  EXPECT_EQ(from("127.0.0.2"), 200);  // another address, another bucket
  EXPECT_EQ(from("127.0.0.2"), 429);
}

TEST(AuthServeTest, AuthNoneServesLoopbackOnlyUnlessForced) {
  DtwinServerProcess refused;
  EXPECT_FALSE(refused.StartWithArgs({"--listen", "0.0.0.0:0"}));
  EXPECT_EQ(refused.Wait(), 2);
  EXPECT_NE(refused.Stderr().find("--allow-insecure-remote"), std::string::npos)
      << refused.Stderr();

  DtwinServerProcess forced;
  EXPECT_TRUE(forced.Start({"--listen", "0.0.0.0:0", "--allow-insecure-remote", "true"}))
      << forced.Stderr();
}

TEST(AuthServeTest, JwtModeWithoutKeysIsAUsageError) {
  DtwinServerProcess server;
  EXPECT_FALSE(server.StartWithArgs({"--auth", "jwt"}));
  EXPECT_EQ(server.Wait(), 2);
  EXPECT_NE(server.Stderr().find("--jwks FILE, or --issuer true"), std::string::npos);
}

}  // namespace
}  // namespace dtwin::server
