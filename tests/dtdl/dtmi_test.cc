// DTMI syntax, parts, model-id rules per version, reserved prefixes and generated ids; plus
// agreement with every vector of the reference parser's dtmis/ test cases.
#include "dtdl/dtmi.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_reader.h"

namespace dtwin::dtdl {
namespace {

using Labels = std::vector<std::string>;

TEST(DtmiTest, ParsesLabelsAndVersion) {
  std::optional<DtmiParts> parts = ParseDtmi("dtmi:com:example:Thermostat;1");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->labels, (Labels{"com", "example", "Thermostat"}));
  EXPECT_EQ(parts->versionless, "dtmi:com:example:Thermostat");
  EXPECT_EQ(parts->major_version, 1u);
  EXPECT_FALSE(parts->minor_version.has_value());
  EXPECT_EQ(parts->fragment, "");
  EXPECT_FALSE(parts->has_system_segment);
}

TEST(DtmiTest, ParsesTwoPartVersion) {
  std::optional<DtmiParts> parts = ParseDtmi("dtmi:foo:bar;3.141592");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->major_version, 3u);
  EXPECT_EQ(parts->minor_version, 141592u);
  EXPECT_EQ(parts->versionless, "dtmi:foo:bar");
}

TEST(DtmiTest, NoVersion) {
  std::optional<DtmiParts> parts = ParseDtmi("dtmi:foo:bar");
  ASSERT_TRUE(parts.has_value());
  EXPECT_FALSE(parts->major_version.has_value());
  EXPECT_FALSE(parts->minor_version.has_value());
  EXPECT_EQ(parts->versionless, "dtmi:foo:bar");
}

TEST(DtmiTest, FragmentKeepsItsHashAndStaysInVersionless) {
  std::optional<DtmiParts> parts = ParseDtmi("dtmi:foo:bar;1.34#myFrag");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->fragment, "#myFrag");
  EXPECT_EQ(parts->versionless, "dtmi:foo:bar#myFrag");
  EXPECT_EQ(parts->labels, (Labels{"foo", "bar"}));
  EXPECT_EQ(parts->minor_version, 34u);

  std::optional<DtmiParts> empty = ParseDtmi("dtmi:foo:bar;1#");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->fragment, "#");  // an empty fragment is still a fragment

  std::optional<DtmiParts> unversioned = ParseDtmi("dtmi:foo:bar#f");
  ASSERT_TRUE(unversioned.has_value());
  EXPECT_EQ(unversioned->versionless, "dtmi:foo:bar#f");
  EXPECT_FALSE(unversioned->major_version.has_value());
}

TEST(DtmiTest, SystemSegmentsAndFragments) {
  std::optional<DtmiParts> parts = ParseDtmi("dtmi:ex:I:_contents:__temp;1");
  ASSERT_TRUE(parts.has_value());
  EXPECT_TRUE(parts->has_system_segment);
  EXPECT_EQ(parts->labels, (Labels{"ex", "I", "_contents", "__temp"}));

  std::optional<DtmiParts> fragment = ParseDtmi("dtmi:foo:bar;1#_x");
  ASSERT_TRUE(fragment.has_value());
  EXPECT_TRUE(fragment->has_system_segment);

  EXPECT_TRUE(ParseDtmi("dtmi:a:__1;1").has_value());   // underscores, then a digit
  EXPECT_FALSE(ParseDtmi("dtmi:a:_;1").has_value());    // underscores only
  EXPECT_FALSE(ParseDtmi("dtmi:a:_b_;1").has_value());  // trailing underscore
}

TEST(DtmiTest, RejectsMalformed) {
  for (const char* text : {
           "",                         // empty
           "dtmi:",                    // no segment
           "DTMI:foo;1",               // scheme is lowercase
           "urn:foo:bar:1",            // other scheme
           "dtmi:;1",                  // no segments
           "dtmi:foo::bar;1",          // empty segment
           "dtmi:foo:bar.baz;1",       // illegal char
           "dtmi:test:1seg;1",         // leading digit
           "dtmi:test:seg_;1",         // trailing underscore
           "dtmi:foo:bar;",            // empty version
           "dtmi:foo:bar;0",           // zero
           "dtmi:foo:bar;01",          // leading zero
           "dtmi:foo:bar;1234567890",  // 10 digits
           "dtmi:foo:bar;3.0",         // minor zero
           "dtmi:foo:bar;6.02",        // minor leading zero
           "dtmi:foo:bar;3.1415926",   // minor 7 digits
           "dtmi:foo:bar;1a",          // non-numeric
           "dtmi:foo:bar;1.",          // empty minor
           "dtmi:foo;1#bar.baz",       // illegal fragment char
           "dtmi:foo:bar;1#1seg",      // fragment leading digit
           "dtmi:foo:bar;1#x_",        // fragment trailing underscore
           "dtmi:foo:bar;1#a#b",       // two fragments
           "dtmi:foo:bar;1 ",          // trailing space
       }) {
    EXPECT_FALSE(ParseDtmi(text).has_value()) << text;
  }
}

TEST(DtmiTest, LengthLimit) {
  std::string id = "dtmi:a";
  while (id.size() < 4094) id += ":a";
  id.resize(4094);
  if (id.back() == ':') id.back() = 'b';
  id += ";1";  // 4096 characters
  ASSERT_EQ(id.size(), 4096u);
  EXPECT_TRUE(ParseDtmi(id).has_value());
  id.insert(5, "a");  // 4097
  EXPECT_FALSE(ParseDtmi(id).has_value());
}

TEST(DtmiTest, ModelDtmiPerVersion) {
  // v2: a one-part version is required.
  EXPECT_TRUE(IsValidModelDtmi("dtmi:com:example:Thermostat;1", DtdlVersion::kV2));
  EXPECT_FALSE(IsValidModelDtmi("dtmi:com:example:Thermostat", DtdlVersion::kV2));
  EXPECT_FALSE(IsValidModelDtmi("dtmi:com:example:Thermostat;1.2", DtdlVersion::kV2));
  // v3: no version or major.minor.
  EXPECT_TRUE(IsValidModelDtmi("dtmi:com:example:Thermostat;1", DtdlVersion::kV3));
  EXPECT_TRUE(IsValidModelDtmi("dtmi:com:example:Thermostat", DtdlVersion::kV3));
  EXPECT_TRUE(IsValidModelDtmi("dtmi:com:example:Thermostat;1.2", DtdlVersion::kV3));
  // Neither allows system segments or fragments, even empty ones.
  for (DtdlVersion v : {DtdlVersion::kV2, DtdlVersion::kV3}) {
    EXPECT_FALSE(IsValidModelDtmi("dtmi:ex:_contents;1", v));
    EXPECT_FALSE(IsValidModelDtmi("dtmi:ex:a;1#frag", v));
    EXPECT_FALSE(IsValidModelDtmi("dtmi:ex:a;1#", v));
    EXPECT_FALSE(IsValidModelDtmi("dtmi:ex:a;0", v));
    EXPECT_FALSE(IsValidModelDtmi("dtmi:ex:1a;1", v));
  }
}

TEST(DtmiTest, ReservedPrefixes) {
  EXPECT_TRUE(HasReservedDtmiPrefix("dtmi:dtdl:context;3"));
  EXPECT_TRUE(HasReservedDtmiPrefix("dtmi:standard:schema:geospatial:point;3"));
  EXPECT_FALSE(HasReservedDtmiPrefix("dtmi:dtdlx:a;1"));
  EXPECT_FALSE(HasReservedDtmiPrefix("dtmi:com:dtdl:a;1"));
  EXPECT_FALSE(HasReservedDtmiPrefix("dtmi:dtdl"));
}

TEST(DtmiTest, GeneratedChildIds) {
  EXPECT_EQ(GeneratedChildId("dtmi:ex:I;1", "contents", "temp"), "dtmi:ex:I:_contents:__temp;1");
  EXPECT_EQ(GeneratedChildId("dtmi:ex:aTelemetry;1", "schema", ""), "dtmi:ex:aTelemetry:_schema;1");
  EXPECT_EQ(GeneratedChildId("dtmi:ex:I;2.5", "schemas", "s"), "dtmi:ex:I:_schemas:__s;2.5");
  EXPECT_EQ(GeneratedChildId("dtmi:ex:I", "contents", "x"), "dtmi:ex:I:_contents:__x");
  // Recursive, and the result is a system DTMI that is still valid syntax.
  std::string nested =
      GeneratedChildId(GeneratedChildId("dtmi:ex:I;1", "contents", "p"), "schema", "");
  EXPECT_EQ(nested, "dtmi:ex:I:_contents:__p:_schema;1");
  std::optional<DtmiParts> parts = ParseDtmi(nested);
  ASSERT_TRUE(parts.has_value());
  EXPECT_TRUE(parts->has_system_segment);
  EXPECT_FALSE(IsValidModelDtmi(nested, DtdlVersion::kV3));
}

// ---- the reference parser's DTMI vectors ----------------------------------------------

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Empty when parts agree with the vector, else what differs.
std::string CompareWithVector(const boost::json::object& vector) {
  std::string id(vector.at("idText").as_string());
  bool valid = vector.at("valid").as_bool();
  std::optional<DtmiParts> parts = ParseDtmi(id);
  if (parts.has_value() != valid) {
    return std::string("valid should be ") + (valid ? "true" : "false");
  }
  const boost::json::value* expect = vector.if_contains("expect");
  if (!parts || expect == nullptr) return {};
  const boost::json::object& e = expect->as_object();
  std::string diff;
  if (e.at("MajorVersion").as_int64() != parts->major_version.value_or(0)) diff += " MajorVersion";
  if (e.at("MinorVersion").as_int64() != parts->minor_version.value_or(0)) diff += " MinorVersion";
  if (e.at("Versionless").as_string() != parts->versionless) diff += " Versionless";
  if (e.at("Fragment").as_string() != parts->fragment) diff += " Fragment";
  if (e.at("IsReserved").as_bool() != parts->has_system_segment) diff += " IsReserved";
  const boost::json::array& labels = e.at("Labels").as_array();
  bool labels_equal = labels.size() == parts->labels.size();
  for (size_t i = 0; labels_equal && i < labels.size(); ++i) {
    labels_equal = labels[i].as_string() == parts->labels[i];
  }
  if (!labels_equal) diff += " Labels";
  return diff.empty() ? diff : "differs in" + diff;
}

TEST(DtmiCorpusTest, AgreesWithEveryReferenceVector) {
  const std::filesystem::path dir =
      std::filesystem::path(DTWIN_SHARED_DIR) / "corpus/dtdlparser-tests/test-cases/dtmis";
  if (!std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "needs ../shared/corpus (DTDL test suite)";
  }
  size_t total = 0;
  size_t agreed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    ++total;
    Result<boost::json::value> doc = ReadJson(ReadFile(entry.path()));  // files start with a BOM
    ASSERT_TRUE(doc.ok()) << entry.path() << ": " << doc.status().ToString();
    std::string diff = CompareWithVector(doc->as_object());
    if (diff.empty()) {
      ++agreed;
    } else {
      ADD_FAILURE() << entry.path().filename() << " ("
                    << doc->as_object().at("idText").as_string().c_str() << "): " << diff;
    }
  }
  std::cout << "[ dtmis    ] " << agreed << " of " << total << " reference DTMI vectors agree\n";
  EXPECT_GT(total, 0u);
  EXPECT_EQ(agreed, total);
}

}  // namespace
}  // namespace dtwin::dtdl
