// JSON-LD @context handling for DTDL: which language version and which extensions are
// active for an element. Value type; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "dtdl/dtmi.h"

namespace dtwin::dtdl {

struct ActiveContext {
  DtdlVersion version = DtdlVersion::kV3;
  bool quantitative_types = false;  // dtmi:dtdl:extension:quantitativeTypes;1
  bool historization = false;       // dtmi:dtdl:extension:historization;1
  bool annotation = false;          // dtmi:dtdl:extension:annotation;1
  bool overriding = false;          // dtmi:dtdl:extension:overriding;1
  bool iotcentral = false;          // dtmi:iotcentral:context;2 (v2 partner extension)
  // A context specifier that no available extension defines: terms it might define are
  // tolerated when the options allow undefined extensions.
  bool undefined_extension = false;
};

// The outcome of reading one @context value.
struct ContextProblem {
  std::string validation_id;  // empty when the context is fine
  std::string message;
  std::string pointer_suffix;  // "/1" when the problem is one array entry, else ""
};

// Applies an element's @context value on top of the inherited context (nullptr for a
// top-level element, which must name the DTDL context first). Returns the first problem,
// or an empty validation_id when the value is acceptable.
ContextProblem ApplyContext(const boost::json::value& value, const ActiveContext* inherited,
                            ActiveContext& result);

}  // namespace dtwin::dtdl
