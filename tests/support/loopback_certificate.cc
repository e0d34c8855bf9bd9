// Test certificates via the openssl command (see the header).
#include "loopback_certificate.h"

#include <cstdlib>

namespace dtwin::testing {

bool HaveOpensslCommand() { return std::system("command -v openssl >/dev/null 2>&1") == 0; }

CertificateFiles MakeLoopbackCertificate(const std::string& dir) {
  CertificateFiles files{dir + "/cert.pem", dir + "/key.pem"};
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      files.key + "' -out '" + files.cert + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) return {};
  return files;
}

}  // namespace dtwin::testing
