// Instance validation: every primitive's wire format, complex schemas, geospatial shapes,
// twin documents (components, $metadata, unknown members), relationship properties and
// telemetry, over elements built by hand; plus the standard schema elements.
#include "dtdl/instance_validator.h"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_reader.h"
#include "dtdl/element.h"

namespace dtwin::dtdl {
namespace {

namespace json = boost::json;

json::value Json(std::string_view text) {
  Result<json::value> result = ReadJson(text);
  EXPECT_TRUE(result.ok()) << "test JSON does not parse: " << text;
  return result.ok() ? *result : json::value();
}

const Element& Primitive(PrimitiveType type) { return StandardPrimitive(type, DtdlVersion::kV3); }
const Element& Geo(GeospatialType type) { return StandardGeospatial(type, DtdlVersion::kV3); }

bool Conforms(const Element& schema, std::string_view text) {
  return ValidateValue(schema, Json(text)).empty();
}

// Owns hand-built elements; pointers stay valid as elements are added.
class Elements {
 public:
  Element& New(ElementClass element_class, std::string id, std::string name = {}) {
    elements_.push_back(std::make_unique<Element>());
    Element& e = *elements_.back();
    e.element_class = element_class;
    e.id = std::move(id);
    e.name = std::move(name);
    return e;
  }

  // A schema-bearing content (Property, Telemetry, Field, MapValue...).
  Element& Content(ElementClass element_class, std::string name, const Element& schema) {
    Element& e = New(element_class, "dtmi:test:" + name + ";1", name);
    e.schema = &schema;
    return e;
  }

  Element& EnumOf(PrimitiveType value_schema, std::vector<json::value> values) {
    Element& e = New(ElementClass::kEnum, "dtmi:test:enum" + std::to_string(count_++) + ";1");
    e.value_schema = value_schema;
    for (json::value& v : values) {
      std::string n = std::to_string(count_++);
      Element& ev = New(ElementClass::kEnumValue, "dtmi:test:ev" + n + ";1", "v" + n);
      ev.enum_value = std::move(v);
      e.enum_values.push_back(&ev);
    }
    return e;
  }

  Element& ObjectOf(std::vector<std::pair<std::string, const Element*>> fields) {
    Element& e = New(ElementClass::kObject, "dtmi:test:object" + std::to_string(count_++) + ";1");
    for (auto& [name, schema] : fields)
      e.fields.push_back(&Content(ElementClass::kField, name, *schema));
    return e;
  }

  Element& MapOf(const Element& value_schema) {
    Element& e = New(ElementClass::kMap, "dtmi:test:map" + std::to_string(count_++) + ";1");
    e.map_key = &Content(ElementClass::kMapKey, "key", Primitive(PrimitiveType::kString));
    e.map_value = &Content(ElementClass::kMapValue, "value", value_schema);
    return e;
  }

  Element& ArrayOf(const Element& element_schema) {
    Element& e = New(ElementClass::kArray, "dtmi:test:array" + std::to_string(count_++) + ";1");
    e.element_schema = &element_schema;
    return e;
  }

  // Fills all_contents and ancestor_ids the way resolution does.
  static void Resolve(Element& interface) {
    interface.ancestor_ids = {interface.id};
    interface.all_contents.clear();
    for (const Element* c : interface.contents) interface.all_contents.emplace(c->name, c);
    for (const Element* base : interface.extends) {
      for (const std::string& id : base->ancestor_ids) interface.ancestor_ids.push_back(id);
      for (const auto& [name, c] : base->all_contents) interface.all_contents.emplace(name, c);
    }
  }

 private:
  std::vector<std::unique_ptr<Element>> elements_;
  int count_ = 0;
};

// ---- standard elements ------------------------------------------------------------------

TEST(ElementTest, StandardPrimitivesPerVersion) {
  const Element& d2 = StandardPrimitive(PrimitiveType::kDouble, DtdlVersion::kV2);
  const Element& d3 = StandardPrimitive(PrimitiveType::kDouble, DtdlVersion::kV3);
  EXPECT_EQ(d2.id, "dtmi:dtdl:instance:Schema:double;2");
  EXPECT_EQ(d3.id, "dtmi:dtdl:instance:Schema:double;3");
  EXPECT_EQ(d3.name, "double");
  EXPECT_EQ(d3.element_class, ElementClass::kPrimitiveSchema);
  EXPECT_EQ(d3.primitive, PrimitiveType::kDouble);
  EXPECT_EQ(d2.version, DtdlVersion::kV2);
  EXPECT_EQ(&d3, &StandardPrimitive(PrimitiveType::kDouble, DtdlVersion::kV3));  // one instance
  EXPECT_EQ(StandardPrimitive(PrimitiveType::kDateTime, DtdlVersion::kV3).id,
            "dtmi:dtdl:instance:Schema:dateTime;3");
  EXPECT_EQ(StandardPrimitive(PrimitiveType::kTime, DtdlVersion::kV2).name, "time");
  EXPECT_EQ(StandardPrimitive(PrimitiveType::kBoolean, DtdlVersion::kV2).name, "boolean");
}

TEST(ElementTest, StandardGeospatialPerVersion) {
  const Element& p2 = StandardGeospatial(GeospatialType::kPoint, DtdlVersion::kV2);
  const Element& mp3 = StandardGeospatial(GeospatialType::kMultiPolygon, DtdlVersion::kV3);
  EXPECT_EQ(p2.id, "dtmi:standard:schema:geospatial:point;2");
  EXPECT_EQ(mp3.id, "dtmi:standard:schema:geospatial:multiPolygon;3");
  EXPECT_EQ(mp3.name, "multiPolygon");
  EXPECT_EQ(mp3.element_class, ElementClass::kGeospatialSchema);
  EXPECT_EQ(mp3.geospatial, GeospatialType::kMultiPolygon);
}

TEST(ElementTest, ClassNames) {
  EXPECT_EQ(ElementClassName(ElementClass::kInterface), "Interface");
  EXPECT_EQ(ElementClassName(ElementClass::kMapValue), "MapValue");
  EXPECT_EQ(ElementClassName(ElementClass::kCommandResponse), "CommandResponse");
  EXPECT_EQ(ElementClassName(ElementClass::kField), "Field");
}

TEST(ElementTest, IsOrExtends) {
  Elements m;
  Element& base = m.New(ElementClass::kInterface, "dtmi:ex:Base;1");
  Element& mid = m.New(ElementClass::kInterface, "dtmi:ex:Mid;1");
  Element& leaf = m.New(ElementClass::kInterface, "dtmi:ex:Leaf;1");
  mid.extends = {&base};
  leaf.extends = {&mid};
  Elements::Resolve(base);
  Elements::Resolve(mid);
  Elements::Resolve(leaf);
  EXPECT_TRUE(leaf.IsOrExtends("dtmi:ex:Leaf;1"));
  EXPECT_TRUE(leaf.IsOrExtends("dtmi:ex:Mid;1"));
  EXPECT_TRUE(leaf.IsOrExtends("dtmi:ex:Base;1"));
  EXPECT_FALSE(base.IsOrExtends("dtmi:ex:Leaf;1"));
  EXPECT_FALSE(leaf.IsOrExtends("dtmi:ex:Base;2"));
}

// ---- primitives -------------------------------------------------------------------------

struct Case {
  PrimitiveType type;
  const char* json;
  bool conforms;
};

// From reference/dtdl.md 3.12 and the reference parser's *Instances test cases.
constexpr Case kPrimitiveCases[] = {
    {PrimitiveType::kBoolean, "true", true},
    {PrimitiveType::kBoolean, "false", true},
    {PrimitiveType::kBoolean, "\"true\"", false},
    {PrimitiveType::kBoolean, "1", false},
    {PrimitiveType::kBoolean, "null", false},
    {PrimitiveType::kBoolean, "[true]", false},

    {PrimitiveType::kInteger, "3", true},
    {PrimitiveType::kInteger, "-0", true},
    {PrimitiveType::kInteger, "2147483647", true},
    {PrimitiveType::kInteger, "-2147483648", true},
    {PrimitiveType::kInteger, "2147483648", false},
    {PrimitiveType::kInteger, "-2147483649", false},
    {PrimitiveType::kInteger, "3000000000", false},
    {PrimitiveType::kInteger, "1.0", false},
    {PrimitiveType::kInteger, "1e2", false},
    {PrimitiveType::kInteger, "-0.0", false},
    {PrimitiveType::kInteger, "3.14", false},
    {PrimitiveType::kInteger, "\"3\"", false},
    {PrimitiveType::kInteger, "true", false},
    {PrimitiveType::kInteger, "{\"value\": 3}", false},

    {PrimitiveType::kLong, "9223372036854775807", true},
    {PrimitiveType::kLong, "-9223372036854775808", true},
    {PrimitiveType::kLong, "9223372036854775808", false},
    {PrimitiveType::kLong, "-9223372036854775809", false},
    {PrimitiveType::kLong, "18446744073709551615", false},
    {PrimitiveType::kLong, "0.0", false},
    {PrimitiveType::kLong, "1E3", false},
    {PrimitiveType::kLong, "-2", true},
    {PrimitiveType::kLong, "\"3\"", false},

    {PrimitiveType::kFloat, "3", true},
    {PrimitiveType::kFloat, "-0.33", true},
    {PrimitiveType::kFloat, "3.402823E+38", true},
    {PrimitiveType::kFloat, "-3.402823E+38", true},
    {PrimitiveType::kFloat, "3.402824E+38", false},
    {PrimitiveType::kFloat, "-3.402824E+38", false},
    {PrimitiveType::kFloat, "1e39", false},
    {PrimitiveType::kFloat, "1e-50", true},  // underflows to zero: finite
    {PrimitiveType::kFloat, "18446744073709551615", true},
    {PrimitiveType::kFloat, "\"3.14\"", false},
    {PrimitiveType::kFloat, "null", false},

    {PrimitiveType::kDouble, "0", true},
    {PrimitiveType::kDouble, "-0.0", true},
    {PrimitiveType::kDouble, "1.79769313486231E+308", true},
    {PrimitiveType::kDouble, "-1.79769313486231E+308", true},
    {PrimitiveType::kDouble, "9223372036854775808", true},
    {PrimitiveType::kDouble, "\"3.14\"", false},
    {PrimitiveType::kDouble, "true", false},
    {PrimitiveType::kDouble, "[3.14]", false},

    {PrimitiveType::kString, "\"hello\"", true},
    {PrimitiveType::kString, "\"\"", true},
    {PrimitiveType::kString, "1", false},
    {PrimitiveType::kString, "null", false},
    {PrimitiveType::kString, "[\"hello\"]", false},

    {PrimitiveType::kDate, "\"1980-01-01\"", true},
    {PrimitiveType::kDate, "\"0001-01-01\"", true},
    {PrimitiveType::kDate, "\"9999-12-31\"", true},
    {PrimitiveType::kDate, "\"1964-02-29\"", true},
    {PrimitiveType::kDate, "\"2000-02-29\"", true},
    {PrimitiveType::kDate, "\"1900-02-29\"", false},
    {PrimitiveType::kDate, "\"1965-02-29\"", false},
    {PrimitiveType::kDate, "\"1965-04-31\"", false},
    {PrimitiveType::kDate, "\"1965-01-32\"", false},
    {PrimitiveType::kDate, "\"1965-13-01\"", false},
    {PrimitiveType::kDate, "\"0000-01-01\"", false},
    {PrimitiveType::kDate, "\"0001-00-01\"", false},
    {PrimitiveType::kDate, "\"0001-01-00\"", false},
    {PrimitiveType::kDate, "\"19650101\"", false},
    {PrimitiveType::kDate, "\"1965-01\"", false},
    {PrimitiveType::kDate, "\"65-01-01\"", false},
    {PrimitiveType::kDate, "\"1965-1-01\"", false},
    {PrimitiveType::kDate, "\"1965-01-01T00:00:00Z\"", false},
    {PrimitiveType::kDate, "\"1965-01-01 \"", false},
    {PrimitiveType::kDate, "19650101", false},

    {PrimitiveType::kDateTime, "\"0001-01-01T00:00:00Z\"", true},
    {PrimitiveType::kDateTime, "\"9999-12-31T23:59:59Z\"", true},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00:00.00015Z\"", true},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00:00+00:00\"", true},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00:00-00:00\"", true},
    {PrimitiveType::kDateTime, "\"1965-12-31T06:00:00+11:45\"", true},
    {PrimitiveType::kDateTime, "\"1965-12-31T06:00:00.1234+11:00\"", true},
    {PrimitiveType::kDateTime, "\"1980-01-01T00:00:60Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T24:00:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:60:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-02-30T06:00:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00:00\"", false},  // offset is mandatory
    {PrimitiveType::kDateTime, "\"1980-01-01t06:00:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01 06:00:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00:00z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T06:00:00.Z\"", false},
    {PrimitiveType::kDateTime, "\"1965-12-31T06:00:00-1:15\"", false},
    {PrimitiveType::kDateTime, "\"1965-12-31T06:00:00+11\"", false},
    {PrimitiveType::kDateTime, "\"1965-12-31T06:00:00+11:60\"", false},
    {PrimitiveType::kDateTime, "\"80-01-01T06:00:00Z\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01\"", false},
    {PrimitiveType::kDateTime, "\"1980-01-01T\"", false},
    {PrimitiveType::kDateTime, "\"T06:00:00Z\"", false},
    {PrimitiveType::kDateTime, "1", false},

    {PrimitiveType::kTime, "\"00:00:00Z\"", true},
    {PrimitiveType::kTime, "\"23:59:59Z\"", true},
    {PrimitiveType::kTime, "\"06:00:00.00015Z\"", true},
    {PrimitiveType::kTime, "\"06:00:00+11:45\"", true},
    {PrimitiveType::kTime, "\"06:00:00-01:15\"", true},
    {PrimitiveType::kTime, "\"06:00:00.0000+11:00\"", true},
    {PrimitiveType::kTime, "\"00:00:60Z\"", false},
    {PrimitiveType::kTime, "\"00:60:00Z\"", false},
    {PrimitiveType::kTime, "\"24:00:00Z\"", false},
    {PrimitiveType::kTime, "\"06:00Z\"", false},
    {PrimitiveType::kTime, "\"06:00:00\"", false},  // offset is mandatory
    {PrimitiveType::kTime, "\"T06:00:00Z\"", false},
    {PrimitiveType::kTime, "\"1980-01-01T06:00:00Z\"", false},
    {PrimitiveType::kTime, "\"06:00:00-1:15\"", false},
    {PrimitiveType::kTime, "\"06:00:00+11\"", false},
    {PrimitiveType::kTime, "\"06:00+11:00\"", false},
    {PrimitiveType::kTime, "true", false},

    {PrimitiveType::kDuration, "\"P3Y6M4DT8H9M5S\"", true},
    {PrimitiveType::kDuration, "\"P3Y6M4DT8H\"", true},
    {PrimitiveType::kDuration, "\"P3Y\"", true},
    {PrimitiveType::kDuration, "\"P0D\"", true},
    {PrimitiveType::kDuration, "\"PT0S\"", true},
    {PrimitiveType::kDuration, "\"PT8H9M5S\"", true},
    {PrimitiveType::kDuration, "\"PT0.001S\"", true},
    {PrimitiveType::kDuration, "\"P163Y16M64DT389999M15S\"", true},
    {PrimitiveType::kDuration, "\"P3Y6M4DT8H9M5.00134S\"", true},
    {PrimitiveType::kDuration, "\"P3Y6M4DT8H9.00134M\"", true},
    {PrimitiveType::kDuration, "\"P3.00134Y\"", true},
    {PrimitiveType::kDuration, "\"P3W\"", true},
    {PrimitiveType::kDuration, "\"P3.4W\"", true},
    {PrimitiveType::kDuration, "\"P3W5D\"", true},
    {PrimitiveType::kDuration, "\"P2WT8H9M5S\"", true},
    {PrimitiveType::kDuration, "\"P\"", false},
    {PrimitiveType::kDuration, "\"PT\"", false},
    {PrimitiveType::kDuration, "\"P3Y6M4DT\"", false},
    {PrimitiveType::kDuration, "\"P8H9M5S\"", false},
    {PrimitiveType::kDuration, "\"PT.001S\"", false},
    {PrimitiveType::kDuration, "\"P6M3Y\"", false},
    {PrimitiveType::kDuration, "\"PT5S9M\"", false},
    {PrimitiveType::kDuration, "\"P1Y1Y\"", false},
    {PrimitiveType::kDuration, "\"P3.0Y6M4DT8H9M5S\"", false},  // fraction not last
    {PrimitiveType::kDuration, "\"P3Y6M4DT8H9.0M5S\"", false},
    {PrimitiveType::kDuration, "\"P3.4W5D\"", false},
    {PrimitiveType::kDuration, "\"P1Y3W\"", false},  // weeks exclude years and months
    {PrimitiveType::kDuration, "\"P2M3W\"", false},
    {PrimitiveType::kDuration, "\"P3Y6M2W4DT8H9M5S\"", false},
    {PrimitiveType::kDuration, "\"15D\"", false},
    {PrimitiveType::kDuration, "\"p1D\"", false},
    {PrimitiveType::kDuration, "\"P1D \"", false},
    {PrimitiveType::kDuration, "15", false},
};

TEST(InstanceValidatorTest, PrimitiveWireFormats) {
  for (const Case& c : kPrimitiveCases) {
    const Element& schema = Primitive(c.type);
    std::vector<InstanceProblem> problems = ValidateValue(schema, Json(c.json));
    EXPECT_EQ(problems.empty(), c.conforms) << schema.name << " " << c.json;
    if (!c.conforms && !problems.empty()) {
      EXPECT_EQ(problems[0].pointer, "");
      EXPECT_FALSE(problems[0].message.empty());
    }
  }
}

TEST(InstanceValidatorTest, ProblemMessagesSayWhatWasExpectedAndGot) {
  std::vector<InstanceProblem> p = ValidateValue(Primitive(PrimitiveType::kDouble), "hot");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].message, "expected a number, got string \"hot\"");

  p = ValidateValue(Primitive(PrimitiveType::kInteger), Json("1.0"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].message.find("got number 1.0"), std::string::npos) << p[0].message;
  EXPECT_NE(p[0].message.find("without a fraction or exponent"), std::string::npos);

  p = ValidateValue(Primitive(PrimitiveType::kInteger), Json("3000000000"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].message.find("out of range for integer"), std::string::npos) << p[0].message;

  p = ValidateValue(Primitive(PrimitiveType::kDate), Json("\"1965-02-29\""));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].message.find("expected a date"), std::string::npos);
  EXPECT_NE(p[0].message.find("\"1965-02-29\""), std::string::npos);

  // Long strings are cut in messages.
  p = ValidateValue(Primitive(PrimitiveType::kBoolean), json::value(std::string(500, 'x')));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_LT(p[0].message.size(), 120u);
  EXPECT_NE(p[0].message.find("(cut)"), std::string::npos);

  p = ValidateValue(Primitive(PrimitiveType::kString), Json("null"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].message, "expected a string, got null");
}

// ---- complex schemas --------------------------------------------------------------------

TEST(InstanceValidatorTest, IntegerEnumMatchesWireValues) {
  Elements m;
  const Element& e = m.EnumOf(PrimitiveType::kInteger, {json::value(1), json::value(2)});
  EXPECT_TRUE(Conforms(e, "1"));
  EXPECT_TRUE(Conforms(e, "2"));
  EXPECT_FALSE(Conforms(e, "0"));
  EXPECT_FALSE(Conforms(e, "3"));
  EXPECT_FALSE(Conforms(e, "1.0"));
  EXPECT_FALSE(Conforms(e, "-1"));
  EXPECT_FALSE(Conforms(e, "\"1\""));
  EXPECT_FALSE(Conforms(e, "true"));
  EXPECT_FALSE(Conforms(e, "[1]"));
  std::vector<InstanceProblem> p = ValidateValue(e, Json("3"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].message, "expected one of 1, 2 (the Enum's enumValues), got number 3");
}

TEST(InstanceValidatorTest, StringEnumMatchesWireValuesNotNames) {
  Elements m;
  Element& e = m.EnumOf(PrimitiveType::kString, {json::value("ECO"), json::value("ON")});
  EXPECT_TRUE(Conforms(e, "\"ECO\""));
  EXPECT_TRUE(Conforms(e, "\"ON\""));
  EXPECT_FALSE(Conforms(e, "\"eco\""));
  EXPECT_FALSE(Conforms(e, std::string("\"") + e.enum_values[0]->name + "\""));
  EXPECT_FALSE(Conforms(e, "1"));
  EXPECT_FALSE(Conforms(e, "null"));
}

TEST(InstanceValidatorTest, EnumWithoutValuesAcceptsNothing) {
  Elements m;
  const Element& e = m.EnumOf(PrimitiveType::kString, {});
  std::vector<InstanceProblem> p = ValidateValue(e, Json("\"x\""));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].message.find("no enumValues"), std::string::npos);
}

TEST(InstanceValidatorTest, ArrayChecksEveryElement) {
  Elements m;
  const Element& a = m.ArrayOf(Primitive(PrimitiveType::kDouble));
  EXPECT_TRUE(Conforms(a, "[2, 3.14, 555]"));
  EXPECT_TRUE(Conforms(a, "[]"));
  EXPECT_FALSE(Conforms(a, "3.14"));
  EXPECT_FALSE(Conforms(a, "{\"value\": [1]}"));
  std::vector<InstanceProblem> p = ValidateValue(a, Json("[2, \"hi\", true]"));
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].pointer, "/1");
  EXPECT_EQ(p[1].pointer, "/2");
}

TEST(InstanceValidatorTest, MapChecksValuesNotKeys) {
  Elements m;
  const Element& map = m.MapOf(Primitive(PrimitiveType::kDouble));
  EXPECT_TRUE(Conforms(map, "{\"home\": 3.14, \"office\": 6.28}"));
  EXPECT_TRUE(Conforms(map, "{}"));
  EXPECT_TRUE(Conforms(map, "{\"any key!\": 1, \"\": 2}"));
  EXPECT_FALSE(Conforms(map, "[{\"home\": 3.14}]"));
  EXPECT_FALSE(Conforms(map, "null"));
  std::vector<InstanceProblem> p = ValidateValue(map, Json("{\"home\": 1, \"a/b~c\": null}"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/a~1b~0c");  // escaped as a JSON Pointer token
}

TEST(InstanceValidatorTest, ObjectFieldsAreOptionalButMustBeKnown) {
  Elements m;
  const Element& o = m.ObjectOf({{"latitude", &Primitive(PrimitiveType::kDouble)},
                                 {"longitude", &Primitive(PrimitiveType::kDouble)}});
  EXPECT_TRUE(Conforms(o, "{\"latitude\": 3.14, \"longitude\": 6.28}"));
  EXPECT_TRUE(Conforms(o, "{\"longitude\": 6.28}"));
  EXPECT_TRUE(Conforms(o, "{}"));
  EXPECT_FALSE(Conforms(o, "{\"latitude\": true}"));
  EXPECT_FALSE(Conforms(o, "{\"latitude\": null}"));
  EXPECT_FALSE(Conforms(o, "[{\"latitude\": 1}]"));
  std::vector<InstanceProblem> p =
      ValidateValue(o, Json("{\"latitude\": 3.14, \"altitude\": 9.42}"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/altitude");
  EXPECT_EQ(p[0].message, "'altitude' is not a field of the Object (fields: latitude, longitude)");
}

TEST(InstanceValidatorTest, NestedSchemasReportDeepPointers) {
  // Array of Object {myField: Map of Object {myField: Array of double}} (MixedComplexSchema).
  Elements m;
  const Element& inner = m.ObjectOf({{"myField", &m.ArrayOf(Primitive(PrimitiveType::kDouble))}});
  const Element& outer = m.ObjectOf({{"myField", &m.MapOf(inner)}});
  const Element& deep = m.ArrayOf(outer);
  EXPECT_TRUE(Conforms(deep, R"([{"myField": {"k": {"myField": [2, 3.14, 555]}}}])"));
  EXPECT_TRUE(Conforms(deep, R"([{"myField": {"k": {}}}, {}])"));
  EXPECT_FALSE(Conforms(deep, R"([{"myField": [{"myField": [2]}]}])"));
  std::vector<InstanceProblem> p =
      ValidateValue(deep, Json(R"([{}, {"myField": {"k": {"myField": [2, "hi", 555]}}}])"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/1/myField/k/myField/1");
}

TEST(InstanceValidatorTest, SchemaBearingElementsUseTheirSchema) {
  Elements m;
  const Element& property =
      m.Content(ElementClass::kProperty, "temp", Primitive(PrimitiveType::kDouble));
  EXPECT_TRUE(Conforms(property, "21.5"));
  EXPECT_FALSE(Conforms(property, "\"21.5\""));
  const Element& interface = m.New(ElementClass::kInterface, "dtmi:ex:I;1");
  std::vector<InstanceProblem> p = ValidateValue(interface, Json("1"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].message.find("no value schema"), std::string::npos);
}

// ---- geospatial -------------------------------------------------------------------------

TEST(InstanceValidatorTest, GeospatialShapes) {
  using G = GeospatialType;
  EXPECT_TRUE(Conforms(Geo(G::kPoint), R"({"type": "Point", "coordinates": [47.64, -122.12]})"));
  EXPECT_TRUE(Conforms(Geo(G::kPoint), R"({"coordinates": [1, 2, 3], "type": "Point"})"));
  EXPECT_TRUE(Conforms(Geo(G::kMultiPoint), R"({"type": "MultiPoint", "coordinates": [[1, 2]]})"));
  EXPECT_TRUE(
      Conforms(Geo(G::kLineString), R"({"type": "LineString", "coordinates": [[1, 2], [3, 4]]})"));
  EXPECT_TRUE(Conforms(Geo(G::kMultiLineString),
                       R"({"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]]]})"));
  EXPECT_TRUE(
      Conforms(Geo(G::kPolygon),
               R"({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})"));
  EXPECT_TRUE(Conforms(Geo(G::kMultiPolygon),
                       R"({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 0]]]]})"));

  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "point", "coordinates": [1, 2]})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "MultiPoint", "coordinates": [1, 2]})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "Point"})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"coordinates": [1, 2]})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "Point", "coordinates": [1]})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "Point", "coordinates": [[1, 2]]})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "Point", "coordinates": [1, "2"]})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), R"({"type": "Point", "coordinates": [1, 2], "x": 1})"));
  EXPECT_FALSE(Conforms(Geo(G::kPoint), "[1, 2]"));
  EXPECT_FALSE(Conforms(Geo(G::kLineString), R"({"type": "LineString", "coordinates": [1, 2]})"));
  EXPECT_FALSE(
      Conforms(Geo(G::kPolygon), R"({"type": "Polygon", "coordinates": [[0, 0], [1, 0]]})"));

  std::vector<InstanceProblem> p =
      ValidateValue(Geo(G::kMultiLineString),
                    Json(R"({"type": "MultiLineString", "coordinates": [[[1, 2], [3, true]]]})"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/coordinates/0/1/1");
  p = ValidateValue(Geo(G::kPoint), Json(R"({"type": "Polygon", "coordinates": [1, 2]})"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/type");
  EXPECT_EQ(p[0].message, "expected \"Point\", got string \"Polygon\"");
}

// ---- twins ------------------------------------------------------------------------------

// The model of reference/dtdl.md 8.3, plus a base Interface, Telemetry and a Command.
class TwinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Element& dbl = Primitive(PrimitiveType::kDouble);
    space_ = &m_.New(ElementClass::kInterface, "dtmi:ex:Space;1");
    space_->contents = {&m_.Content(ElementClass::kProperty, "area", dbl)};
    Elements::Resolve(*space_);

    thermostat_ = &m_.New(ElementClass::kInterface, "dtmi:ex:Thermostat;1");
    thermostat_->contents = {
        &m_.Content(ElementClass::kProperty, "targetTemperature", dbl),
        &m_.Content(ElementClass::kProperty, "setPoint",
                    m_.ObjectOf({{"low", &dbl}, {"high", &dbl}})),
        &m_.Content(ElementClass::kTelemetry, "reading", dbl),
    };
    Elements::Resolve(*thermostat_);

    Element& contains = m_.New(ElementClass::kRelationship, "dtmi:ex:Room:contains;1", "contains");
    contains.target = "dtmi:ex:Sensor;1";
    contains.properties = {
        &m_.Content(ElementClass::kProperty, "since", Primitive(PrimitiveType::kDateTime)),
        &m_.Content(ElementClass::kProperty, "weight", Primitive(PrimitiveType::kInteger))};
    contains_ = &contains;
    Element& thermostat_component =
        m_.New(ElementClass::kComponent, "dtmi:ex:Room:thermostat;1", "thermostat");
    thermostat_component.schema = thermostat_;
    Element& reboot = m_.New(ElementClass::kCommand, "dtmi:ex:Room:reboot;1", "reboot");

    room_ = &m_.New(ElementClass::kInterface, "dtmi:ex:Room;1");
    room_->extends = {space_};
    room_->contents = {
        &m_.Content(ElementClass::kProperty, "temp", dbl),
        &m_.Content(ElementClass::kProperty, "count", Primitive(PrimitiveType::kInteger)),
        &m_.Content(ElementClass::kProperty, "mode",
                    m_.EnumOf(PrimitiveType::kString, {json::value("ECO"), json::value("ON")})),
        &m_.Content(ElementClass::kProperty, "tags", m_.MapOf(Primitive(PrimitiveType::kString))),
        &m_.Content(ElementClass::kProperty, "pos", m_.ObjectOf({{"x", &dbl}, {"y", &dbl}})),
        &thermostat_component,
        &contains,
        &m_.Content(ElementClass::kTelemetry, "humidityReading", dbl),
        &reboot,
    };
    Elements::Resolve(*room_);
  }

  Status Validate(std::string_view twin) { return ValidateTwin(*room_, Json(twin)); }

  // Validates {"$metadata": {...}, "thermostat": {"$metadata": {}}, <members>}.
  Status ValidateMembers(std::string_view members) {
    std::string twin = R"({"$metadata": {"$model": "dtmi:ex:Room;1"}, )"
                       R"("thermostat": {"$metadata": {}})";
    if (!members.empty()) {
      twin += ", ";
      twin += members;
    }
    twin += "}";
    return Validate(twin);
  }

  static void ExpectRejected(const Status& status, std::string_view fragment) {
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.code(), ErrorCode::kValidationFailed);
    EXPECT_NE(status.message().find(fragment), std::string::npos)
        << "message: " << status.message() << "\nshould contain: " << fragment;
  }

  Elements m_;
  Element* space_ = nullptr;
  Element* thermostat_ = nullptr;
  Element* room_ = nullptr;
  Element* contains_ = nullptr;
};

TEST_F(TwinTest, MinimalTwinWithComponentIsAccepted) {
  Status status = Validate(R"({"$metadata": {"$model": "dtmi:ex:Room;1"},
                               "thermostat": {"$metadata": {}}})");
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_F(TwinTest, FullTwinIsAccepted) {
  Status status = Validate(R"({
    "$dtId": "room1", "$etag": "W/\"x\"", "$lastUpdateTime": "2024-01-01T00:00:00Z",
    "temp": 21.5, "count": 3, "mode": "ECO", "tags": {"any key!": "v"}, "pos": {"x": 1},
    "area": 12,
    "thermostat": {"targetTemperature": 20.4, "setPoint": {"low": 18},
                   "$metadata": {"targetTemperature": {"lastUpdateTime": "2024-01-01T00:00:00Z"}}},
    "$metadata": {"$model": "dtmi:ex:Room;1", "$lastUpdateTime": "2024-01-01T00:00:00Z",
                  "temp": {"lastUpdateTime": "2024-01-01T00:00:00Z", "sourceTime": "x"}}})");
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_F(TwinTest, MissingComponentIsRejected) {
  Status status = Validate(R"({"$metadata": {"$model": "dtmi:ex:Room;1"}})");
  ExpectRejected(status, "Component 'thermostat' is missing");
}

TEST_F(TwinTest, WrongPropertyValueNamesThePropertyAndTheProblem) {
  Status status = ValidateMembers(R"("temp": "hot")");
  ExpectRejected(status, "Property 'temp': expected a number, got string \"hot\"");
  ASSERT_EQ(status.details().size(), 1u);
  EXPECT_EQ(status.details()[0].code(), ErrorCode::kValidationFailed);
  EXPECT_EQ(status.details()[0].message(),
            "Property 'temp': expected a number, got string \"hot\"");
}

TEST_F(TwinTest, ValuesFollowTheWireRules) {
  ExpectRejected(ValidateMembers(R"("count": 1.0)"), "Property 'count'");
  ExpectRejected(ValidateMembers(R"("count": 3000000000)"), "out of range");
  ExpectRejected(ValidateMembers(R"("mode": "eco")"), "Property 'mode': expected one of");
  EXPECT_TRUE(ValidateMembers(R"("mode": "ON")").ok());
  EXPECT_TRUE(ValidateMembers(R"("tags": {"any key!": "v"})").ok());
  EXPECT_TRUE(ValidateMembers(R"("pos": {"x": 1})").ok());
  ExpectRejected(ValidateMembers(R"("pos": {"x": 1, "z": 2})"),
                 "Property 'pos' at /pos/z: 'z' is not a field");
  ExpectRejected(ValidateMembers(R"("temp": null)"),
                 "Property 'temp': expected a number, got null");
}

TEST_F(TwinTest, InheritedPropertiesAreKnown) {
  EXPECT_TRUE(ValidateMembers(R"("area": 30.5)").ok());
  ExpectRejected(ValidateMembers(R"("area": "big")"), "Property 'area'");
}

TEST_F(TwinTest, UnresolvedInterfacesFallBackToContentsAndExtends) {
  room_->all_contents.clear();
  EXPECT_TRUE(ValidateMembers(R"("area": 30.5, "temp": 1)").ok());
  ExpectRejected(ValidateMembers(R"("humidity": 40)"), "'humidity'");
  ExpectRejected(Validate(R"({"$metadata": {"$model": "dtmi:ex:Room;1"}})"),
                 "Component 'thermostat' is missing");
}

TEST_F(TwinTest, UnknownMembersAreRejectedByName) {
  ExpectRejected(ValidateMembers(R"("humidity": 40)"),
                 "'humidity' does not appear on the DTDL of dtmi:ex:Room;1");
}

TEST_F(TwinTest, RelationshipsTelemetryAndCommandsAreNotProperties) {
  ExpectRejected(ValidateMembers(R"("contains": "sensor1")"),
                 "'contains' is a Relationship of dtmi:ex:Room;1, not a Property");
  ExpectRejected(ValidateMembers(R"("humidityReading": 40)"),
                 "'humidityReading' is a Telemetry of dtmi:ex:Room;1, not a Property");
  ExpectRejected(ValidateMembers(R"("reboot": {})"), "'reboot' is a Command");
}

TEST_F(TwinTest, SystemMembers) {
  ExpectRejected(ValidateMembers(R"("$foo": 1)"), "'$foo' is not an allowed system member");
  ExpectRejected(ValidateMembers(R"("$dtId": 5)"), "'$dtId' must be a string, got number 5");
  ExpectRejected(ValidateMembers(R"("$etag": null)"), "'$etag' must be a string");
  EXPECT_TRUE(ValidateMembers(R"("$dtId": "r1", "$etag": "W/\"1\"")").ok());
}

TEST_F(TwinTest, MetadataShapes) {
  auto with_metadata = [&](std::string_view metadata) {
    return Validate(std::string(R"({"thermostat": {"$metadata": {}}, "$metadata": )") +
                    std::string(metadata) + "}");
  };
  EXPECT_TRUE(with_metadata(R"({"$model": "dtmi:ex:Room;1"})").ok());
  EXPECT_TRUE(with_metadata(R"({"$model": "dtmi:ex:Room;1", "temp": {"sourceTime": "t"}})").ok());
  ExpectRejected(with_metadata("[]"), "'$metadata' must be an object, got an array");
  ExpectRejected(with_metadata(R"({"$model": 1})"), "'$metadata/$model' must be a string");
  ExpectRejected(with_metadata(R"({"$model": "m", "$kind": "x"})"),
                 "'$metadata/$kind' is not allowed");
  ExpectRejected(with_metadata(R"({"$model": "m", "temp": 5})"),
                 "'$metadata/temp' must be an object");
  ExpectRejected(with_metadata(R"({"$model": "m", "nope": {}})"),
                 "'$metadata/nope': 'nope' is not a Property of dtmi:ex:Room;1");
}

TEST_F(TwinTest, ComponentShapes) {
  auto with_component = [&](std::string_view component) {
    return Validate(std::string(R"({"$metadata": {"$model": "dtmi:ex:Room;1"}, "thermostat": )") +
                    std::string(component) + "}");
  };
  EXPECT_TRUE(with_component(R"({"$metadata": {}, "targetTemperature": 20})").ok());
  ExpectRejected(with_component("42"),
                 "Component 'thermostat' must be an object with a \"$metadata\" object, got "
                 "number 42");
  ExpectRejected(with_component(R"({"targetTemperature": 20})"),
                 "Component 'thermostat' has no \"$metadata\" object");
  ExpectRejected(with_component(R"({"$metadata": 1})"), "'thermostat/$metadata' must be an object");
  ExpectRejected(with_component(R"({"$metadata": {"$model": "x"}})"),
                 "'thermostat/$metadata/$model' is not allowed");
  ExpectRejected(with_component(R"({"$metadata": {}, "nope": 1})"),
                 "'nope' is not a Property of component 'thermostat' (dtmi:ex:Thermostat;1)");
  ExpectRejected(with_component(R"({"$metadata": {}, "reading": 1})"),
                 "'reading' is a Telemetry of dtmi:ex:Thermostat;1, not a Property");
  ExpectRejected(with_component(R"({"$metadata": {}, "targetTemperature": "warm"})"),
                 "Property 'targetTemperature' of component 'thermostat': expected a number");
  ExpectRejected(with_component(R"({"$metadata": {}, "setPoint": {"low": "a"}})"),
                 "Property 'setPoint' of component 'thermostat' at /thermostat/setPoint/low: "
                 "expected a number");
}

TEST_F(TwinTest, EveryProblemIsListedAndIsADetail) {
  Status status = Validate(R"({"temp": "hot", "humidity": 1, "pos": {"z": 1},
                               "$metadata": {"$model": "dtmi:ex:Room;1"}})");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.details().size(), 4u);  // temp, humidity, pos/z, missing thermostat
  EXPECT_NE(status.message().find("'temp'"), std::string::npos);
  EXPECT_NE(status.message().find("'humidity'"), std::string::npos);
  EXPECT_NE(status.message().find("/pos/z"), std::string::npos);
  EXPECT_NE(status.message().find("'thermostat'"), std::string::npos);
}

TEST_F(TwinTest, TwinMustBeAnObject) {
  ExpectRejected(ValidateTwin(*room_, Json("[1]")), "a twin must be a JSON object, got an array");
}

// ---- relationships and telemetry --------------------------------------------------------

TEST_F(TwinTest, RelationshipProperties) {
  auto validate = [&](std::string_view body) {
    return ValidateRelationshipProperties(*contains_, Json(body));
  };
  EXPECT_TRUE(validate(R"({"$relationshipId": "r1", "$targetId": "s1",
                           "$relationshipName": "contains", "since": "2024-01-01T00:00:00Z",
                           "weight": 3})")
                  .ok());
  EXPECT_TRUE(validate("{}").ok());
  ExpectRejected(validate(R"({"color": "red"})"),
                 "'color' is not a property of Relationship 'contains'");
  ExpectRejected(validate(R"({"since": "yesterday"})"), "Property 'since': expected a dateTime");
  ExpectRejected(validate(R"({"weight": 1.5})"), "Property 'weight': expected an integer");
  ExpectRejected(validate("\"x\""), "a relationship must be a JSON object");
}

TEST_F(TwinTest, Telemetry) {
  auto validate = [&](std::string_view payload) {
    return ValidateTelemetry(*room_, Json(payload));
  };
  EXPECT_TRUE(validate(R"({"humidityReading": 40.5})").ok());
  EXPECT_TRUE(validate("{}").ok());
  EXPECT_TRUE(validate(R"({"thermostat": {"reading": 20}})").ok());  // a component's telemetry
  EXPECT_TRUE(ValidateTelemetry(*thermostat_, Json(R"({"reading": 20})")).ok());
  ExpectRejected(validate(R"({"humidityReading": "wet"})"),
                 "Telemetry 'humidityReading': expected a number");
  ExpectRejected(validate(R"({"temp": 1})"), "'temp' is not a Telemetry of dtmi:ex:Room;1");
  ExpectRejected(validate(R"({"nope": 1})"), "'nope' is not a Telemetry");
  ExpectRejected(validate(R"({"thermostat": {"reading": "x"}})"),
                 "Telemetry 'reading' (in component 'thermostat'): expected a number");
  ExpectRejected(validate(R"({"thermostat": {"targetTemperature": 1}})"),
                 "'targetTemperature' is not a Telemetry of dtmi:ex:Thermostat;1 (in component "
                 "'thermostat')");
  ExpectRejected(validate("[]"), "a telemetry payload must be a JSON object");
}

// A 1 KB twin with ~20 properties, an object and a map (the shape bench/dtdl_bench times).
TEST_F(TwinTest, ATypicalOneKilobyteTwinValidates) {
  const Element& dbl = Primitive(PrimitiveType::kDouble);
  for (int i = 0; i < 18; ++i) {
    room_->contents.push_back(
        &m_.Content(ElementClass::kProperty, "measurementNumber" + std::to_string(i), dbl));
  }
  Elements::Resolve(*room_);
  std::string twin = R"({"$dtId": "room-0001", "$etag": "W/\"5a0f1c2e-1d3b-4c59-a4e1-0c9f\"",
    "temp": 21.5, "count": 3, "mode": "ECO", "tags": {"floor": "3", "wing": "east"},
    "pos": {"x": 10.25, "y": 33.5}, "area": 42.0,)";
  for (int i = 0; i < 18; ++i) {
    twin += "\"measurementNumber" + std::to_string(i) + "\": " + std::to_string(i * 1.5) + ",";
  }
  twin += R"("thermostat": {"targetTemperature": 20.4, "$metadata": {}},
    "$metadata": {"$model": "dtmi:ex:Room;1", "temp": {"lastUpdateTime": "2024-01-01T00:00:00Z"}}})";
  json::value doc = Json(twin);
  Status status = ValidateTwin(*room_, doc);
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_GT(twin.size(), 900u);
}

// ---- the reference parser's primitive instance cases ---------------------------------------

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// DTDLParser test-cases/generated/*Instances{V2,V3}.json whose subject is a standard
// primitive schema: submit (JSON text, sometimes not JSON at all) -> conforms.
TEST(InstanceValidatorCorpusTest, AgreesWithReferencePrimitiveInstances) {
  const std::filesystem::path dir =
      std::filesystem::path(DTWIN_SHARED_DIR) / "corpus/dtdlparser-tests/test-cases/generated";
  if (!std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "needs ../shared/corpus (DTDL test suite)";
  }
  constexpr std::string_view kPrefix = "dtmi:dtdl:instance:Schema:";
  size_t total = 0;
  size_t agreed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (file.find("Instances") == std::string::npos || file.ends_with("V4.json")) continue;
    Result<json::value> doc = ReadJson(ReadFile(entry.path()));
    ASSERT_TRUE(doc.ok()) << file << ": " << doc.status().ToString();
    const json::value* instances = doc->as_object().if_contains("instances");
    if (instances == nullptr) continue;
    for (const json::value& instance : instances->as_array()) {
      const json::object& i = instance.as_object();
      std::string_view subject = i.at("subject").as_string();
      if (!subject.starts_with(kPrefix)) continue;
      std::string_view term = subject.substr(kPrefix.size(), subject.find(';') - kPrefix.size());
      const Element* schema = nullptr;
      for (int t = 0; t <= static_cast<int>(PrimitiveType::kTime); ++t) {
        const Element& e = Primitive(static_cast<PrimitiveType>(t));
        if (e.name == term) schema = &e;
      }
      if (schema == nullptr) continue;  // a v4-only primitive
      ++total;
      bool expected = i.at("conforms").as_bool();
      std::string_view submit = i.at("submit").as_string();
      Result<json::value> value = ReadJson(submit);
      bool conforms = value.ok() && ValidateValue(*schema, *value).empty();
      if (conforms == expected) {
        ++agreed;
      } else {
        ADD_FAILURE() << file << ": " << term << " " << submit << " should "
                      << (expected ? "conform" : "not conform");
      }
    }
  }
  std::cout << "[ instances] " << agreed << " of " << total
            << " reference primitive instance cases agree\n";
  EXPECT_GT(total, 0u);
  EXPECT_EQ(agreed, total);
}

}  // namespace
}  // namespace dtwin::dtdl
