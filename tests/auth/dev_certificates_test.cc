// The development certificate generator: the files and their modes, the certificates read
// back with OpenSSL (chain, names, usages, validity), which files are present, and the trust
// lines printed for them.
#include "auth/dev_certificates.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dtwin::auth {
namespace {

namespace fs = std::filesystem;

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

mode_t PermissionBits(const fs::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? (info.st_mode & 0777) : 0;
}

class DevCertificatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_dev_certificates_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    files_ = DevCertificateFilesIn(dir_ / "data");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write() {
    Result<DevCertificatePems> pems = MakeDevCertificates();
    ASSERT_TRUE(pems.ok()) << pems.status().message();
    Status written = WriteDevCertificates(files_, *pems);
    ASSERT_TRUE(written.ok()) << written.message();
  }

  fs::path tls(const std::string& name) const { return dir_ / "data" / "tls" / name; }

  fs::path dir_;
  DevCertificateFiles files_;
};

TEST_F(DevCertificatesTest, WritesFourFilesInDataDirTlsWithPrivateKeys) {
  EXPECT_EQ(files_.ca_cert, tls("ca.pem"));
  EXPECT_EQ(files_.server_key, tls("server-key.pem"));
  Write();
  for (const char* name : {"ca.pem", "ca-key.pem", "server.pem", "server-key.pem"}) {
    EXPECT_TRUE(fs::is_regular_file(tls(name))) << name;
  }
  EXPECT_EQ(PermissionBits(tls("ca-key.pem")), 0600u);
  EXPECT_EQ(PermissionBits(tls("server-key.pem")), 0600u);
  EXPECT_EQ(PermissionBits(tls("ca.pem")), 0644u);
  EXPECT_FALSE(fs::exists(tls("ca.pem.tmp")));
}

TEST_F(DevCertificatesTest, FindsNoneAllOrSomeOfTheFiles) {
  EXPECT_EQ(FindDevCertificates(files_), DevCertificatesPresent::kNone);
  Write();
  EXPECT_EQ(FindDevCertificates(files_), DevCertificatesPresent::kAll);
  fs::remove(tls("server.pem"));
  EXPECT_EQ(FindDevCertificates(files_), DevCertificatesPresent::kSome);
  // A dangling link counts: writing would replace whatever it points at.
  for (const char* name : {"ca.pem", "ca-key.pem", "server-key.pem"}) fs::remove(tls(name));
  fs::create_symlink(dir_ / "nowhere", tls("ca.pem"));
  EXPECT_EQ(FindDevCertificates(files_), DevCertificatesPresent::kSome);
}

TEST_F(DevCertificatesTest, ServerCertificateChainsToTheCaAndNamesTheLoopbackHosts) {
  Write();
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

TEST(TrustEnvironmentLinesTest, ExportsEachVariableWithTheCaPathQuotedForTheShell) {
  std::string plain = TrustEnvironmentLines("/data/tls/ca.pem");
  for (const char* line :
       {"export REQUESTS_CA_BUNDLE=/data/tls/ca.pem ", "export SSL_CERT_FILE=/data/tls/ca.pem ",
        "export NODE_EXTRA_CA_CERTS=/data/tls/ca.pem ",
        "export CURL_CA_BUNDLE=/data/tls/ca.pem "}) {
    EXPECT_NE(plain.find(line), std::string::npos) << line << "\n" << plain;
  }
  EXPECT_EQ(ShellWord("/my data/it's/ca.pem"), "'/my data/it'\\''s/ca.pem'");
  EXPECT_NE(TrustEnvironmentLines("/my data/ca.pem").find("SSL_CERT_FILE='/my data/ca.pem'"),
            std::string::npos);
}

}  // namespace
}  // namespace dtwin::auth
