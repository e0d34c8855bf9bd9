// Document validation: twins, relationship bodies and telemetry payloads against their
// resolved Interfaces, with ADT's twin shape (reference/dtdl.md section 8). Values are checked
// by value_checker. Stateless; thread-safe.
#include <algorithm>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "dtdl/instance_validator.h"
#include "dtdl/value_checker.h"

namespace dtwin::dtdl {

namespace {

namespace json = boost::json;

// Most problems listed in a Status message; every problem is still a detail.
constexpr size_t kMaxProblemsInMessage = 10;

// ---- twins, relationships, telemetry ----------------------------------------------------

// Content named name in interface, inherited ones included; nullptr when none.
const Element* FindContent(const Element& interface, std::string_view name) {
  if (!interface.all_contents.empty()) {
    // all_contents is keyed by std::string; reuse one buffer per thread so that lookups
    // of long names do not allocate.
    thread_local std::string key;
    key.assign(name.data(), name.size());
    auto it = interface.all_contents.find(key);
    return it == interface.all_contents.end() ? nullptr : it->second;
  }
  // Not resolved (elements built by hand): own contents, then bases.
  for (const Element* content : interface.contents) {
    if (content->name == name) return content;
  }
  for (const Element* base : interface.extends) {
    if (const Element* found = FindContent(*base, name)) return found;
  }
  return nullptr;
}

template <typename Fn>
void ForEachContent(const Element& interface, Fn&& fn) {
  if (!interface.all_contents.empty()) {
    for (const auto& [name, content] : interface.all_contents) fn(*content);
    return;
  }
  for (const Element* content : interface.contents) fn(*content);
  for (const Element* base : interface.extends) ForEachContent(*base, fn);
}

// Collects the problems of one document as messages for a Status.
class ProblemList {
 public:
  void Add(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const { return messages_.empty(); }

  // Turns the problems found by a Checker for the value of a named member into messages:
  // "Property 'temp': expected ..." or "Property 'pos' at /pos/x: expected ...".
  void AddValueProblems(std::string_view subject, std::string_view member_pointer,
                        std::vector<InstanceProblem>& problems) {
    for (InstanceProblem& problem : problems) {
      std::string message(subject);
      if (problem.pointer != member_pointer) {
        message += " at ";
        message += problem.pointer;
      }
      message += ": ";
      message += problem.message;
      Add(std::move(message));
    }
    problems.clear();
  }

  Status ToStatus(std::string_view what) && {
    if (messages_.empty()) return Status::Ok();
    std::string message(what);
    message += ": ";
    for (size_t i = 0; i < messages_.size() && i < kMaxProblemsInMessage; ++i) {
      if (i > 0) message += "; ";
      message += messages_[i];
    }
    if (messages_.size() > kMaxProblemsInMessage) {
      message +=
          "; and " + std::to_string(messages_.size() - kMaxProblemsInMessage) + " more problems";
    }
    Status status(ErrorCode::kValidationFailed, std::move(message));
    for (std::string& detail : messages_) {
      status.AddDetail(Status(ErrorCode::kValidationFailed, std::move(detail)));
    }
    return status;
  }

 private:
  std::vector<std::string> messages_;
};

std::string Quoted(std::string_view text) {
  std::string out = "'";
  out += text;
  out += "'";
  return out;
}

// The message for a member that is a content of the Interface but not a Property.
std::string NotAPropertyMessage(const Element& content, std::string_view name,
                                const Element& interface) {
  std::string message = Quoted(name);
  message += " is a ";
  message += ElementClassName(content.element_class);
  message += " of ";
  message += interface.id;
  message += ", not a Property";
  switch (content.element_class) {
    case ElementClass::kRelationship:
      message += ": relationships are created through the relationships API";
      break;
    case ElementClass::kTelemetry:
      message += ": telemetry is sent as events, not stored on the twin";
      break;
    case ElementClass::kCommand:
      message += ": commands are not stored on the twin";
      break;
    default:
      break;
  }
  return message;
}

// Checks the "$metadata" object of a twin (component_name empty) or of a component; owner is
// the object holding it. An entry for a member that owner also has is not reported again
// when that member is unknown: the member's own problem says it once.
void CheckMetadata(const Element& interface, const json::object& owner, const json::value& metadata,
                   std::string_view component_name, ProblemList& problems) {
  const bool top_level = component_name.empty();
  // "'$metadata'", "'$metadata/$model'", "'thermostat/$metadata/x'": built only on failure.
  auto where = [&](std::string_view key) {
    std::string out = "'";
    if (!top_level) {
      out += component_name;
      out += '/';
    }
    out += "$metadata";
    if (!key.empty()) {
      out += '/';
      out += key;
    }
    out += "'";
    return out;
  };
  if (!metadata.is_object()) {
    problems.Add(where({}) + " must be an object, got " + DescribeJson(metadata));
    return;
  }
  for (const json::key_value_pair& member : metadata.get_object()) {
    std::string_view key = member.key();
    if (key.starts_with('$')) {
      if ((key == "$model" && top_level) || key == "$lastUpdateTime") {
        if (!member.value().is_string()) {
          problems.Add(where(key) + " must be a string, got " + DescribeJson(member.value()));
        }
      } else {
        problems.Add(where(key) + " is not allowed (allowed: " + (top_level ? "$model, " : "") +
                     "$lastUpdateTime and property names)");
      }
      continue;
    }
    const Element* content = FindContent(interface, key);
    if (content == nullptr || (content->element_class != ElementClass::kProperty &&
                               content->element_class != ElementClass::kComponent)) {
      if (!owner.contains(key)) {
        problems.Add(where(key) + ": " + Quoted(key) + " is not a Property of " + interface.id);
      }
    } else if (!member.value().is_object()) {
      problems.Add(where(key) + " must be an object (e.g. {\"sourceTime\": \"...\"}), got " +
                   DescribeJson(member.value()));
    }
  }
}

// Checks the value of Component component (named name) of a twin.
void CheckComponent(const Element& component, std::string_view name, const json::value& value,
                    std::vector<InstanceProblem>& scratch, ProblemList& problems) {
  const Element* schema = component.schema;
  if (schema == nullptr || !schema->IsInterface()) {
    problems.Add("Component " + Quoted(name) + " has no resolved Interface");
    return;
  }
  if (!value.is_object()) {
    problems.Add("Component " + Quoted(name) +
                 " must be an object with a \"$metadata\" object, got " + DescribeJson(value));
    return;
  }
  const json::object& object = value.get_object();
  if (object.find("$metadata") == object.end()) {
    problems.Add("Component " + Quoted(name) +
                 " has no \"$metadata\" object (a component is at least {\"$metadata\": {}})");
  }
  PathStep component_step{nullptr, name, 0, false};
  for (const json::key_value_pair& member : object) {
    std::string_view key = member.key();
    if (key == "$metadata") {
      CheckMetadata(*schema, object, member.value(), name, problems);
      continue;
    }
    const Element* content = key.starts_with('$') ? nullptr : FindContent(*schema, key);
    if (content == nullptr) {
      problems.Add(Quoted(key) + " is not a Property of component " + Quoted(name) + " (" +
                   schema->id + ")");
      continue;
    }
    if (content->element_class != ElementClass::kProperty) {
      problems.Add(NotAPropertyMessage(*content, key, *schema) + " (in component " + Quoted(name) +
                   ")");
      continue;
    }
    PathStep step{&component_step, key, 0, false};
    CheckValue(*content, member.value(), &step, scratch);
    if (!scratch.empty()) {
      problems.AddValueProblems("Property " + Quoted(key) + " of component " + Quoted(name),
                                PointerOf(&step), scratch);
    }
  }
}

}  // namespace

Status ValidateTwin(const Element& interface, const json::value& twin) {
  if (!twin.is_object()) {
    return Status(
        ErrorCode::kValidationFailed,
        "Invalid twin specified: a twin must be a JSON object, got " + DescribeJson(twin));
  }
  ProblemList problems;
  std::vector<InstanceProblem> scratch;  // reused; allocates only once a problem is found
  const json::object& object = twin.get_object();
  for (const json::key_value_pair& member : object) {
    std::string_view key = member.key();
    if (key.starts_with('$')) {
      if (key == "$metadata") {
        CheckMetadata(interface, object, member.value(), /*component_name=*/{}, problems);
      } else if (key == "$dtId" || key == "$etag" || key == "$lastUpdateTime") {
        if (!member.value().is_string()) {
          problems.Add(Quoted(key) + " must be a string, got " + DescribeJson(member.value()));
        }
      } else {
        problems.Add(Quoted(key) +
                     " is not an allowed system member of a twin (allowed: $dtId, $etag, "
                     "$metadata, $lastUpdateTime)");
      }
      continue;
    }
    const Element* content = FindContent(interface, key);
    if (content == nullptr) {
      problems.Add(Quoted(key) + " does not appear on the DTDL of " + interface.id +
                   ": it is not a Property or Component of the Interface or its bases");
      continue;
    }
    switch (content->element_class) {
      case ElementClass::kProperty: {
        PathStep step{nullptr, key, 0, false};
        CheckValue(*content, member.value(), &step, scratch);
        if (!scratch.empty()) {
          problems.AddValueProblems("Property " + Quoted(key), PointerOf(&step), scratch);
        }
        break;
      }
      case ElementClass::kComponent:
        CheckComponent(*content, key, member.value(), scratch, problems);
        break;
      default:
        problems.Add(NotAPropertyMessage(*content, key, interface));
        break;
    }
  }
  // Components are required (ADT: "they can be empty objects, but the components
  // themselves have to exist"). Sorted, so that the message does not depend on hashing.
  std::vector<std::string_view> missing;
  ForEachContent(interface, [&](const Element& content) {
    if (content.element_class == ElementClass::kComponent &&
        object.find(content.name) == object.end()) {
      missing.push_back(content.name);
    }
  });
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (std::string_view name : missing) {
    problems.Add("Component " + Quoted(name) +
                 " is missing: every component must be present, at least as {\"$metadata\": {}}");
  }
  return std::move(problems).ToStatus("Invalid twin specified");
}

Status ValidateRelationshipProperties(const Element& relationship, const json::value& body) {
  if (!body.is_object()) {
    return Status(ErrorCode::kValidationFailed,
                  "Invalid relationship specified: a relationship must be a JSON object, got " +
                      DescribeJson(body));
  }
  ProblemList problems;
  std::vector<InstanceProblem> scratch;
  for (const json::key_value_pair& member : body.get_object()) {
    std::string_view key = member.key();
    if (key.starts_with('$')) continue;  // $relationshipId, $targetId...: checked elsewhere
    const Element* property = nullptr;
    for (const Element* p : relationship.properties) {
      if (p->name == key) {
        property = p;
        break;
      }
    }
    if (property == nullptr) {
      problems.Add(Quoted(key) + " is not a property of Relationship " + Quoted(relationship.name) +
                   " (" + relationship.id + ")");
      continue;
    }
    PathStep step{nullptr, key, 0, false};
    CheckValue(*property, member.value(), &step, scratch);
    if (!scratch.empty()) {
      problems.AddValueProblems("Property " + Quoted(key), PointerOf(&step), scratch);
    }
  }
  return std::move(problems).ToStatus("Invalid relationship specified");
}

Status ValidateTelemetry(const Element& interface, const json::value& payload) {
  if (!payload.is_object()) {
    return Status(ErrorCode::kValidationFailed,
                  "Invalid telemetry specified: a telemetry payload must be a JSON object, got " +
                      DescribeJson(payload));
  }
  ProblemList problems;
  std::vector<InstanceProblem> scratch;
  // Checks one member against the Telemetry contents of owner (the Interface, or the
  // Interface of the component named component_name).
  auto check_member = [&](const Element& owner, const PathStep* parent,
                          const json::key_value_pair& member, std::string_view component_name) {
    auto suffix = [&] {
      return component_name.empty() ? std::string()
                                    : " (in component " + Quoted(component_name) + ")";
    };
    std::string_view key = member.key();
    const Element* content = FindContent(owner, key);
    if (content == nullptr || content->element_class != ElementClass::kTelemetry) {
      problems.Add(Quoted(key) + " is not a Telemetry of " + owner.id + suffix());
      return;
    }
    PathStep step{parent, key, 0, false};
    CheckValue(*content, member.value(), &step, scratch);
    if (!scratch.empty()) {
      problems.AddValueProblems("Telemetry " + Quoted(key) + suffix(), PointerOf(&step), scratch);
    }
  };
  for (const json::key_value_pair& member : payload.get_object()) {
    const Element* content = FindContent(interface, member.key());
    if (content != nullptr && content->element_class == ElementClass::kComponent &&
        content->schema != nullptr && member.value().is_object()) {
      // {"thermostat": {"temperature": 21.5}}: telemetry of a component.
      PathStep component_step{nullptr, member.key(), 0, false};
      for (const json::key_value_pair& inner : member.value().get_object()) {
        check_member(*content->schema, &component_step, inner, member.key());
      }
      continue;
    }
    check_member(interface, nullptr, member, {});
  }
  return std::move(problems).ToStatus("Invalid telemetry specified");
}

}  // namespace dtwin::dtdl
