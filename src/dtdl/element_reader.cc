// First parser pass (see element_reader.h). Validation ids follow the reference DTDL
// parser's ("dtmi:dtdl:parsingError:<id>") so results compare with its test suite.
#include "dtdl/element_reader.h"

#include <algorithm>
#include <bit>

#include "common/json_pointer.h"
#include "dtdl/iot_central.h"
#include "dtdl/literal_reader.h"
#include "dtdl/semantic_types.h"

namespace dtwin::dtdl {

namespace {

SourceLocation Child(const SourceLocation& parent, std::string_view token) {
  SourceLocation child{parent.source, parent.pointer};
  child.pointer += '/';
  child.pointer += EscapeJsonPointerToken(token);
  return child;
}

SourceLocation Child(const SourceLocation& parent, size_t index) {
  return Child(parent, std::to_string(index));
}

bool IsNamePattern(std::string_view name) {
  // ^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  auto alnum = [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); };
  if (name.empty() || !alpha(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '_'; });
}

SemanticTable TableFor(DtdlVersion version) {
  return version == DtdlVersion::kV2 ? SemanticTable::kV2Core : SemanticTable::kQuantitativeTypesV1;
}

// Classes whose instances may be co-typed with a semantic type.
bool AcceptsSemanticType(ElementClass c, DtdlVersion version) {
  if (c == ElementClass::kProperty || c == ElementClass::kTelemetry) return true;
  if (version == DtdlVersion::kV2) return false;
  return c == ElementClass::kField || c == ElementClass::kMapValue ||
         c == ElementClass::kCommandRequest || c == ElementClass::kCommandResponse;
}

std::string ClassList(ClassMask mask) {
  std::string out;
  for (uint32_t bit = 0; bit < 32; ++bit) {
    if (!(mask & (ClassMask{1} << bit))) continue;
    auto c = static_cast<ElementClass>(bit);
    if (c == ElementClass::kPrimitiveSchema || c == ElementClass::kGeospatialSchema) continue;
    if (!out.empty()) out += ", ";
    out += ElementClassName(c);
  }
  return out;
}

// The one class in mask whose @type may be omitted in this version, if exactly one.
const ClassSpec* InferableClass(ClassMask mask, DtdlVersion version) {
  const ClassSpec* found = nullptr;
  for (uint32_t bit = 0; bit < 32; ++bit) {
    if (!(mask & (ClassMask{1} << bit))) continue;
    const ClassSpec* spec = FindClassSpec(version, static_cast<ElementClass>(bit));
    if (!spec) continue;
    if (spec->type_required || found) return nullptr;
    found = spec;
  }
  return found;
}

constexpr PropertySpec kUnitProperty{"unit", PropertyKind::kUnit};
constexpr PropertySpec kAnnotatesProperty{"annotates", PropertyKind::kString, true};
constexpr PropertySpec kOverridesProperty{"overrides", PropertyKind::kString, true};

bool HasCoType(const Element& element, std::string_view term) {
  return std::find(element.co_types.begin(), element.co_types.end(), term) !=
         element.co_types.end();
}

}  // namespace

void ElementReader::AddLink(Element& owner, const PropertySpec& property, const Element* target,
                            std::string reference, const SourceLocation& where,
                            const std::string& partition) {
  PendingLink link;
  link.owner = &owner;
  link.property = &property;
  // Standard and extension schemas are static and never written through the link.
  link.inline_target = const_cast<Element*>(target);
  link.reference = std::move(reference);
  link.location = where;
  link.partition = partition;
  state_.links.push_back(std::move(link));
}

void ElementReader::ReadDocument(size_t source_index, const boost::json::value& root) {
  SourceLocation location{source_index, ""};
  auto read_top = [&](const boost::json::value& value, const SourceLocation& where) {
    if (!value.is_object()) {
      state_.AddError("notJsonObject", where, "a model must be a JSON object (an Interface)");
      return;
    }
    Scope scope;
    scope.allowed = MaskOf(ElementClass::kInterface);
    scope.location = where;
    ReadElement(value.get_object(), scope);
  };
  if (root.is_array()) {
    const boost::json::array& array = root.get_array();
    for (size_t i = 0; i < array.size(); ++i) read_top(array[i], Child(location, i));
  } else if (root.is_object()) {
    read_top(root, location);
  } else {
    state_.AddError("notJsonObject", location,
                    "a model document must be a JSON object or an array of objects");
  }
}

bool ElementReader::CheckId(std::string_view id, ElementClass element_class, DtdlVersion version,
                            bool iot_central, const SourceLocation& where) {
  std::string quoted = "'" + std::string(id) + "'";
  if (!IsValidModelDtmi(id, version)) {
    std::optional<DtmiParts> parts = ParseDtmi(id);
    if (parts && !parts->fragment.empty()) {
      state_.AddError("invalidId", where, "@id " + quoted + " must not have a fragment");
    } else if (parts && parts->has_system_segment) {
      state_.AddError("invalidId", where,
                      "@id " + quoted + " has a segment starting with '_', reserved for DTDL");
    } else {
      state_.AddError("invalidId", where,
                      "@id " + quoted + " is not a valid DTMI for DTDL v" +
                          std::to_string(static_cast<int>(version)) +
                          (version == DtdlVersion::kV2 ? " (dtmi:<path>;<version>)"
                                                       : " (dtmi:<path>[;<version>])"));
    }
    return false;
  }
  if (HasReservedDtmiPrefix(id) || (iot_central && id.substr(0, 16) == "dtmi:iotcentral:")) {
    state_.AddError(
        "reservedId", where,
        "@id " + quoted + " uses a prefix reserved for DTDL (dtmi:dtdl:, dtmi:standard:)");
    return false;
  }
  if (element_class == ElementClass::kInterface && id.size() > 128) {
    state_.AddError("idTooLongForType", where,
                    "an Interface @id may have at most 128 characters; " + quoted + " has " +
                        std::to_string(id.size()));
    return false;
  }
  if (id.size() > 2048) {
    state_.AddError("idTooLong", where, "an @id may have at most 2048 characters");
    return false;
  }
  return true;
}

Element* ElementReader::ReadElement(const boost::json::object& object, const Scope& scope) {
  const SourceLocation& where = scope.location;
  const bool top_level = scope.context == nullptr;

  // --- context ---
  ActiveContext context;
  if (const boost::json::value* context_value = object.if_contains("@context")) {
    ContextProblem problem = ApplyContext(*context_value, scope.context, context);
    if (!problem.validation_id.empty()) {
      state_.AddError(
          problem.validation_id,
          SourceLocation{where.source, Child(where, "@context").pointer + problem.pointer_suffix},
          problem.message);
      if (top_level) return nullptr;
    }
  } else if (top_level) {
    state_.AddError("missingContext", where,
                    "a top-level model needs \"@context\": \"dtmi:dtdl:context;3\" (or ;2)");
    return nullptr;
  } else {
    context = *scope.context;
  }
  const DtdlVersion version = context.version;
  if (scope.context && version != scope.context->version) {
    // DTDL v3 contents, extends, properties, schema and elementSchema may hold v2 elements
    // (whole Interfaces, contents and schemas); nothing else may mix versions.
    bool allowed =
        version < scope.context->version &&
        (scope.member == "contents" || scope.member == "extends" || scope.member == "properties" ||
         scope.member == "schema" || scope.member == "elementSchema");
    if (!allowed) {
      state_.AddError("disallowedVersionDefinition", Child(where, "@context"),
                      "a DTDL v" + std::to_string(static_cast<int>(version)) +
                          " element cannot be defined in '" + std::string(scope.member) +
                          "' of a DTDL v" +
                          std::to_string(static_cast<int>(scope.context->version)) + " element");
      return nullptr;
    }
  }
  const UndefinedTerms policy = state_.options->undefined_terms;
  const bool allow_undefined =
      policy == UndefinedTerms::kAllow ||
      (policy == UndefinedTerms::kPerVersion && version == DtdlVersion::kV2);
  if (context.undefined_extension && !allow_undefined &&
      (top_level || !scope.context->undefined_extension)) {
    state_.AddError("unresolvableContextSpecifier", Child(where, "@context"),
                    "@context names an extension that is not available (dtwin knows DTDL v2, v3 "
                    "and the quantitativeTypes, historization, annotation and overriding "
                    "extensions)");
  }
  const bool undefined_ok = allow_undefined && context.undefined_extension;

  if (top_level && object.contains("@graph") && !object.contains("@type")) {
    state_.AddError("topLevelGraphDisallowed", Child(where, "@graph"),
                    "@graph is not allowed in DTDL; give each Interface as a top-level object");
    return nullptr;
  }

  // --- @type ---
  std::vector<std::string_view> type_terms;
  const boost::json::value* type_value = object.if_contains("@type");
  SourceLocation type_where = Child(where, "@type");
  if (type_value) {
    if (type_value->is_string()) {
      type_terms.push_back(type_value->get_string());
    } else if (type_value->is_array() && !type_value->get_array().empty() &&
               std::all_of(type_value->get_array().begin(), type_value->get_array().end(),
                           [](const boost::json::value& v) { return v.is_string(); })) {
      for (const auto& v : type_value->get_array()) type_terms.push_back(v.get_string());
    } else {
      state_.AddError("badType", type_where, "@type must be a string or an array of strings");
      return nullptr;
    }
  }
  const ClassSpec* spec = nullptr;
  std::vector<std::string> co_types;
  bool informally_co_typed = false;
  bool types_ok = true;
  for (std::string_view term : type_terms) {
    if (const ClassSpec* found = FindClassByTerm(version, term)) {
      if (spec && spec != found) {
        state_.AddError("multipleMaterialTypes", type_where,
                        "@type names two classes, " + std::string(spec->term) + " and " +
                            std::string(found->term));
        types_ok = false;
      }
      spec = found;
      continue;
    }
    if (IsAbstractClassTerm(version, term)) {
      state_.AddError(spec ? "multipleMaterialTypes" : (top_level ? "typeNotRootable" : "badType"),
                      type_where,
                      "@type '" + std::string(term) +
                          "' is a DTDL class that an element of a "
                          "model cannot have; expected " +
                          ClassList(scope.allowed));
      types_ok = false;
      continue;
    }
    bool semantic = IsSemanticType(TableFor(version), term) ||
                    !SemanticTypeFromDtmi(TableFor(version), term).empty();
    if (semantic && (version == DtdlVersion::kV2 || context.quantitative_types)) {
      std::string_view plain = IsSemanticType(TableFor(version), term)
                                   ? term
                                   : SemanticTypeFromDtmi(TableFor(version), term);
      co_types.emplace_back(plain);
      continue;
    }
    if (context.iotcentral && IotCentralSemanticRule(term) != IotCentralSchemaRule::kNone) {
      co_types.emplace_back(term);
      continue;
    }
    if ((term == "Historized" && context.historization) ||
        (term == "ValueAnnotation" && context.annotation) ||
        (term == "Override" && context.overriding)) {
      co_types.emplace_back(term);
      continue;
    }
    std::string quoted = "'" + std::string(term) + "'";
    if (term.substr(0, 5) == "dtmi:") {
      if (!ParseDtmi(term)) {
        state_.AddError("typeInvalidDtmi", type_where, "@type " + quoted + " is not a valid DTMI");
        types_ok = false;
      } else if (undefined_ok) {
        informally_co_typed = true;
        co_types.emplace_back(term);
      } else {
        state_.AddError("typeIrrelevantDtmiOrTerm", type_where,
                        "@type " + quoted + " is not a type this element can have");
        types_ok = false;
      }
    } else if (term.find(':') != std::string_view::npos) {
      if (version == DtdlVersion::kV2) {
        informally_co_typed = true;
        co_types.emplace_back(term);
      } else {
        state_.AddError("typeNotDtmiNorTerm", type_where,
                        "@type " + quoted + " is neither a DTMI nor a DTDL term");
        types_ok = false;
      }
    } else if (IsDtdlTerm(version, term, context.quantitative_types)) {
      if (undefined_ok) {
        informally_co_typed = true;
        co_types.emplace_back(term);
      } else {
        state_.AddError("typeIrrelevantDtmiOrTerm", type_where,
                        "@type " + quoted + " is a DTDL term but not a type this element can have");
        types_ok = false;
      }
    } else if (version == DtdlVersion::kV2 || undefined_ok) {
      informally_co_typed = true;
      co_types.emplace_back(term);
    } else {
      state_.AddError(
          "typeUndefinedTerm", type_where,
          "@type " + quoted + " is not defined by DTDL v3 or any extension in @context");
      types_ok = false;
    }
  }
  if (!type_value) {
    spec = InferableClass(scope.allowed, version);
    if (!spec) {
      state_.AddError("badType", where,
                      "the element needs an @type (one of " + ClassList(scope.allowed) + ")");
      return nullptr;
    }
  } else if (!spec) {
    if (types_ok) {
      state_.AddError(top_level ? "typeNotRootable" : "badType", type_where,
                      "@type must include one of " + ClassList(scope.allowed));
    }
    return nullptr;
  }
  if (!(scope.allowed & MaskOf(spec->element_class))) {
    state_.AddError(top_level ? "typeNotRootable" : "badType", type_where,
                    top_level ? std::string(spec->term) +
                                    " cannot be a top-level element; a model is an Interface"
                              : std::string(spec->term) + " is not allowed here; expected " +
                                    ClassList(scope.allowed));
    return nullptr;
  }

  // --- @id ---
  std::string id;
  bool id_generated = false;
  if (const boost::json::value* id_value = object.if_contains("@id")) {
    SourceLocation id_where = Child(where, "@id");
    if (!id_value->is_string() || id_value->get_string().empty()) {
      state_.AddError("idNotString", id_where, "@id must be a string (a DTMI)");
      return nullptr;
    }
    id = id_value->get_string();
    if (!CheckId(id, spec->element_class, version, context.iotcentral, id_where)) {
      return nullptr;
    }
  } else if (spec->id_required || scope.id_required) {
    state_.AddError(top_level ? "missingTopLevelId" : "missingRequiredId", where,
                    std::string(spec->term) + " needs an @id");
    return nullptr;
  } else {
    std::string_view name;
    if (const boost::json::value* n = object.if_contains("name"); n && n->is_string()) {
      name = n->get_string();
    }
    id = GeneratedChildId(scope.parent_id, scope.member, scope.plural ? name : "");
    id_generated = true;
  }

  auto owned = std::make_unique<Element>();
  Element& element = *owned;
  element.id = id;
  element.element_class = spec->element_class;
  element.version = version;
  element.id_generated = id_generated;
  element.co_types = std::move(co_types);
  state_.elements.push_back(std::move(owned));
  ElementOrigin origin;
  origin.element = &element;
  origin.location = where;
  origin.top_level = top_level;
  origin.inline_interface = !top_level && element.IsInterface();
  origin.partition = element.IsInterface() ? id : scope.partition;
  const std::string partition = origin.partition;
  state_.RecordOrigin(std::move(origin));

  // --- members ---
  bool has_unit = false;
  std::vector<std::string_view> seen_terms;
  for (const auto& member : object) {
    std::string_view key = member.key();
    SourceLocation member_where = Child(where, key);
    if (key == "@context" || key == "@id" || key == "@type") continue;
    if (!key.empty() && key[0] == '@') {
      if (key == "@graph") {
        state_.AddError(top_level ? "topLevelGraphDisallowed" : "graphDisallowed", member_where,
                        "@graph is not allowed in DTDL");
      } else if (version == DtdlVersion::kV3) {
        state_.AddError(top_level ? "topLevelKeywordDisallowed" : "keywordDisallowed", member_where,
                        "'" + std::string(key) +
                            "' is not allowed; elements may only use "
                            "@context, @id and @type");
      }
      continue;
    }
    bool dtmi_form = false;
    const PropertySpec* property = FindPropertySpec(*spec, key, version, &dtmi_form);
    if (!property && (key == "unit" || key == "dtmi:dtdl:property:unit;3") &&
        version == DtdlVersion::kV3 && context.quantitative_types &&
        AcceptsSemanticType(spec->element_class, version)) {
      property = &kUnitProperty;
    }
    if (!property && key == "annotates" && HasCoType(element, "ValueAnnotation")) {
      property = &kAnnotatesProperty;
    }
    if (!property && key == "overrides" && HasCoType(element, "Override")) {
      property = &kOverridesProperty;
    }
    if (property) {
      // An empty array is JSON-LD for "no value": the property is simply absent.
      if (member.value().is_array() && member.value().get_array().empty() &&
          property->kind != PropertyKind::kElements &&
          property->kind != PropertyKind::kLangString) {
        if (property->required) {
          bool is_element = property->kind == PropertyKind::kElement;
          state_.AddError(is_element ? "objectCountBelowMin" : "stringCountBelowMin", member_where,
                          std::string(spec->term) + ": '" + std::string(property->term) +
                              "' needs a value, not an empty array",
                          element.id);
          seen_terms.push_back(property->term);
        }
        continue;
      }
      if (std::find(seen_terms.begin(), seen_terms.end(), property->term) != seen_terms.end()) {
        state_.AddError(
            "duplicatePropertyName", member_where,
            "'" + std::string(property->term) + "' is given twice (as a term and as its DTMI)");
        continue;
      }
      seen_terms.push_back(property->term);
      if (property->kind == PropertyKind::kUnit) has_unit = true;
      ReadProperty(element, *spec, *property, member.value(), context, partition, member_where);
      continue;
    }
    // Not a property of this class: tolerated only on informally co-typed elements.
    std::string quoted = "'" + std::string(key) + "'";
    // v2 tolerates anything on an informally co-typed element; v3 only DTMIs and terms.
    bool tolerated = informally_co_typed && version == DtdlVersion::kV2;
    if (key.substr(0, 5) == "dtmi:") {
      if (!ParseDtmi(key) && !tolerated) {
        state_.AddError("propertyInvalidDtmi", member_where, quoted + " is not a valid DTMI");
      } else if (!informally_co_typed) {
        state_.AddError("propertyIrrelevantDtmiOrTerm", member_where,
                        quoted + " is not a property of " + std::string(spec->term));
      }
    } else if (key.find(':') != std::string_view::npos) {
      if (!tolerated) {
        state_.AddError("propertyNotDtmiNorTerm", member_where,
                        quoted + " is neither a DTMI nor a DTDL term");
      }
    } else if (!informally_co_typed) {
      bool irrelevant = IsDtdlTerm(version, key, context.quantitative_types);
      state_.AddError(irrelevant ? "propertyIrrelevantDtmiOrTerm" : "propertyUndefinedTerm",
                      member_where,
                      quoted + " is not a property of " + std::string(spec->term) +
                          (irrelevant ? "" : " (undefined term)"));
    }
  }
  for (const PropertySpec& property : spec->properties) {
    if (property.required &&
        std::find(seen_terms.begin(), seen_terms.end(), property.term) == seen_terms.end()) {
      if (property.term == "name" && element.id_generated && scope.plural) {
        state_.AddError("missingDtmiSegPropertyValue", where,
                        std::string(spec->term) + " needs a 'name' (or an @id)", element.id);
        continue;
      }
      bool literal = property.kind != PropertyKind::kElement &&
                     property.kind != PropertyKind::kElements &&
                     property.kind != PropertyKind::kValueSchema;
      state_.AddError(literal ? "missingLiteralProperty" : "missingObjectProperty", where,
                      std::string(spec->term) + " '" +
                          (element.name.empty() ? element.id : element.name) + "' needs '" +
                          std::string(property.term) + "'",
                      element.id);
    }
  }
  for (const PropertySpec* extra : {&kAnnotatesProperty, &kOverridesProperty}) {
    bool required =
        HasCoType(element, extra == &kAnnotatesProperty ? "ValueAnnotation" : "Override");
    if (required &&
        std::find(seen_terms.begin(), seen_terms.end(), extra->term) == seen_terms.end()) {
      state_.AddError(
          "missingSupplementalLiteralProperty", where,
          "'" + element.name + "' is co-typed so it needs '" + std::string(extra->term) + "'",
          element.id);
    }
  }
  CheckCoTypeRules(element, informally_co_typed, has_unit, where);
  return &element;
}

void ElementReader::CheckCoTypeRules(Element& element, bool informally_co_typed, bool has_unit,
                                     const SourceLocation& where) {
  const SemanticTable table = TableFor(element.version);
  // IoT Central semantic types: Property and Telemetry only; the vector ones may carry a
  // unit of their own unit type.
  bool unit_claimed = false;
  for (const std::string& co_type : element.co_types) {
    if (IotCentralSemanticRule(co_type) == IotCentralSchemaRule::kNone) continue;
    if (element.element_class != ElementClass::kProperty &&
        element.element_class != ElementClass::kTelemetry) {
      state_.AddError("invalidCotype", Child(where, "@type"),
                      std::string(ElementClassName(element.element_class)) +
                          " cannot have the IoT Central semantic type '" + co_type + "'");
    }
    std::string_view unit_type = IotCentralUnitType(co_type);
    if (unit_type.empty() || !has_unit) continue;
    unit_claimed = true;
    if (!IsUnitOfType(table, unit_type, element.unit)) {
      state_.AddError("noMatchingSupplementalProperty", Child(where, "unit"),
                      "unit '" + element.unit + "' is not a unit of " + std::string(unit_type),
                      element.id);
    }
  }
  int semantic_count = 0;
  std::string_view semantic;
  for (const std::string& co_type : element.co_types) {
    // The same semantic type twice (or as term and DTMI) is one semantic type.
    if (IsSemanticType(table, co_type) && co_type != semantic) {
      ++semantic_count;
      semantic = co_type;
    }
  }
  if (semantic_count > 0 && !AcceptsSemanticType(element.element_class, element.version)) {
    state_.AddError("invalidCotype", Child(where, "@type"),
                    std::string(ElementClassName(element.element_class)) +
                        " cannot have the semantic type '" + std::string(semantic) + "'");
    return;
  }
  if (semantic_count > 1) {
    state_.AddError("conflictingSupplementalTypes", Child(where, "@type"),
                    "'" + element.name + "' has more than one semantic type", element.id);
    return;
  }
  if (semantic_count == 1) {
    if (!has_unit) {
      state_.AddError(element.version == DtdlVersion::kV2 ? "missingSupplementalLiteralProperty"
                                                          : "missingSupplementalObjectProperty",
                      where,
                      "'" + element.name + "' has semantic type " + std::string(semantic) +
                          ", so it needs a 'unit'",
                      element.id);
    } else if (!IsUnitOfType(table, UnitTypeOf(table, semantic), element.unit)) {
      state_.AddError("noMatchingSupplementalProperty", Child(where, "unit"),
                      "unit '" + element.unit + "' is not a unit of " +
                          std::string(UnitTypeOf(table, semantic)),
                      element.id);
    }
  } else if (has_unit && !informally_co_typed && !unit_claimed) {
    state_.AddError("matchingPropertyNotSupplemental", Child(where, "unit"),
                    "'unit' needs a semantic type in @type (e.g. \"Temperature\")", element.id);
  }
  if (HasCoType(element, "Override") && !HasCoType(element, "ValueAnnotation")) {
    state_.AddError("missingCocotype", Child(where, "@type"),
                    "Override needs the ValueAnnotation co-type too", element.id);
  }
}

void ElementReader::ReadProperty(Element& element, const ClassSpec& spec,
                                 const PropertySpec& property, const boost::json::value& value,
                                 const ActiveContext& context, const std::string& partition,
                                 const SourceLocation& where) {
  const DtdlVersion version = element.version;
  auto fail = [&](std::string_view id, std::string message) {
    state_.AddError(id, where,
                    std::string(spec.term) + " '" +
                        (element.name.empty() ? element.id : element.name) + "': '" +
                        std::string(property.term) + "' " + message,
                    element.id);
  };
  auto literal = [&](LiteralType type) -> const boost::json::value* {
    LiteralResult result = ReadLiteral(value, type, version);
    if (!result.ok()) {
      fail(result.validation_id, result.message);
      return nullptr;
    }
    return result.value;
  };
  switch (property.kind) {
    case PropertyKind::kString: {
      const boost::json::value* v = literal(LiteralType::kString);
      if (!v) return;
      std::string_view text = v->get_string();
      if (property.max_length && CharacterCount(text) > property.max_length) {
        fail("stringTooLong",
             "has more than " + std::to_string(property.max_length) + " characters");
        return;
      }
      (property.term == "annotates"   ? element.annotates
       : property.term == "overrides" ? element.overrides
                                      : element.comment) = text;
      return;
    }
    case PropertyKind::kName: {
      const boost::json::value* v = literal(LiteralType::kString);
      if (!v) return;
      std::string_view text = v->get_string();
      if (property.max_length && CharacterCount(text) > property.max_length) {
        fail("stringTooLong",
             "has more than " + std::to_string(property.max_length) + " characters");
        return;
      }
      if (!IsNamePattern(text)) {
        fail("stringInvalid", "'" + std::string(text) +
                                  "' is not a valid name (letters, digits and '_', starting with "
                                  "a letter, not ending with '_')");
        return;
      }
      element.name = text;
      return;
    }
    case PropertyKind::kLangString: {
      LangStringResult result = ReadLangString(value, version, property.max_length);
      if (!result.ok()) {
        fail(result.validation_id, result.message);
        return;
      }
      (property.term == "displayName" ? element.display_name : element.description) =
          std::move(result.by_language);
      return;
    }
    case PropertyKind::kBoolean: {
      const boost::json::value* v = literal(LiteralType::kBoolean);
      if (v) element.writable = v->get_bool();
      return;
    }
    case PropertyKind::kInteger: {
      const boost::json::value* v = literal(LiteralType::kInteger);
      if (!v) return;
      int64_t number = v->is_int64() ? v->get_int64() : INT64_MAX;
      if (property.term == "minMultiplicity") {
        if (number != 0) fail("valueNotExact", "must be 0");
        element.min_multiplicity = number;
      } else {
        if (number < 1) {
          fail("valueBelowMin", "must be at least 1");
        } else if (version == DtdlVersion::kV2 && number > 500) {
          fail("valueAboveRange", "must be at most 500 in DTDL v2");
        }
        element.max_multiplicity = number;
      }
      return;
    }
    case PropertyKind::kEnumLiteral: {
      const boost::json::value* v = literal(LiteralType::kStringOrInteger);
      if (v) element.enum_value = *v;
      return;
    }
    case PropertyKind::kIdentifier: {
      const boost::json::value* single = &value;
      if (value.is_array() && value.get_array().size() == 1) single = &value.get_array()[0];
      if (!single->is_string()) {
        fail("identifierNotString", "must be a DTMI string");
        return;
      }
      std::string_view text = single->get_string();
      if (!IsValidModelDtmi(text, version)) {
        fail("identifierNotDtmi", "'" + std::string(text) + "' is not a valid DTMI");
        return;
      }
      element.target = text;
      return;
    }
    case PropertyKind::kValueSchema: {
      const boost::json::value* single = &value;
      if (value.is_array() && value.get_array().size() == 1) single = &value.get_array()[0];
      bool dtmi_form = false;
      const Element* schema = single->is_string()
                                  ? FindStandardSchema(version, single->get_string(), &dtmi_form)
                                  : nullptr;
      if (!schema ||
          (schema->primitive != PrimitiveType::kInteger &&
           schema->primitive != PrimitiveType::kString) ||
          schema->element_class != ElementClass::kPrimitiveSchema) {
        fail("incorrectPropertyValue", "must be \"integer\" or \"string\"");
        return;
      }
      element.value_schema = schema->primitive;
      return;
    }
    case PropertyKind::kCommandType: {
      const boost::json::value* single = &value;
      if (value.is_array() && value.get_array().size() == 1) single = &value.get_array()[0];
      std::string_view text = single->is_string() ? std::string_view(single->get_string()) : "";
      constexpr std::string_view kDtmiPrefix = "dtmi:dtdl:instance:CommandType:";
      if (text.substr(0, kDtmiPrefix.size()) == kDtmiPrefix &&
          text.size() > kDtmiPrefix.size() + 2) {
        text = text.substr(kDtmiPrefix.size(), text.size() - kDtmiPrefix.size() - 2);
      }
      if (text != "synchronous" && text != "asynchronous") {
        fail(single->is_string() ? "badDtmiOrTerm" : "badType",
             "must be \"synchronous\" or \"asynchronous\"");
      }
      return;
    }
    case PropertyKind::kUnit: {
      const boost::json::value* single = &value;
      if (value.is_array() && value.get_array().size() == 1) single = &value.get_array()[0];
      SemanticTable table = TableFor(version);
      if (value.is_array() && value.get_array().size() > 1) {
        fail("objectMultipleValues", "must be one unit");
        return;
      }
      if (!single->is_string()) {
        fail("badDtmiOrTerm", "must be a unit term");
        return;
      }
      std::string_view unit = single->get_string();
      if (!IsUnit(table, unit)) unit = UnitFromDtmi(table, unit);
      if (unit.empty()) {
        fail("badDtmiOrTerm", "'" + std::string(single->get_string()) + "' is not a unit");
        return;
      }
      element.unit = unit;
      return;
    }
    case PropertyKind::kElement:
    case PropertyKind::kElements:
      ReadElementValues(element, property, value, context, partition, where);
      return;
  }
}

void ElementReader::ReadElementValues(Element& element, const PropertySpec& property,
                                      const boost::json::value& value, const ActiveContext& context,
                                      const std::string& partition, const SourceLocation& where) {
  const bool plural = property.kind == PropertyKind::kElements;
  std::vector<std::pair<const boost::json::value*, SourceLocation>> values;
  if (value.is_array()) {
    const boost::json::array& array = value.get_array();
    for (size_t i = 0; i < array.size(); ++i) values.emplace_back(&array[i], Child(where, i));
  } else {
    values.emplace_back(&value, where);
  }
  std::string label = "'" + std::string(property.term) + "' of " +
                      std::string(ElementClassName(element.element_class)) + " '" +
                      (element.name.empty() ? element.id : element.name) + "'";
  if (!plural && values.size() != 1) {
    state_.AddError("objectMultipleValues", where,
                    label + " must have exactly one value, not " + std::to_string(values.size()),
                    element.id);
    return;
  }
  if (plural && values.size() < property.min_count) {
    state_.AddError("objectCountBelowMin", where,
                    label + " needs at least " + std::to_string(property.min_count) + " value(s)",
                    element.id);
  }
  if (plural && property.max_count && values.size() > property.max_count) {
    state_.AddError("objectCountAboveMax", where,
                    label + " may have at most " + std::to_string(property.max_count) +
                        " values in DTDL v" + std::to_string(static_cast<int>(element.version)),
                    element.id);
  }
  for (auto& [item, item_where] : values) {
    if (item->is_string()) {
      std::string_view text = item->get_string();
      if (property.allowed & kStandardSchemas) {
        bool dtmi_form = false;
        if (const Element* standard = FindStandardSchema(element.version, text, &dtmi_form)) {
          bool allowed = (property.allowed & MaskOf(standard->element_class)) &&
                         !(property.allowed == MaskOf(ElementClass::kPrimitiveSchema) &&
                           standard->primitive != PrimitiveType::kString);
          if (!allowed) {
            state_.AddError(
                "badType", item_where,
                label + " cannot be '" + std::string(text) + "'" +
                    (property.term == "schema" && element.element_class == ElementClass::kMapKey
                         ? "; a map key's schema must be \"string\""
                         : ""),
                element.id);
            continue;
          }
          AddLink(element, property, standard, {}, item_where, partition);
          continue;
        }
      }
      const Element* extension_schema = nullptr;
      if (property.allowed & MaskOf(ElementClass::kObject) && context.iotcentral) {
        extension_schema = FindIotCentralSchema(text);
      }
      // An Override's value is a unit, so its schema may be a unit type ("TemperatureUnit").
      if (HasCoType(element, "Override") && property.term == "schema" &&
          IsUnitType(TableFor(element.version), text)) {
        extension_schema = &StandardPrimitive(PrimitiveType::kString, element.version);
      }
      if (extension_schema) {
        AddLink(element, property, extension_schema, {}, item_where, partition);
        continue;
      }
      if (IsAbstractClassTerm(element.version, text)) {
        state_.AddError(
            "badType", item_where,
            label + ": '" + std::string(text) + "' is a class, not a schema" +
                (text.size() > 1
                     ? " (did you mean \"" + std::string(1, static_cast<char>(text[0] | 0x20)) +
                           std::string(text.substr(1)) + "\"?)"
                     : ""),
            element.id);
        continue;
      }
      if (!IsValidModelDtmi(text, element.version)) {
        bool term_like = text.find(':') == std::string_view::npos;
        state_.AddError(term_like ? "badDtmiOrTerm" : "invalidId", item_where,
                        label + ": '" + std::string(text) + "' is " +
                            (term_like ? "not a schema term nor a DTMI" : "not a valid DTMI"),
                        element.id);
        continue;
      }
      AddLink(element, property, nullptr, std::string(text), item_where, partition);
      continue;
    }
    if (item->is_object() && item->get_object().size() == 1 && item->get_object().contains("@id")) {
      state_.AddError(
          "idReference", item_where,
          label + ": {\"@id\": ...} is not a reference in DTDL; give the DTMI as a string",
          element.id);
      continue;
    }
    if (!item->is_object()) {
      state_.AddError("refNotStringOrObject", item_where,
                      label + " must be an element (object) or a DTMI reference (string)",
                      element.id);
      continue;
    }
    Scope scope;
    scope.context = &context;
    scope.allowed = property.allowed & ~kStandardSchemas;
    scope.parent_id = element.id;
    scope.member = property.term;
    scope.plural = plural;
    scope.id_required = property.term == "schemas";
    scope.partition = partition;
    scope.location = item_where;
    Element* child = ReadElement(item->get_object(), scope);
    if (!child) continue;
    AddLink(element, property, child, {}, item_where, partition);
  }
}

}  // namespace dtwin::dtdl
