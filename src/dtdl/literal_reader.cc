// DTDL literal and localizable-string forms (reference/dtdl.md sections 1.2 and 3.13).
#include "dtdl/literal_reader.h"

#include <string_view>

namespace dtwin::dtdl {

namespace {

std::string_view XsdSuffix(LiteralType type) {
  switch (type) {
    case LiteralType::kString: return "string";
    case LiteralType::kInteger: return "integer";
    case LiteralType::kBoolean: return "boolean";
    case LiteralType::kStringOrInteger: return "";
  }
  return "";
}

std::string_view TypeWord(LiteralType type) {
  switch (type) {
    case LiteralType::kString: return "a string";
    case LiteralType::kInteger: return "an integer";
    case LiteralType::kBoolean: return "a boolean";
    case LiteralType::kStringOrInteger: return "a string or an integer";
  }
  return "";
}

bool Matches(const boost::json::value& v, LiteralType type) {
  switch (type) {
    case LiteralType::kString: return v.is_string();
    case LiteralType::kInteger: return v.is_int64() || v.is_uint64();
    case LiteralType::kBoolean: return v.is_bool();
    case LiteralType::kStringOrInteger: return v.is_string() || v.is_int64() || v.is_uint64();
  }
  return false;
}

// The id prefix the reference parser uses per literal type ("stringNotString" ...).
std::string Id(LiteralType type, std::string_view what) {
  std::string prefix = type == LiteralType::kString    ? "string"
                       : type == LiteralType::kBoolean ? "boolean"
                       : type == LiteralType::kInteger ? "integer"
                                                       : "literal";
  return prefix + std::string(what);
}

bool IsXsdType(std::string_view text, std::string_view suffix) {
  if (suffix.empty()) return text == "xsd:string" || text == "xsd:integer";
  return text == "xsd:" + std::string(suffix) ||
         text == "http://www.w3.org/2001/XMLSchema#" + std::string(suffix);
}

LiteralResult Fail(std::string id, std::string message) {
  LiteralResult result;
  result.validation_id = std::move(id);
  result.message = std::move(message);
  return result;
}

LiteralResult ReadValueObject(const boost::json::object& object, LiteralType type,
                              DtdlVersion version) {
  for (const auto& member : object) {
    std::string_view key = member.key();
    if (key == "@value" || key == "@type") continue;
    if (key == "@id") return Fail("valueObjectId", "a literal object must not have @id");
    if (key == "@context") return Fail("valueObjectContext", "a literal object must not have @context");
    if (key == "@graph") return Fail("valueObjectGraph", "a literal object must not have @graph");
    if (key.empty() || key[0] != '@') {
      return Fail("valueObjectInvalidProp",
                  "a literal object may only have @value and @type, not '" + std::string(key) + "'");
    }
    if (version == DtdlVersion::kV3) {
      return Fail(key == "@language" ? "valueObjectLanguage" : "valueObjectKeyword",
                  "a literal object may only have @value and @type, not '" + std::string(key) + "'");
    }
  }
  const boost::json::value* inner = object.if_contains("@value");
  if (!inner) return Fail(Id(type, "ObjectNoValue"), "a literal object needs @value");
  if (const boost::json::value* xsd = object.if_contains("@type")) {
    const boost::json::value* type_value = xsd;
    if (xsd->is_array() && xsd->get_array().size() == 1) type_value = &xsd->get_array()[0];
    // For a string-or-integer literal the declared type decides which one @value must be.
    if (type == LiteralType::kStringOrInteger && type_value->is_string()) {
      std::string_view declared = type_value->get_string();
      if (IsXsdType(declared, "string")) type = LiteralType::kString;
      if (IsXsdType(declared, "integer")) type = LiteralType::kInteger;
    }
    if (!type_value->is_string() || !IsXsdType(type_value->get_string(), XsdSuffix(type))) {
      return Fail(Id(type, "TypeNot" + std::string(type == LiteralType::kString    ? "String"
                                                   : type == LiteralType::kBoolean ? "Boolean"
                                                                                   : "Integer")),
                  "the @type of a literal must be the XML Schema type of " +
                      std::string(TypeWord(type)));
    }
  }
  if (!Matches(*inner, type)) {
    return Fail(Id(type, "ValueNot" + std::string(type == LiteralType::kString    ? "String"
                                                  : type == LiteralType::kBoolean ? "Boolean"
                                                                                  : "Integer")),
                "@value must be " + std::string(TypeWord(type)));
  }
  LiteralResult result;
  result.value = inner;
  return result;
}

bool IsLanguageCode(std::string_view code) {
  // ^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$
  size_t i = 0;
  while (i < code.size() && code[i] >= 'a' && code[i] <= 'z') ++i;
  if (i < 2 || i > 4) return false;
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (i + 5 <= code.size() && code[i] == '-' && is_upper(code[i + 1]) && is_lower(code[i + 2]) &&
      is_lower(code[i + 3]) && is_lower(code[i + 4]) &&
      (i + 5 == code.size() || code[i + 5] == '-')) {
    i += 5;
  }
  if (i == code.size()) return true;
  if (code[i] != '-') return false;
  std::string_view region = code.substr(i + 1);
  if (region.size() == 2) return is_upper(region[0]) && is_upper(region[1]);
  if (region.size() == 3) return is_digit(region[0]) && is_digit(region[1]) && is_digit(region[2]);
  return false;
}

LangStringResult LangFail(std::string id, std::string message) {
  LangStringResult result;
  result.validation_id = std::move(id);
  result.message = std::move(message);
  return result;
}

}  // namespace

size_t CharacterCount(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

LiteralResult ReadLiteral(const boost::json::value& value, LiteralType type, DtdlVersion version) {
  const boost::json::value* single = &value;
  if (value.is_array()) {
    const boost::json::array& array = value.get_array();
    if (array.size() != 1) {
      return Fail(Id(type, "MultipleValues"),
                  array.empty() ? "expected " + std::string(TypeWord(type)) + ", got an empty array"
                                : "expected one value, got " + std::to_string(array.size()));
    }
    single = &array[0];
  }
  if (single->is_object()) return ReadValueObject(single->get_object(), type, version);
  if (single->is_null()) return Fail("propertyValueNull", "the value must not be null");
  if (!Matches(*single, type)) {
    return Fail(Id(type, type == LiteralType::kString    ? "NotString"
                         : type == LiteralType::kBoolean ? "NotBoolean"
                                                         : "NotInteger"),
                "expected " + std::string(TypeWord(type)));
  }
  LiteralResult result;
  result.value = single;
  return result;
}

LangStringResult ReadLangString(const boost::json::value& value, DtdlVersion version,
                                uint32_t max_length) {
  LangStringResult result;
  auto add = [&](std::string_view language, const boost::json::value& text) -> bool {
    if (!text.is_string()) {
      result = LangFail("langStringValueNotString", "every localized value must be a string");
      return false;
    }
    if (max_length && CharacterCount(text.get_string()) > max_length) {
      result = LangFail("langStringValueTooLong",
                        "the '" + std::string(language) + "' value is longer than " +
                            std::to_string(max_length) + " characters");
      return false;
    }
    result.by_language[language] = text;
    return true;
  };
  if (value.is_string()) {
    add("en", value);
    return result;
  }
  if (value.is_object()) {
    for (const auto& member : value.get_object()) {
      std::string_view key = member.key();
      if (!key.empty() && key[0] == '@') {
        return LangFail("langMapObjKeyword",
                        "a language map must not contain the keyword '" + std::string(key) + "'");
      }
      if (!IsLanguageCode(key)) {
        return LangFail("langStringInvalidCode", "'" + std::string(key) + "' is not a language code");
      }
      if (!add(key, member.value())) return result;
    }
    return result;
  }
  if (!value.is_array()) {
    return LangFail("langStringNotLangString",
                    "expected a string, a language map or an array of localized strings");
  }
  bool have_default = false;
  for (const boost::json::value& entry : value.get_array()) {
    if (entry.is_string()) {
      if (have_default) {
        return LangFail("inconsistentLangStringValues", "more than one value for the default language");
      }
      have_default = true;
      if (!add("en", entry)) return result;
      continue;
    }
    if (!entry.is_object()) {
      return LangFail("langStringElementNotStringOrObject",
                      "each localized entry must be a string or an object");
    }
    const boost::json::object& object = entry.get_object();
    for (const auto& member : object) {
      std::string_view key = member.key();
      if (key == "@value" || key == "@language") continue;
      if (key == "@id") return LangFail("langStringElementId", "a localized entry must not have @id");
      if (key == "@context") return LangFail("langStringElementContext", "a localized entry must not have @context");
      if (key == "@graph") return LangFail("langStringElementGraph", "a localized entry must not have @graph");
      if (key.empty() || key[0] != '@') {
        return LangFail("langStringElementInvalidProp",
                        "a localized entry may only have @value and @language");
      }
      if (version == DtdlVersion::kV3) {
        return LangFail(key == "@type" ? "langStringElementType" : "langStringElementKeyword",
                        "a localized entry may only have @value and @language");
      }
    }
    const boost::json::value* text = object.if_contains("@value");
    if (!text) return LangFail("langStringElementNoValue", "a localized entry needs @value");
    if (!text->is_string()) {
      return LangFail("langStringElementValueNotString", "@value must be a string");
    }
    std::string language = "en";
    bool explicit_language = false;
    if (const boost::json::value* code = object.if_contains("@language")) {
      if (!code->is_string()) return LangFail("langStringElementCodeNotString", "@language must be a string");
      if (!IsLanguageCode(code->get_string())) {
        return LangFail("langStringElementInvalidCode",
                        "'" + std::string(code->get_string()) + "' is not a language code");
      }
      language = code->get_string();
      explicit_language = true;
    }
    if (!explicit_language || language == "en") {
      if (have_default) {
        return LangFail("inconsistentLangStringValues", "more than one value for the default language");
      }
      have_default = true;
    }
    if (explicit_language && result.by_language.contains(language)) {
      return LangFail("langStringElementCodeNotUnique",
                      "language '" + language + "' is given more than once");
    }
    if (!add(language, *text)) return result;
  }
  return result;
}

}  // namespace dtwin::dtdl
