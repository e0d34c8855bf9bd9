// `dtwin serve` settings: flags, TOML, precedence (flags over file over defaults), and bad
// input of every kind.
#include "server/server_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_test_fixture.h"

namespace dtwin::server {
namespace {

namespace fs = std::filesystem;

using ServerConfigTest = ConfigTest;

TEST_F(ServerConfigTest, Defaults) {
  Result<ServerConfig> config = ParseServeArgs({});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->data_dir, "./dtwin-data");
  EXPECT_EQ(config->auth, "none");
  EXPECT_FALSE(config->tls());
  EXPECT_TRUE(config->endpoints.empty());
}

TEST_F(ServerConfigTest, FlagsInBothForms) {
  Result<ServerConfig> config = ParseServeArgs(
      {"--listen", "0.0.0.0:0", "--data-dir=/tmp/d", "--endpoint",
       "hook=https://example.test/events", "--endpoint=audit=http://h:81/a", "--auth", "none",
       "--allow-insecure-remote", "true", "--tls-cert", "c.pem", "--tls-key=k.pem"});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->listen_host, "0.0.0.0");
  EXPECT_EQ(config->listen_port, 0);
  EXPECT_EQ(config->data_dir, "/tmp/d");
  ASSERT_EQ(config->endpoints.size(), 2u);
  EXPECT_EQ(config->endpoints[0].name, "hook");
  EXPECT_EQ(config->endpoints[0].url, "https://example.test/events");
  EXPECT_EQ(config->endpoints[1].name, "audit");
  EXPECT_TRUE(config->tls());
  EXPECT_EQ(config->tls_key, "k.pem");
}

TEST_F(ServerConfigTest, ListenAddresses) {
  ServerConfig config;
  ASSERT_TRUE(ParseListenAddress("[::1]:9000", config).ok());
  EXPECT_EQ(config.listen_host, "::1");
  EXPECT_EQ(config.listen_port, 9000);
  ASSERT_TRUE(ParseListenAddress("localhost:65535", config).ok());
  EXPECT_EQ(config.listen_host, "localhost");
  for (std::string bad :
       {"8080", "host:", ":8080", "h:65536", "h:-1", "h:80x", "[::1]9000", "[::1"}) {
    EXPECT_FALSE(ParseListenAddress(bad, config).ok()) << bad;
  }
}

TEST_F(ServerConfigTest, BadFlags) {
  EXPECT_NE(ErrorOf({"--port", "1"}).find("unknown option '--port'"), std::string::npos);
  EXPECT_NE(ErrorOf({"stray"}).find("unexpected argument 'stray'"), std::string::npos);
  EXPECT_NE(ErrorOf({"--listen"}).find("--listen needs a value"), std::string::npos);
  EXPECT_NE(ErrorOf({"--listen", "nope"}).find("needs a port"), std::string::npos);
  EXPECT_NE(ErrorOf({"--auth", "jwt"}).find("--auth jwt needs the token issuer's keys"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--tls-cert", "c.pem"}).find("go together"), std::string::npos);
  EXPECT_NE(ErrorOf({"--data-dir", ""}).find("--data-dir needs a directory"), std::string::npos);
}

TEST_F(ServerConfigTest, EventSettings) {
  Result<ServerConfig> defaults = ParseServeArgs({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->event_source, "");
  EXPECT_EQ(defaults->event_ttl_seconds, 86400);
  EXPECT_EQ(defaults->event_lanes, 0);  // the engine's per-kind defaults
  Result<ServerConfig> flags = ParseServeArgs(
      {"--event-source", "twins.example.com", "--event-ttl", "600", "--event-lanes", "2"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(flags->event_source, "twins.example.com");
  EXPECT_EQ(flags->event_ttl_seconds, 600);
  EXPECT_EQ(flags->event_lanes, 2);
  ServerConfig from_file;
  ASSERT_TRUE(ApplyConfigToml("event_source = \"a.test\"\nevent_ttl = 30\nevent_lanes = 1\n",
                              "t.toml", ".", from_file)
                  .ok());
  EXPECT_EQ(from_file.event_source, "a.test");
  EXPECT_EQ(from_file.event_ttl_seconds, 30);
  EXPECT_EQ(from_file.event_lanes, 1);
  EXPECT_NE(ErrorOf({"--event-lanes", "0"})
                .find("--event-lanes: the event lanes are a number "
                      "from 1 to 64"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--event-lanes", "65"}).find("from 1 to 64"), std::string::npos);
  EXPECT_NE(ErrorOf({"--event-lanes", "many"}).find("--event-lanes takes a number of lanes"),
            std::string::npos);
  ServerConfig bad_lanes;
  EXPECT_NE(ApplyConfigToml("event_lanes = 0\n", "t.toml", ".", bad_lanes)
                .message()
                .find("t.toml:1: the event lanes are a number from 1 to 64"),
            std::string::npos);
  EXPECT_NE(ApplyConfigToml("event_lanes = \"2\"\n", "t.toml", ".", bad_lanes)
                .message()
                .find("t.toml:1: 'event_lanes' must be a number"),
            std::string::npos);
  EXPECT_EQ(bad_lanes.event_lanes, 0);  // neither bad value was taken
  EXPECT_NE(ErrorOf({"--event-ttl", "0"}).find("from 1 to 604800"), std::string::npos);
  EXPECT_NE(ErrorOf({"--event-ttl", "soon"}).find("number of seconds"), std::string::npos);
  EXPECT_NE(ErrorOf({"--event-source", ""}).find("--event-source needs a host name"),
            std::string::npos);
  ServerConfig bad;
  Status status = ApplyConfigToml("event_ttl = \"1h\"\n", "t.toml", ".", bad);
  EXPECT_NE(status.message().find("t.toml:1: 'event_ttl' must be a number"), std::string::npos)
      << status.message();
  status = ApplyConfigToml("\nevent_source = 8080\n", "t.toml", ".", bad);
  EXPECT_NE(status.message().find("t.toml:2: 'event_source' must be a host name"),
            std::string::npos)
      << status.message();
}

TEST_F(ServerConfigTest, BadEndpoints) {
  EXPECT_NE(ErrorOf({"--endpoint", "hook"}).find("NAME=URL"), std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "hook=ftp://files.test/t"}).find("endpoint 'hook': "),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "hook=ftp://files.test/t"}).find("mqtt"), std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "hook=example.test/x"}).find("endpoint 'hook': "),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "hook=https://"}).find("No host"), std::string::npos);
  // A secret in a bad URL is never repeated.
  EXPECT_EQ(ErrorOf({"--endpoint", "hook=mqtt://user:s3cret@broker:99999/t"}).find("s3cret"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "bad name=https://h"}).find("may only contain"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "=https://h"}).find("needs a name"), std::string::npos);
  EXPECT_NE(ErrorOf({"--endpoint", "a=http://h", "--endpoint", "a=http://i"}).find("given twice"),
            std::string::npos);
  EXPECT_TRUE(ValidateEndpoint({"Hook_1-x", "HTTPS://h"}).ok());
  EXPECT_TRUE(ValidateEndpoint({"broker", "mqtt://127.0.0.1:1883/dtwin/{type}"}).ok());
  EXPECT_TRUE(ValidateEndpoint({"stream", "nats://127.0.0.1:4222/dtwin"}).ok());
}

TEST_F(ServerConfigTest, ConfigFileSettingsAndRelativePaths) {
  std::string path = WriteConfig(R"(
listen = "127.0.0.1:9090"
data_dir = "data"
auth = "none"
tls_cert = "/etc/dtwin/cert.pem"
tls_key = "key.pem"

[endpoints]
hook = "https://example.test/hook"
audit = "http://127.0.0.1:9999/audit"
)");
  Result<ServerConfig> config = ParseServeArgs({"--config", path});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->listen_port, 9090);
  EXPECT_EQ(config->data_dir, (dir_ / "data").string());
  EXPECT_EQ(config->tls_cert, "/etc/dtwin/cert.pem");
  EXPECT_EQ(config->tls_key, (dir_ / "key.pem").string());
  // TOML tables are unordered: endpoints come sorted by name.
  ASSERT_EQ(config->endpoints.size(), 2u);
  EXPECT_EQ(config->endpoints[0].name, "audit");
  EXPECT_EQ(config->endpoints[0].url, "http://127.0.0.1:9999/audit");
  EXPECT_EQ(config->endpoints[1].name, "hook");
  EXPECT_EQ(config->endpoints[1].url, "https://example.test/hook");
}

TEST_F(ServerConfigTest, FlagsOverrideTheFileWhateverTheirOrder) {
  std::string path = WriteConfig(
      "listen = \"127.0.0.1:9090\"\ndata_dir = \"/from/file\"\n"
      "[endpoints]\nhook = \"https://file.test\"\nkept = \"https://kept.test\"\n");
  Result<ServerConfig> config =
      ParseServeArgs({"--listen", "127.0.0.1:0", "--endpoint", "hook=https://flag.test", "--config",
                      path, "--endpoint", "extra=http://x.test"});
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->listen_port, 0);
  EXPECT_EQ(config->data_dir, "/from/file");
  ASSERT_EQ(config->endpoints.size(), 3u);
  EXPECT_EQ(config->endpoints[0].name, "hook");
  EXPECT_EQ(config->endpoints[0].url, "https://flag.test");
  EXPECT_EQ(config->endpoints[1].url, "https://kept.test");
  EXPECT_EQ(config->endpoints[2].name, "extra");
}

TEST_F(ServerConfigTest, BadConfigFilesSayFileAndLine) {
  std::string syntax = WriteConfig("listen = \"127.0.0.1:1\"\ndata_dir = \n");
  std::string message = ErrorOf({"--config", syntax});
  EXPECT_NE(message.find("dtwin.toml:2:"), std::string::npos) << message;

  std::string unknown = WriteConfig("listen = \"127.0.0.1:1\"\nport = \"1\"\n");
  message = ErrorOf({"--config", unknown});
  EXPECT_NE(message.find("dtwin.toml:2: unknown setting 'port'"), std::string::npos) << message;

  std::string wrong_type = WriteConfig("listen = 8080\n");
  message = ErrorOf({"--config", wrong_type});
  EXPECT_NE(message.find("dtwin.toml:1: 'listen' must be a string"), std::string::npos) << message;

  std::string bad_endpoint = WriteConfig("[endpoints]\nq = \"ftp://b/t\"\n");
  message = ErrorOf({"--config", bad_endpoint});
  EXPECT_NE(message.find("dtwin.toml:2: endpoint 'q': endpoint URL: unknown scheme 'ftp'"),
            std::string::npos)
      << message;

  std::string bad_auth = WriteConfig("auth = \"entra\"\n");
  EXPECT_NE(ErrorOf({"--config", bad_auth}).find("--auth entra needs --tenant"), std::string::npos);

  EXPECT_NE(
      ErrorOf({"--config", (dir_ / "missing.toml").string()}).find("cannot read the config file"),
      std::string::npos);
  EXPECT_NE(ErrorOf({"--config", syntax, "--config", syntax}).find("--config is given twice"),
            std::string::npos);
}

TEST_F(ServerConfigTest, QuerySettingsFromFlagsAndFile) {
  Result<ServerConfig> defaults = ParseServeArgs({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->unanchored_queries);
  EXPECT_EQ(defaults->query_timeout_seconds, 60);

  Result<ServerConfig> flags =
      ParseServeArgs({"--unanchored-queries", "true", "--query-timeout=5"});
  ASSERT_TRUE(flags.ok()) << flags.status().message();
  EXPECT_TRUE(flags->unanchored_queries);
  EXPECT_EQ(flags->query_timeout_seconds, 5);

  std::string path = WriteConfig("unanchored_queries = true\nquery_timeout = 7\n");
  Result<ServerConfig> file = ParseServeArgs({"--config", path, "--query-timeout", "9"});
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_TRUE(file->unanchored_queries);
  EXPECT_EQ(file->query_timeout_seconds, 9);  // the flag wins over the file
}

TEST_F(ServerConfigTest, BadQuerySettings) {
  EXPECT_NE(ErrorOf({"--unanchored-queries", "yes"}).find("takes true or false"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--query-timeout", "5s"}).find("number of seconds"), std::string::npos);
  EXPECT_NE(ErrorOf({"--query-timeout", "0"}).find("from 1 to 86400"), std::string::npos);
  std::string wrong_type = WriteConfig("unanchored_queries = \"true\"\n");
  EXPECT_NE(ErrorOf({"--config", wrong_type}).find("dtwin.toml:1: 'unanchored_queries' must be"),
            std::string::npos);
  std::string too_long = WriteConfig("query_timeout = 100000\n");
  EXPECT_NE(ErrorOf({"--config", too_long}).find("dtwin.toml:1: the query timeout"),
            std::string::npos);
}

}  // namespace
}  // namespace dtwin::server
