// ClientE2eTest's server and client, and the conformance fixtures (see client_e2e_fixture.h).
#include "client_e2e_fixture.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

namespace dtwin::client::testing {

std::unique_ptr<dtwin::testing::DtwinServerProcess> ClientE2eTest::server_;
std::unique_ptr<DigitalTwinsClient> ClientE2eTest::client_;

boost::json::object JsonObject(std::string_view text) {
  boost::json::value value = boost::json::parse(text);
  EXPECT_TRUE(value.is_object()) << text;
  return value.is_object() ? value.as_object() : boost::json::object();
}

boost::json::array JsonArray(std::string_view text) {
  boost::json::value value = boost::json::parse(text);
  EXPECT_TRUE(value.is_array()) << text;
  return value.is_array() ? value.as_array() : boost::json::array();
}

PageOptions PageSize(int max_items_per_page, std::optional<std::string> continuation_token) {
  PageOptions options;
  options.max_items_per_page = max_items_per_page;
  options.continuation_token = std::move(continuation_token);
  return options;
}

boost::json::array FixtureModels() {
  const std::string path =
      std::string(DTWIN_SOURCE_DIR) + "/tests/conformance/fixtures/models.json";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return JsonArray(text.str());
}

boost::json::object RoomTwin(std::string_view name, const boost::json::object& extra) {
  boost::json::object twin = {
      {"$metadata", {{"$model", kRoom}}},
      {"name", name},
      {"thermostat", {{"$metadata", boost::json::object()}, {"setpoint", 20}}},
  };
  for (const auto& member : extra) twin[member.key()] = member.value();
  return twin;
}

void ClientE2eTest::StartServer(bool upload_fixture_models) {
  server_ = std::make_unique<dtwin::testing::DtwinServerProcess>();
  ASSERT_TRUE(
      server_->Start({"--endpoint", std::string(kSinkEndpoint) + "=http://127.0.0.1:9/events"}))
      << server_->first_line() << "\n"
      << server_->Stderr();
  DigitalTwinsClientOptions options;
  // A server error must fail the test at once, not after back-off (as in the SDK suite).
  options.retry.max_retries = 0;
  client_ = std::make_unique<DigitalTwinsClient>(
      server_->url(), std::make_shared<StaticTokenCredential>("conformance"), options);
  if (upload_fixture_models) client_->CreateModels(FixtureModels());
}

void ClientE2eTest::TearDownTestSuite() {
  client_.reset();
  if (server_ == nullptr) return;
  EXPECT_EQ(server_->Stop(), 0) << "dtwin serve after SIGTERM\n" << server_->Stderr();
  server_.reset();
}

}  // namespace dtwin::client::testing
