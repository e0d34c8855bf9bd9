// Second parser pass (see model_resolver.h). Rules: reference/dtdl.md sections 2.3, 3-7.
#include "dtdl/model_resolver.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "dtdl/iot_central.h"
#include "dtdl/semantic_types.h"

namespace dtwin::dtdl {

namespace {

constexpr int kMaxExtendsDepth = 10;
constexpr size_t kMaxExtendsHierarchyV3 = 1024;
constexpr size_t kMaxContentsV2 = 300;
constexpr int kMaxSchemaDepth = 5;
constexpr size_t kMaxElementsInHierarchyV3 = 100000;

std::string Describe(const Element& element) {
  std::string out(ElementClassName(element.element_class));
  out += " '";
  out += element.name.empty() || element.IsInterface() ? element.id : element.name;
  out += "'";
  return out;
}

bool IsComplexSchema(const Element& e) {
  return e.element_class == ElementClass::kArray || e.element_class == ElementClass::kEnum ||
         e.element_class == ElementClass::kMap || e.element_class == ElementClass::kObject;
}

// The schemas directly below a complex schema, each reached through one schema or
// elementSchema member.
std::vector<const Element*> SchemaChildren(const Element& e) {
  std::vector<const Element*> children;
  switch (e.element_class) {
    case ElementClass::kArray:
      if (e.element_schema) children.push_back(e.element_schema);
      break;
    case ElementClass::kMap:
      if (e.map_value && e.map_value->schema) children.push_back(e.map_value->schema);
      break;
    case ElementClass::kObject:
      for (const Element* field : e.fields) {
        if (field->schema) children.push_back(field->schema);
      }
      break;
    default:
      break;
  }
  return children;
}

void Assign(Element& owner, std::string_view term, const Element* target) {
  if (term == "contents") owner.contents.push_back(target);
  else if (term == "extends") owner.extends.push_back(target);
  else if (term == "schemas") owner.schemas.push_back(target);
  else if (term == "schema") owner.schema = target;
  else if (term == "properties") owner.properties.push_back(target);
  else if (term == "request") owner.request = target;
  else if (term == "response") owner.response = target;
  else if (term == "elementSchema") owner.element_schema = target;
  else if (term == "enumValues") owner.enum_values.push_back(target);
  else if (term == "mapKey") owner.map_key = target;
  else if (term == "mapValue") owner.map_value = target;
  else if (term == "fields") owner.fields.push_back(target);
}

}  // namespace

void ModelResolver::Report(std::string_view id, const Element& element, std::string message) {
  const ElementOrigin* origin = state_.OriginOf(&element);
  SourceLocation where = origin ? origin->location : SourceLocation{SIZE_MAX, ""};
  state_.AddError(id, where, std::move(message), element.id);
}

void ModelResolver::Resolve(ParsedModels& models) {
  IndexIds(models);
  ResolveLinks(models);
  if (!state_.errors.empty()) return;  // later checks assume every reference resolved
  ResolveInterfaces(models);
  if (!state_.errors.empty()) return;
  CheckComponents();
  CheckSchemas();
  CheckNamedSets();
  if (state_.options->adt_mode) CheckAdtRules();
  if (!state_.errors.empty()) return;
  for (const ElementOrigin& origin : state_.origins) {
    if (origin.top_level) models.interfaces.push_back(origin.element);
  }
  models.elements = std::move(state_.elements);
}

void ModelResolver::IndexIds(ParsedModels& models) {
  for (const ElementOrigin& origin : state_.origins) {
    auto [it, inserted] = models.by_id.emplace(origin.element->id, origin.element);
    // Two siblings with one name generate one id; the name clash is reported by name.
    if (!inserted && !origin.element->id_generated) {
      state_.AddError("duplicateDefinition", origin.location,
                      "@id '" + origin.element->id + "' is defined more than once" +
                          (origin.element->id_generated
                               ? " (generated from the names: two siblings share a name)"
                               : ""),
                      origin.element->id);
    }
  }
}

void ModelResolver::ResolveLinks(const ParsedModels& models) {
  for (PendingLink& link : state_.links) {
    const Element* target = link.inline_target;
    const ElementOrigin* target_origin = nullptr;
    if (!target) {
      if (auto it = models.by_id.find(link.reference); it != models.by_id.end()) {
        target = it->second;
      } else if (existing_) {
        target = existing_(link.reference);
      }
      if (!target) {
        state_.AddError(HasReservedDtmiPrefix(link.reference) ? "undefinedReservedId"
                                                              : "unresolvedReference",
                        link.location,
                        Describe(*link.owner) + " refers to '" + link.reference + "' in '" +
                            std::string(link.property->term) +
                            "', which is neither in this batch nor already uploaded",
                        link.owner->id);
        continue;
      }
      if (!(link.property->allowed & MaskOf(target->element_class))) {
        state_.AddError("badType", link.location,
                        Describe(*link.owner) + ": '" + std::string(link.property->term) +
                            "' refers to '" + link.reference + "', a " +
                            std::string(ElementClassName(target->element_class)) +
                            ", which is not allowed there",
                        link.owner->id);
        continue;
      }
      target_origin = state_.OriginOf(target);
      if (!target->IsInterface() && target_origin && target_origin->partition != link.partition) {
        state_.AddError("crossPartitionReference", link.location,
                        Describe(*link.owner) + " refers to '" + link.reference +
                            "', which is defined inside another Interface; only Interfaces "
                            "can be referenced across Interfaces",
                        link.owner->id);
        continue;
      }
    }
    if (target->version == DtdlVersion::kV3 && link.owner->version == DtdlVersion::kV2 &&
        !link.inline_target) {
      state_.AddError("disallowedVersionReference", link.location,
                      Describe(*link.owner) + " (DTDL v2) refers to '" + link.reference +
                          "', which is DTDL v3; v2 elements may only use v2 elements",
                      link.owner->id);
      continue;
    }
    Assign(*link.owner, link.property->term, target);
  }
}

void ModelResolver::ResolveInterfaces(const ParsedModels& models) {
  (void)models;
  // Elements per partition: what an Interface contributes to the v3 element limit.
  std::unordered_map<std::string_view, size_t> partition_size;
  for (const ElementOrigin& origin : state_.origins) ++partition_size[origin.partition];
  for (const ElementOrigin& origin : state_.origins) {
    if (!origin.element->IsInterface()) continue;
    std::vector<const Element*> path;
    if (!ResolveInterface(*origin.element, path)) continue;
    if (origin.element->version != DtdlVersion::kV3) continue;
    size_t total = 0;
    for (const std::string& id : origin.element->ancestor_ids) {
      if (auto it = partition_size.find(id); it != partition_size.end()) total += it->second;
    }
    if (total > kMaxElementsInHierarchyV3) {
      Report("objectCountAboveMax", *origin.element,
             "Interface '" + origin.element->id + "' has " + std::to_string(total) +
                 " elements including inherited ones; DTDL v3 allows 100,000");
    }
  }
}

// Fills ancestor_ids and all_contents of interface after its bases; path holds the
// Interfaces being resolved (to find cycles and measure depth). Returns false on error.
bool ModelResolver::ResolveInterface(Element& interface, std::vector<const Element*>& path) {
  if (!interface.ancestor_ids.empty()) return true;  // done (or registered earlier)
  if (std::find(path.begin(), path.end(), &interface) != path.end()) {
    Report("recursiveStructureNarrow", interface,
           "Interface '" + interface.id + "' extends itself (directly or through its bases)");
    return false;
  }
  if (static_cast<int>(path.size()) > kMaxExtendsDepth) {
    Report("excessiveDepthNarrow", *path.front(),
           "Interface '" + path.front()->id + "' has more than " +
               std::to_string(kMaxExtendsDepth) + " levels of extends");
    return false;
  }
  path.push_back(&interface);
  bool ok = true;
  for (const Element* base : interface.extends) {
    if (!ResolveInterface(const_cast<Element&>(*base), path)) ok = false;
  }
  path.pop_back();
  if (!ok) return false;

  std::vector<std::string> ancestors{interface.id};
  std::unordered_set<std::string> seen{interface.id};
  for (const Element* base : interface.extends) {
    for (const std::string& id : base->ancestor_ids) {
      if (seen.insert(id).second) ancestors.push_back(id);
    }
  }
  if (interface.version == DtdlVersion::kV3 && ancestors.size() - 1 > kMaxExtendsHierarchyV3) {
    Report("objectCountAboveMax", interface,
           "Interface '" + interface.id + "' has more than 1024 Interfaces in its extends hierarchy");
    ok = false;
  }

  std::unordered_map<std::string, const Element*> all;
  for (const Element* content : interface.contents) {
    auto [it, inserted] = all.emplace(content->name, content);
    if (!inserted && it->second != content) {
      Report("nonUniquePropertyValue", *content,
             "Interface '" + interface.id + "' has two contents named '" + content->name + "'");
      ok = false;
    }
  }
  for (const Element* base : interface.extends) {
    for (const auto& [name, content] : base->all_contents) {
      auto [it, inserted] = all.emplace(name, content);
      if (!inserted && it->second != content) {
        Report("nonUniqueImportedPropertyValue", interface,
               "Interface '" + interface.id + "' gets two contents named '" + name +
                   "' (one from '" + base->id + "'); a name may not be redefined or inherited twice");
        ok = false;
      }
    }
  }
  if (interface.version == DtdlVersion::kV2 && all.size() > kMaxContentsV2) {
    Report("objectCountAboveMax", interface,
           "Interface '" + interface.id + "' has " + std::to_string(all.size()) +
               " contents including inherited ones; DTDL v2 allows 300");
    ok = false;
  }
  interface.ancestor_ids = std::move(ancestors);
  interface.all_contents = std::move(all);
  return ok;
}

void ModelResolver::CheckComponents() {
  for (const ElementOrigin& origin : state_.origins) {
    const Element& component = *origin.element;
    if (component.element_class != ElementClass::kComponent || !component.schema) continue;
    for (const auto& [name, content] : component.schema->all_contents) {
      if (content->element_class == ElementClass::kComponent) {
        Report("excludedType", component,
               "Component '" + component.name + "' uses Interface '" + component.schema->id +
                   "', which has a Component ('" + name + "'); components cannot be nested");
        break;
      }
    }
  }
}

void ModelResolver::CheckSchemas() {
  // Depth of complex schemas, memoized; -1 marks a schema on the current path (recursion).
  // The walk stops one level past the limit, so a long chain of references cannot exhaust
  // the stack: anything deeper is an error whatever its exact depth.
  std::unordered_map<const Element*, int> depth;
  std::function<int(const Element*, int)> depth_of = [&](const Element* schema, int level) -> int {
    if (!IsComplexSchema(*schema)) return 0;
    if (level > kMaxSchemaDepth) return kMaxSchemaDepth + 1;
    auto it = depth.find(schema);
    if (it != depth.end()) return it->second;
    depth[schema] = -1;
    int deepest = 0;
    for (const Element* child : SchemaChildren(*schema)) {
      int d = depth_of(child, level + 1);
      if (d < 0) {
        deepest = -1;
        break;
      }
      deepest = std::max(deepest, d + 1);
    }
    depth[schema] = deepest;
    return deepest;
  };
  // v2: a Property's schema tree may contain neither Array nor geospatial schemas. The tree
  // is at most kMaxSchemaDepth deep (checked above), so an explicit stack keeps this flat.
  auto has_array = [](const Element* root) {
    std::unordered_set<const Element*> seen;
    std::vector<const Element*> pending{root};
    while (!pending.empty()) {
      const Element* schema = pending.back();
      pending.pop_back();
      if (!seen.insert(schema).second) continue;
      if (schema->element_class == ElementClass::kArray ||
          schema->element_class == ElementClass::kGeospatialSchema) {
        return true;
      }
      for (const Element* child : SchemaChildren(*schema)) pending.push_back(child);
    }
    return false;
  };
  for (const ElementOrigin& origin : state_.origins) {
    const Element& element = *origin.element;
    if (IsComplexSchema(element)) {
      int d = depth_of(&element, 0);
      if (d < 0) {
        Report("recursiveStructureWide", element,
               Describe(element) + " contains itself through its schemas");
      } else if (d > kMaxSchemaDepth) {
        Report("excessiveDepthWide", element,
               Describe(element) + " nests schemas more than 5 levels deep");
      }
      continue;
    }
    if (element.element_class == ElementClass::kProperty &&
        element.version == DtdlVersion::kV2 && element.schema) {
      if (has_array(element.schema)) {
        Report("excludedType", element,
               "Property '" + element.name +
                   "' uses an Array or geospatial schema, which DTDL v2 does not allow in "
                   "Properties (use DTDL v3, or a Telemetry)");
      }
    }
    bool semantic = false;
    SemanticTable table = element.version == DtdlVersion::kV2 ? SemanticTable::kV2Core
                                                              : SemanticTable::kQuantitativeTypesV1;
    for (const std::string& co_type : element.co_types) {
      if (IsSemanticType(table, co_type)) semantic = true;
    }
    for (const std::string& co_type : element.co_types) {
      CheckIotCentralSchema(element, IotCentralSemanticRule(co_type));
    }
    if (semantic && element.schema) {
      const Element& schema = *element.schema;
      bool numeric = schema.element_class == ElementClass::kPrimitiveSchema &&
                     (schema.primitive == PrimitiveType::kDouble ||
                      schema.primitive == PrimitiveType::kFloat ||
                      schema.primitive == PrimitiveType::kInteger ||
                      schema.primitive == PrimitiveType::kLong);
      if (!numeric) {
        Report("notRequiredType", element,
               Describe(element) + " has a semantic type, so its schema must be double, float, "
               "integer or long");
      }
    }
  }
}

void ModelResolver::CheckIotCentralSchema(const Element& element, IotCentralSchemaRule rule) {
  if (rule == IotCentralSchemaRule::kNone || !element.schema) return;
  const Element& schema = *element.schema;
  switch (rule) {
    case IotCentralSchemaRule::kVector:
      if (&schema != FindIotCentralSchema("vector")) {
        Report("notRequiredValue", element, Describe(element) + " needs the schema \"vector\"");
      }
      break;
    case IotCentralSchemaRule::kLocation:
      if (&schema != FindIotCentralSchema("geopoint") &&
          schema.element_class != ElementClass::kGeospatialSchema) {
        Report("notRequiredValue", element,
               Describe(element) + " needs the schema \"geopoint\" or a geospatial schema");
      }
      break;
    case IotCentralSchemaRule::kEnum:
      if (schema.element_class != ElementClass::kEnum) {
        Report("notRequiredType", element, Describe(element) + " needs an Enum schema");
      }
      break;
    case IotCentralSchemaRule::kNumericOrString: {
      bool ok = schema.element_class == ElementClass::kPrimitiveSchema &&
                (schema.primitive == PrimitiveType::kDouble ||
                 schema.primitive == PrimitiveType::kFloat ||
                 schema.primitive == PrimitiveType::kInteger ||
                 schema.primitive == PrimitiveType::kLong ||
                 schema.primitive == PrimitiveType::kString);
      if (!ok) {
        Report("notRequiredType", element,
               Describe(element) + " needs a numeric or string schema");
      }
      break;
    }
    case IotCentralSchemaRule::kNone:
      break;
  }
}

void ModelResolver::CheckNamedSets() {
  auto check_unique = [&](const Element& owner, const std::vector<const Element*>& members,
                          std::string_view what) {
    std::unordered_set<std::string_view> names;
    for (const Element* member : members) {
      if (!member->name.empty() && !names.insert(member->name).second) {
        Report("nonUniquePropertyValue", *member,
               Describe(owner) + " has two " + std::string(what) + " named '" + member->name + "'");
      }
    }
  };
  for (const ElementOrigin& origin : state_.origins) {
    const Element& element = *origin.element;
    switch (element.element_class) {
      case ElementClass::kObject:
        check_unique(element, element.fields, "fields");
        break;
      case ElementClass::kRelationship:
        check_unique(element, element.properties, "properties");
        if (element.min_multiplicity && element.max_multiplicity &&
            *element.min_multiplicity > *element.max_multiplicity) {
          Report("valueBelowMin", element,
                 Describe(element) + ": maxMultiplicity is below minMultiplicity");
        }
        break;
      case ElementClass::kEnum: {
        check_unique(element, element.enum_values, "enum values");
        std::vector<const boost::json::value*> values;
        for (const Element* enum_value : element.enum_values) {
          const boost::json::value& v = enum_value->enum_value;
          bool matches = element.value_schema == PrimitiveType::kString
                             ? v.is_string()
                             : (v.is_int64() && v.get_int64() >= INT32_MIN &&
                                v.get_int64() <= INT32_MAX);
          if (!matches) {
            Report("nonConformantDatatype", *enum_value,
                   "enum value '" + enum_value->name + "' must be " +
                       (element.value_schema == PrimitiveType::kString ? "a string"
                                                                       : "an integer") +
                       ", as the Enum's valueSchema says");
            continue;
          }
          for (const boost::json::value* other : values) {
            if (*other == v) {
              Report("nonUniquePropertyValue", *enum_value,
                     Describe(element) + " has the value of '" + enum_value->name + "' twice");
            }
          }
          values.push_back(&v);
        }
        break;
      }
      case ElementClass::kInterface:
        for (const Element* content : element.contents) {
          if (content->annotates.empty()) continue;
          auto it = element.all_contents.find(content->annotates);
          if (it == element.all_contents.end() ||
              (it->second->element_class != ElementClass::kProperty &&
               it->second->element_class != ElementClass::kTelemetry)) {
            Report("siblingPropertyMismatch", *content,
                   Describe(*content) + " annotates '" + content->annotates +
                       "', which is not a Property or Telemetry of Interface '" + element.id + "'");
          }
        }
        break;
      default:
        break;
    }
  }
}

void ModelResolver::CheckAdtRules() {
  for (const ElementOrigin& origin : state_.origins) {
    const Element& element = *origin.element;
    if (origin.inline_interface) {
      Report("adtInlineInterface", element,
             "Interface '" + element.id + "' is defined inline; Azure Digital Twins needs every "
             "Interface at the top level, referenced by its DTMI");
    }
    if (element.element_class == ElementClass::kCommand) {
      Report("adtCommandNotSupported", element,
             "Command '" + element.name + "': Azure Digital Twins models must not define "
             "Commands");
    }
  }
}

}  // namespace dtwin::dtdl
