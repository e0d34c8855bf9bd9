// Second parser pass: resolves the references the reader recorded (within the batch and to
// Interfaces registered earlier) and checks every rule that spans elements: unique ids,
// partitions, inheritance (depth, cycles, inherited name clashes), component nesting,
// complex-schema depth and recursion, v2 exclusions, enum values, ADT's overlays.
// Works on one ParseState; not thread-safe.
#pragma once

#include "dtdl/iot_central.h"
#include "dtdl/model_parser.h"
#include "dtdl/parse_state.h"

namespace dtwin::dtdl {

class ModelResolver {
 public:
  ModelResolver(ParseState& state, const ExistingInterfaceLookup& existing)
      : state_(state), existing_(existing) {}

  // Resolves and checks; on success (no errors in state) fills models.
  void Resolve(ParsedModels& models);

 private:
  void IndexIds(ParsedModels& models);
  void ResolveLinks(const ParsedModels& models);
  void ResolveInterfaces(const ParsedModels& models);
  bool ResolveInterface(Element& interface, std::vector<const Element*>& path);
  void CheckComponents();
  void CheckSchemas();
  void CheckIotCentralSchema(const Element& element, IotCentralSchemaRule rule);
  void CheckNamedSets();
  void CheckAdtRules();
  void Report(std::string_view id, const Element& element, std::string message);

  ParseState& state_;
  const ExistingInterfaceLookup& existing_;
};

}  // namespace dtwin::dtdl
