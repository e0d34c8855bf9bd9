// The remote `dtwin` commands as a user runs them: the real binary against a real `dtwin
// serve` (one per test suite, on port 0); exit codes, the JSON on stdout, table output, the
// "dtwin: <code>: <message>" line on stderr, and usage errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "cli_json.h"
#include "dtwin_cli_runner.h"
#include "dtwin_server_process.h"

namespace dtwin::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kThermostat = R"({
  "@context": "dtmi:dtdl:context;3", "@id": "dtmi:cli:Thermostat;1", "@type": "Interface",
  "contents": [
    { "@type": "Property", "name": "setpoint", "schema": "double" },
    { "@type": "Telemetry", "name": "temp", "schema": "double" }
  ]
})";

constexpr const char* kRoom = R"({
  "@context": "dtmi:dtdl:context;3", "@id": "dtmi:cli:Room;1", "@type": "Interface",
  "contents": [
    { "@type": "Property", "name": "temperature", "schema": "double" },
    { "@type": "Property", "name": "name", "schema": "string" },
    { "@type": "Component", "name": "thermostat", "schema": "dtmi:cli:Thermostat;1" },
    { "@type": "Relationship", "name": "contains", "target": "dtmi:cli:Room;1",
      "properties": [ { "@type": "Property", "name": "since", "schema": "string" } ] },
    { "@type": "Relationship", "name": "adjacent" },
    { "@type": "Telemetry", "name": "humidity", "schema": "double" }
  ]
})";

constexpr const char* kRoomModel = "dtmi:cli:Room;1";
constexpr const char* kHookEndpoint = "hook";

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::set<std::string> Ids(const json::array& items, const char* key) {
  std::set<std::string> ids;
  for (const json::value& item : items) ids.insert(std::string(item.at(key).as_string()));
  return ids;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// What a failed command must look like: its exit code, nothing on stdout, and
// "dtwin: <code>: ..." on stderr.
void ExpectRefusal(const CliResult& result, int exit_code, const std::string& code) {
  EXPECT_EQ(result.exit_code, exit_code) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.rfind("dtwin: " + code + ": ", 0), 0u) << result.err;
}

class RemoteCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<DtwinServerProcess>();
    if (!server_->Start({"--endpoint", std::string(kHookEndpoint) + "=http://127.0.0.1:9/"})) {
      setup_error_ = "dtwin serve did not start: " + server_->Stderr();
      return;
    }
    fs::path models =
        fs::temp_directory_path() / ("dtwin_cli_models_" + std::to_string(::getpid()));
    WriteFile(models / "room.json", kRoom);
    WriteFile(models / "thermostat.json", kThermostat);
    CliResult created = Dtwin({"model", "create", "--from-directory", models.string()});
    fs::remove_all(models);
    if (created.exit_code != 0) setup_error_ = "model create failed: " + created.err;
  }

  static void TearDownTestSuite() {
    if (server_->running()) server_->Stop();
    server_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    dir_ = fs::temp_directory_path() /
           ("dtwin_remote_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // dtwin args... --endpoint <the server>.
  static CliResult Dtwin(std::vector<std::string> args, std::string stdin_text = "") {
    args.push_back("--endpoint");
    args.push_back(server_->url());
    return RunDtwinCli(args, {}, stdin_text);
  }

  // stdout of a command that must succeed, parsed.
  static json::value DtwinJson(std::vector<std::string> args, std::string stdin_text = "") {
    return dtwin::testing::SucceededJson(Dtwin(args, std::move(stdin_text)));
  }

  // A Room twin with the thermostat component its model requires.
  static json::object CreateRoom(const std::string& twin_id, const std::string& extra = "") {
    std::string properties = R"({"thermostat": {"$metadata": {}})" + extra + "}";
    json::value twin = DtwinJson(
        {"twin", "create", "--dtmi", kRoomModel, "--twin-id", twin_id, "--properties", properties});
    return twin.is_object() ? twin.get_object() : json::object();
  }

  static std::unique_ptr<DtwinServerProcess> server_;
  static std::string setup_error_;
  fs::path dir_;
};

std::unique_ptr<DtwinServerProcess> RemoteCliTest::server_;
std::string RemoteCliTest::setup_error_;

// ---- models ----

TEST_F(RemoteCliTest, ModelLifecycleFromDirectoryToDelete) {
  const std::string base = "dtmi:cli:life:Base;1", derived = "dtmi:cli:life:Derived;1";
  WriteFile(
      dir_ / "models" / "base.json",
      R"({"@context": "dtmi:dtdl:context;3", "@id": ")" + base +
          R"(", "@type": "Interface", "contents": [{"@type": "Property", "name": "a", "schema": "double"}]})");
  WriteFile(dir_ / "models" / "nested" / "derived.dtdl",
            R"({"@context": "dtmi:dtdl:context;3", "@id": ")" + derived +
                R"(", "@type": "Interface", "displayName": "Derived model", "extends": ")" + base +
                R"("})");
  WriteFile(dir_ / "models" / "notes.txt", "not a model");

  json::value created =
      DtwinJson({"model", "create", "--from-directory", (dir_ / "models").string()});
  ASSERT_TRUE(created.is_array()) << created;
  EXPECT_EQ(Ids(created.get_array(), "id"), (std::set<std::string>{base, derived}));
  for (const json::value& model : created.get_array()) {
    EXPECT_EQ(model.at("decommissioned"), false);
    EXPECT_TRUE(model.get_object().contains("uploadTime"));
  }

  ExpectRefusal(Dtwin({"model", "create", "--from-directory", (dir_ / "models").string()}), 1,
                "ModelIdAlreadyExists");

  json::value dependencies = DtwinJson({"model", "list", "--dependencies-for", derived});
  ASSERT_TRUE(dependencies.is_array());
  EXPECT_EQ(Ids(dependencies.get_array(), "id"), (std::set<std::string>{base, derived}));

  json::value definitions =
      DtwinJson({"model", "list", "--dependencies-for", derived, base, "--definition"});
  ASSERT_TRUE(definitions.is_array());
  EXPECT_EQ(definitions.get_array().size(), 2u);
  for (const json::value& model : definitions.get_array()) {
    EXPECT_EQ(model.at("model").at("@id"), model.at("id")) << model;
  }

  json::value all = DtwinJson({"model", "list"});
  ASSERT_TRUE(all.is_array());
  std::set<std::string> all_ids = Ids(all.get_array(), "id");
  EXPECT_TRUE(all_ids.count(kRoomModel) && all_ids.count(base) && all_ids.count(derived));

  json::value shown = DtwinJson({"model", "show", "--dtmi", derived});
  EXPECT_EQ(shown.at("id"), json::value(derived));
  EXPECT_EQ(shown.at("displayName").at("en"), "Derived model");
  EXPECT_FALSE(shown.get_object().contains("model"));
  json::value with_definition = DtwinJson({"model", "show", "-m", derived, "--definition"});
  EXPECT_EQ(with_definition.at("model").at("extends"), json::value(base));

  json::value decommissioned = DtwinJson({"model", "decommission", "--dtmi", derived});
  EXPECT_EQ(decommissioned.at("decommissioned"), true);
  EXPECT_EQ(DtwinJson({"model", "show", "--dtmi", derived}).at("decommissioned"), true);

  ExpectRefusal(Dtwin({"model", "delete", "--dtmi", base}), 1, "ModelReferencesNotDeleted");
  CliResult deleted = Dtwin({"model", "delete", "--dtmi", derived});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "");
  EXPECT_EQ(Dtwin({"model", "delete", "--dtmi", base}).exit_code, 0);
  ExpectRefusal(Dtwin({"model", "show", "--dtmi", base}), 1, "ModelNotFound");
}

TEST_F(RemoteCliTest, ModelCreateTakesInlineJsonFilesAndStdin) {
  auto model = [](const std::string& id) {
    return R"({"@context": "dtmi:dtdl:context;3", "@type": "Interface", "@id": ")" + id + "\"}";
  };
  json::value inline_created = DtwinJson({"model", "create", "--models", model("dtmi:cli:in:A;1")});
  ASSERT_TRUE(inline_created.is_array());
  EXPECT_EQ(inline_created.at(0).at("id"), "dtmi:cli:in:A;1");

  WriteFile(dir_ / "b.json", "[" + model("dtmi:cli:in:B;1") + "]");
  EXPECT_EQ(
      DtwinJson({"model", "create", "--models", "@" + (dir_ / "b.json").string()}).at(0).at("id"),
      "dtmi:cli:in:B;1");
  WriteFile(dir_ / "c.json", model("dtmi:cli:in:C;1"));
  EXPECT_EQ(DtwinJson({"model", "create", "--models", (dir_ / "c.json").string()}).at(0).at("id"),
            "dtmi:cli:in:C;1");
  EXPECT_EQ(
      DtwinJson({"model", "create", "--models", "@-"}, model("dtmi:cli:in:D;1")).at(0).at("id"),
      "dtmi:cli:in:D;1");
}

TEST_F(RemoteCliTest, ModelCreateUsageErrorsExitTwoBeforeAnyRequest) {
  CliResult bad_json = Dtwin({"model", "create", "--models", "{\n  \"@id\": "});
  EXPECT_EQ(bad_json.exit_code, 2);
  EXPECT_EQ(bad_json.out, "");
  EXPECT_NE(bad_json.err.find("--models: invalid JSON at line 2"), std::string::npos)
      << bad_json.err;
  EXPECT_NE(bad_json.err.find("usage: dtwin model create"), std::string::npos) << bad_json.err;

  fs::create_directories(dir_ / "empty");
  CliResult empty = Dtwin({"model", "create", "--from-directory", (dir_ / "empty").string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no *.json or *.dtdl files"), std::string::npos) << empty.err;

  EXPECT_EQ(Dtwin({"model", "create"}).exit_code, 2);
  EXPECT_EQ(
      Dtwin({"model", "create", "--models", "[]", "--from-directory", dir_.string()}).exit_code, 2);
  CliResult not_models = Dtwin({"model", "create", "--models", "42"});
  EXPECT_EQ(not_models.exit_code, 2);
  EXPECT_NE(not_models.err.find("expected a DTDL Interface"), std::string::npos) << not_models.err;
}

TEST_F(RemoteCliTest, ModelListTableHasAlignedColumns) {
  CliResult result = Dtwin({"model", "list", "--output", "table"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_GE(lines.size(), 4u) << result.out;  // header, dashes, Room, Thermostat at least
  const std::string& header = lines[0];
  EXPECT_EQ(header.rfind("id ", 0), 0u) << header;
  size_t decommissioned = header.find("decommissioned");
  size_t upload_time = header.find("uploadTime");
  ASSERT_NE(decommissioned, std::string::npos) << header;
  ASSERT_NE(upload_time, std::string::npos) << header;
  EXPECT_EQ(lines[1].find_first_not_of("- "), std::string::npos) << lines[1];
  bool found_room = false;
  for (size_t i = 2; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    found_room |= line.rfind(std::string(kRoomModel) + " ", 0) == 0;
    std::string cell = line.substr(decommissioned, 5);
    EXPECT_TRUE(cell == "true " || cell == "false") << "misaligned: " << line;
    EXPECT_EQ(line.substr(upload_time, 2), "20") << "misaligned: " << line;
  }
  EXPECT_TRUE(found_room) << result.out;
}

// ---- twins ----

TEST_F(RemoteCliTest, TwinCreateShowUpdateDeleteWithEtags) {
  json::object created = CreateRoom("cli-twin-1", R"(, "temperature": 21.5)");
  EXPECT_EQ(created["$dtId"], "cli-twin-1");
  EXPECT_EQ(created["temperature"], 21.5);
  EXPECT_EQ(created["$metadata"].at("$model"), kRoomModel);
  std::string first_etag(created["$etag"].as_string());

  // Numbers are written as people (and ADT) write them, not 2.15E1.
  CliResult shown = Dtwin({"twin", "show", "--twin-id", "cli-twin-1"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("\"temperature\": 21.5"), std::string::npos) << shown.out;
  EXPECT_EQ(json::parse(shown.out).at("$etag"), json::value(first_etag));

  ExpectRefusal(Dtwin({"twin", "create", "--dtmi", kRoomModel, "--twin-id", "cli-twin-1",
                       "--properties", R"({"thermostat": {"$metadata": {}}})", "--if-none-match"}),
                1, "PreconditionFailed");

  json::value updated = DtwinJson({"twin", "update", "--twin-id", "cli-twin-1", "--json-patch",
                                   R"([{"op": "replace", "path": "/temperature", "value": 23}])"});
  EXPECT_EQ(updated.at("temperature"), 23);
  std::string second_etag(updated.at("$etag").as_string());
  EXPECT_NE(second_etag, first_etag);

  ExpectRefusal(
      Dtwin({"twin", "update", "--twin-id", "cli-twin-1", "--etag", first_etag, "--json-patch",
             R"([{"op": "replace", "path": "/temperature", "value": 1}])"}),
      1, "PreconditionFailed");
  // One operation object is taken as a one-item patch, as az does.
  json::value patched_once =
      DtwinJson({"twin", "update", "-t", "cli-twin-1", "-e", second_etag, "--patch",
                 R"({"op": "add", "path": "/name", "value": "a"})"});
  EXPECT_EQ(patched_once.at("name"), "a");
  EXPECT_EQ(patched_once.at("temperature"), 23);

  ExpectRefusal(Dtwin({"twin", "delete", "--twin-id", "cli-twin-1", "--etag", first_etag}), 1,
                "PreconditionFailed");
  CliResult deleted = Dtwin({"twin", "delete", "--twin-id", "cli-twin-1"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "");
  EXPECT_EQ(deleted.err, "");
  ExpectRefusal(Dtwin({"twin", "show", "--twin-id", "cli-twin-1"}), 1, "DigitalTwinNotFound");
}

TEST_F(RemoteCliTest, TwinPropertiesFromFileAndValidationRefusal) {
  WriteFile(dir_ / "twin.json", R"({"thermostat": {"$metadata": {}}, "name": "from file"})");
  json::value created = DtwinJson({"twin", "create", "--dtmi", kRoomModel, "--twin-id",
                                   "cli-twin-file", "-p", "@" + (dir_ / "twin.json").string()});
  EXPECT_EQ(created.at("name"), "from file");

  ExpectRefusal(Dtwin({"twin", "update", "--twin-id", "cli-twin-file", "--json-patch",
                       R"([{"op": "add", "path": "/temperature", "value": "hot"}])"}),
                1, "ValidationFailed");
  CliResult not_object =
      Dtwin({"twin", "create", "--dtmi", kRoomModel, "--twin-id", "x", "--properties", "[1, 2]"});
  EXPECT_EQ(not_object.exit_code, 2);
  EXPECT_NE(not_object.err.find("--properties: expected a JSON object"), std::string::npos)
      << not_object.err;
  EXPECT_EQ(Dtwin({"twin", "delete", "--twin-id", "cli-twin-file"}).exit_code, 0);
}

TEST_F(RemoteCliTest, QueryReadsEveryPageOrOnePageAndContinues) {
  std::set<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    std::string id = "cli-q-" + std::to_string(i);
    CreateRoom(id, R"(, "name": "query-batch")");
    expected.insert(id);
  }
  const std::string query = "SELECT * FROM digitaltwins WHERE name = 'query-batch'";

  json::value all = DtwinJson({"twin", "query", "--query-command", query});
  ASSERT_TRUE(all.is_array()) << all;
  EXPECT_EQ(Ids(all.get_array(), "$dtId"), expected);

  json::value first = DtwinJson({"twin", "query", "-q", query, "--max-items", "2"});
  ASSERT_TRUE(first.is_object()) << first;
  const json::array& first_items = first.at("items").as_array();
  EXPECT_EQ(first_items.size(), 2u);
  ASSERT_TRUE(first.at("continuationToken").is_string()) << first;
  std::string token(first.at("continuationToken").as_string());

  json::value second =
      DtwinJson({"twin", "query", "-q", query, "--max-items", "2", "--continuation", token});
  EXPECT_EQ(second.at("items").as_array().size(), 2u);

  json::value rest = DtwinJson({"twin", "query", "-q", query, "--continuation", token});
  ASSERT_TRUE(rest.is_array()) << rest;
  EXPECT_EQ(rest.get_array().size(), 3u);
  std::set<std::string> seen = Ids(first_items, "$dtId");
  for (const std::string& id : Ids(rest.get_array(), "$dtId")) {
    EXPECT_TRUE(seen.insert(id).second) << id << " came twice";
  }
  EXPECT_EQ(seen, expected);

  CliResult costed = Dtwin({"twin", "query", "-q", query, "--show-cost"});
  EXPECT_EQ(costed.exit_code, 0);
  EXPECT_NE(costed.err.find("dtwin: query charge "), std::string::npos) << costed.err;
  EXPECT_EQ(json::parse(costed.out).as_array().size(), 5u);

  CliResult table = Dtwin({"twin", "query", "-q", query, "-o", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 7u) << table.out;  // header, dashes, 5 twins
  EXPECT_EQ(lines[0].rfind("$dtId", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("$model"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find("$metadata"), std::string::npos) << lines[0];
  size_t model_column = lines[0].find("$model");
  for (size_t i = 2; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].rfind("cli-q-", 0), 0u) << lines[i];
    EXPECT_EQ(lines[i].substr(model_column, std::string(kRoomModel).size()), kRoomModel)
        << lines[i];
  }

  ExpectRefusal(Dtwin({"twin", "query", "-q", "SELEC * FROM digitaltwins"}), 1, "SqlQueryError");
  for (const std::string& id : expected) Dtwin({"twin", "delete", "--twin-id", id});
}

TEST_F(RemoteCliTest, ComponentShowAndUpdate) {
  CreateRoom("cli-comp");
  json::value component = DtwinJson(
      {"twin", "component", "show", "--twin-id", "cli-comp", "--component", "thermostat"});
  EXPECT_TRUE(component.get_object().contains("$metadata")) << component;
  EXPECT_FALSE(component.get_object().contains("setpoint"));

  json::value updated = DtwinJson({"twin", "component", "update", "--twin-id", "cli-comp",
                                   "--component", "thermostat", "--json-patch",
                                   R"([{"op": "add", "path": "/setpoint", "value": 19.5}])"});
  EXPECT_EQ(updated.at("setpoint"), 19.5);
  EXPECT_EQ(DtwinJson({"twin", "show", "--twin-id", "cli-comp"}).at("thermostat").at("setpoint"),
            19.5);

  ExpectRefusal(
      Dtwin({"twin", "component", "show", "--twin-id", "cli-comp", "--component", "nope"}), 1,
      "ComponentNotFound");
  Dtwin({"twin", "delete", "--twin-id", "cli-comp"});
}

TEST_F(RemoteCliTest, RelationshipLifecycleListsAndIncoming) {
  for (const char* id : {"cli-rel-a", "cli-rel-b", "cli-rel-c"}) CreateRoom(id);

  json::value created =
      DtwinJson({"twin", "relationship", "create", "--twin-id", "cli-rel-a", "--relationship-id",
                 "a-b", "--relationship", "contains", "--target", "cli-rel-b", "--properties",
                 R"({"since": "2020"})"});
  EXPECT_EQ(created.at("$sourceId"), "cli-rel-a");
  EXPECT_EQ(created.at("$targetId"), "cli-rel-b");
  EXPECT_EQ(created.at("$relationshipName"), "contains");
  EXPECT_EQ(created.at("since"), "2020");
  std::string etag(created.at("$etag").as_string());
  DtwinJson({"twin", "relationship", "create", "--source", "cli-rel-a", "-r", "a-c", "--kind",
             "adjacent", "--target-twin-id", "cli-rel-c"});

  ExpectRefusal(
      Dtwin({"twin", "relationship", "create", "--twin-id", "cli-rel-a", "--relationship-id", "a-b",
             "--relationship", "contains", "--target", "cli-rel-b", "--if-none-match"}),
      1, "PreconditionFailed");
  ExpectRefusal(
      Dtwin({"twin", "relationship", "create", "--twin-id", "cli-rel-a", "--relationship-id", "a-x",
             "--relationship", "adjacent", "--target", "cli-rel-missing"}),
      1, "TargetDigitalTwinNotFound");

  EXPECT_EQ(DtwinJson({"twin", "relationship", "show", "--twin-id", "cli-rel-a",
                       "--relationship-id", "a-b"})
                .at("since"),
            "2020");

  json::value all = DtwinJson({"twin", "relationship", "list", "--twin-id", "cli-rel-a"});
  EXPECT_EQ(Ids(all.as_array(), "$relationshipId"), (std::set<std::string>{"a-b", "a-c"}));
  json::value contains = DtwinJson(
      {"twin", "relationship", "list", "--twin-id", "cli-rel-a", "--relationship", "contains"});
  EXPECT_EQ(Ids(contains.as_array(), "$relationshipId"), (std::set<std::string>{"a-b"}));

  json::value incoming =
      DtwinJson({"twin", "relationship", "list", "--twin-id", "cli-rel-b", "--incoming"});
  ASSERT_EQ(incoming.as_array().size(), 1u) << incoming;
  EXPECT_EQ(incoming.at(0).at("$sourceId"), "cli-rel-a");
  EXPECT_EQ(incoming.at(0).at("$relationshipId"), "a-b");
  EXPECT_EQ(incoming.at(0).at("$relationshipName"), "contains");
  EXPECT_TRUE(incoming.at(0).get_object().contains("$relationshipLink"));
  EXPECT_EQ(DtwinJson({"twin", "relationship", "list", "--twin-id", "cli-rel-b", "--incoming",
                       "--relationship", "adjacent"}),
            json::array());

  CliResult table =
      Dtwin({"twin", "relationship", "list", "--twin-id", "cli-rel-a", "--output", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 4u) << table.out;
  EXPECT_EQ(lines[0].rfind("$relationshipId  $sourceId  $relationshipName  $targetId", 0), 0u)
      << lines[0];
  size_t target_column = lines[0].find("$targetId");
  std::set<std::string> targets = {lines[2].substr(target_column), lines[3].substr(target_column)};
  EXPECT_EQ(targets, (std::set<std::string>{"cli-rel-b", "cli-rel-c"})) << table.out;

  json::value updated = DtwinJson({"twin", "relationship", "update", "--twin-id", "cli-rel-a",
                                   "--relationship-id", "a-b", "--json-patch",
                                   R"([{"op": "replace", "path": "/since", "value": "2021"}])"});
  EXPECT_EQ(updated.at("since"), "2021");
  ExpectRefusal(Dtwin({"twin", "relationship", "update", "--twin-id", "cli-rel-a",
                       "--relationship-id", "a-b", "--etag", etag, "--json-patch",
                       R"([{"op": "replace", "path": "/since", "value": "2022"}])"}),
                1, "PreconditionFailed");

  ExpectRefusal(Dtwin({"twin", "delete", "--twin-id", "cli-rel-a"}), 1, "RelationshipsNotDeleted");
  for (const char* id : {"a-b", "a-c"}) {
    CliResult deleted = Dtwin(
        {"twin", "relationship", "delete", "--twin-id", "cli-rel-a", "--relationship-id", id});
    EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_EQ(deleted.out, "");
  }
  ExpectRefusal(
      Dtwin({"twin", "relationship", "show", "--twin-id", "cli-rel-a", "--relationship-id", "a-b"}),
      1, "RelationshipNotFound");
  for (const char* id : {"cli-rel-a", "cli-rel-b", "cli-rel-c"}) {
    EXPECT_EQ(Dtwin({"twin", "delete", "--twin-id", id}).exit_code, 0);
  }
}

TEST_F(RemoteCliTest, TelemetrySendToTwinAndComponent) {
  CreateRoom("cli-tel");
  CliResult sent = Dtwin(
      {"twin", "telemetry", "send", "--twin-id", "cli-tel", "--telemetry", R"({"humidity": 40})"});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(sent.out, "");
  EXPECT_EQ(sent.err, "");
  CliResult component = Dtwin({"twin", "telemetry", "send", "--twin-id", "cli-tel", "--component",
                               "thermostat", "--telemetry", R"({"temp": 21})", "--dt-id", "msg-1",
                               "--telemetry-source-time", "2024-05-01T12:00:00Z"});
  EXPECT_EQ(component.exit_code, 0) << component.err;

  // Without --telemetry an empty object is sent, as az does.
  CliResult empty = Dtwin({"twin", "telemetry", "send", "--twin-id", "cli-tel"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  ExpectRefusal(
      Dtwin({"twin", "telemetry", "send", "--twin-id", "cli-tel-missing", "--telemetry", "{}"}), 1,
      "DigitalTwinNotFound");
  ExpectRefusal(Dtwin({"twin", "telemetry", "send", "--twin-id", "cli-tel", "--component", "nope",
                       "--telemetry", "{}"}),
                1, "ComponentNotFound");
  EXPECT_EQ(
      Dtwin({"twin", "telemetry", "send", "--twin-id", "cli-tel", "--telemetry", "[1]"}).exit_code,
      2);
  Dtwin({"twin", "delete", "--twin-id", "cli-tel"});
}

TEST_F(RemoteCliTest, RouteLifecycle) {
  const std::string filter = "type = 'Microsoft.DigitalTwins.Twin.Create'";
  json::value created = DtwinJson({"route", "create", "--event-route-name", "cli-route-1",
                                   "--endpoint-name", kHookEndpoint, "--filter", filter});
  EXPECT_EQ(
      created,
      (json::value{{"id", "cli-route-1"}, {"endpointName", kHookEndpoint}, {"filter", filter}}));
  json::value defaulted =
      DtwinJson({"route", "create", "--rn", "cli-route-2", "--en", kHookEndpoint});
  EXPECT_EQ(defaulted.at("filter"), "true");

  EXPECT_EQ(DtwinJson({"route", "show", "--event-route-name", "cli-route-1"}), created);
  json::value listed = DtwinJson({"route", "list"});
  std::set<std::string> ids = Ids(listed.as_array(), "id");
  EXPECT_TRUE(ids.count("cli-route-1") && ids.count("cli-route-2")) << listed;

  CliResult table = Dtwin({"route", "list", "-o", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(Lines(table.out).at(0).rfind("id", 0), 0u);
  EXPECT_NE(table.out.find("endpointName"), std::string::npos);
  EXPECT_NE(table.out.find(filter), std::string::npos) << table.out;

  ExpectRefusal(Dtwin({"route", "create", "--event-route-name", "cli-route-3", "--endpoint-name",
                       "no-such-endpoint"}),
                1, "EventRouteEndpointInvalid");
  for (const char* name : {"cli-route-1", "cli-route-2"}) {
    CliResult deleted = Dtwin({"route", "delete", "--event-route-name", name});
    EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_EQ(deleted.out, "");
  }
  ExpectRefusal(Dtwin({"route", "show", "--event-route-name", "cli-route-1"}), 1,
                "EventRouteNotFound");
}

// ---- common options, usage errors, exit codes ----

TEST_F(RemoteCliTest, UsageErrorsExitTwoWithMessageAndUsage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"twin", "create", "--twin-id", "x"}, "dtwin: missing --dtmi DTMI"},
      {{"twin", "show", "--twin-id", "x", "--bogus"}, "dtwin: unknown option '--bogus'"},
      {{"twin", "show", "--twin-id", "x", "--twin-id", "y"}, "dtwin: --twin-id given twice"},
      {{"twin", "show", "--twin-id", "x", "stray"}, "dtwin: unexpected argument 'stray'"},
      {{"twin", "show", "--twin-id"}, "dtwin: --twin-id needs a value"},
      {{"twin", "show", "--twin-id", "x", "--output", "xml"}, "'xml' is not one of json|table"},
      {{"twin", "show", "--twin-id", "x", "--auth", "magic"}, "is not one of none|static"},
      {{"twin", "delete", "--twin-id", "x", "--incoming"}, "unknown option '--incoming'"},
      {{"twin", "query", "-q", "SELECT * FROM digitaltwins", "--max-items", "0"},
       "--max-items: '0' is not a positive number"},
      {{"twin", "relationship", "list", "--incoming=yes", "--twin-id", "x"},
       "--incoming takes no value"},
  };
  for (const Case& c : cases) {
    CliResult result = Dtwin(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.message;
    EXPECT_EQ(result.out, "") << c.message;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("usage: dtwin " + c.args[0] + " "), std::string::npos) << result.err;
  }
  CliResult endpoint = RunDtwinCli({"twin", "show", "--twin-id", "x", "--endpoint", "ftp://host"});
  EXPECT_EQ(endpoint.exit_code, 2);
  EXPECT_NE(endpoint.err.find("not an http:// or https:// URL"), std::string::npos) << endpoint.err;
  CliResult env_auth = RunDtwinCli({"twin", "show", "--twin-id", "x"}, {{"DTWIN_AUTH", "magic"}});
  EXPECT_EQ(env_auth.exit_code, 2);
  EXPECT_NE(env_auth.err.find("DTWIN_AUTH: 'magic'"), std::string::npos) << env_auth.err;
}

TEST_F(RemoteCliTest, GroupsAndHelp) {
  CliResult unknown = RunDtwinCli({"twin", "frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("dtwin: unknown command 'twin frobnicate'"), std::string::npos);
  EXPECT_NE(unknown.err.find("relationship ..."), std::string::npos) << unknown.err;

  CliResult bare = RunDtwinCli({"twin", "relationship"});
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_EQ(bare.out, "");
  EXPECT_NE(bare.err.find("usage: dtwin twin relationship <command>"), std::string::npos);

  CliResult group_help = RunDtwinCli({"model", "--help"});
  EXPECT_EQ(group_help.exit_code, 0);
  for (const char* command : {"create", "list", "show", "decommission", "delete", "validate"}) {
    EXPECT_NE(group_help.out.find(std::string("\n  ") + command + " "), std::string::npos)
        << command << "\n"
        << group_help.out;
  }

  CliResult help = RunDtwinCli({"twin", "create", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: dtwin twin create --dtmi DTMI --twin-id ID [options]\n", 0), 0u)
      << help.out;
  for (const char* option : {"--properties", "--if-none-match", "--endpoint", "--auth", "-o"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }

  CliResult top = RunDtwinCli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("twin relationship create|show|list|update|delete"), std::string::npos)
      << top.out;
  EXPECT_NE(top.out.find("model validate"), std::string::npos);
  // The offline command is still dispatched before the remote model commands.
  CliResult validate = RunDtwinCli({"model", "validate", "--help"});
  EXPECT_EQ(validate.exit_code, 0);
  EXPECT_NE(validate.out.find("usage: dtwin model validate"), std::string::npos);
}

TEST_F(RemoteCliTest, EndpointFromEnvironmentAndStaticToken) {
  const std::string query = "SELECT * FROM digitaltwins WHERE $dtId = 'cli-nobody'";
  CliResult from_env =
      RunDtwinCli({"twin", "query", "-q", query}, {{"DTWIN_ENDPOINT", server_->url()}});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(json::parse(from_env.out), json::array());

  CliResult static_token =
      RunDtwinCli({"twin", "show", "--twin-id", "cli-nobody", "--auth", "static"},
                  {{"DTWIN_ENDPOINT", server_->url()}, {"DTWIN_TOKEN", "a-token"}});
  ExpectRefusal(static_token, 1, "DigitalTwinNotFound");

  CliResult env_auth = RunDtwinCli(
      {"twin", "query", "-q", query},
      {{"DTWIN_ENDPOINT", server_->url()}, {"DTWIN_AUTH", "static"}, {"DTWIN_TOKEN", "t"}});
  EXPECT_EQ(env_auth.exit_code, 0) << env_auth.err;
}

TEST_F(RemoteCliTest, MissingCredentialsAndUnreachableServiceExitThree) {
  CliResult no_token = Dtwin({"twin", "show", "--twin-id", "x", "--auth", "static"});
  ExpectRefusal(no_token, 3, "AuthenticationFailed");
  EXPECT_NE(no_token.err.find("DTWIN_TOKEN"), std::string::npos) << no_token.err;

  CliResult no_secret = Dtwin({"twin", "show", "--twin-id", "x", "--auth", "client-secret"});
  EXPECT_EQ(no_secret.exit_code, 3) << no_secret.err;
  EXPECT_EQ(no_secret.out, "");
  EXPECT_NE(no_secret.err.find("AZURE_TENANT_ID"), std::string::npos) << no_secret.err;

  // Port 1 on loopback: nothing listens, the connection is refused (after the retries).
  CliResult unreachable =
      RunDtwinCli({"twin", "show", "--twin-id", "x", "--endpoint", "http://127.0.0.1:1"});
  ExpectRefusal(unreachable, 3, "ConnectionError");
}

}  // namespace
}  // namespace dtwin::testing
