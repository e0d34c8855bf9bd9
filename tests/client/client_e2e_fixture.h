// The shared set-up of the client's end-to-end tests, mirroring the official-SDK conformance
// suite (tests/conformance/python_sdk/sdk_support.py): one `dtwin serve` per test suite
// (fresh data directory, port 0, the conformance sink endpoint configured), a
// DigitalTwinsClient on it without retries, and the fixture models of
// tests/conformance/fixtures/models.json. Not thread-safe; GoogleTest runs suites in turn.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>

#include "dtwin/client/digital_twins_client.h"
#include "dtwin_server_process.h"

namespace dtwin::client::testing {

inline constexpr const char* kThermostat = "dtmi:conformance:Thermostat;1";
inline constexpr const char* kRoom = "dtmi:conformance:Room;1";
inline constexpr const char* kFloor = "dtmi:conformance:Floor;1";
inline constexpr const char* kCornerRoom = "dtmi:conformance:CornerRoom;1";
// The endpoint the server is started with (routes must name a configured one).
inline constexpr const char* kSinkEndpoint = "conformance-sink";

// JSON literals of the tests; a malformed literal fails the test that wrote it.
boost::json::object JsonObject(std::string_view text);
boost::json::array JsonArray(std::string_view text);

// Pages of at most max_items_per_page, from the start or from a continuation token.
PageOptions PageSize(int max_items_per_page,
                     std::optional<std::string> continuation_token = std::nullopt);

// The conformance fixture models (Thermostat, Room, Floor, CornerRoom).
boost::json::array FixtureModels();

// A Room twin as sdk_support.room_twin builds it, with `extra` members added or replaced.
boost::json::object RoomTwin(std::string_view name = "Kitchen",
                             const boost::json::object& extra = {});

class ClientE2eTest : public ::testing::Test {
 protected:
  // Starts the suite's server and client; call from each suite's SetUpTestSuite.
  static void StartServer(bool upload_fixture_models);
  // Stops the server with SIGTERM and expects a clean exit.
  static void TearDownTestSuite();

  static DigitalTwinsClient& client() { return *client_; }
  static const dtwin::testing::DtwinServerProcess& server() { return *server_; }

  // Runs call, expecting exactly the exception type Error with that HTTP status and ADT
  // error code; returns what was thrown for further checks.
  template <typename Error, typename Call>
  static Error ExpectError(Call&& call, int status, const std::string& code) {
    try {
      call();
    } catch (const DigitalTwinsError& error) {
      EXPECT_EQ(typeid(error), typeid(Error)) << "expected " << typeid(Error).name() << ", got "
                                              << typeid(error).name() << ": " << error.what();
      EXPECT_EQ(error.status(), status) << error.what();
      EXPECT_EQ(error.code(), code) << error.what();
      return Error(error.status(), error.code(), error.message(), error.request_id());
    }
    ADD_FAILURE() << "expected " << typeid(Error).name() << " (" << status << " " << code
                  << "), but the call succeeded";
    return Error(0, "", "", "");
  }

 private:
  static std::unique_ptr<dtwin::testing::DtwinServerProcess> server_;
  static std::unique_ptr<DigitalTwinsClient> client_;
};

}  // namespace dtwin::client::testing
