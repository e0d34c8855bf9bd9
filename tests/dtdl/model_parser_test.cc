// ModelParser unit tests: the rules a DTDL author meets most, each with its error place.
#include "dtdl/model_parser.h"

#include <gtest/gtest.h>

namespace dtwin::dtdl {
namespace {

ParseResult Parse(std::vector<std::string> texts, ParserOptions options = {}) {
  std::vector<ModelSource> sources;
  for (size_t i = 0; i < texts.size(); ++i) {
    sources.push_back({"m" + std::to_string(i) + ".json", std::move(texts[i])});
  }
  return ModelParser(options).Parse(sources);
}

bool HasError(const ParseResult& result, std::string_view id_suffix) {
  for (const DtdlError& error : result.errors) {
    if (error.validation_id.ends_with(id_suffix)) return true;
  }
  return false;
}

std::string Errors(const ParseResult& result) {
  std::string out;
  for (const DtdlError& e : result.errors) {
    out += e.validation_id + " @" + std::to_string(e.source_index) + e.pointer + ": " + e.message + "\n";
  }
  return out;
}

TEST(ModelParserTest, ResolvesExtendsAcrossTheBatchInAnyOrder) {
  ParseResult result = Parse({
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:Room;1","@type":"Interface",
          "extends":"dtmi:ex:Space;1",
          "contents":[{"@type":"Relationship","name":"hasSensor","target":"dtmi:ex:Sensor;1"}]})",
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:Space;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"area","schema":"double"}]})"});
  ASSERT_TRUE(result.ok()) << Errors(result);
  ASSERT_EQ(result.models.interfaces.size(), 2u);
  const Element& room = *result.models.interfaces[0];
  EXPECT_TRUE(room.IsOrExtends("dtmi:ex:Space;1"));
  EXPECT_EQ(room.all_contents.size(), 2u);
  EXPECT_TRUE(room.all_contents.contains("area"));
  // A relationship target need not exist (non-dependent reference).
  EXPECT_EQ(room.all_contents.at("hasSensor")->target, "dtmi:ex:Sensor;1");
}

TEST(ModelParserTest, GeneratesIdsForElementsWithoutOne) {
  ParseResult result = Parse({R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:I;1",
      "@type":"Interface","contents":[{"@type":"Property","name":"temp","schema":"double"}]})"});
  ASSERT_TRUE(result.ok()) << Errors(result);
  EXPECT_TRUE(result.models.by_id.contains("dtmi:ex:I:_contents:__temp;1"));
}

TEST(ModelParserTest, RejectsRedefiningAnInheritedName) {
  ParseResult result = Parse({
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"x","schema":"double"}]})",
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:B;1","@type":"Interface",
          "extends":"dtmi:ex:A;1","contents":[{"@type":"Property","name":"x","schema":"double"}]})"});
  EXPECT_FALSE(result.ok());
  EXPECT_NE(Errors(result).find("'x'"), std::string::npos) << Errors(result);
}

TEST(ModelParserTest, MissingDependencyNamesTheReferenceAndPlace) {
  ParseResult result = Parse({R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1",
      "@type":"Interface","extends":"dtmi:ex:Missing;1"})"});
  ASSERT_EQ(result.errors.size(), 1u) << Errors(result);
  EXPECT_EQ(result.errors[0].pointer, "/extends");
  EXPECT_NE(result.errors[0].message.find("dtmi:ex:Missing;1"), std::string::npos);
  EXPECT_EQ(result.errors[0].line, 2u);
}

TEST(ModelParserTest, ResolvesAgainstAlreadyRegisteredInterfaces) {
  ParseResult base = Parse({R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1",
      "@type":"Interface","contents":[{"@type":"Property","name":"x","schema":"double"}]})"});
  ASSERT_TRUE(base.ok()) << Errors(base);
  ExistingInterfaceLookup lookup = [&](const std::string& id) -> const Element* {
    auto it = base.models.by_id.find(id);
    return it == base.models.by_id.end() ? nullptr : it->second;
  };
  std::vector<ModelSource> derived{{"b.json", R"({"@context":"dtmi:dtdl:context;3",
      "@id":"dtmi:ex:B;1","@type":"Interface","extends":"dtmi:ex:A;1"})"}};
  ParseResult result = ModelParser().Parse(derived, lookup);
  ASSERT_TRUE(result.ok()) << Errors(result);
  EXPECT_TRUE(result.models.interfaces[0]->all_contents.contains("x"));
}

TEST(ModelParserTest, V2RequiresVersionedIdsAndRejectsArraysInProperties) {
  ParseResult no_version = Parse({R"({"@context":"dtmi:dtdl:context;2","@id":"dtmi:ex:A",
      "@type":"Interface"})"});
  EXPECT_TRUE(HasError(no_version, "invalidId")) << Errors(no_version);
  ParseResult array = Parse({R"({"@context":"dtmi:dtdl:context;2","@id":"dtmi:ex:A;1",
      "@type":"Interface","contents":[{"@type":"Property","name":"p",
      "schema":{"@type":"Array","elementSchema":"double"}}]})"});
  EXPECT_FALSE(array.ok());
  ParseResult array_v3 = Parse({R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A",
      "@type":"Interface","contents":[{"@type":"Property","name":"p",
      "schema":{"@type":"Array","elementSchema":"double"}}]})"});
  EXPECT_TRUE(array_v3.ok()) << Errors(array_v3);
}

TEST(ModelParserTest, NestedComponentsAreRejected) {
  ParseResult result = Parse({
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:Inner;1","@type":"Interface"})",
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:Middle;1","@type":"Interface",
          "contents":[{"@type":"Component","name":"inner","schema":"dtmi:ex:Inner;1"}]})",
      R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:Outer;1","@type":"Interface",
          "contents":[{"@type":"Component","name":"middle","schema":"dtmi:ex:Middle;1"}]})"});
  EXPECT_FALSE(result.ok());
  EXPECT_NE(Errors(result).find("nested"), std::string::npos) << Errors(result);
}

TEST(ModelParserTest, SemanticTypesNeedMatchingUnits) {
  ParseResult good = Parse({R"({"@context":["dtmi:dtdl:context;3",
      "dtmi:dtdl:extension:quantitativeTypes;1"],"@id":"dtmi:ex:A;1","@type":"Interface",
      "contents":[{"@type":["Property","Temperature"],"name":"t","schema":"double",
      "unit":"degreeCelsius"}]})"});
  EXPECT_TRUE(good.ok()) << Errors(good);
  ParseResult wrong_unit = Parse({R"({"@context":["dtmi:dtdl:context;3",
      "dtmi:dtdl:extension:quantitativeTypes;1"],"@id":"dtmi:ex:A;1","@type":"Interface",
      "contents":[{"@type":["Property","Temperature"],"name":"t","schema":"double",
      "unit":"metre"}]})"});
  EXPECT_FALSE(wrong_unit.ok());
  ParseResult no_extension = Parse({R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1",
      "@type":"Interface","contents":[{"@type":["Property","Temperature"],"name":"t",
      "schema":"double","unit":"degreeCelsius"}]})"});
  EXPECT_FALSE(no_extension.ok());
}

TEST(ModelParserTest, InvalidJsonIsAnErrorWithPosition) {
  ParseResult result = Parse({"{\n  \"@context\": \"dtmi:dtdl:context;3\",\n  oops\n}"});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 3u);
  EXPECT_EQ(result.errors[0].source_index, 0u);
}

TEST(ModelParserTest, AdtModeRejectsInlineInterfacesButDtdlAllowsThem) {
  std::string text = R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1","@type":"Interface",
      "contents":[{"@type":"Component","name":"c","schema":{"@id":"dtmi:ex:B;1","@type":"Interface"}}]})";
  EXPECT_FALSE(Parse({text}).ok());
  ParserOptions dtdl_only;
  dtdl_only.adt_mode = false;
  ParseResult plain = Parse({text}, dtdl_only);
  EXPECT_TRUE(plain.ok()) << Errors(plain);
}

TEST(ModelParserTest, LongChainOfSchemaReferencesIsTooDeepNotAStackOverflow) {
  // 8,000 Arrays in "schemas" (under the 1 MiB Interface limit), each the element schema of the previous one.
  std::string text = R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1","@type":"Interface",
      "contents":[{"@type":"Telemetry","name":"t","schema":"dtmi:ex:s0;1"}],"schemas":[)";
  constexpr int kChain = 8000;
  for (int i = 0; i < kChain; ++i) {
    text += R"({"@id":"dtmi:ex:s)" + std::to_string(i) + R"(;1","@type":"Array","elementSchema":)";
    text += i + 1 < kChain ? "\"dtmi:ex:s" + std::to_string(i + 1) + ";1\"}," : "\"double\"}";
  }
  text += "]}";
  ParseResult result = Parse({text});
  EXPECT_TRUE(HasError(result, "excessiveDepthWide")) << Errors(result).substr(0, 500);
}

TEST(ModelParserTest, DeeplyNestedJsonIsAnErrorNotACrash) {
  std::string text = R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1","@type":"Interface",
      "comment":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  ParseResult result = Parse({text});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.errors[0].message.find("nesting"), std::string::npos) << Errors(result);
}

TEST(ModelParserTest, InterfaceTextOverOneMebibyteIsRejected) {
  std::string big_comment(1100000, 'x');
  ParseResult result = Parse({R"({"@context":"dtmi:dtdl:context;3","@id":"dtmi:ex:A;1",
      "@type":"Interface","description":{"en":")" + big_comment + R"("}})"});
  EXPECT_TRUE(HasError(result, "objectTooLarge")) << Errors(result).substr(0, 500);
}

}  // namespace
}  // namespace dtwin::dtdl
