// Twin compaction for the in-memory graph (see the header).
#include "graph/graph_documents.h"

#include <boost/json/value.hpp>
#include <string_view>

#include "common/json_writer.h"

namespace dtwin::graph {

namespace {

namespace json = boost::json;

constexpr std::string_view kMetadata = "$metadata";
constexpr std::string_view kLastUpdateTime = "$lastUpdateTime";
constexpr std::string_view kPropertyLastUpdateTime = "lastUpdateTime";

bool IsComponentValue(const json::value& value) {
  return value.is_object() && value.get_object().contains(kMetadata);
}

// The twin's $lastUpdateTime, or nullptr when the document has none (then nothing is
// compacted, and nothing needs re-creating).
const json::string* TwinTime(const json::object& metadata) {
  const json::value* time = metadata.if_contains(kLastUpdateTime);
  return time != nullptr && time->is_string() ? &time->get_string() : nullptr;
}

bool OnlyRepeats(const json::value& entry, const json::string& twin_time) {
  if (!entry.is_object() || entry.get_object().size() != 1) return false;
  const json::value* time = entry.get_object().if_contains(kPropertyLastUpdateTime);
  return time != nullptr && time->is_string() && time->get_string() == twin_time;
}

}  // namespace

json::object CompactTwinDocument(json::object document) {
  json::value* metadata = document.if_contains(kMetadata);
  if (metadata == nullptr || !metadata->is_object()) return document;
  const json::string* twin_time = TwinTime(metadata->get_object());
  if (twin_time == nullptr) return document;
  // Rebuilt rather than erased in place: boost::json::object::erase moves the last member
  // into the gap, which would reorder the entries kept.
  json::object kept;
  for (const json::key_value_pair& entry : metadata->get_object()) {
    bool system = entry.key().starts_with('$');
    if (system || !OnlyRepeats(entry.value(), *twin_time)) kept.emplace(entry.key(), entry.value());
  }
  *metadata = std::move(kept);
  return document;
}

json::object ExpandTwinDocument(const json::object& compact) {
  json::object document = compact;
  json::value* metadata = document.if_contains(kMetadata);
  if (metadata == nullptr || !metadata->is_object()) return document;
  const json::object& stored = metadata->get_object();
  const json::string* twin_time = TwinTime(stored);
  if (twin_time == nullptr) return document;
  json::object full;
  for (const json::key_value_pair& entry : stored) {
    if (entry.key().starts_with('$')) full.emplace(entry.key(), entry.value());
  }
  for (const json::key_value_pair& member : compact) {
    if (member.key().starts_with('$') || IsComponentValue(member.value())) continue;
    if (const json::value* entry = stored.if_contains(member.key())) {
      full.emplace(member.key(), *entry);
    } else {
      full.emplace(member.key(), json::object{{kPropertyLastUpdateTime, *twin_time}});
    }
  }
  // Entries for members the twin no longer has are kept as they were (none are expected).
  for (const json::key_value_pair& entry : stored) {
    if (!full.contains(entry.key())) full.emplace(entry.key(), entry.value());
  }
  *metadata = std::move(full);
  return document;
}

namespace {

// $metadata as ExpandTwinDocument rebuilds it: system entries, then one entry per property in
// property order (stored, or re-created from the twin's time), then stored leftovers.
void AppendExpandedMetadata(const json::object& compact, const json::object& stored,
                            const json::string& twin_time, std::string& out) {
  bool first = true;
  auto member = [&](std::string_view key) {
    out += first ? "" : ",";
    first = false;
    AppendJsonString(key, out);
    out += ':';
  };
  out += '{';
  for (const json::key_value_pair& entry : stored) {
    if (!entry.key().starts_with('$')) continue;
    member(entry.key());
    AppendJson(entry.value(), out);
  }
  for (const json::key_value_pair& property : compact) {
    if (property.key().starts_with('$') || IsComponentValue(property.value())) continue;
    member(property.key());
    if (const json::value* entry = stored.if_contains(property.key())) {
      AppendJson(*entry, out);
    } else {
      out += "{\"lastUpdateTime\":";
      AppendJsonString(twin_time, out);
      out += '}';
    }
  }
  for (const json::key_value_pair& entry : stored) {
    if (entry.key().starts_with('$')) continue;
    const json::value* property = compact.if_contains(entry.key());
    if (property != nullptr && !IsComponentValue(*property)) continue;  // written above
    member(entry.key());
    AppendJson(entry.value(), out);
  }
  out += '}';
}

}  // namespace

void AppendExpandedTwinJson(const json::object& compact, std::string& out) {
  const json::value* metadata = compact.if_contains(kMetadata);
  const json::string* twin_time =
      metadata != nullptr && metadata->is_object() ? TwinTime(metadata->get_object()) : nullptr;
  if (twin_time == nullptr) {
    AppendJson(compact, out);  // nothing was compacted
    return;
  }
  out += '{';
  bool first = true;
  for (const json::key_value_pair& member : compact) {
    out += first ? "" : ",";
    first = false;
    AppendJsonString(member.key(), out);
    out += ':';
    if (&member.value() == metadata) {
      AppendExpandedMetadata(compact, metadata->get_object(), *twin_time, out);
    } else {
      AppendJson(member.value(), out);
    }
  }
  out += '}';
}

json::object RelationshipProperties(const json::object& document) {
  json::object properties;
  for (const json::key_value_pair& member : document) {
    if (!member.key().starts_with('$')) properties.emplace(member.key(), member.value());
  }
  return properties;
}

json::object BuildRelationshipDocument(std::string_view id, std::string_view etag,
                                       std::string_view source_id, std::string_view target_id,
                                       std::string_view name, const json::object& properties) {
  json::object document;
  document["$relationshipId"] = id;
  document["$etag"] = etag;
  document["$sourceId"] = source_id;
  document["$targetId"] = target_id;
  document["$relationshipName"] = name;
  for (const json::key_value_pair& member : properties) {
    if (!member.key().starts_with('$')) document[member.key()] = member.value();
  }
  return document;
}

json::object RelationshipDocument(const Relationship& relationship) {
  return BuildRelationshipDocument(relationship.id, relationship.etag, relationship.source_id,
                                   relationship.target_id, relationship.name,
                                   relationship.document);
}

}  // namespace dtwin::graph
