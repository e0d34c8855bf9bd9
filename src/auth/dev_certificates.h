// Development TLS certificates: a private CA and a server certificate for localhost,
// 127.0.0.1 and ::1 signed by it, made with OpenSSL and written as PEM files. Stateless;
// thread-safe (each call uses its own OpenSSL objects).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace dtwin::auth {

// Where the four files live: DIR/tls/ of a data directory.
struct DevCertificateFiles {
  std::filesystem::path ca_cert;      // ca.pem: the certificate clients trust
  std::filesystem::path ca_key;       // ca-key.pem (mode 0600)
  std::filesystem::path server_cert;  // server.pem: the server certificate, then the CA
  std::filesystem::path server_key;   // server-key.pem (mode 0600)

  std::vector<std::filesystem::path> All() const;
};

DevCertificateFiles DevCertificateFilesIn(const std::filesystem::path& data_dir);

// Which of the four files are there: none (generate them), all (use them), or some (a
// generation must not silently replace a CA that clients may already trust).
enum class DevCertificatesPresent { kNone, kAll, kSome };
DevCertificatesPresent FindDevCertificates(const DevCertificateFiles& files);

// The PEM texts of a freshly generated CA and server certificate.
struct DevCertificatePems {
  std::string ca_cert;
  std::string ca_key;       // PKCS#8, unencrypted
  std::string server_cert;  // leaf, then the CA certificate
  std::string server_key;   // PKCS#8, unencrypted
};

// New EC P-256 keys; the CA is valid for 10 years, the server certificate for one year, both
// from an hour ago; random 128-bit serials. kInternal when OpenSSL fails.
Result<DevCertificatePems> MakeDevCertificates();

// Writes the four files (creating their directory), each through a temporary file renamed
// over the old one, so existing files are replaced whole and keys are never readable by others.
Status WriteDevCertificates(const DevCertificateFiles& files, const DevCertificatePems& pems);

// path as one shell word: as is when it holds no character a shell treats specially,
// otherwise single-quoted, so that printed instructions can be pasted.
std::string ShellWord(const std::filesystem::path& path);

// For `dtwin serve --dev-tls`: makes and writes the four files when none is there and uses
// them when all are (true when it made them). Refuses when only some are, rather than replace
// a CA that clients may trust: kInvalidArgument pointing at `dtwin cert dev --force`.
Result<bool> EnsureDevCertificates(const DevCertificateFiles& files);

// The shell lines that make Python, Node and curl trust ca_cert, one `export NAME=PATH` per
// line with a comment naming the clients (the path quoted for the shell when needed).
std::string TrustEnvironmentLines(const std::filesystem::path& ca_cert);

}  // namespace dtwin::auth
