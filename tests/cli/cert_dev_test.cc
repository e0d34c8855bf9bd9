// `dtwin cert dev` as a user runs it: the files and their modes, the certificates read back
// with OpenSSL (chain, names, usages, validity), `dtwin serve` over HTTPS trusted through the
// CA only (curl, no -k), and the refusal to overwrite without --force.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
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

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Every certificate of a PEM file, in order.
std::vector<X509Ptr> ReadCertificates(const fs::path& path) {
  std::vector<X509Ptr> certs;
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return certs;
  while (X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr)) certs.emplace_back(cert);
  std::fclose(file);
  return certs;
}

PkeyPtr ReadKey(const fs::path& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return nullptr;
  PkeyPtr key(PEM_read_PrivateKey(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  return key;
}

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

// The subjectAltName entries as "DNS:name" or "IP:<raw bytes as hex>".
std::set<std::string> SubjectAltNames(X509* cert) {
  std::set<std::string> names;
  auto* general_names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (general_names == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(general_names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general_names, i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names.insert("DNS:" + std::string(reinterpret_cast<const char*>(dns->data),
                                        static_cast<size_t>(dns->length)));
    } else if (name->type == GEN_IPADD) {
      std::string hex = "IP:";
      for (int b = 0; b < name->d.iPAddress->length; ++b) {
        std::array<char, 3> byte{};
        std::snprintf(byte.data(), byte.size(), "%02x", name->d.iPAddress->data[b]);
        hex += byte.data();
      }
      names.insert(hex);
    } else {
      names.insert("other");
    }
  }
  GENERAL_NAMES_free(general_names);
  return names;
}

int ValidityDays(X509* cert) {
  int days = 0;
  int seconds = 0;
  ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert));
  return days;
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

TEST_F(CertDevTest, ServerCertificateChainsToTheCaAndNamesTheLoopbackHosts) {
  ASSERT_EQ(CertDev(data_dir_).exit_code, 0);
  std::vector<X509Ptr> ca = ReadCertificates(tls("ca.pem"));
  std::vector<X509Ptr> chain = ReadCertificates(tls("server.pem"));
  PkeyPtr ca_key = ReadKey(tls("ca-key.pem"));
  PkeyPtr server_key = ReadKey(tls("server-key.pem"));
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(chain.size(), 2u) << "server.pem holds the server certificate, then the CA's";
  ASSERT_TRUE(ca_key && server_key);
  X509* leaf = chain[0].get();
  EXPECT_EQ(X509_cmp(chain[1].get(), ca[0].get()), 0);

  EXPECT_EQ(X509_check_ca(ca[0].get()), 1);
  EXPECT_EQ(X509_check_ca(leaf), 0);
  EXPECT_EQ(X509_check_private_key(ca[0].get(), ca_key.get()), 1);
  EXPECT_EQ(X509_check_private_key(leaf, server_key.get()), 1);
  EXPECT_EQ(X509_check_issued(ca[0].get(), leaf), X509_V_OK);
  EXPECT_NE(X509_cmp(ca[0].get(), leaf), 0);

  EXPECT_EQ(SubjectAltNames(leaf), (std::set<std::string>{"DNS:localhost", "IP:7f000001",
                                                          "IP:00000000000000000000000000000001"}));
  EXPECT_EQ(X509_check_host(leaf, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf, "::1", 0), 1);
  EXPECT_EQ(X509_check_host(leaf, "example.com", 0, 0, nullptr), 0);
  EXPECT_TRUE(X509_get_extended_key_usage(leaf) & XKU_SSL_SERVER);

  EXPECT_GE(ValidityDays(leaf), 365);
  EXPECT_LE(ValidityDays(leaf), 366);
  EXPECT_GE(ValidityDays(ca[0].get()), 3650);
  EXPECT_LE(ValidityDays(ca[0].get()), 3651);
  // Already valid (clients whose clock is a little behind included), not yet expired.
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(leaf)), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(leaf)), 0);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(leaf), X509_get0_serialNumber(ca[0].get())), 0);

  // Verification as a strict TLS client does it: only the CA trusted, server purpose.
  X509_STORE* store = X509_STORE_new();
  ASSERT_EQ(X509_STORE_add_cert(store, ca[0].get()), 1);
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  ASSERT_EQ(X509_STORE_CTX_init(context, store, leaf, nullptr), 1);
  X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER);
  X509_STORE_CTX_set_flags(context, X509_V_FLAG_X509_STRICT);
  EXPECT_EQ(X509_verify_cert(context), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(context));
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
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
  EXPECT_NE(refused.err.find("already exists"), std::string::npos) << refused.err;
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
