// Reads DTDL literal values in the JSON-LD forms DTDL allows: a plain JSON value, a
// one-element array of it, or a representational object {"@value": v, "@type": "xsd:..."};
// and localizable strings (string, language map, or array of strings and
// {"@value", "@language"} objects). Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "dtdl/dtmi.h"

namespace dtwin::dtdl {

enum class LiteralType : uint8_t { kString, kInteger, kBoolean, kStringOrInteger };

struct LiteralResult {
  const boost::json::value* value = nullptr;  // the literal when ok
  std::string validation_id;                  // empty when ok
  std::string message;
  bool ok() const { return validation_id.empty(); }
};

LiteralResult ReadLiteral(const boost::json::value& value, LiteralType type, DtdlVersion version);

struct LangStringResult {
  boost::json::object by_language;  // {"en": "..."}; plain strings go under "en"
  std::string validation_id;        // empty when ok
  std::string message;
  bool ok() const { return validation_id.empty(); }
};

// max_length: per language value, in characters (0 = unlimited).
LangStringResult ReadLangString(const boost::json::value& value, DtdlVersion version,
                                uint32_t max_length);

// Number of Unicode code points in UTF-8 text (the unit DTDL's length limits count).
size_t CharacterCount(std::string_view utf8);

}  // namespace dtwin::dtdl
