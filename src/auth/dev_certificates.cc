// Development certificates with the OpenSSL 3 EVP and X509 APIs (see the header). The
// extensions follow what strict verifiers (Python 3.13's VERIFY_X509_STRICT, browsers) demand:
// key identifiers on both certificates, critical basicConstraints and keyUsage.
#include "auth/dev_certificates.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "auth/openssl_ptr.h"

namespace dtwin::auth {

namespace {

namespace fs = std::filesystem;

using PkeyPtr = EvpPkeyPtr;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;

constexpr int kCaValidDays = 3650;
constexpr int kServerValidDays = 365;
// Certificates start an hour in the past so that a client whose clock is a little behind
// does not reject a certificate made a moment ago.
constexpr long kBackdateSeconds = 3600;
constexpr size_t kSerialBytes = 16;
constexpr mode_t kKeyMode = 0600;
constexpr mode_t kCertMode = 0644;

// The failed step and OpenSSL's first queued error, which is then cleared.
Status OpenSslError(std::string_view step) {
  std::string message = "cannot " + std::string(step);
  if (unsigned long code = ERR_get_error(); code != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    message += ": ";
    message += text.data();
  }
  ERR_clear_error();
  return Status(ErrorCode::kInternal, message);
}

Result<PkeyPtr> MakeKey() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return OpenSslError("generate an EC P-256 key");
  return key;
}

// A positive serial of 127 random bits: RFC 5280 allows at most 20 octets, and a DER INTEGER
// whose top bit is set would need a 17th.
Status SetRandomSerial(X509* cert) {
  std::array<unsigned char, kSerialBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return OpenSslError("make a random serial number");
  }
  bytes[0] &= 0x7f;
  BignumPtr serial(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr) {
    return OpenSslError("set the serial number");
  }
  return Status::Ok();
}

Status AddNameEntry(X509_NAME* name, const char* field, std::string_view value) {
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return OpenSslError("set the certificate name");
  }
  return Status::Ok();
}

// Adds an extension written in openssl.cnf syntax; issuer is the signing certificate (the
// certificate itself when self-signed), which authorityKeyIdentifier reads.
Status AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return OpenSslError(std::string("add the extension ") + OBJ_nid2sn(nid) + " = " + value);
  }
  return Status::Ok();
}

struct CertificateSpec {
  std::string_view common_name;
  int valid_days;
  // In order, after subjectKeyIdentifier and authorityKeyIdentifier.
  std::vector<std::pair<int, const char*>> extensions;
};

// A certificate for key signed by issuer_key; issuer is null for a self-signed one.
Result<X509Ptr> MakeCertificate(const CertificateSpec& spec, EVP_PKEY* key, X509* issuer,
                                EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (!cert) return OpenSslError("allocate a certificate");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) return OpenSslError("set the version");
  if (Status status = SetRandomSerial(cert.get()); !status.ok()) return status;
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), spec.valid_days, 0, nullptr) == nullptr) {
    return OpenSslError("set the validity period");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (Status status : {AddNameEntry(subject, "O", "dtwin development"),
                        AddNameEntry(subject, "CN", spec.common_name)}) {
    if (!status.ok()) return status;
  }
  X509* signer = issuer != nullptr ? issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1 ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return OpenSslError("set the issuer and public key");
  }
  // subjectKeyIdentifier first: a self-signed certificate's authorityKeyIdentifier copies it.
  if (Status status = AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
      !status.ok()) {
    return status;
  }
  if (Status status =
          AddExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
      !status.ok()) {
    return status;
  }
  for (const auto& [nid, value] : spec.extensions) {
    if (Status status = AddExtension(cert.get(), signer, nid, value); !status.ok()) return status;
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return OpenSslError("sign the certificate");
  }
  return cert;
}

template <typename WritePem>
Result<std::string> ToPem(WritePem write_pem, std::string_view what) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write_pem(bio.get()) != 1) return OpenSslError("encode the " + std::string(what));
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

Result<std::string> CertificatePem(X509* cert) {
  return ToPem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); }, "certificate");
}

Result<std::string> KeyPem(EVP_PKEY* key) {
  return ToPem(
      [key](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
      },
      "private key");
}

Status IoError(std::string_view action, const fs::path& path, int error) {
  return Status(ErrorCode::kInternal, "cannot " + std::string(action) + " " + path.string() + ": " +
                                          std::generic_category().message(error));
}

// Writes text to path.tmp with exactly mode (fchmod, since open's mode is reduced by the
// umask), then renames it over path.
Status WriteFileAtomically(const fs::path& path, const std::string& text, mode_t mode) {
  fs::path temp = path;
  temp += ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return IoError("create", temp, errno);
  int error = ::fchmod(fd, mode) == 0 ? 0 : errno;
  for (size_t written = 0; error == 0 && written < text.size();) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return IoError("write", path, error);
  }
  return Status::Ok();
}

}  // namespace

std::vector<fs::path> DevCertificateFiles::All() const {
  return {ca_cert, ca_key, server_cert, server_key};
}

DevCertificateFiles DevCertificateFilesIn(const fs::path& data_dir) {
  const fs::path dir = data_dir / "tls";
  return {dir / "ca.pem", dir / "ca-key.pem", dir / "server.pem", dir / "server-key.pem"};
}

DevCertificatesPresent FindDevCertificates(const DevCertificateFiles& files) {
  size_t present = 0;
  for (const fs::path& path : files.All()) {
    std::error_code ec;
    // symlink_status: a dangling link is still something a generation would replace.
    if (fs::exists(fs::symlink_status(path, ec))) ++present;
  }
  if (present == 0) return DevCertificatesPresent::kNone;
  return present == files.All().size() ? DevCertificatesPresent::kAll
                                       : DevCertificatesPresent::kSome;
}

Result<DevCertificatePems> MakeDevCertificates() {
  Result<PkeyPtr> ca_key = MakeKey();
  if (!ca_key) return ca_key.status();
  const CertificateSpec ca_spec{"dtwin development CA",
                                kCaValidDays,
                                {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                                 {NID_key_usage, "critical,keyCertSign,cRLSign"}}};
  Result<X509Ptr> ca = MakeCertificate(ca_spec, ca_key->get(), nullptr, ca_key->get());
  if (!ca) return ca.status();

  Result<PkeyPtr> server_key = MakeKey();
  if (!server_key) return server_key.status();
  // digitalSignature is all an ECDSA key needs in TLS (keyEncipherment is for RSA key exchange).
  const CertificateSpec server_spec{"localhost",
                                    kServerValidDays,
                                    {{NID_basic_constraints, "critical,CA:FALSE"},
                                     {NID_key_usage, "critical,digitalSignature"},
                                     {NID_ext_key_usage, "serverAuth"},
                                     {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"}}};
  Result<X509Ptr> server =
      MakeCertificate(server_spec, server_key->get(), ca->get(), ca_key->get());
  if (!server) return server.status();

  DevCertificatePems pems;
  for (auto [pem, text] : {std::pair{&pems.ca_cert, CertificatePem(ca->get())},
                           std::pair{&pems.ca_key, KeyPem(ca_key->get())},
                           std::pair{&pems.server_cert, CertificatePem(server->get())},
                           std::pair{&pems.server_key, KeyPem(server_key->get())}}) {
    if (!text) return text.status();
    *pem = std::move(text).value();
  }
  // The chain a server sends: its own certificate, then the CA's.
  pems.server_cert += pems.ca_cert;
  return pems;
}

Status WriteDevCertificates(const DevCertificateFiles& files, const DevCertificatePems& pems) {
  for (auto [path, text, mode] : {std::tuple{&files.ca_key, &pems.ca_key, kKeyMode},
                                  std::tuple{&files.ca_cert, &pems.ca_cert, kCertMode},
                                  std::tuple{&files.server_key, &pems.server_key, kKeyMode},
                                  std::tuple{&files.server_cert, &pems.server_cert, kCertMode}}) {
    std::error_code ec;
    fs::create_directories(path->parent_path(), ec);
    if (ec) return IoError("create the directory", path->parent_path(), ec.value());
    if (Status status = WriteFileAtomically(*path, *text, mode); !status.ok()) return status;
  }
  return Status::Ok();
}

Result<bool> EnsureDevCertificates(const DevCertificateFiles& files) {
  switch (FindDevCertificates(files)) {
    case DevCertificatesPresent::kAll:
      return false;
    case DevCertificatesPresent::kSome:
      return Status(ErrorCode::kInvalidArgument,
                    files.ca_cert.parent_path().string() +
                        " holds some of the development certificate files but not all of "
                        "ca.pem, ca-key.pem, server.pem and server-key.pem; run `dtwin cert dev "
                        "--force` to make a new set (clients must then trust the new ca.pem)");
    case DevCertificatesPresent::kNone:
      break;
  }
  Result<DevCertificatePems> pems = MakeDevCertificates();
  if (!pems.ok()) return pems.status();
  Status written = WriteDevCertificates(files, *pems);
  if (!written.ok()) return written;
  return true;
}

std::string ShellWord(const fs::path& path) {
  const std::string text = path.string();
  if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                             "/._-+,:@%=") == std::string::npos) {
    return text;
  }
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string TrustEnvironmentLines(const fs::path& ca_cert) {
  const std::string ca = ShellWord(ca_cert);
  return "  export REQUESTS_CA_BUNDLE=" + ca + "   # Python requests, azure-core\n" +
         "  export SSL_CERT_FILE=" + ca +
         "        # Python ssl and aiohttp, OpenSSL-based tools\n" +
         "  export NODE_EXTRA_CA_CERTS=" + ca + "  # Node.js, @azure/* packages\n" +
         "  export CURL_CA_BUNDLE=" + ca + "       # curl (or: curl --cacert " + ca + " ...)\n";
}

}  // namespace dtwin::auth
