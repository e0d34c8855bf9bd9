// `dtwin cert dev` as a user runs it: the files and their modes, the printed instructions,
// `openssl verify`, `dtwin serve` over HTTPS trusted through the CA only (curl, no -k), and
// the refusal to overwrite without --force. The certificates themselves are checked in
// tests/auth/dev_certificates_test.cc.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dtwin_cli_runner.h"
#include "dtwin_server_process.h"
#include "loopback_certificate.h"

namespace {

namespace fs = std::filesystem;
using dtwin::testing::CliResult;
using dtwin::testing::RunDtwinCli;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t PermissionBits(const fs::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? (info.st_mode & 0777) : 0;
}

struct ShellResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

ShellResult RunShell(const std::string& command) {
  ShellResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Quoted(const fs::path& path) { return "'" + path.string() + "'"; }

class CertDevTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_cert_dev_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    data_dir_ = dir_ / "data";
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliResult CertDev(const fs::path& data_dir, bool force = false) {
    std::vector<std::string> args = {"cert", "dev", "--data-dir", data_dir.string()};
    if (force) args.push_back("--force");
    return RunDtwinCli(args);
  }

  fs::path tls(const std::string& name) const { return data_dir_ / "tls" / name; }

  fs::path dir_;
  fs::path data_dir_;  // dir_/data
};

TEST_F(CertDevTest, WritesFourFilesWithPrivateKeysAndPrintsHowToTrustTheCa) {
  CliResult result = CertDev(data_dir_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* name : {"ca.pem", "ca-key.pem", "server.pem", "server-key.pem"}) {
    EXPECT_TRUE(fs::is_regular_file(tls(name))) << name;
  }
  EXPECT_EQ(PermissionBits(tls("ca-key.pem")), 0600u);
  EXPECT_EQ(PermissionBits(tls("server-key.pem")), 0600u);
  EXPECT_FALSE(fs::exists(tls("ca.pem.tmp")));

  const std::string ca = tls("ca.pem").string();
  for (const std::string& line :
       {"REQUESTS_CA_BUNDLE=" + ca, "SSL_CERT_FILE=" + ca, "NODE_EXTRA_CA_CERTS=" + ca,
        "CURL_CA_BUNDLE=" + ca, "--cacert " + ca,
        "dtwin serve --tls-cert " + tls("server.pem").string() + " --tls-key " +
            tls("server-key.pem").string()}) {
    EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;
  }
}

TEST_F(CertDevTest, OpensslCommandVerifiesTheServerCertificate) {
  if (!dtwin::testing::HaveOpensslCommand()) {
    GTEST_SKIP() << "the openssl command is not installed (Debian package openssl)";
  }
  ASSERT_EQ(CertDev(data_dir_).exit_code, 0);
  ShellResult verified = RunShell("openssl verify -x509_strict -purpose sslserver -CAfile " +
                                  Quoted(tls("ca.pem")) + " " + Quoted(tls("server.pem")));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("server.pem: OK"), std::string::npos) << verified.output;
}

TEST_F(CertDevTest, ServeAnswersHttpsTrustedThroughTheCaAlone) {
  ASSERT_EQ(CertDev(data_dir_).exit_code, 0);
  const fs::path other_data_dir = dir_ / "other";
  ASSERT_EQ(CertDev(other_data_dir).exit_code, 0);

  dtwin::testing::DtwinServerProcess server;
  ASSERT_TRUE(server.Start(
      {"--tls-cert", tls("server.pem").string(), "--tls-key", tls("server-key.pem").string()}))
      << server.Stderr();
  ASSERT_EQ(server.url().rfind("https://", 0), 0u) << server.url();
  const std::string path = ":" + std::to_string(server.port()) + "/models?api-version=2023-10-31";

  for (const char* host : {"localhost", "127.0.0.1"}) {
    ShellResult trusted = RunShell("curl -sS -o /dev/null -w '%{http_code}' --cacert " +
                                   Quoted(tls("ca.pem")) + " 'https://" + host + path + "'");
    if (trusted.exit_code == 127) GTEST_SKIP() << "the curl command is not installed";
    EXPECT_EQ(trusted.exit_code, 0) << host << ": " << trusted.output;
    EXPECT_EQ(trusted.output, "200") << host;

    // Another development CA is not trusted: the success above is the CA's doing.
    ShellResult untrusted =
        RunShell("curl -sS -o /dev/null --cacert " + Quoted(other_data_dir / "tls" / "ca.pem") +
                 " 'https://" + host + path + "'");
    EXPECT_EQ(untrusted.exit_code, 60) << host << ": " << untrusted.output;
  }
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(CertDevTest, SecondRunRefusesWithoutForceAndReplacesWithIt) {
  ASSERT_EQ(CertDev(data_dir_).exit_code, 0);
  const std::vector<std::string> names = {"ca.pem", "ca-key.pem", "server.pem", "server-key.pem"};
  std::vector<std::string> first;
  for (const std::string& name : names) first.push_back(ReadFile(tls(name)));

  CliResult refused = CertDev(data_dir_);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("already holds development certificates"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  for (size_t i = 0; i < names.size(); ++i)
    EXPECT_EQ(ReadFile(tls(names[i])), first[i]) << names[i];

  // Replacing also restores a key's mode that was loosened meanwhile.
  fs::permissions(tls("ca-key.pem"), fs::perms::others_read, fs::perm_options::add);
  CliResult forced = CertDev(data_dir_, /*force=*/true);
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  for (size_t i = 0; i < names.size(); ++i)
    EXPECT_NE(ReadFile(tls(names[i])), first[i]) << names[i];
  EXPECT_EQ(PermissionBits(tls("ca-key.pem")), 0600u);
  EXPECT_EQ(PermissionBits(tls("server-key.pem")), 0600u);

  // Any one of the files is enough to refuse.
  for (const char* name : {"ca.pem", "ca-key.pem", "server-key.pem"}) fs::remove(tls(name));
  const std::string server_pem = ReadFile(tls("server.pem"));
  EXPECT_EQ(CertDev(data_dir_).exit_code, 2);
  EXPECT_EQ(ReadFile(tls("server.pem")), server_pem);
  EXPECT_FALSE(fs::exists(tls("ca.pem")));
}

TEST_F(CertDevTest, UsageErrorsExitTwoAndHelpExitsZero) {
  CliResult unknown = RunDtwinCli({"cert", "dev", "--bogus"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unexpected argument '--bogus'"), std::string::npos) << unknown.err;
  CliResult missing = RunDtwinCli({"cert", "dev", "--data-dir"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--data-dir needs a directory"), std::string::npos) << missing.err;
  CliResult help = RunDtwinCli({"cert", "dev", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: dtwin cert dev"), std::string::npos) << help.out;
}

}  // namespace
