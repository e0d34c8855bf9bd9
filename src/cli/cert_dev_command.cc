// `dtwin cert dev`: option parsing, the refusal to overwrite, and the instructions printed
// after the files are written (see dev_certificates.h for the certificates themselves).
#include "cli/cert_dev_command.h"

#include <filesystem>
#include <iomanip>
#include <ostream>
#include <string_view>

#include "auth/dev_certificates.h"

namespace dtwin::cli {

namespace {

namespace fs = std::filesystem;
using auth::DevCertificateFiles;
using auth::DevCertificatePems;

constexpr int kExitWritten = 0;
constexpr int kExitFailed = 2;
constexpr std::string_view kDefaultDataDir = "dtwin-data";

void PrintInstructions(const DevCertificateFiles& files, std::ostream& out) {
  out << "Wrote a development CA and a server certificate for localhost, 127.0.0.1 and ::1 in "
      << files.ca_cert.parent_path().string() << ":\n";
  for (auto [path, what] :
       {std::pair{&files.ca_cert, "the CA certificate: trust this one"},
        std::pair{&files.ca_key, "the CA's private key: keep it private, it can sign for any name"},
        std::pair{&files.server_cert, "the server certificate, then the CA's (the chain to serve)"},
        std::pair{&files.server_key, "the server's private key"}}) {
    out << "  " << std::left << std::setw(16) << path->filename().string() << what << "\n";
  }
  out << "\n"
      << "Serve HTTPS with them:\n"
      << "  dtwin serve --tls-cert " << auth::ShellWord(files.server_cert) << " --tls-key "
      << auth::ShellWord(files.server_key) << "\n"
      << "\n"
      << "Make clients trust the CA (then use https://localhost:PORT or https://127.0.0.1:PORT):\n"
      << auth::TrustEnvironmentLines(files.ca_cert)
      << "REQUESTS_CA_BUNDLE, SSL_CERT_FILE and CURL_CA_BUNDLE replace the system's CA list for\n"
      << "that process; NODE_EXTRA_CA_CERTS adds to it. To reach public HTTPS services from the\n"
      << "same process, point them at a copy of the system bundle with ca.pem appended.\n";
}

}  // namespace

std::string CertDevUsage() {
  return "usage: dtwin cert dev [--data-dir DIR] [--force]\n"
         "\n"
         "Writes a development certificate authority and a server certificate it signed for\n"
         "localhost, 127.0.0.1 and ::1 into DIR/tls/ (ca.pem, ca-key.pem, server.pem,\n"
         "server-key.pem; keys readable by you only), then prints the `dtwin serve` flags that\n"
         "use them and the environment variables that make clients trust the CA.\n"
         "For development only: anyone with ca-key.pem can sign for any name.\n"
         "\n"
         "options:\n"
         "  --data-dir DIR   the data directory (default ./dtwin-data)\n"
         "  --force          replace certificates that are already there\n"
         "\n"
         "exit status: 0 written; 2 usage error, files already there, or failure\n";
}

int RunCertDev(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  fs::path data_dir(kDefaultDataDir);
  bool force = false;
  auto usage_error = [&err](const std::string& message) {
    err << "dtwin: " << message << "\n" << CertDevUsage();
    return kExitFailed;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out << CertDevUsage();
      return kExitWritten;
    }
    if (arg == "--force") {
      force = true;
    } else if (arg == "--data-dir" || arg.starts_with("--data-dir=")) {
      std::string value = arg != "--data-dir"   ? arg.substr(arg.find('=') + 1)
                          : i + 1 < args.size() ? args[++i]
                                                : "";
      if (value.empty()) return usage_error("--data-dir needs a directory");
      data_dir = value;
    } else {
      return usage_error("unexpected argument '" + arg + "'");
    }
  }

  std::error_code ec;
  const DevCertificateFiles files = auth::DevCertificateFilesIn(fs::absolute(data_dir, ec));
  if (ec) {
    err << "dtwin: " << data_dir.string() << ": " << ec.message() << "\n";
    return kExitFailed;
  }
  if (!force && auth::FindDevCertificates(files) != auth::DevCertificatesPresent::kNone) {
    err << "dtwin: " << files.ca_cert.parent_path().string()
        << " already holds development certificates; pass --force to replace them "
           "(clients that trust the old CA must then trust the new ca.pem)\n";
    return kExitFailed;
  }
  Result<DevCertificatePems> pems = auth::MakeDevCertificates();
  Status written = pems ? auth::WriteDevCertificates(files, *pems) : pems.status();
  if (!written.ok()) {
    err << "dtwin: " << written.message() << "\n";
    return kExitFailed;
  }
  PrintInstructions(files, out);
  return kExitWritten;
}

}  // namespace dtwin::cli
