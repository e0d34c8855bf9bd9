// Development TLS certificates: a private CA and a server certificate for localhost,
// 127.0.0.1 and ::1 signed by it, made with OpenSSL and written as PEM files. Stateless;
// thread-safe (each call uses its own OpenSSL objects).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace dtwin::cli {

// Where the four files live: DIR/tls/ of a data directory.
struct DevCertificateFiles {
  std::filesystem::path ca_cert;      // ca.pem: the certificate clients trust
  std::filesystem::path ca_key;       // ca-key.pem (mode 0600)
  std::filesystem::path server_cert;  // server.pem: the server certificate, then the CA
  std::filesystem::path server_key;   // server-key.pem (mode 0600)

  std::vector<std::filesystem::path> All() const;
};

DevCertificateFiles DevCertificateFilesIn(const std::filesystem::path& data_dir);

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

}  // namespace dtwin::cli
