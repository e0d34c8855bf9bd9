// The transport settings of `dtwin serve`: --listen-https, --dev-tls and the limits from
// flags and TOML (flags win), their checks, and the HttpServer options they make.
#include "server/transport_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_test_fixture.h"
#include "server/server_config.h"

namespace dtwin::server {
namespace {

namespace fs = std::filesystem;

using TransportConfigTest = ConfigTest;

TEST_F(TransportConfigTest, DefaultsMakeOnePlainListenerWithTheDocumentedLimits) {
  Result<ServerConfig> config = ParseServeArgs({});
  ASSERT_TRUE(config.ok()) << config.status().message();
  HttpServerOptions options = HttpServerOptionsFor(*config);
  ASSERT_EQ(options.listeners.size(), 1u);
  EXPECT_EQ(options.listeners[0].host, "127.0.0.1");
  EXPECT_EQ(options.listeners[0].port, 8080);
  EXPECT_FALSE(options.listeners[0].tls);
  EXPECT_EQ(options.max_connections, 1000u);
  EXPECT_EQ(options.header_limit, 16384u);
  EXPECT_EQ(options.request_timeout, std::chrono::seconds(30));
  EXPECT_EQ(options.idle_timeout, std::chrono::seconds(120));
}

TEST_F(TransportConfigTest, ACertificateAloneMakesListenHttps) {
  Result<ServerConfig> config =
      ParseServeArgs({"--listen", "127.0.0.1:9443", "--tls-cert", "c.pem", "--tls-key", "k.pem"});
  ASSERT_TRUE(config.ok()) << config.status().message();
  HttpServerOptions options = HttpServerOptionsFor(*config);
  ASSERT_EQ(options.listeners.size(), 1u);
  EXPECT_TRUE(options.listeners[0].tls);
  EXPECT_EQ(options.listeners[0].port, 9443);
  EXPECT_EQ(options.tls_cert, "c.pem");
  EXPECT_EQ(options.tls_key, "k.pem");
}

TEST_F(TransportConfigTest, ListenHttpsAddsAnHttpsListenerBesideThePlainOne) {
  Result<ServerConfig> config = ParseServeArgs(
      {"--listen", "127.0.0.1:8080", "--listen-https=[::1]:8443", "--dev-tls", "--max-connections",
       "50", "--max-header-bytes=4096", "--request-timeout", "5", "--idle-timeout", "7"});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_TRUE(config->transport.dev_tls);
  HttpServerOptions options = HttpServerOptionsFor(*config);
  ASSERT_EQ(options.listeners.size(), 2u);
  EXPECT_FALSE(options.listeners[0].tls);
  EXPECT_EQ(options.listeners[1].host, "::1");
  EXPECT_EQ(options.listeners[1].port, 8443);
  EXPECT_TRUE(options.listeners[1].tls);
  EXPECT_EQ(options.max_connections, 50u);
  EXPECT_EQ(options.header_limit, 4096u);
  EXPECT_EQ(options.request_timeout, std::chrono::seconds(5));
  EXPECT_EQ(options.idle_timeout, std::chrono::seconds(7));
}

TEST_F(TransportConfigTest, DevTlsStandsAloneOrTakesTrueOrFalse) {
  // Standing alone it does not swallow the next argument.
  Result<ServerConfig> alone = ParseServeArgs({"--dev-tls", "--listen", "127.0.0.1:1"});
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  EXPECT_TRUE(alone->transport.dev_tls);
  EXPECT_EQ(alone->listen_port, 1);
  Result<ServerConfig> off = ParseServeArgs({"--dev-tls=false"});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->transport.dev_tls);
  EXPECT_NE(ErrorOf({"--dev-tls=maybe"}).find("--dev-tls takes true or false"), std::string::npos);
}

TEST_F(TransportConfigTest, TomlSettingsAndFlagsOverThem) {
  std::string file = WriteConfig(
      "listen_https = \"127.0.0.1:9443\"\n"
      "dev_tls = true\n"
      "max_connections = 20\n"
      "max_header_bytes = 8192\n"
      "request_timeout = 10\n"
      "idle_timeout = 60\n");
  Result<ServerConfig> config = ParseServeArgs({"--config", file, "--max-connections", "30"});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_TRUE(config->transport.https_listener);
  EXPECT_EQ(config->transport.https_port, 9443);
  EXPECT_TRUE(config->transport.dev_tls);
  EXPECT_EQ(config->transport.max_connections, 30);
  EXPECT_EQ(config->transport.max_header_bytes, 8192);
  EXPECT_EQ(config->transport.request_timeout_seconds, 10);
  EXPECT_EQ(config->transport.idle_timeout_seconds, 60);
}

TEST_F(TransportConfigTest, BadValuesNameTheFlagOrTheFileAndLine) {
  EXPECT_NE(ErrorOf({"--listen-https", "127.0.0.1:1"}).find("--listen-https needs a certificate"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--dev-tls", "--tls-cert", "c", "--tls-key", "k"})
                .find("give either it or --tls-cert/--tls-key"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--listen-https", "nope"}).find("--listen-https: listen address 'nope'"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--max-connections", "0"}).find("from 1 to 1000000"), std::string::npos);
  EXPECT_NE(ErrorOf({"--max-header-bytes", "12"}).find("from 1024 to 1048576"), std::string::npos);
  EXPECT_NE(ErrorOf({"--request-timeout", "soon"})
                .find("--request-timeout takes a number of seconds, not 'soon'"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--idle-timeout", "0"}).find("from 1 to 86400"), std::string::npos);

  std::string file = WriteConfig("dev_tls = true\nidle_timeout = \"long\"\n");
  std::string message = ErrorOf({"--config", file});
  EXPECT_NE(message.find("dtwin.toml:2: 'idle_timeout' must be a number of seconds"),
            std::string::npos)
      << message;
  file = WriteConfig("max_connections = -1\n");
  message = ErrorOf({"--config", file});
  EXPECT_NE(message.find("dtwin.toml:1: 'max_connections' is a number of connections"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace dtwin::server
