// The in-memory twin graph: twins, relationships with outgoing and incoming adjacency, and an
// index of twins by model. Not thread-safe: the service guards it with its instance lock
// (writers exclusive, readers shared); const methods may run concurrently with each other.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dtwin::graph {

// A digital twin as stored and served: document is the full ADT twin JSON ($dtId, $etag,
// properties, components, $metadata with $model and timestamps). The graph keeps a document
// with the memory resource it was built with (moved, never copied), so that resource must
// live as long as the document: the default one or a shared one (make_shared_resource), never
// a request-scoped one. The same holds for Relationship::document.
struct Twin {
  std::string id;
  std::string model_id;
  std::string etag;  // W/"<uuid>", same as document["$etag"]
  boost::json::object document;
};

// A relationship: its identity fields, and document, the relationship's JSON (the service
// keeps only the properties there and rebuilds the $-fields from these members).
struct Relationship {
  std::string id;
  std::string source_id;
  std::string target_id;
  std::string name;
  std::string etag;
  boost::json::object document;
};

class TwinGraph {
 public:
  TwinGraph();
  ~TwinGraph();
  TwinGraph(const TwinGraph&) = delete;
  TwinGraph& operator=(const TwinGraph&) = delete;

  // nullptr when absent. Pointers stay valid until that twin is replaced or erased.
  const Twin* FindTwin(std::string_view id) const;
  // Inserts or replaces the twin with this id; keeps the model index current.
  void UpsertTwin(Twin twin);
  // Erases the twin. The service removes its relationships first (ADT's rule); any still
  // attached in either direction are erased with it, so nothing dangles. Returns false when
  // absent.
  bool EraseTwin(std::string_view id);

  // Relationship ids are unique per source twin. nullptr when absent. Pointers stay valid
  // until that relationship is replaced or erased.
  const Relationship* FindRelationship(std::string_view source_id,
                                       std::string_view relationship_id) const;
  // Inserts or replaces; both endpoints' adjacency lists are kept current (a replaced
  // relationship may change its target). Returns false, changing nothing, when the source or
  // target twin is absent (the service checks both first and reports which).
  bool UpsertRelationship(Relationship relationship);
  bool EraseRelationship(std::string_view source_id, std::string_view relationship_id);

  // Relationships leaving source_id, ordered by relationship id (stable for paging); empty
  // when the twin is absent.
  std::vector<const Relationship*> Outgoing(std::string_view source_id) const;
  // Relationships arriving at target_id, ordered by (source id, relationship id).
  std::vector<const Relationship*> Incoming(std::string_view target_id) const;
  // 0 when the twin is absent.
  size_t OutgoingCount(std::string_view twin_id) const;
  size_t IncomingCount(std::string_view twin_id) const;

  // Ids of the twins whose $model is exactly model_id (no inheritance), in id order.
  std::vector<std::string_view> TwinsOfModel(std::string_view model_id) const;
  size_t TwinCountOfModel(std::string_view model_id) const;

  // Twins in id order (byte-wise), starting at the first id >= from, until fn returns false:
  // queries page through these in a order that stays stable while twins come and go.
  void ScanTwins(std::string_view from, const std::function<bool(const Twin&)>& fn) const;
  // The same over the twins whose $model is exactly one of model_ids (merged in id order).
  void ScanTwinsOfModels(const std::vector<std::string>& model_ids, std::string_view from,
                         const std::function<bool(const Twin&)>& fn) const;

  // Every twin, in no particular order; fn must not modify the graph.
  void ForEachTwin(const std::function<void(const Twin&)>& fn) const;
  // Every relationship, in no particular order.
  void ForEachRelationship(const std::function<void(const Relationship&)>& fn) const;

  size_t twin_count() const;
  size_t relationship_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A new weak etag, W/"<random UUID v4>". Thread-safe.
std::string NewEtag();

}  // namespace dtwin::graph
