// The credentials against fake token endpoints (fake HTTP server) and a fake `az` script on
// PATH: what each sends, what it parses, caching and refresh, and DefaultAzureCredential's
// chain. The environment variables the credentials read are set per test and restored.
#include "dtwin/client/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <thread>

#include "client/credential_unavailable.h"
#include "dtwin/client/errors.h"
#include "fake_http_server.h"

namespace dtwin::client {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;
using testing::FakeHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

const std::vector<std::string> kScopes = {kDigitalTwinsScope};

long long EpochSeconds(system_clock::time_point when) {
  return std::chrono::duration_cast<seconds>(when.time_since_epoch()).count();
}

std::optional<std::string> FormField(const std::string& body, std::string_view name) {
  RecordedRequest as_query;  // a form body is encoded like a query string
  as_query.target = "/?" + body;
  return as_query.Query(name);
}

// Answers token requests with "<prefix>-1", "<prefix>-2"... valid for expires_in seconds.
FakeHttpServer::Handler CountingTokens(std::string prefix, int expires_in,
                                       milliseconds delay = milliseconds(0)) {
  auto count = std::make_shared<std::atomic<int>>(0);
  return [=](const RecordedRequest&) {
    ScriptedResponse response =
        ScriptedResponse::Token(prefix + "-" + std::to_string(++*count), expires_in);
    response.delay = delay;
    return response;
  };
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename Error = DigitalTwinsError>
Error GetTokenExpectingError(TokenCredential& credential) {
  try {
    credential.GetToken(kScopes, {});
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "GetToken did not throw the expected error type";
  return Error(0, "", "", "");
}

CredentialUnavailableError ExpectUnavailable(TokenCredential& credential) {
  try {
    credential.GetToken(kScopes, {});
  } catch (const CredentialUnavailableError& error) {
    return error;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "not an 'unavailable' error: " << error.what();
    return CredentialUnavailableError("");
  }
  ADD_FAILURE() << "GetToken did not throw";
  return CredentialUnavailableError("");
}

// Clears the variables the credentials read, restores everything it changed, and gives each
// test a scratch directory for fake `az` scripts.
class CredentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                             "AZURE_AUTHORITY_HOST", "IDENTITY_ENDPOINT", "IDENTITY_HEADER"}) {
      Unset(name);
    }
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("dtwin-credential-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_ / "bin");
    std::filesystem::create_directories(dir_ / "empty");
  }

  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
    std::filesystem::remove_all(dir_);
  }

  void Set(const std::string& name, const std::string& value) {
    Save(name);
    setenv(name.c_str(), value.c_str(), 1);
  }
  void Unset(const std::string& name) {
    Save(name);
    unsetenv(name.c_str());
  }

  // Puts an `az` running `script` (sh) first on PATH. It records its arguments, one per
  // line, in args and appends a line to calls per run.
  void InstallFakeAz(const std::string& script) {
    std::filesystem::path az = dir_ / "bin" / "az";
    std::ofstream(az) << "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" << (dir_ / "args").string()
                      << "'\necho run >> '" << (dir_ / "calls").string() << "'\n"
                      << script << "\n";
    chmod(az.c_str(), 0755);
    const char* path = std::getenv("PATH");
    Set("PATH", (dir_ / "bin").string() + ":" + (path != nullptr ? path : "/usr/bin:/bin"));
  }
  void HideAz() { Set("PATH", (dir_ / "empty").string()); }
  int AzRuns() const {
    std::string calls = ReadFile(dir_ / "calls");
    return static_cast<int>(std::count(calls.begin(), calls.end(), '\n'));
  }

  std::filesystem::path dir_;

 private:
  void Save(const std::string& name) {
    if (saved_.count(name) != 0) return;
    const char* value = std::getenv(name.c_str());
    saved_[name] = value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

// ---- StaticTokenCredential

TEST_F(CredentialTest, StaticTokenIsReturnedAsIsAndNeverExpires) {
  StaticTokenCredential credential("fixed");
  AccessToken token = credential.GetToken(kScopes, {});
  EXPECT_EQ(token.token, "fixed");
  EXPECT_GT(token.expires_on, system_clock::now() + std::chrono::hours(24 * 365));
}

// ---- ClientSecretCredential

CredentialOptions AuthorityAt(const FakeHttpServer& server) {
  CredentialOptions options;
  options.authority_host = server.Url();
  return options;
}

TEST_F(CredentialTest, ClientSecretPostsTheClientCredentialsGrantAndCachesTheToken) {
  FakeHttpServer server;
  server.SetHandler(CountingTokens("tok", 3600));
  ClientSecretCredential credential("my-tenant", "my-client", "s&cret=1 +/", AuthorityAt(server));
  AccessToken token = credential.GetToken(kScopes, {});
  EXPECT_EQ(token.token, "tok-1");
  long long expected = EpochSeconds(system_clock::now() + seconds(3600));
  EXPECT_NEAR(EpochSeconds(token.expires_on), expected, 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(credential.GetToken(kScopes, {}).token, "tok-1");

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);  // one token request for six calls
  const auto& sent = requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/my-tenant/oauth2/v2.0/token");
  EXPECT_EQ(sent.Header("Content-Type").value_or(""), "application/x-www-form-urlencoded");
  EXPECT_EQ(FormField(sent.body, "grant_type").value_or(""), "client_credentials");
  EXPECT_EQ(FormField(sent.body, "client_id").value_or(""), "my-client");
  EXPECT_EQ(FormField(sent.body, "client_secret").value_or(""), "s&cret=1 +/");
  EXPECT_EQ(FormField(sent.body, "scope").value_or(""), kDigitalTwinsScope);
}

TEST_F(CredentialTest, ClientSecretConcurrentCallersShareOneTokenRequest) {
  FakeHttpServer server;
  server.SetHandler(CountingTokens("tok", 3600, milliseconds(200)));
  ClientSecretCredential credential("t", "c", "s", AuthorityAt(server));
  std::vector<std::future<std::string>> tokens;
  for (int i = 0; i < 8; ++i) {
    tokens.push_back(
        std::async(std::launch::async, [&] { return credential.GetToken(kScopes, {}).token; }));
  }
  for (auto& token : tokens) EXPECT_EQ(token.get(), "tok-1");
  EXPECT_EQ(server.Requests().size(), 1u);
}

TEST_F(CredentialTest, ClientSecretRefreshesFiveMinutesBeforeExpiry) {
  FakeHttpServer server;
  // 301 s: fresh for one second, then inside the 5-minute refresh window.
  server.SetHandler(CountingTokens("tok", 301));
  ClientSecretCredential credential("t", "c", "s", AuthorityAt(server));
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "tok-1");
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "tok-1");
  EXPECT_EQ(server.Requests().size(), 1u);
  std::this_thread::sleep_for(milliseconds(1200));
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "tok-2");
  EXPECT_EQ(server.Requests().size(), 2u);
}

TEST_F(CredentialTest, ClientSecretReadsExpiryAsStringOrAbsoluteTime) {
  FakeHttpServer server;
  server.Enqueue(ScriptedResponse::Json(200, R"({"access_token":"a","expires_in":"7200"})"));
  ClientSecretCredential as_string("t", "c", "s", AuthorityAt(server));
  EXPECT_NEAR(EpochSeconds(as_string.GetToken(kScopes, {}).expires_on),
              EpochSeconds(system_clock::now() + seconds(7200)), 5);

  server.Enqueue(ScriptedResponse::Json(200, R"({"access_token":"b","expires_on":"4102444800"})"));
  ClientSecretCredential absolute("t", "c", "s", AuthorityAt(server));
  AccessToken token = absolute.GetToken(kScopes, {});
  EXPECT_EQ(token.token, "b");
  EXPECT_EQ(EpochSeconds(token.expires_on), 4102444800);

  server.Enqueue(ScriptedResponse::Json(200, R"({"token_type":"Bearer","expires_in":60})"));
  ClientSecretCredential no_token("t", "c", "s", AuthorityAt(server));
  DigitalTwinsError error = GetTokenExpectingError(no_token);
  EXPECT_EQ(error.code(), kAuthenticationError);
  EXPECT_NE(error.message().find("access_token"), std::string::npos) << error.message();
}

TEST_F(CredentialTest, ClientSecretUsesTheAdfsTokenPathForTenantAdfs) {
  FakeHttpServer server;
  server.SetHandler(CountingTokens("adfs", 3600));
  CredentialOptions options;
  options.authority_host = server.Url() + "/";  // a trailing slash is tolerated
  ClientSecretCredential credential("adfs", "c", "s", options);
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "adfs-1");
  ASSERT_EQ(server.Requests().size(), 1u);
  EXPECT_EQ(server.Requests()[0].target, "/adfs/oauth2/token");
}

TEST_F(CredentialTest, ClientSecretRefusalCarriesTheEndpointsDescriptionAndIsNotCached) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) {
    return ScriptedResponse::Json(
        401,
        R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})");
  });
  ClientSecretCredential credential("t", "c", "wrong", AuthorityAt(server));
  DigitalTwinsError error = GetTokenExpectingError(credential);
  EXPECT_EQ(error.status(), 401);
  EXPECT_EQ(error.code(), kAuthenticationError);
  EXPECT_NE(error.message().find("ClientSecretCredential"), std::string::npos);
  EXPECT_NE(error.message().find("invalid_client: AADSTS7000215: Invalid client secret provided."),
            std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find(server.Url() + "/t/oauth2/v2.0/token"), std::string::npos);
  GetTokenExpectingError(credential);
  EXPECT_EQ(server.Requests().size(), 2u);
}

TEST_F(CredentialTest, ClientSecretUnreachableEndpointIsAConnectionError) {
  CredentialOptions options;
  options.authority_host = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort());
  ClientSecretCredential credential("t", "c", "s", options);
  DigitalTwinsError error = GetTokenExpectingError(credential);
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.code(), kConnectionError);
  EXPECT_NE(error.message().find("ClientSecretCredential"), std::string::npos);
}

// ---- ManagedIdentityCredential

std::string ImdsAnswer(const std::string& token, long long expires_on) {
  return R"({"access_token":")" + token + R"(","expires_on":")" + std::to_string(expires_on) +
         R"(","expires_in":"3599","resource":"https://digitaltwins.azure.net","token_type":"Bearer"})";
}

TEST_F(CredentialTest, ManagedIdentityAsksImdsForTheDigitalTwinsResource) {
  FakeHttpServer server;
  long long expires_on = EpochSeconds(system_clock::now()) + 3600;
  server.Enqueue(ScriptedResponse::Json(200, ImdsAnswer("mi-token", expires_on)));
  ManagedIdentityOptions options;
  options.imds_endpoint = server.Url() + "/metadata/identity/oauth2/token";
  options.client_id = "user-assigned-id";
  ManagedIdentityCredential credential(options);
  AccessToken token = credential.GetToken(kScopes, {});
  EXPECT_EQ(token.token, "mi-token");
  EXPECT_EQ(EpochSeconds(token.expires_on), expires_on);
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "mi-token");  // cached

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].Path(), "/metadata/identity/oauth2/token");
  EXPECT_EQ(requests[0].Header("Metadata").value_or(""), "true");
  EXPECT_EQ(requests[0].Query("api-version").value_or(""), "2018-02-01");
  EXPECT_EQ(requests[0].Query("resource").value_or(""), "https://digitaltwins.azure.net");
  EXPECT_EQ(requests[0].Query("client_id").value_or(""), "user-assigned-id");
}

TEST_F(CredentialTest, ManagedIdentityUsesIdentityEndpointAndHeaderWhenSet) {
  FakeHttpServer imds;
  FakeHttpServer app_service;
  app_service.Enqueue(ScriptedResponse::Json(
      200, ImdsAnswer("app-token", EpochSeconds(system_clock::now()) + 3600)));
  Set("IDENTITY_ENDPOINT", app_service.Url() + "/msi/token");
  Set("IDENTITY_HEADER", "secret-header");
  ManagedIdentityOptions options;
  options.imds_endpoint = imds.Url() + "/metadata/identity/oauth2/token";
  ManagedIdentityCredential credential(options);
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "app-token");

  EXPECT_TRUE(imds.Requests().empty());
  auto requests = app_service.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Path(), "/msi/token");
  EXPECT_EQ(requests[0].Header("X-IDENTITY-HEADER").value_or(""), "secret-header");
  EXPECT_EQ(requests[0].Query("api-version").value_or(""), "2019-08-01");
  EXPECT_EQ(requests[0].Query("resource").value_or(""), "https://digitaltwins.azure.net");
  EXPECT_FALSE(requests[0].Header("Metadata").has_value());
}

TEST_F(CredentialTest, ManagedIdentityWithoutEndpointOrIdentityIsUnavailable) {
  ManagedIdentityOptions nowhere;
  nowhere.imds_endpoint =
      "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/token";
  ManagedIdentityCredential absent(nowhere);
  EXPECT_NE(ExpectUnavailable(absent).message().find("ManagedIdentityCredential"),
            std::string::npos);

  FakeHttpServer server;
  server.SetHandler([](const auto&) {
    return ScriptedResponse::Json(
        400, R"({"error":"invalid_request","error_description":"Identity not found"})");
  });
  ManagedIdentityOptions options;
  options.imds_endpoint = server.Url() + "/token";
  ManagedIdentityCredential no_identity(options);
  EXPECT_NE(ExpectUnavailable(no_identity).message().find("Identity not found"), std::string::npos);
}

TEST_F(CredentialTest, ManagedIdentityServerErrorIsAFailureNotUnavailability) {
  FakeHttpServer server;
  server.SetHandler([](const auto&) { return ScriptedResponse::Json(500, "{}"); });
  ManagedIdentityOptions options;
  options.imds_endpoint = server.Url() + "/token";
  ManagedIdentityCredential credential(options);
  try {
    credential.GetToken(kScopes, {});
    ADD_FAILURE() << "GetToken did not throw";
  } catch (const CredentialUnavailableError& error) {
    ADD_FAILURE() << "a server error is not unavailability: " << error.what();
  } catch (const DigitalTwinsError& error) {
    EXPECT_EQ(error.status(), 500);
  }
}

// ---- AzureCliCredential

TEST_F(CredentialTest, AzureCliRunsAzWithoutAShellAndParsesItsToken) {
  InstallFakeAz(
      R"(echo '{"accessToken":"cli-token","expiresOn":"2099-01-01 00:00:00.000000","expires_on":4070908800,"tokenType":"Bearer"}')");
  AzureCliCredential credential;
  AccessToken token = credential.GetToken(kScopes, {});
  EXPECT_EQ(token.token, "cli-token");
  EXPECT_EQ(EpochSeconds(token.expires_on), 4070908800);
  EXPECT_EQ(ReadFile(dir_ / "args"),
            "account\nget-access-token\n--scope\nhttps://digitaltwins.azure.net/.default\n"
            "--output\njson\n");
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "cli-token");
  EXPECT_EQ(AzRuns(), 1);  // cached

  // A scope with shell syntax reaches az as one literal argument.
  std::string marker = (dir_ / "injected").string();
  credential.GetToken({"https://x/.default;touch " + marker}, {});
  EXPECT_EQ(ReadFile(dir_ / "args"),
            "account\nget-access-token\n--scope\nhttps://x/.default;touch " + marker +
                "\n--output\njson\n");
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(CredentialTest, AzureCliReadsTheLocalTimeExpiresOnOfOlderClis) {
  InstallFakeAz(R"(echo '{"accessToken":"old-cli","expiresOn":"2099-06-15 12:00:00.000000"}')");
  AzureCliCredential credential;
  AccessToken token = credential.GetToken(kScopes, {});
  EXPECT_EQ(token.token, "old-cli");
  // 2099-06-15 12:00 UTC is 4085294400; local time is within a day of it.
  EXPECT_NEAR(EpochSeconds(token.expires_on), 4085294400, 24 * 3600);
}

TEST_F(CredentialTest, AzureCliNotLoggedInIsUnavailableWithAzsMessage) {
  InstallFakeAz("echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1");
  AzureCliCredential credential;
  std::string message = ExpectUnavailable(credential).message();
  EXPECT_NE(message.find("AzureCliCredential"), std::string::npos) << message;
  EXPECT_NE(message.find("Please run 'az login' to setup account."), std::string::npos) << message;
}

TEST_F(CredentialTest, AzureCliMissingIsUnavailable) {
  HideAz();
  AzureCliCredential credential;
  std::string message = ExpectUnavailable(credential).message();
  EXPECT_NE(message.find("not found"), std::string::npos) << message;
}

// ---- EnvironmentCredential

TEST_F(CredentialTest, EnvironmentCredentialUsesTheAzureVariables) {
  FakeHttpServer server;
  server.SetHandler(CountingTokens("env", 3600));
  Set("AZURE_TENANT_ID", "env-tenant");
  Set("AZURE_CLIENT_ID", "env-client");
  Set("AZURE_CLIENT_SECRET", "env-secret");
  Set("AZURE_AUTHORITY_HOST", server.Url());
  EnvironmentCredential credential;
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "env-1");
  ASSERT_EQ(server.Requests().size(), 1u);
  EXPECT_EQ(server.Requests()[0].target, "/env-tenant/oauth2/v2.0/token");
  EXPECT_EQ(FormField(server.Requests()[0].body, "client_id").value_or(""), "env-client");
  EXPECT_EQ(FormField(server.Requests()[0].body, "client_secret").value_or(""), "env-secret");
}

TEST_F(CredentialTest, EnvironmentCredentialNamesTheMissingVariables) {
  Set("AZURE_TENANT_ID", "t");
  EnvironmentCredential credential;
  std::string message = ExpectUnavailable(credential).message();
  EXPECT_NE(message.find("AZURE_CLIENT_ID, AZURE_CLIENT_SECRET"), std::string::npos) << message;
  EXPECT_EQ(message.find("AZURE_TENANT_ID"), std::string::npos) << message;
}

// ---- DefaultAzureCredential

TEST_F(CredentialTest, DefaultPrefersTheEnvironment) {
  FakeHttpServer authority;
  authority.SetHandler(CountingTokens("env", 3600));
  FakeHttpServer identity;
  identity.SetHandler([](const auto&) { return ScriptedResponse::Json(500, "{}"); });
  Set("AZURE_TENANT_ID", "t");
  Set("AZURE_CLIENT_ID", "c");
  Set("AZURE_CLIENT_SECRET", "s");
  Set("AZURE_AUTHORITY_HOST", authority.Url());
  Set("IDENTITY_ENDPOINT", identity.Url() + "/msi/token");
  Set("IDENTITY_HEADER", "h");
  InstallFakeAz("exit 1");
  DefaultAzureCredential credential;
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "env-1");
  EXPECT_TRUE(identity.Requests().empty());
  EXPECT_EQ(AzRuns(), 0);
}

TEST_F(CredentialTest, DefaultFallsBackToManagedIdentity) {
  FakeHttpServer identity;
  identity.SetHandler([](const auto&) {
    return ScriptedResponse::Json(200,
                                  ImdsAnswer("mi-token", EpochSeconds(system_clock::now()) + 3600));
  });
  Set("IDENTITY_ENDPOINT", identity.Url() + "/msi/token");
  Set("IDENTITY_HEADER", "h");
  InstallFakeAz("exit 1");
  DefaultAzureCredential credential;
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "mi-token");
  EXPECT_EQ(identity.Requests().size(), 1u);
  EXPECT_EQ(AzRuns(), 0);
}

TEST_F(CredentialTest, DefaultRemembersTheCredentialThatWorked) {
  FakeHttpServer identity;
  identity.SetHandler([](const auto&) {
    return ScriptedResponse::Json(
        400, R"({"error":"invalid_request","error_description":"Identity not found"})");
  });
  Set("IDENTITY_ENDPOINT", identity.Url() + "/msi/token");
  Set("IDENTITY_HEADER", "h");
  // A token already inside the refresh window, so every GetToken runs az again.
  long long soon = EpochSeconds(system_clock::now()) + 60;
  InstallFakeAz(R"(echo '{"accessToken":"cli-token","expires_on":)" + std::to_string(soon) + "}'");
  DefaultAzureCredential credential;
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "cli-token");
  EXPECT_EQ(credential.GetToken(kScopes, {}).token, "cli-token");
  EXPECT_EQ(AzRuns(), 2);
  EXPECT_EQ(identity.Requests().size(), 1u);  // not asked again once az worked
}

TEST_F(CredentialTest, DefaultListsWhatEachCredentialSaidWhenAllAreUnavailable) {
  Set("IDENTITY_ENDPOINT",
      "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/msi/token");
  Set("IDENTITY_HEADER", "h");
  HideAz();
  DefaultAzureCredential credential;
  DigitalTwinsError error = GetTokenExpectingError(credential);
  EXPECT_EQ(error.code(), kAuthenticationError);
  const std::string& message = error.message();
  size_t environment = message.find("EnvironmentCredential: environment variables not set");
  size_t identity = message.find("ManagedIdentityCredential: no managed identity endpoint");
  size_t cli = message.find("AzureCliCredential: the Azure CLI (az) was not found");
  EXPECT_NE(environment, std::string::npos) << message;
  EXPECT_NE(identity, std::string::npos) << message;
  EXPECT_NE(cli, std::string::npos) << message;
  EXPECT_LT(environment, identity);
  EXPECT_LT(identity, cli);
}

TEST_F(CredentialTest, DefaultStopsAtACredentialThatTriedAndFailed) {
  FakeHttpServer authority;
  authority.SetHandler([](const auto&) {
    return ScriptedResponse::Json(401,
                                  R"({"error":"invalid_client","error_description":"bad secret"})");
  });
  FakeHttpServer identity;
  identity.SetHandler([](const auto&) {
    return ScriptedResponse::Json(200,
                                  ImdsAnswer("mi-token", EpochSeconds(system_clock::now()) + 3600));
  });
  Set("AZURE_TENANT_ID", "t");
  Set("AZURE_CLIENT_ID", "c");
  Set("AZURE_CLIENT_SECRET", "s");
  Set("AZURE_AUTHORITY_HOST", authority.Url());
  Set("IDENTITY_ENDPOINT", identity.Url() + "/msi/token");
  Set("IDENTITY_HEADER", "h");
  DefaultAzureCredential credential;
  DigitalTwinsError error = GetTokenExpectingError(credential);
  EXPECT_EQ(error.status(), 401);
  EXPECT_NE(error.message().find("bad secret"), std::string::npos) << error.message();
  EXPECT_TRUE(identity.Requests().empty());
}

}  // namespace
}  // namespace dtwin::client
