// A throwaway TLS certificate for tests that serve HTTPS on 127.0.0.1: self-signed, CN and
// subjectAltName 127.0.0.1, made by the openssl command. Thread-compatible.
#pragma once

#include <string>

namespace dtwin::testing {

struct CertificateFiles {
  std::string cert;  // PEM certificate, also the CA to trust
  std::string key;   // PEM private key
};

// Whether the openssl command (Debian package openssl) is on PATH.
bool HaveOpensslCommand();

// Writes cert.pem and key.pem into dir (which must exist); empty paths when openssl failed.
CertificateFiles MakeLoopbackCertificate(const std::string& dir);

}  // namespace dtwin::testing
