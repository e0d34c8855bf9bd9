// Relationships: create-or-replace with ADT's rules (declared name, target model, no
// self-loops, per-twin limits), read, patch of properties, delete, and the two listings
// (adt-api.md 3.5, 4.2, 4.3).
#include <boost/json/object.hpp>
#include <mutex>
#include <shared_mutex>

#include "common/json_patch.h"
#include "common/json_writer.h"
#include "dtdl/instance_validator.h"
#include "service/digital_twins_service.h"
#include "service/instance_state.h"
#include "service/notification_patches.h"
#include "graph/graph_documents.h"
#include "service/paging.h"
#include "service/service_errors.h"
#include "service/twin_document.h"

namespace dtwin::service {

namespace json = boost::json;

namespace {

// The relationship a PATCH or DELETE addresses: its source twin and it must exist, and the
// request's preconditions must hold.
Result<const graph::Relationship*> ExistingRelationship(const InstanceState& state,
                                                        std::string_view source_id,
                                                        std::string_view relationship_id,
                                                        const Preconditions& pre) {
  if (state.graph.FindTwin(source_id) == nullptr) return TwinNotFound(source_id);
  const graph::Relationship* relationship =
      state.graph.FindRelationship(source_id, relationship_id);
  if (relationship == nullptr) return RelationshipNotFound(source_id, relationship_id);
  if (Status met =
          CheckRelationshipPreconditions(pre, &relationship->etag, source_id, relationship_id);
      !met.ok()) {
    return met;
  }
  return relationship;
}

// The system members a relationship body may carry. Only $targetId and $relationshipName
// are read; the others are the service's own and ignored (SDKs send them back).
constexpr std::string_view kSystemMembers[] = {"$relationshipId", "$sourceId", "$targetId",
                                               "$relationshipName", "$etag"};

bool IsSystemMember(std::string_view name) {
  for (std::string_view member : kSystemMembers) {
    if (member == name) return true;
  }
  return false;
}


// The string member name of a PUT body, required.
Result<std::string> RequiredString(const json::object& body, std::string_view name,
                                   std::string_view meaning) {
  const json::value* value = body.if_contains(name);
  if (value == nullptr || !value->is_string() || value->get_string().empty()) {
    // ADT: 400 InvalidArgument "Could not deserialize relationship create body."
    return Status(ErrorCode::kInvalidArgument,
                  "Could not deserialize relationship create body: \"" + std::string(name) +
                      "\" (" + std::string(meaning) +
                      ") is required and must be a non-empty string");
  }
  return std::string(value->get_string());
}

// The Relationship element name of source's model, inherited ones included.
Result<const dtdl::Element*> RelationshipOf(const InstanceState& state, const graph::Twin& source,
                                            std::string_view name) {
  const dtdl::Element* interface = state.FindInterface(source.model_id);
  if (interface == nullptr) return ModelOfTwinDeleted(source.id, source.model_id);
  const dtdl::Element* relationship =
      FindContentOf(*interface, name, dtdl::ElementClass::kRelationship);
  if (relationship == nullptr) {
    return Status(ErrorCode::kInvalidRelationship,
                  "'" + std::string(name) + "' is not a Relationship of the model " +
                      interface->id + " of twin " + source.id + " (nor of the models it extends)");
  }
  return relationship;
}

// The target twin must be of the Relationship's target model or extend it. A target whose
// model was deleted cannot be checked and is accepted: ADT lets relationships point at
// model-less twins.
Status CheckTarget(const InstanceState& state, const dtdl::Element& relationship,
                   const graph::Twin& target) {
  if (relationship.target.empty()) return Status::Ok();
  const dtdl::Element* interface = state.FindInterface(target.model_id);
  if (interface == nullptr || interface->IsOrExtends(relationship.target)) return Status::Ok();
  return Status(ErrorCode::kInvalidRelationship,
                "Relationship '" + relationship.name + "' must target twins of the model " +
                    relationship.target + " (or of a model extending it), but twin " + target.id +
                    " has the model " + target.model_id);
}

Status LimitExceeded(std::string_view twin_id, std::string_view direction, size_t limit) {
  return Status(ErrorCode::kLimitExceeded,
                "Digital twin " + std::string(twin_id) + " already has " + std::to_string(limit) +
                    " " + std::string(direction) + " relationships, the most a twin can have");
}

}  // namespace

Result<Document> DigitalTwinsService::GetRelationship(std::string_view source_id,
                                                      std::string_view relationship_id) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  if (state.graph.FindTwin(source_id) == nullptr) return TwinNotFound(source_id);
  const graph::Relationship* relationship =
      state.graph.FindRelationship(source_id, relationship_id);
  if (relationship == nullptr) return RelationshipNotFound(source_id, relationship_id);
  return Document{graph::RelationshipDocument(*relationship), relationship->etag};
}

void DigitalTwinsService::PutRelationship(std::string_view source_id,
                                          std::string_view relationship_id, const json::value& body,
                                          const Preconditions& pre, Completion<Document> done) {
  InstanceState& state = *impl_;
  state.Write<Document>(
      [&](storage::WriteBatch& batch) -> Result<Document> {
        const graph::Twin* source = state.graph.FindTwin(source_id);
        if (source == nullptr) return TwinNotFound(source_id);
        const graph::Relationship* existing =
            state.graph.FindRelationship(source_id, relationship_id);
        if (Status met = CheckRelationshipPreconditions(pre, existing ? &existing->etag : nullptr,
                                                        source_id, relationship_id);
            !met.ok()) {
          return met;
        }
        if (!body.is_object()) {
          return Status(ErrorCode::kInvalidArgument, "The relationship must be a JSON object");
        }
        const json::object& object = body.get_object();
        for (const json::key_value_pair& member : object) {
          if (member.key().starts_with('$') && !IsSystemMember(member.key())) {
            return Status(ErrorCode::kValidationFailed,
                          "Invalid relationship specified: '" + std::string(member.key()) +
                              "' is not a system member of a relationship (allowed: "
                              "$relationshipId, $sourceId, $targetId, $relationshipName, $etag)");
          }
        }
        Result<std::string> target_id = RequiredString(object, "$targetId", "the target twin's id");
        if (!target_id.ok()) return std::move(target_id).status();
        Result<std::string> name =
            RequiredString(object, "$relationshipName", "a Relationship of the source's model");
        if (!name.ok()) return std::move(name).status();
        if (*target_id == source_id) {
          return Status(ErrorCode::kOperationNotAllowed,
                        "A relationship cannot connect digital twin " + *target_id + " to itself");
        }
        Result<const dtdl::Element*> element = RelationshipOf(state, *source, *name);
        if (!element.ok()) return std::move(element).status();
        const graph::Twin* target = state.graph.FindTwin(*target_id);
        if (target == nullptr) {
          return Status(ErrorCode::kTargetTwinNotFound,
                        "The target twin " + *target_id + " of relationship " +
                            std::string(relationship_id) + " does not exist");
        }
        if (Status fits = CheckTarget(state, **element, *target); !fits.ok()) return fits;
        if (Status valid = dtdl::ValidateRelationshipProperties(**element, body); !valid.ok()) {
          return valid;
        }
        if (Status sized = CheckSizeLimits(body, "relationship"); !sized.ok()) return sized;
        const size_t limit = state.options.max_relationships_per_twin;
        if (existing == nullptr && state.graph.OutgoingCount(source_id) >= limit) {
          return LimitExceeded(source_id, "outgoing", limit);
        }
        if ((existing == nullptr || existing->target_id != *target_id) &&
            state.graph.IncomingCount(*target_id) >= limit) {
          return LimitExceeded(*target_id, "incoming", limit);
        }
        std::string etag = graph::NewEtag();
        json::object document =
            graph::BuildRelationshipDocument(relationship_id, etag, source_id, *target_id, *name, object);
        batch.mutations.push_back({storage::Mutation::Kind::kPutRelationship,
                                   std::string(source_id), std::string(relationship_id),
                                   WriteJson(document)});
        state.EmitEvent(source_id, batch, [&](const events::NotificationContext& context) {
          if (existing == nullptr) return events::RelationshipCreatedEvent(context, document);
          return events::RelationshipUpdatedEvent(
              context, source_id, relationship_id, source->model_id,
              ChangePatch(graph::RelationshipDocument(*existing), document));
        });
        Document out{document, etag};
        state.graph.UpsertRelationship(graph::Relationship{
            std::string(relationship_id), std::string(source_id), std::move(target_id).value(),
            std::move(name).value(), std::move(etag), graph::RelationshipProperties(document)});
        return out;
      },
      std::move(done));
}

void DigitalTwinsService::PatchRelationship(std::string_view source_id,
                                            std::string_view relationship_id,
                                            const json::value& patch, const Preconditions& pre,
                                            Completion<std::string> done) {
  InstanceState& state = *impl_;
  state.Write<std::string>(
      [&](storage::WriteBatch& batch) -> Result<std::string> {
        const graph::Twin* source = state.graph.FindTwin(source_id);
        Result<const graph::Relationship*> found =
            ExistingRelationship(state, source_id, relationship_id, pre);
        if (!found.ok()) return std::move(found).status();
        const graph::Relationship* relationship = *found;
        Result<JsonPatch> parsed = ParseJsonPatch(patch);
        if (!parsed.ok()) return std::move(parsed).status();
        for (size_t i = 0; i < parsed->size(); ++i) {
          const PatchOperation& op = (*parsed)[i];
          if (op.tokens.empty() || op.tokens[0].starts_with('$')) {
            return Status(ErrorCode::kJsonPatchInvalid,
                          "operation " + std::to_string(i) + " (" + op.path +
                              "): only relationship properties can be patched; the id, source, "
                              "target and name of a relationship are fixed (delete it and create "
                              "another to change them)");
          }
        }
        Result<const dtdl::Element*> element = RelationshipOf(state, *source, relationship->name);
        if (!element.ok()) return std::move(element).status();
        json::value properties = relationship->document;  // the graph keeps only properties
        if (Status applied = ApplyJsonPatch(*parsed, properties); !applied.ok()) return applied;
        if (Status valid = dtdl::ValidateRelationshipProperties(**element, properties);
            !valid.ok()) {
          return valid;
        }
        if (Status sized = CheckSizeLimits(properties, "relationship"); !sized.ok()) return sized;
        std::string etag = graph::NewEtag();
        json::object document =
            graph::BuildRelationshipDocument(relationship_id, etag, source_id, relationship->target_id,
                          relationship->name, properties.get_object());
        batch.mutations.push_back({storage::Mutation::Kind::kPutRelationship,
                                   std::string(source_id), std::string(relationship_id),
                                   WriteJson(document)});
        state.EmitEvent(source_id, batch, [&](const events::NotificationContext& context) {
          return events::RelationshipUpdatedEvent(context, source_id, relationship_id,
                                                  source->model_id, NotificationPatch(*parsed));
        });
        state.graph.UpsertRelationship(graph::Relationship{
            relationship->id, relationship->source_id, relationship->target_id,
            relationship->name, etag, std::move(properties.get_object())});
        return etag;
      },
      std::move(done));
}

void DigitalTwinsService::DeleteRelationship(std::string_view source_id,
                                             std::string_view relationship_id,
                                             const Preconditions& pre, StatusCompletion done) {
  InstanceState& state = *impl_;
  state.WriteStatus(
      [&](storage::WriteBatch& batch) -> Status {
        Result<const graph::Relationship*> found =
            ExistingRelationship(state, source_id, relationship_id, pre);
        if (!found.ok()) return std::move(found).status();
        state.EmitEvent(source_id, batch, [&](const events::NotificationContext& context) {
          return events::RelationshipDeletedEvent(context, graph::RelationshipDocument(**found));
        });
        state.graph.EraseRelationship(source_id, relationship_id);
        batch.mutations.push_back({storage::Mutation::Kind::kDeleteRelationship,
                                   std::string(source_id), std::string(relationship_id), ""});
        return Status::Ok();
      },
      std::move(done));
}

Result<Page<json::object>> DigitalTwinsService::ListRelationships(
    std::string_view source_id, std::string_view relationship_name, const PageRequest& page) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  if (state.graph.FindTwin(source_id) == nullptr) return TwinNotFound(source_id);
  std::vector<const graph::Relationship*> relationships = state.graph.Outgoing(source_id);
  if (!relationship_name.empty()) {
    std::erase_if(relationships, [&](const graph::Relationship* relationship) {
      return relationship->name != relationship_name;
    });
  }
  return PageOf<json::object>(
      relationships, "relationships", 1, page, state.options,
      [](const graph::Relationship* relationship) { return PageKey{relationship->id}; },
      [](const graph::Relationship* relationship) { return graph::RelationshipDocument(*relationship); });
}

Result<Page<IncomingRelationship>> DigitalTwinsService::ListIncomingRelationships(
    std::string_view target_id, const PageRequest& page) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  if (state.graph.FindTwin(target_id) == nullptr) return TwinNotFound(target_id);
  return PageOf<IncomingRelationship>(
      state.graph.Incoming(target_id), "incomingrelationships", 2, page, state.options,
      [](const graph::Relationship* relationship) {
        return PageKey{relationship->source_id, relationship->id};
      },
      [](const graph::Relationship* relationship) {
        return IncomingRelationship{relationship->id, relationship->source_id, relationship->name};
      });
}

}  // namespace dtwin::service
