// @context rules of DTDL v2/v3 (reference/dtdl.md section 1.3).
#include "dtdl/context.h"

#include <string_view>

namespace dtwin::dtdl {

namespace {

constexpr std::string_view kDtdlContextPrefix = "dtmi:dtdl:context;";
constexpr std::string_view kExtensionPrefix = "dtmi:dtdl:extension:";
constexpr std::string_view kIotCentralV2 = "dtmi:iotcentral:context;2";

ContextProblem Problem(std::string id, std::string message, std::string suffix = {}) {
  return ContextProblem{std::move(id), std::move(message), std::move(suffix)};
}

// Applies one specifier string; returns a problem or an empty one.
ContextProblem ApplySpecifier(std::string_view text, ActiveContext& context, bool* saw_dtdl) {
  std::optional<DtmiParts> parts = ParseDtmi(text);
  if (!parts) {
    return Problem(text.substr(0, 5) == "dtmi:" ? "invalidContextSpecifier" : "nonDtmiContextSpecifier",
                   "context specifier '" + std::string(text) + "' is not a DTMI");
  }
  if (!parts->fragment.empty()) {
    return Problem("disallowedContextFragment",
                   "context specifier '" + std::string(text) + "' must not have a fragment");
  }
  if (!parts->major_version) {
    return Problem("missingContextVersion",
                   "context specifier '" + std::string(text) + "' has no version");
  }
  bool is_dtdl_context = text.substr(0, kDtdlContextPrefix.size()) == kDtdlContextPrefix;
  if (parts->minor_version && (is_dtdl_context || context.version == DtdlVersion::kV2)) {
    return Problem("invalidContextSpecifierForVersion",
                   "context specifier '" + std::string(text) +
                       "' has a minor version, which DTDL v2 context specifiers cannot have");
  }
  if (text.substr(0, kDtdlContextPrefix.size()) == kDtdlContextPrefix) {
    if (text == "dtmi:dtdl:context;2") {
      context.version = DtdlVersion::kV2;
    } else if (text == "dtmi:dtdl:context;3") {
      context.version = DtdlVersion::kV3;
    } else {
      return Problem("unrecognizedContextVersion",
                     "DTDL context '" + std::string(text) +
                         "' is not a supported language version (2 and 3 are)");
    }
    *saw_dtdl = true;
    // A new language version starts from a clean set of extensions.
    context.quantitative_types = context.historization = context.annotation =
        context.overriding = context.iotcentral = false;
    return {};
  }
  if (text.substr(0, kExtensionPrefix.size()) == kExtensionPrefix) {
    std::string_view rest = text.substr(kExtensionPrefix.size());
    bool v3 = context.version == DtdlVersion::kV3;
    if (rest == "quantitativeTypes;1" && v3) {
      context.quantitative_types = true;
    } else if (rest == "historization;1" && v3) {
      context.historization = true;
    } else if (rest == "annotation;1" && v3) {
      context.annotation = true;
    } else if (rest == "overriding;1" && v3) {
      context.overriding = true;
    } else {
      context.undefined_extension = true;
    }
    return {};
  }
  if (text == kIotCentralV2 && context.version == DtdlVersion::kV2) {
    context.iotcentral = true;
    return {};
  }
  context.undefined_extension = true;
  return {};
}

}  // namespace

ContextProblem ApplyContext(const boost::json::value& value, const ActiveContext* inherited,
                            ActiveContext& result) {
  result = inherited ? *inherited : ActiveContext{};
  bool top_level = inherited == nullptr;
  if (value.is_string()) {
    bool saw_dtdl = false;
    ContextProblem problem = ApplySpecifier(value.get_string(), result, &saw_dtdl);
    if (!problem.validation_id.empty()) return problem;
    if (top_level && !saw_dtdl) {
      return Problem("missingDtdlContext",
                     "@context must include the DTDL context (dtmi:dtdl:context;3 or ;2)");
    }
    return {};
  }
  if (!value.is_array()) {
    return Problem("invalidContext", "@context must be a string or an array of strings");
  }
  const boost::json::array& entries = value.get_array();
  if (top_level && entries.empty()) {
    return Problem("emptyContext", "@context must include the DTDL context");
  }
  // The language version governs how the other specifiers are read, so apply the DTDL
  // context first wherever it stands, then check that it stood first.
  bool saw_dtdl = false;
  size_t dtdl_index = entries.size();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].is_string() &&
        entries[i].get_string().subview(0, kDtdlContextPrefix.size()) == kDtdlContextPrefix) {
      dtdl_index = i;
    }
  }
  if (dtdl_index < entries.size()) {
    ContextProblem problem = ApplySpecifier(entries[dtdl_index].get_string(), result, &saw_dtdl);
    if (!problem.validation_id.empty()) {
      problem.pointer_suffix = "/" + std::to_string(dtdl_index);
      return problem;
    }
  }
  bool dtdl_seen = false;
  bool affiliate_after_dtdl = false;
  bool untolerated_before_dtdl = false;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string suffix = "/" + std::to_string(i);
    if (entries[i].is_object()) {
      return Problem("disallowedLocalContext",
                     "local context definitions (objects in @context) are not allowed", suffix);
    }
    if (!entries[i].is_string()) {
      return Problem("invalidContext", "every @context entry must be a string", suffix);
    }
    std::string_view text = entries[i].get_string();
    bool is_dtdl = text.substr(0, kDtdlContextPrefix.size()) == kDtdlContextPrefix;
    // The DTDL context must come first; v2 tolerates the IoT Central context before the
    // first DTDL context (and nowhere else before one).
    if (is_dtdl && (affiliate_after_dtdl || (!dtdl_seen && untolerated_before_dtdl))) {
      return Problem("dtdlContextFollowsAffiliate",
                     "the DTDL context must come before every other context specifier", suffix);
    }
    if (is_dtdl) {
      dtdl_seen = true;
    } else if (dtdl_seen) {
      affiliate_after_dtdl = true;
    } else if (!(text == kIotCentralV2 && result.version == DtdlVersion::kV2)) {
      untolerated_before_dtdl = true;
    }
    if (i == dtdl_index) continue;
    bool ignored = false;
    ContextProblem problem = ApplySpecifier(text, result, is_dtdl ? &saw_dtdl : &ignored);
    if (!problem.validation_id.empty()) {
      problem.pointer_suffix = suffix;
      return problem;
    }
  }
  if (top_level && !saw_dtdl) {
    return Problem("missingDtdlContext",
                   "@context must include the DTDL context (dtmi:dtdl:context;3 or ;2)");
  }
  return {};
}

}  // namespace dtwin::dtdl
