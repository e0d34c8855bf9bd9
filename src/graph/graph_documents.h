// What the in-memory graph keeps of twin and relationship documents, and how the full ADT
// documents are rebuilt from it; the store and every reader still see the full documents.
//
// Twins: a property's $metadata entry that only repeats the twin's own
// $metadata.$lastUpdateTime ({"lastUpdateTime": <same time>}) is dropped when a twin is put in
// the graph, and re-created when it is read. After a PUT that is every entry, and each one
// costs ~250 bytes of small allocations, a third of a typical twin's memory. The store and
// every reader still see the full ADT document.
// Relationships: only the properties; the $-fields live in graph::Relationship's members.
// Stateless; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "graph/twin_graph.h"

namespace dtwin::graph {

// The document as the graph keeps it.
boost::json::object CompactTwinDocument(boost::json::object document);

// The full ADT document of a twin the graph keeps: per-property entries re-created, in the
// order of the properties, for every property member (a member whose value is an object
// holding "$metadata" is a component, which carries its own metadata).
boost::json::object ExpandTwinDocument(const boost::json::object& compact);

// The same document written straight to JSON text, without building it: byte for byte what
// AppendJson(ExpandTwinDocument(compact)) writes, at a fraction of the cost (no copy).
void AppendExpandedTwinJson(const boost::json::object& compact, std::string& out);

// A relationship document's own properties (its non-$ members).
boost::json::object RelationshipProperties(const boost::json::object& document);

// The document ADT serves for a relationship: the five system members ($relationshipId,
// $etag, $sourceId, $targetId, $relationshipName), then the non-$ members of properties.
boost::json::object BuildRelationshipDocument(std::string_view id, std::string_view etag,
                                              std::string_view source_id,
                                              std::string_view target_id, std::string_view name,
                                              const boost::json::object& properties);

// The full ADT document of a relationship the graph keeps.
boost::json::object RelationshipDocument(const Relationship& relationship);

}  // namespace dtwin::graph
