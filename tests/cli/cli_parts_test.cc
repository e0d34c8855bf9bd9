// The parts of the remote commands that need no service: option parsing, JSON arguments, and
// JSON and table rendering.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "cli/command_line.h"
#include "cli/json_argument.h"
#include "cli/output_format.h"

namespace dtwin::cli {
namespace {

namespace json = boost::json;

std::vector<OptionSpec> Specs() {
  return {ValueOption({"--twin-id", "-t"}, "ID", "the twin").MarkRequired(),
          ValueOption({"--dependencies-for"}, "DTMI", "models").AllowMultiple(),
          ValueOption({"--output", "-o"}, "FORMAT", "format").WithChoices({"json", "table"}),
          ValueOption({"--filter"}, "FILTER", "filter"),
          FlagOption({"--incoming"}, "flag"),
          FlagOption({"--help"}, "help")};
}

TEST(ParseOptionsTest, ValuesAliasesInlineValuesFlagsAndMultiples) {
  ParsedOptions parsed = ParseOptions({"-t", "room1", "--output=table", "--dependencies-for", "a",
                                       "b", "--incoming", "--dependencies-for", "c"},
                                      Specs());
  EXPECT_EQ(parsed.Get("--twin-id"), "room1");
  EXPECT_EQ(parsed.Get("--output"), "table");
  EXPECT_EQ(parsed.GetAll("--dependencies-for"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(parsed.Has("--incoming"));
  EXPECT_FALSE(parsed.Has("--filter"));
}

TEST(ParseOptionsTest, ValueMayStartWithDashUnlessItIsAnOption) {
  EXPECT_EQ(ParseOptions({"--twin-id", "x", "--filter", "-1"}, Specs()).Get("--filter"), "-1");
  EXPECT_THROW(ParseOptions({"--filter", "--twin-id", "x"}, Specs()), UsageError);
}

TEST(ParseOptionsTest, RejectsWhatIsWrongNamingIt) {
  auto message = [](const std::vector<std::string>& args) -> std::string {
    try {
      ParseOptions(args, Specs());
    } catch (const UsageError& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(message({}), "missing --twin-id ID");
  EXPECT_EQ(message({"-t", "a", "--twin-id", "b"}), "--twin-id given twice");
  EXPECT_EQ(message({"-t", "a", "--nope"}), "unknown option '--nope'");
  EXPECT_EQ(message({"-t", "a", "stray"}), "unexpected argument 'stray'");
  EXPECT_EQ(message({"-t", "a", "-o", "xml"}), "--output: 'xml' is not one of json|table");
  EXPECT_EQ(message({"-t", "a", "--incoming=1"}), "--incoming takes no value");
  EXPECT_EQ(message({"-t"}), "--twin-id needs a value (ID)");
  // --help skips the required check (help needs no arguments).
  EXPECT_EQ(message({"--help"}), "no error");
}

TEST(CommandHelpTest, UsageLineAndOptionsFromTheSpec) {
  CommandSpec spec;
  spec.words = {"twin", "show"};
  spec.summary = "Show a twin";
  spec.options = Specs();
  EXPECT_EQ(UsageLine(spec), "usage: dtwin twin show --twin-id ID [options]");
  std::string help = CommandHelp(spec, {FlagOption({"--common"}, "a common option")});
  EXPECT_NE(help.find("  --twin-id, -t ID"), std::string::npos) << help;
  EXPECT_NE(help.find("the twin (required)"), std::string::npos) << help;
  EXPECT_NE(help.find("  --output, -o json|table"), std::string::npos) << help;
  EXPECT_NE(help.find("  --dependencies-for DTMI..."), std::string::npos) << help;
  EXPECT_NE(help.find("common options:\n  --common"), std::string::npos) << help;
}

TEST(JsonArgumentTest, InlineFileStdinPathAndErrorsWithPosition) {
  EXPECT_EQ(ReadJsonArgument("--x", R"({"a": 1})"), (json::value{{"a", 1}}));
  std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("dtwin_json_arg_" + std::to_string(::getpid()));
  std::ofstream(file) << "[1, 2]";
  EXPECT_EQ(ReadJsonArgument("--x", "@" + file.string()), (json::value{1, 2}));
  EXPECT_EQ(ReadJsonArgument("--x", file.string()), (json::value{1, 2}));
  std::filesystem::remove(file);
  try {
    ReadJsonArgument("--x", "{\n  \"a\": 1,\n  oops\n}");
    ADD_FAILURE() << "no error";
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("--x: invalid JSON at line 3 column 3", 0), 0u)
        << error.what();
  }
  EXPECT_THROW(ReadJsonArgument("--x", "@/no/such/file"), UsageError);
  EXPECT_THROW(ReadJsonObjectArgument("--x", "[1]"), UsageError);
  EXPECT_EQ(ReadJsonPatchArgument("--x", R"({"op": "remove", "path": "/a"})").size(), 1u);
  EXPECT_THROW(ReadJsonPatchArgument("--x", "42"), UsageError);
}

TEST(FormatJsonTest, IndentsAndWritesShortestNumbers) {
  json::value value = json::parse(R"({"t": 21.5, "big": 1e300, "n": -3, "s": "a\"b",
                                       "list": [1, {}], "empty": [], "x": null})");
  EXPECT_EQ(FormatJson(value),
            "{\n"
            "  \"t\": 21.5,\n"
            "  \"big\": 1e+300,\n"
            "  \"n\": -3,\n"
            "  \"s\": \"a\\\"b\",\n"
            "  \"list\": [\n"
            "    1,\n"
            "    {}\n"
            "  ],\n"
            "  \"empty\": [],\n"
            "  \"x\": null\n"
            "}");
  EXPECT_EQ(FormatJsonCompact(json::parse(R"({"a": [0.1, true]})")), R"({"a": [0.1, true]})");
  // What we print parses back to the same value.
  EXPECT_EQ(json::parse(FormatJson(value)), value);
}

TEST(FormatTableTest, DerivesColumnsAlignsAndShowsTheModel) {
  json::array rows = json::parse(R"([
    {"$dtId": "room-1", "$etag": "W/\"1\"", "temperature": 21.5,
     "$metadata": {"$model": "dtmi:x:Room;1", "temperature": {"lastUpdateTime": "t"}}},
    {"$dtId": "é", "$metadata": {"$model": "dtmi:x:Floor;1"}, "tags": ["a"]}
  ])")
                         .as_array();
  EXPECT_EQ(FormatTable(rows),
            "$dtId   $etag  temperature  $model          tags\n"
            "------  -----  -----------  --------------  -----\n"
            "room-1  W/\"1\"  21.5         dtmi:x:Room;1\n"
            "é                           dtmi:x:Floor;1  [\"a\"]\n");
  EXPECT_EQ(FormatTable(json::array()), "");
  EXPECT_EQ(FormatTable(rows, {{"model", {"$metadata", "$model"}}, {"id", {"$dtId"}}}),
            "model           id\n"
            "--------------  ------\n"
            "dtmi:x:Room;1   room-1\n"
            "dtmi:x:Floor;1  é\n");
}

}  // namespace
}  // namespace dtwin::cli
