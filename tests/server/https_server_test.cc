// HTTPS in-process, with development certificates made by dtwin_auth: plain HTTP and HTTPS
// listeners at once; handshakes trusted through the development CA from curl, Python (ssl,
// urllib) and Node (https); TLS 1.1 and weak TLS 1.2 suites refused; the certificate reloaded
// on SIGHUP while an open keep-alive connection keeps working; a bad new file keeps the old
// certificate. External clients that are not installed make their test skip, naming them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "auth/dev_certificates.h"
#include "command_runner.h"
#include "raw_http_client.h"
#include "server/http_server.h"
#include "server/request_context.h"

namespace dtwin::server {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::HaveProgram;
using testing::RawHttpClient;
using testing::RawResponse;
using testing::RunCommand;
using testing::ShellQuote;

constexpr const char* kEcho = "/echo/x?api-version=2023-10-31";

// A Python server that allows TLS 1.1 accepts the TLS 1.1 client (the control: this Python
// and OpenSSL can speak it), then dtwin is asked the same, and a TLS 1.2 client offering only
// a CBC-SHA1 suite; each line says "ok VERSION" or "refused".
constexpr const char* kOldProtocolsScript = R"PY(
import socket, ssl, sys, threading, warnings
warnings.simplefilter("ignore")
port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def client(version, ciphers):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    c.minimum_version = c.maximum_version = version
    c.set_ciphers(ciphers)
    return c
def attempt(name, context, address):
    try:
        with context.wrap_socket(socket.create_connection(address)) as s:
            print(name, "ok", s.version())
    except (ssl.SSLError, OSError) as e:
        print(name, "refused", e)
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server.minimum_version = ssl.TLSVersion.TLSv1_1
server.set_ciphers("DEFAULT:@SECLEVEL=0")
server.load_cert_chain(cert, key)
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
def serve():
    connection, _ = listener.accept()
    try:
        with server.wrap_socket(connection, server_side=True) as s:
            s.recv(1)
    except (ssl.SSLError, OSError):
        pass
threading.Thread(target=serve, daemon=True).start()
tls11 = client(ssl.TLSVersion.TLSv1_1, "DEFAULT:@SECLEVEL=0")
attempt("control-tls1.1", tls11, listener.getsockname())
attempt("dtwin-tls1.1", tls11, ("127.0.0.1", port))
attempt("dtwin-tls1.2-cbc-sha1", client(ssl.TLSVersion.TLSv1_2, "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0"),
        ("127.0.0.1", port))
attempt("dtwin-tls1.2", client(ssl.TLSVersion.TLSv1_2, "DEFAULT"), ("127.0.0.1", port))
attempt("dtwin-tls1.3", client(ssl.TLSVersion.TLSv1_3, "DEFAULT"), ("127.0.0.1", port))
)PY";

// One keep-alive connection is opened; the served files are replaced by the new ones and
// the server gets SIGHUP; new connections are made until one sees another certificate; then
// the first connection is used again. Prints one line of facts.
constexpr const char* kReloadScript = R"PY(
import hashlib, http.client, os, shutil, signal, ssl, sys, time
port, bundle, cert, key, new_cert, new_key, pid = sys.argv[1:8]
context = ssl.create_default_context(cafile=bundle)
def fingerprint(connection):
    return hashlib.sha256(connection.sock.getpeercert(binary_form=True)).hexdigest()
def get(connection):
    connection.request("GET", "/echo/x?api-version=2023-10-31")
    response = connection.getresponse()
    response.read()
    return response.status
old = http.client.HTTPSConnection("127.0.0.1", int(port), context=context)
first_status = get(old)
old_socket, old_print = old.sock, fingerprint(old)
shutil.copy(new_cert, cert)
shutil.copy(new_key, key)
os.kill(int(pid), signal.SIGHUP)
new_print = None
for _ in range(400):
    connection = http.client.HTTPSConnection("127.0.0.1", int(port), context=context)
    get(connection)
    seen = fingerprint(connection)
    connection.close()
    if seen != old_print:
        new_print = seen
        break
    time.sleep(0.05)
leaf = open(new_cert).read().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
expected = hashlib.sha256(ssl.PEM_cert_to_DER_cert(leaf)).hexdigest()
again = get(old)
print("first", first_status, "new_is_expected", new_print == expected,
      "old_again", again, "same_socket", old.sock is old_socket,
      "old_certificate_kept", fingerprint(old) == old_print)
)PY";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_https_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "served");
    first_ = MakeSet("first");
    second_ = MakeSet("second");
    fs::copy_file(first_.server_cert, served_cert());
    fs::copy_file(first_.server_key, served_key());

    Router router;
    router.Add(HttpMethod::kGet, "/echo/{id}",
               [](const RequestContext& context, Responder respond) {
                 respond(JsonResponse(200, "{\"id\":\"" + context.param(0) + "\"}"));
               });
    dispatcher_ = std::make_unique<ApiDispatcher>(std::move(router));
    HttpServerOptions options;
    options.listeners = {ListenAddress{"127.0.0.1", 0, false}, ListenAddress{"127.0.0.1", 0, true}};
    options.tls_cert = served_cert().string();
    options.tls_key = served_key().string();
    options.threads = 2;
    options.stop_on_signals = true;  // SIGHUP reloads; the tests send it to themselves
    Result<std::unique_ptr<HttpServer>> server = HttpServer::Create(options, *dispatcher_, nullptr);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    runner_ = std::thread([this] { server_->Run(); });
    std::vector<std::string> urls = server_->urls();
    ASSERT_EQ(urls.size(), 2u);
    http_url_ = urls[0];
    https_url_ = urls[1];
  }

  void TearDown() override {
    if (runner_.joinable()) {
      server_->Stop();
      runner_.join();
    }
    fs::remove_all(dir_);
  }

  auth::DevCertificateFiles MakeSet(const std::string& name) {
    auth::DevCertificateFiles files = auth::DevCertificateFilesIn(dir_ / name);
    Result<auth::DevCertificatePems> pems = auth::MakeDevCertificates();
    EXPECT_TRUE(pems.ok()) << pems.status().message();
    if (pems.ok()) {
      EXPECT_TRUE(auth::WriteDevCertificates(files, *pems).ok());
    }
    return files;
  }

  fs::path served_cert() const { return dir_ / "served" / "cert.pem"; }
  fs::path served_key() const { return dir_ / "served" / "key.pem"; }
  int https_port() const { return std::stoi(https_url_.substr(https_url_.rfind(':') + 1)); }
  int http_port() const { return std::stoi(http_url_.substr(http_url_.rfind(':') + 1)); }

  // curl's HTTP status for an HTTPS GET trusting ca only, or its error.
  CommandResult Curl(const std::string& host, const fs::path& ca) {
    return RunCommand("curl -sS -o /dev/null -w '%{http_code}' --cacert " +
                      ShellQuote(ca.string()) + " 'https://" + host + ":" +
                      std::to_string(https_port()) + kEcho + "'");
  }

  fs::path WriteScript(const std::string& name, const char* text) {
    fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }

  fs::path dir_;
  auth::DevCertificateFiles first_;
  auth::DevCertificateFiles second_;
  std::unique_ptr<ApiDispatcher> dispatcher_;
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  std::string http_url_;
  std::string https_url_;
};

TEST_F(HttpsServerTest, ServesPlainHttpAndHttpsAtOnce) {
  EXPECT_EQ(http_url_.rfind("http://127.0.0.1:", 0), 0u) << http_url_;
  EXPECT_EQ(https_url_.rfind("https://127.0.0.1:", 0), 0u) << https_url_;
  EXPECT_EQ(server_->url(), http_url_);

  RawHttpClient plain;
  ASSERT_TRUE(plain.Connect(http_port()));
  ASSERT_TRUE(plain.Send(std::string("GET ") + kEcho + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<RawResponse> response = plain.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, R"({"id":"x"})");

  // Plain HTTP to the HTTPS port is not answered as HTTP.
  RawHttpClient wrong;
  ASSERT_TRUE(wrong.Connect(https_port()));
  wrong.Send(std::string("GET ") + kEcho + " HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_FALSE(wrong.ReadResponse());
}

TEST_F(HttpsServerTest, CurlTrustsTheDevelopmentCaAloneForEachLoopbackName) {
  if (!HaveProgram("curl")) GTEST_SKIP() << "curl is not installed";
  for (const char* host : {"127.0.0.1", "localhost"}) {
    CommandResult trusted = Curl(host, first_.ca_cert);
    EXPECT_EQ(trusted.exit_code, 0) << host << ": " << trusted.output;
    EXPECT_EQ(trusted.output, "200") << host;
    // Another development CA is not trusted (curl 60: the peer certificate cannot be verified).
    EXPECT_EQ(Curl(host, second_.ca_cert).exit_code, 60) << host;
  }
}

TEST_F(HttpsServerTest, PythonUrllibTrustsTheDevelopmentCa) {
  if (!HaveProgram("python3")) GTEST_SKIP() << "python3 is not installed";
  CommandResult result = RunCommand(
      "python3 -c 'import ssl, sys, urllib.request; "
      "r = urllib.request.urlopen(sys.argv[1], "
      "context=ssl.create_default_context(cafile=sys.argv[2])); "
      "print(r.status, r.read().decode())' " +
      ShellQuote(https_url_ + kEcho) + " " + ShellQuote(first_.ca_cert.string()));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "200 {\"id\":\"x\"}\n");

  CommandResult untrusted = RunCommand(
      "python3 -c 'import ssl, sys, urllib.request; "
      "urllib.request.urlopen(sys.argv[1], "
      "context=ssl.create_default_context(cafile=sys.argv[2]))' " +
      ShellQuote(https_url_ + kEcho) + " " + ShellQuote(second_.ca_cert.string()));
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_NE(untrusted.output.find("CERTIFICATE_VERIFY_FAILED"), std::string::npos)
      << untrusted.output;
}

TEST_F(HttpsServerTest, NodeHttpsTrustsTheDevelopmentCaThroughNodeExtraCaCerts) {
  if (!HaveProgram("node")) GTEST_SKIP() << "node is not installed";
  const std::string script =
      "require(\"https\").get(process.argv[1], (r) => { let b = \"\"; r.on(\"data\", (d) => b += "
      "d); "
      "r.on(\"end\", () => console.log(r.statusCode, b)); })"
      ".on(\"error\", (e) => { console.log(\"error\", e.code); process.exit(1); });";
  auto run = [&](const fs::path& ca) {
    return RunCommand("NODE_EXTRA_CA_CERTS=" + ShellQuote(ca.string()) + " node -e " +
                      ShellQuote(script) + " " + ShellQuote(https_url_ + kEcho));
  };
  CommandResult trusted = run(first_.ca_cert);
  EXPECT_EQ(trusted.exit_code, 0) << trusted.output;
  EXPECT_EQ(trusted.output, "200 {\"id\":\"x\"}\n");
  CommandResult untrusted = run(second_.ca_cert);
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.output;
  EXPECT_NE(untrusted.output.find("error"), std::string::npos) << untrusted.output;
}

TEST_F(HttpsServerTest, RefusesTls11AndWeakSuitesAndSpeaksTls12And13) {
  if (!HaveProgram("python3")) GTEST_SKIP() << "python3 is not installed";
  fs::path script = WriteScript("old_protocols.py", kOldProtocolsScript);
  CommandResult result = RunCommand(
      "python3 " + ShellQuote(script.string()) + " " + std::to_string(https_port()) + " " +
      ShellQuote(first_.server_cert.string()) + " " + ShellQuote(first_.server_key.string()));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  if (result.output.find("control-tls1.1 ok TLSv1.1") == std::string::npos) {
    GTEST_SKIP() << "this Python and OpenSSL cannot speak TLS 1.1 even to a server that allows "
                    "it, so a refusal would prove nothing:\n"
                 << result.output;
  }
  EXPECT_NE(result.output.find("dtwin-tls1.1 refused"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("dtwin-tls1.2-cbc-sha1 refused"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("dtwin-tls1.2 ok TLSv1.2"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("dtwin-tls1.3 ok TLSv1.3"), std::string::npos) << result.output;
}

TEST_F(HttpsServerTest, SighupServesTheNewCertificateToNewConnectionsOnly) {
  if (!HaveProgram("python3")) GTEST_SKIP() << "python3 is not installed";
  // The client trusts both CAs, so that it can tell the certificates apart by fingerprint.
  fs::path bundle = dir_ / "both-cas.pem";
  std::ofstream(bundle) << ReadFile(first_.ca_cert) << ReadFile(second_.ca_cert);
  fs::path script = WriteScript("reload.py", kReloadScript);
  CommandResult result = RunCommand(
      "python3 " + ShellQuote(script.string()) + " " + std::to_string(https_port()) + " " +
      ShellQuote(bundle.string()) + " " + ShellQuote(served_cert().string()) + " " +
      ShellQuote(served_key().string()) + " " + ShellQuote(second_.server_cert.string()) + " " +
      ShellQuote(second_.server_key.string()) + " " + std::to_string(::getpid()));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output,
            "first 200 new_is_expected True old_again 200 same_socket True "
            "old_certificate_kept True\n");
}

TEST_F(HttpsServerTest, ABadNewCertificateKeepsTheOldOne) {
  if (!HaveProgram("curl")) GTEST_SKIP() << "curl is not installed";
  std::ofstream(served_cert()) << "not a certificate\n";
  Status reloaded = server_->ReloadCertificate();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_NE(reloaded.message().find("cannot load the TLS certificate '" + served_cert().string()),
            std::string::npos)
      << reloaded.message();

  // The second set's certificate with the first set's key: refused as a mismatched pair.
  fs::copy_file(second_.server_cert, served_cert(), fs::copy_options::overwrite_existing);
  reloaded = server_->ReloadCertificate();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_NE(reloaded.message().find("cannot load the TLS private key"), std::string::npos)
      << reloaded.message();

  CommandResult still = Curl("127.0.0.1", first_.ca_cert);
  EXPECT_EQ(still.output, "200") << still.output;

  // Once the key matches too, the reload takes.
  fs::copy_file(second_.server_key, served_key(), fs::copy_options::overwrite_existing);
  ASSERT_TRUE(server_->ReloadCertificate().ok());
  EXPECT_EQ(Curl("127.0.0.1", second_.ca_cert).output, "200");
  EXPECT_EQ(Curl("127.0.0.1", first_.ca_cert).exit_code, 60);
}

}  // namespace
}  // namespace dtwin::server
