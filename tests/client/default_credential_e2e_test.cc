// Our DefaultAzureCredential as the official SDKs' is used with dtwin's built-in token issuer:
// an HTTPS `dtwin serve --auth jwt` with a development CA (`dtwin cert dev`) and an issuer
// client; the credential is pointed at it by AZURE_AUTHORITY_HOST, AZURE_TENANT_ID=adfs,
// AZURE_CLIENT_ID and AZURE_CLIENT_SECRET only (plus the CA file, which our credentials take
// as an option rather than from REQUESTS_CA_BUNDLE), then uploads and lists models.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "dtwin/client/credentials.h"
#include "dtwin/client/digital_twins_client.h"
#include "dtwin/client/errors.h"
#include "dtwin_server_process.h"

namespace dtwin::client {
namespace {

namespace fs = std::filesystem;
using dtwin::testing::DtwinServerProcess;

constexpr const char* kSecret = "cpp-client-secret";

// The config stores a client's secret as its SHA-256, computed here with coreutils.
std::string Sha256Hex(const std::string& text) {
  const std::string command = "printf %s '" + text + "' | sha256sum";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  char digest[65] = {};
  const size_t read = std::fread(digest, 1, 64, pipe);
  ::pclose(pipe);
  return read == 64 ? std::string(digest, 64) : "";
}

class DefaultCredentialE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dtwin_default_credential_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string cert_dev = std::string(DTWIN_BINARY_DIR) + "/dtwin cert dev --data-dir " +
                                 (dir_ / "certs").string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cert_dev.c_str()), 0) << cert_dev;
    const std::string hash = Sha256Hex(kSecret);
    ASSERT_EQ(hash.size(), 64u) << "sha256sum (coreutils) is needed";
    std::ofstream(dir_ / "dtwin.toml")
        << "auth = \"jwt\"\n[issuer]\nenabled = true\n"
        << "[[issuer.clients]]\nclient_id = \"cpp-owner\"\nsecret_sha256 = \"" << hash
        << "\"\nroles = [\"DataOwner\"]\n";
    tls_ = dir_ / "certs" / "tls";
    ASSERT_TRUE(server_.Start({"--config", (dir_ / "dtwin.toml").string(), "--tls-cert",
                               (tls_ / "server.pem").string(), "--tls-key",
                               (tls_ / "server-key.pem").string()}))
        << server_.Stderr();
    ASSERT_EQ(server_.url().rfind("https://", 0), 0u) << server_.url();
    ::setenv("AZURE_AUTHORITY_HOST", server_.url().c_str(), 1);
    ::setenv("AZURE_TENANT_ID", "adfs", 1);
    ::setenv("AZURE_CLIENT_ID", "cpp-owner", 1);
    ::setenv("AZURE_CLIENT_SECRET", kSecret, 1);
  }
  void TearDown() override {
    for (const char* name :
         {"AZURE_AUTHORITY_HOST", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}) {
      ::unsetenv(name);
    }
    server_.Stop();
    fs::remove_all(dir_);
  }

  DigitalTwinsClient MakeClient() {
    CredentialOptions credential_options;
    credential_options.ca_file = (tls_ / "ca.pem").string();
    DigitalTwinsClientOptions options;
    options.transport.ca_file = (tls_ / "ca.pem").string();
    options.retry.max_retries = 0;
    return DigitalTwinsClient(
        server_.url(), std::make_shared<DefaultAzureCredential>(credential_options), options);
  }

  fs::path dir_;
  fs::path tls_;
  DtwinServerProcess server_;
};

TEST_F(DefaultCredentialE2eTest, GetsATokenFromTheIssuerThenUploadsAndListsModels) {
  DigitalTwinsClient client = MakeClient();
  const boost::json::array models = boost::json::parse(R"([{
    "@id": "dtmi:conformance:CppCredential;1", "@type": "Interface",
    "@context": "dtmi:dtdl:context;2", "contents": []}])")
                                        .as_array();
  client.CreateModels(models);
  std::vector<std::string> ids;
  for (const ModelData& model : client.ListModels()) ids.push_back(model.id);
  EXPECT_EQ(ids, std::vector<std::string>{"dtmi:conformance:CppCredential;1"});
  // The token came from the server's issuer (its access log is flushed every 200 ms).
  bool logged = false;
  for (int i = 0; i < 100 && !logged; ++i) {
    logged = server_.Stderr().find("POST /adfs/oauth2/token 200") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(logged) << server_.Stderr();
}

TEST_F(DefaultCredentialE2eTest, WrongSecretIsAnAuthenticationError) {
  ::setenv("AZURE_CLIENT_SECRET", "wrong-secret", 1);
  DigitalTwinsClient client = MakeClient();
  try {
    for (const ModelData& model : client.ListModels()) (void)model;
    FAIL() << "listing models with a refused client secret succeeded";
  } catch (const DigitalTwinsError& error) {
    EXPECT_EQ(error.status(), 401) << error.code() << ": " << error.what();
  }
}

}  // namespace
}  // namespace dtwin::client
