// The samples (samples/) as a user runs them: each program with AZURE_URL pointing at a
// `dtwin serve` this test starts, checked for its exit code and the lines that show it did
// its job; afterwards the client library checks the instance is as the sample left it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "dtwin/client/digital_twins_client.h"
#include "dtwin_server_process.h"

namespace dtwin::samples {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kEndpointName = "samples-endpoint";

struct SampleRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class SamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // An endpoint for event_routes; nothing listens there, and nothing needs to: routes are
    // only created, read, listed and deleted.
    ASSERT_TRUE(server_.Start({"--endpoint", std::string(kEndpointName) + "=http://127.0.0.1:9/"}))
        << server_.Stderr();
    client_ = std::make_unique<client::DigitalTwinsClient>(
        server_.url(), std::make_shared<client::StaticTokenCredential>("samples-test"));
  }

  // Runs samples/NAME with AZURE_URL set to the server (and env_assignments, "NAME=value"),
  // without any credential variables the test's own environment may carry.
  SampleRun Run(const std::string& name, const std::vector<std::string>& env_assignments = {}) {
    fs::path program = fs::path(DTWIN_BINARY_DIR) / "samples" / name;
    fs::path err_path = server_.data_dir().parent_path() / (name + ".stderr");
    std::string command =
        "env -u DTWIN_TOKEN -u AZURE_TENANT_ID -u AZURE_CLIENT_ID "
        "-u AZURE_CLIENT_SECRET -u EVENT_ROUTE_ENDPOINT_NAME AZURE_URL='" +
        server_.url() + "'";
    for (const std::string& assignment : env_assignments) command += " '" + assignment + "'";
    command += " '" + program.string() + "' 2>'" + err_path.string() + "'";

    SampleRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      run.out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream err_in(err_path);
    std::stringstream err_text;
    err_text << err_in.rdbuf();
    run.err = err_text.str();
    return run;
  }

  // Every line of text that starts with prefix, in order.
  static std::vector<std::string> LinesStartingWith(const std::string& text,
                                                    const std::string& prefix) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with(prefix)) lines.push_back(line);
    }
    return lines;
  }

  size_t TwinCount() {
    size_t twins = 0;
    for (const auto& twin : client_->QueryTwins("SELECT * FROM digitaltwins")) {
      twins += twin.contains("$dtId");
    }
    return twins;
  }

  std::set<std::string> ModelIds() {
    std::set<std::string> ids;
    for (const client::ModelData& model : client_->ListModels()) ids.insert(model.id);
    return ids;
  }

  dtwin::testing::DtwinServerProcess server_;
  std::unique_ptr<client::DigitalTwinsClient> client_;
};

#define EXPECT_RAN_OK(run) EXPECT_EQ((run).exit_code, 0) << (run).out << (run).err

TEST_F(SamplesTest, CreateClientConnectsAndLogsEachAttempt) {
  SampleRun run = Run("create_client");
  EXPECT_RAN_OK(run);
  EXPECT_THAT(run.out, HasSubstr("Created a client for " + server_.url() + "\n"));
  // The logging hook saw the one GET of the models list, answered at the first attempt.
  EXPECT_TRUE(std::regex_search(
      run.out,
      std::regex("  GET " + server_.url() +
                 R"(/models\?[^ ]*api-version=2023-10-31[^ ]* -> 200 \(attempt 1, \d+ us\))")))
      << run.out;
  EXPECT_THAT(run.out, HasSubstr("The instance has 0 models\n"));
}

TEST_F(SamplesTest, CreateClientUsesDtwinTokenWhenSet) {
  SampleRun run = Run("create_client", {"DTWIN_TOKEN=a-token-from-az"});
  EXPECT_RAN_OK(run);
  EXPECT_THAT(run.out, HasSubstr("The instance has 0 models\n"));
}

TEST_F(SamplesTest, SamplesWithoutAzureUrlSayWhatIsMissing) {
  SampleRun run = Run("create_client", {"AZURE_URL="});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("set AZURE_URL"));
  EXPECT_EQ(run.out, "");
}

TEST_F(SamplesTest, ModelsLifecycle) {
  SampleRun run = Run("models_lifecycle");
  EXPECT_RAN_OK(run);
  constexpr const char* kSensor = "dtmi:com:example:samples:lifecycle:Sensor;1";
  constexpr const char* kBattery = "dtmi:com:example:samples:lifecycle:Battery;1";
  EXPECT_THAT(run.out, HasSubstr("Created models:\n  " + std::string(kBattery) +
                                 " {\"en\":\"Battery\"}\n  " + kSensor + " {\"en\":\"Sensor\"}\n"));
  EXPECT_TRUE(std::regex_search(
      run.out, std::regex("Got model dtmi:com:example:samples:lifecycle:Sensor;1 uploaded at "
                          R"(\d{4}-\d\d-\d\dT[^ ]+, its DTDL has 2 contents)")))
      << run.out;
  // dependenciesFor the sensor: the sensor and its component's model, nothing else.
  std::string needs = run.out.substr(run.out.find("Models the sensor needs:\n"));
  needs = needs.substr(0, needs.find("All models:"));
  EXPECT_THAT(needs, HasSubstr(kSensor));
  EXPECT_THAT(needs, HasSubstr(kBattery));
  EXPECT_EQ(LinesStartingWith(needs, "  ").size(), 2u) << needs;
  EXPECT_THAT(run.out, HasSubstr("Decommissioned " + std::string(kSensor) + ": yes\n"));
  EXPECT_THAT(run.out, HasSubstr("Getting it again fails: ModelNotFound\n"));
  EXPECT_EQ(ModelIds(), std::set<std::string>{});
}

TEST_F(SamplesTest, TwinsLifecycleCreatesQueriesPageByPageAndDeletes) {
  SampleRun run = Run("twins_lifecycle");
  EXPECT_RAN_OK(run);
  EXPECT_THAT(run.out, HasSubstr("Uploaded the sample models\n"));
  for (const char* id : {"sample-room-1", "sample-room-2", "sample-room-3"}) {
    EXPECT_THAT(run.out, HasSubstr("Created " + std::string(id) + "\n"));
  }
  EXPECT_THAT(run.out, HasSubstr("Updated sample-room-1: temperature 25.5\n"));
  // Three rooms at two per page: two pages, each room once.
  std::vector<std::string> pages = LinesStartingWith(run.out, "Query page (charge ");
  ASSERT_EQ(pages.size(), 2u) << run.out;
  std::multiset<std::string> seen;
  for (const std::string& page : pages) {
    std::istringstream words(page.substr(page.find("):") + 2));
    for (std::string id; words >> id;) seen.insert(id);
  }
  EXPECT_EQ(seen, (std::multiset<std::string>{"sample-room-1", "sample-room-2", "sample-room-3"}));
  EXPECT_THAT(run.out, HasSubstr("Deleted 3 twins\n"));
  EXPECT_EQ(TwinCount(), 0u);

  // The sample models stay, and a second run uses them.
  EXPECT_EQ(ModelIds(), (std::set<std::string>{"dtmi:com:example:samples:Floor;1",
                                               "dtmi:com:example:samples:Room;1",
                                               "dtmi:com:example:samples:Thermostat;1"}));
  SampleRun again = Run("twins_lifecycle");
  EXPECT_RAN_OK(again);
  EXPECT_THAT(again.out, HasSubstr("The sample models are already there\n"));
  EXPECT_THAT(again.out, Not(HasSubstr("Uploaded the sample models")));
}

TEST_F(SamplesTest, ComponentsGetAndUpdate) {
  SampleRun run = Run("components");
  EXPECT_RAN_OK(run);
  std::vector<std::string> reads = LinesStartingWith(run.out, "Component thermostat: ");
  EXPECT_EQ(reads, (std::vector<std::string>{"Component thermostat: targetTemperature 21",
                                             "Component thermostat: targetTemperature 23.5"}));
  EXPECT_TRUE(std::regex_search(
      run.out, std::regex(R"(Updated component thermostat, the twin's etag is now W/"[^"]+")")))
      << run.out;
  EXPECT_TRUE(std::regex_search(
      run.out, std::regex(R"(\n  targetTemperature last written at \d{4}-\d\d-\d\dT[^ ]+Z\n)")))
      << run.out;
  EXPECT_EQ(TwinCount(), 0u);
}

TEST_F(SamplesTest, RelationshipsCreateGetListDelete) {
  SampleRun run = Run("relationships");
  EXPECT_RAN_OK(run);
  EXPECT_THAT(run.out,
              HasSubstr("Created relationship sample-floor-contains-sample-floor-room-1\n"
                        "Created relationship sample-floor-contains-sample-floor-room-2\n"));
  EXPECT_THAT(run.out,
              HasSubstr("Got relationship sample-floor-contains-sample-floor-room-1: sample-floor "
                        "contains sample-floor-room-1\n"));
  std::vector<std::string> outgoing = LinesStartingWith(run.out, "Outgoing 'contains' of ");
  EXPECT_EQ(std::set<std::string>(outgoing.begin(), outgoing.end()),
            (std::set<std::string>{"Outgoing 'contains' of sample-floor: sample-floor-room-1",
                                   "Outgoing 'contains' of sample-floor: sample-floor-room-2"}));
  EXPECT_EQ(
      LinesStartingWith(run.out, "Incoming to "),
      std::vector<std::string>{"Incoming to sample-floor-room-2: contains from sample-floor"});
  EXPECT_THAT(run.out, HasSubstr("Deleted 2 relationships\nDeleted the twins\n"));
  EXPECT_EQ(TwinCount(), 0u);
}

TEST_F(SamplesTest, EventRoutesCreateGetListDelete) {
  SampleRun run = Run("event_routes", {std::string("EVENT_ROUTE_ENDPOINT_NAME=") + kEndpointName});
  EXPECT_RAN_OK(run);
  EXPECT_THAT(run.out, HasSubstr("Created route sample-route\n"));
  EXPECT_THAT(run.out, HasSubstr("Got route sample-route: endpoint samples-endpoint, filter type = "
                                 "'Microsoft.DigitalTwins.Twin.Create' OR type = "
                                 "'microsoft.iot.telemetry'\n"));
  EXPECT_EQ(LinesStartingWith(run.out, "Listed route "),
            std::vector<std::string>{"Listed route sample-route -> samples-endpoint"});
  EXPECT_THAT(run.out, HasSubstr("Deleted route sample-route\n"));
  EXPECT_TRUE(client_->ListEventRoutes().NextPage()->items.empty());
}

TEST_F(SamplesTest, EventRoutesReportTheServicesRefusal) {
  SampleRun missing = Run("event_routes");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("set EVENT_ROUTE_ENDPOINT_NAME"));

  // An endpoint the instance does not have: the error the sample prints carries what the
  // service said.
  SampleRun unknown = Run("event_routes", {"EVENT_ROUTE_ENDPOINT_NAME=no-such-endpoint"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("call failed: HTTP 400, code EventRouteEndpointInvalid: "));
}

TEST_F(SamplesTest, PublishTelemetryToTwinAndComponent) {
  SampleRun run = Run("publish_telemetry");
  EXPECT_RAN_OK(run);
  EXPECT_TRUE(std::regex_search(
      run.out,
      std::regex(R"(Published telemetry to sample-telemetry-room \(message id occupancy-\d+\))")))
      << run.out;
  EXPECT_THAT(run.out,
              HasSubstr("Published telemetry to component thermostat of sample-telemetry-room\n"));
  EXPECT_THAT(run.out, HasSubstr("Deleted sample-telemetry-room\n"));
  EXPECT_EQ(TwinCount(), 0u);

  // The server's access log (complete once it stopped) shows both telemetry calls accepted.
  ASSERT_EQ(server_.Stop(), 0);
  std::string log = server_.Stderr();
  EXPECT_THAT(log, HasSubstr(" POST /digitaltwins/sample-telemetry-room/telemetry 204 "));
  EXPECT_THAT(log, HasSubstr(" POST /digitaltwins/sample-telemetry-room/components/thermostat/"
                             "telemetry 204 "));
}

TEST_F(SamplesTest, AsyncCallsKeepManyCallsInFlight) {
  SampleRun run = Run("async_calls");
  EXPECT_RAN_OK(run);
  EXPECT_THAT(run.out, HasSubstr("Created 50 rooms\n"));
  EXPECT_THAT(run.out, HasSubstr("Published telemetry from 50 rooms\n"));
  EXPECT_THAT(run.out, HasSubstr("Read 50 rooms back, the last is named \"Room 49\"\n"));
  EXPECT_THAT(run.out, HasSubstr("Deleted 50 rooms\n"));
  EXPECT_EQ(TwinCount(), 0u);

  // The server's access log shows every room's telemetry accepted.
  ASSERT_EQ(server_.Stop(), 0);
  std::string log = server_.Stderr();
  for (int i = 0; i < 50; ++i) {
    EXPECT_THAT(log, HasSubstr(" POST /digitaltwins/sample-async-room-" + std::to_string(i) +
                               "/telemetry 204 "));
  }
}

}  // namespace
}  // namespace dtwin::samples
