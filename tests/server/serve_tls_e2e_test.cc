// `dtwin serve` transport flags as a user runs them (the real binary): --dev-tls making the
// development certificates on first start and reusing them after, plain and HTTPS listeners
// in one listening line, the trust lines printed, the refusal of a partial tls/ folder, the
// connection limit counted in the log, and usage errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "command_runner.h"
#include "dtwin_server_process.h"
#include "raw_http_client.h"

namespace dtwin::server {
namespace {

namespace fs = std::filesystem;
using dtwin::testing::DtwinServerProcess;
using testing::CommandResult;
using testing::HaveProgram;
using testing::RawHttpClient;
using testing::RunCommand;
using testing::ShellQuote;

constexpr const char* kModels = "/models?api-version=2023-10-31";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ServeTlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_serve_tls_e2e_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The two URLs of "dtwin listening on http://... and https://...", or false.
  static bool ParseListening(const std::string& line, std::string& http, std::string& https) {
    std::smatch match;
    static const std::regex kLine(
        R"(dtwin listening on (http://127\.0\.0\.1:\d+) and (https://127\.0\.0\.1:\d+))");
    if (!std::regex_match(line, match, kLine)) return false;
    http = match[1];
    https = match[2];
    return true;
  }

  fs::path dir_;
};

TEST_F(ServeTlsE2eTest, DevTlsMakesTheCertificatesOnceAndServesHttpAndHttps) {
  if (!HaveProgram("curl")) GTEST_SKIP() << "curl is not installed";
  const fs::path data = dir_ / "data";
  const fs::path ca = data / "tls" / "ca.pem";
  std::string first_ca;
  for (int start = 0; start < 2; ++start) {
    DtwinServerProcess server;
    server.Start({"--listen-https", "127.0.0.1:0", "--dev-tls"}, data);
    std::string http;
    std::string https;
    ASSERT_TRUE(ParseListening(server.first_line(), http, https)) << server.first_line() << "\n"
                                                                  << server.Stderr();
    for (const char* name : {"ca.pem", "ca-key.pem", "server.pem", "server-key.pem"}) {
      EXPECT_TRUE(fs::is_regular_file(data / "tls" / name)) << name;
    }
    if (start == 0) {
      first_ca = ReadFile(ca);
    } else {
      EXPECT_EQ(ReadFile(ca), first_ca) << "a restart reuses the development CA";
    }

    CommandResult secure = RunCommand("curl -sS -o /dev/null -w '%{http_code}' --cacert " +
                                      ShellQuote(ca.string()) + " '" + https + kModels + "'");
    EXPECT_EQ(secure.output, "200") << secure.output;
    CommandResult plain =
        RunCommand("curl -sS -o /dev/null -w '%{http_code}' '" + http + kModels + "'");
    EXPECT_EQ(plain.output, "200") << plain.output;
    EXPECT_EQ(server.Stop(), 0);

    const std::string log = server.Stderr();
    for (const std::string& line :
         {"REQUESTS_CA_BUNDLE=" + ca.string(), "SSL_CERT_FILE=" + ca.string(),
          "NODE_EXTRA_CA_CERTS=" + ca.string()}) {
      EXPECT_NE(log.find(line), std::string::npos) << line << "\n" << log;
    }
    EXPECT_EQ(log.find("made a development CA") != std::string::npos, start == 0) << log;
  }
}

TEST_F(ServeTlsE2eTest, DevTlsRefusesAPartialSetRatherThanReplaceTheCa) {
  const fs::path data = dir_ / "data";
  fs::create_directories(data / "tls");
  std::ofstream(data / "tls" / "ca.pem") << "a CA someone trusts\n";
  DtwinServerProcess server;
  server.Start({"--dev-tls"}, data);
  EXPECT_EQ(server.Wait(), 1);
  EXPECT_NE(server.Stderr().find("dtwin cert dev --force"), std::string::npos) << server.Stderr();
  EXPECT_EQ(ReadFile(data / "tls" / "ca.pem"), "a CA someone trusts\n");
}

TEST_F(ServeTlsE2eTest, ConnectionsOverTheLimitAreClosedAndCountedInTheLog) {
  DtwinServerProcess server;
  ASSERT_TRUE(server.Start({"--max-connections", "1"})) << server.Stderr();
  RawHttpClient held;
  ASSERT_TRUE(held.Connect(server.port()));
  ASSERT_TRUE(held.Send(std::string("GET ") + kModels + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(held.ReadResponse());

  RawHttpClient refused;
  ASSERT_TRUE(refused.Connect(server.port()));
  refused.Send(std::string("GET ") + kModels + " HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_FALSE(refused.ReadResponse());
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_NE(server.Stderr().find("1 connections open, the limit (--max-connections): refusing"),
            std::string::npos)
      << server.Stderr();
}

TEST_F(ServeTlsE2eTest, TransportUsageErrorsExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--listen-https", "127.0.0.1:0"}, "--listen-https needs a certificate"},
           {{"--dev-tls", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "give either it"},
           {{"--max-connections", "0"}, "from 1 to 1000000"},
       }) {
    DtwinServerProcess server;
    server.StartWithArgs(c.args);
    EXPECT_EQ(server.Wait(), 2);
    EXPECT_NE(server.Stderr().find(c.message), std::string::npos) << server.Stderr();
  }
}

}  // namespace
}  // namespace dtwin::server
