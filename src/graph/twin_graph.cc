// The in-memory twin graph: one hash-map node per twin holding the twin, the relationships it
// owns (outgoing) and pointers to those arriving at it (incoming); plus two ordered indexes of
// the nodes, by id and by (model, id), for queries that page in id order. Not thread-safe;
// const methods only read (see the header).
#include "graph/twin_graph.h"

#include <algorithm>
#include <memory>
#include <set>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace dtwin::graph {

namespace {

// Lets the model index be searched with a string_view without building a std::string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using OutgoingList = std::vector<std::unique_ptr<Relationship>>;

// First relationship in outgoing whose id is not less than id; works on const and mutable lists.
template <typename List>
auto OutgoingLowerBound(List& outgoing, std::string_view id) {
  return std::lower_bound(
      outgoing.begin(), outgoing.end(), id,
      [](const std::unique_ptr<Relationship>& r, std::string_view key) {
        return std::string_view(r->id) < key;
      });
}

// The relationship with exactly this id, or outgoing.end().
template <typename List>
auto FindOutgoing(List& outgoing, std::string_view id) {
  auto it = OutgoingLowerBound(outgoing, id);
  return it != outgoing.end() && (*it)->id == id ? it : outgoing.end();
}

// Replaces stored with value by reconstruction, not assignment: boost::json move-assignment
// deep-copies a document whose memory resource differs from the target's, while move
// construction adopts the caller's resource (e.g. a compact per-document arena).
template <typename T>
void Reconstruct(T& stored, T&& value) {
  static_assert(std::is_nothrow_move_constructible_v<T>);
  std::destroy_at(&stored);
  std::construct_at(&stored, std::move(value));
}

bool IncomingLess(const Relationship* a, const Relationship* b) {
  return std::tie(a->source_id, a->id) < std::tie(b->source_id, b->id);
}

}  // namespace

struct TwinGraph::Impl {
  struct Node {
    Twin twin;
    // Owned and sorted by id; unique_ptr so handed-out pointers survive vector growth.
    OutgoingList outgoing;
    // Sorted by (source_id, id); each points into its source node's outgoing list. A pointer
    // (8 bytes) rather than a copy of both ids: a relationship's source and id never change.
    std::vector<const Relationship*> incoming;
  };
  // Orders nodes by twin id; transparent, so a set of nodes can be searched by id.
  struct NodeIdLess {
    using is_transparent = void;
    bool operator()(const Node* a, const Node* b) const { return a->twin.id < b->twin.id; }
    bool operator()(const Node* a, std::string_view b) const { return a->twin.id < b; }
    bool operator()(std::string_view a, const Node* b) const { return a < b->twin.id; }
  };
  // Node addresses are stable (unordered_map nodes never move), and a node's id never changes,
  // so these sets stay ordered while twins are replaced in place.
  using OrderedNodes = std::set<const Node*, NodeIdLess>;
  // The key views the node's own twin.id (no second copy of every id); StoreTwin re-points it
  // whenever a new Twin moves into the node.
  using TwinMap = std::unordered_map<std::string_view, Node>;

  TwinMap twins;
  OrderedNodes twins_by_id;
  // Model id -> its twins in id order. Empty entries are dropped.
  std::unordered_map<std::string, OrderedNodes, StringHash, std::equal_to<>> model_index;
  size_t relationship_count = 0;

  Node* FindNode(std::string_view id) {
    auto it = twins.find(id);
    return it == twins.end() ? nullptr : &it->second;
  }
  const Node* FindNode(std::string_view id) const {
    auto it = twins.find(id);
    return it == twins.end() ? nullptr : &it->second;
  }

  // Moves twin into the node at it and re-points the key at the moved id. The node handle keeps
  // the element in place, so pointers to the node stay valid.
  void StoreTwin(TwinMap::iterator it, Twin twin) {
    auto handle = twins.extract(it);
    Reconstruct(handle.mapped().twin, std::move(twin));
    handle.key() = handle.mapped().twin.id;
    twins.insert(std::move(handle));
  }

  void AddToModelIndex(Node& node) {
    auto it = model_index.find(std::string_view(node.twin.model_id));
    if (it == model_index.end()) it = model_index.try_emplace(node.twin.model_id).first;
    it->second.insert(&node);
  }

  void RemoveFromModelIndex(Node& node) {
    auto it = model_index.find(std::string_view(node.twin.model_id));
    it->second.erase(&node);
    if (it->second.empty()) model_index.erase(it);
  }

  // Calls fn on nodes' twins in id order from the first id >= from, until fn returns false.
  static void Scan(const OrderedNodes& nodes, std::string_view from,
                   const std::function<bool(const Twin&)>& fn) {
    for (auto it = nodes.lower_bound(from); it != nodes.end(); ++it) {
      if (!fn((*it)->twin)) return;
    }
  }

  static void AddIncoming(Node& target, const Relationship* relationship) {
    auto pos = std::upper_bound(target.incoming.begin(), target.incoming.end(), relationship,
                                IncomingLess);
    target.incoming.insert(pos, relationship);
  }

  static void RemoveIncoming(Node& target, const Relationship* relationship) {
    auto pos = std::lower_bound(target.incoming.begin(), target.incoming.end(), relationship,
                                IncomingLess);
    target.incoming.erase(pos);
  }
};

TwinGraph::TwinGraph() : impl_(std::make_unique<Impl>()) {}
TwinGraph::~TwinGraph() = default;

const Twin* TwinGraph::FindTwin(std::string_view id) const {
  const Impl::Node* node = impl_->FindNode(id);
  return node == nullptr ? nullptr : &node->twin;
}

void TwinGraph::UpsertTwin(Twin twin) {
  auto it = impl_->twins.find(twin.id);
  if (it == impl_->twins.end()) {
    it = impl_->twins.try_emplace(twin.id).first;
    Impl::Node& node = it->second;
    impl_->StoreTwin(it, std::move(twin));
    impl_->twins_by_id.insert(&node);
    impl_->AddToModelIndex(node);
    return;
  }
  Impl::Node& node = it->second;
  const bool model_changed = node.twin.model_id != twin.model_id;
  if (model_changed) impl_->RemoveFromModelIndex(node);
  impl_->StoreTwin(it, std::move(twin));
  if (model_changed) impl_->AddToModelIndex(node);
}

bool TwinGraph::EraseTwin(std::string_view id) {
  auto it = impl_->twins.find(id);
  if (it == impl_->twins.end()) return false;
  Impl::Node& node = it->second;
  // A self-relationship is in both lists of this node and goes with it; others are unlinked
  // from the twin at their other end.
  for (const std::unique_ptr<Relationship>& relationship : node.outgoing) {
    if (relationship->target_id == id) continue;
    Impl::RemoveIncoming(*impl_->FindNode(relationship->target_id), relationship.get());
  }
  size_t erased = node.outgoing.size();
  for (const Relationship* relationship : node.incoming) {
    if (relationship->source_id == id) continue;
    Impl::Node& source = *impl_->FindNode(relationship->source_id);
    source.outgoing.erase(FindOutgoing(source.outgoing, relationship->id));
    ++erased;
  }
  impl_->relationship_count -= erased;
  impl_->RemoveFromModelIndex(node);
  impl_->twins_by_id.erase(&node);
  impl_->twins.erase(it);
  return true;
}

const Relationship* TwinGraph::FindRelationship(std::string_view source_id,
                                                std::string_view relationship_id) const {
  const Impl::Node* node = impl_->FindNode(source_id);
  if (node == nullptr) return nullptr;
  auto it = FindOutgoing(node->outgoing, relationship_id);
  return it == node->outgoing.end() ? nullptr : it->get();
}

bool TwinGraph::UpsertRelationship(Relationship relationship) {
  Impl::Node* source = impl_->FindNode(relationship.source_id);
  Impl::Node* target = impl_->FindNode(relationship.target_id);
  if (source == nullptr || target == nullptr) return false;
  auto pos = OutgoingLowerBound(source->outgoing, relationship.id);
  if (pos == source->outgoing.end() || (*pos)->id != relationship.id) {
    pos = source->outgoing.insert(pos, std::make_unique<Relationship>(std::move(relationship)));
    Impl::AddIncoming(*target, pos->get());
    ++impl_->relationship_count;
    return true;
  }
  Relationship& existing = **pos;
  // Same source and id, so the incoming entry's sort key is unchanged; only a new target moves
  // it to another list.
  if (existing.target_id == relationship.target_id) {
    Reconstruct(existing, std::move(relationship));
    return true;
  }
  Impl::RemoveIncoming(*impl_->FindNode(existing.target_id), &existing);
  Reconstruct(existing, std::move(relationship));
  Impl::AddIncoming(*target, &existing);
  return true;
}

bool TwinGraph::EraseRelationship(std::string_view source_id, std::string_view relationship_id) {
  Impl::Node* source = impl_->FindNode(source_id);
  if (source == nullptr) return false;
  auto it = FindOutgoing(source->outgoing, relationship_id);
  if (it == source->outgoing.end()) return false;
  Impl::RemoveIncoming(*impl_->FindNode((*it)->target_id), it->get());
  source->outgoing.erase(it);
  --impl_->relationship_count;
  return true;
}

std::vector<const Relationship*> TwinGraph::Outgoing(std::string_view source_id) const {
  std::vector<const Relationship*> result;
  const Impl::Node* node = impl_->FindNode(source_id);
  if (node == nullptr) return result;
  result.reserve(node->outgoing.size());
  for (const std::unique_ptr<Relationship>& relationship : node->outgoing) {
    result.push_back(relationship.get());
  }
  return result;
}

std::vector<const Relationship*> TwinGraph::Incoming(std::string_view target_id) const {
  const Impl::Node* node = impl_->FindNode(target_id);
  return node == nullptr ? std::vector<const Relationship*>() : node->incoming;
}

size_t TwinGraph::OutgoingCount(std::string_view twin_id) const {
  const Impl::Node* node = impl_->FindNode(twin_id);
  return node == nullptr ? 0 : node->outgoing.size();
}

size_t TwinGraph::IncomingCount(std::string_view twin_id) const {
  const Impl::Node* node = impl_->FindNode(twin_id);
  return node == nullptr ? 0 : node->incoming.size();
}

std::vector<std::string_view> TwinGraph::TwinsOfModel(std::string_view model_id) const {
  std::vector<std::string_view> ids;
  auto it = impl_->model_index.find(model_id);
  if (it == impl_->model_index.end()) return ids;
  ids.reserve(it->second.size());
  for (const Impl::Node* node : it->second) ids.push_back(node->twin.id);
  return ids;
}

void TwinGraph::ScanTwins(std::string_view from,
                          const std::function<bool(const Twin&)>& fn) const {
  Impl::Scan(impl_->twins_by_id, from, fn);
}

void TwinGraph::ScanTwinsOfModels(const std::vector<std::string>& model_ids,
                                  std::string_view from,
                                  const std::function<bool(const Twin&)>& fn) const {
  // A k-way merge of the models' ordered sets: a min-heap of their cursors by current id.
  using Cursor = std::pair<Impl::OrderedNodes::const_iterator, Impl::OrderedNodes::const_iterator>;
  std::vector<Cursor> cursors;
  for (const std::string& model_id : model_ids) {
    auto it = impl_->model_index.find(std::string_view(model_id));
    if (it == impl_->model_index.end()) continue;
    auto first = it->second.lower_bound(from);
    if (first != it->second.end()) cursors.emplace_back(first, it->second.end());
  }
  auto later = [](const Cursor& a, const Cursor& b) { return (*a.first)->twin.id > (*b.first)->twin.id; };
  std::make_heap(cursors.begin(), cursors.end(), later);
  while (!cursors.empty()) {
    std::pop_heap(cursors.begin(), cursors.end(), later);
    Cursor& next = cursors.back();
    if (!fn((*next.first)->twin)) return;
    if (++next.first == next.second) {
      cursors.pop_back();
    } else {
      std::push_heap(cursors.begin(), cursors.end(), later);
    }
  }
}

size_t TwinGraph::TwinCountOfModel(std::string_view model_id) const {
  auto it = impl_->model_index.find(model_id);
  return it == impl_->model_index.end() ? 0 : it->second.size();
}

void TwinGraph::ForEachTwin(const std::function<void(const Twin&)>& fn) const {
  for (const auto& [id, node] : impl_->twins) fn(node.twin);
}

void TwinGraph::ForEachRelationship(const std::function<void(const Relationship&)>& fn) const {
  for (const auto& [id, node] : impl_->twins) {
    for (const std::unique_ptr<Relationship>& relationship : node.outgoing) fn(*relationship);
  }
}

size_t TwinGraph::twin_count() const { return impl_->twins.size(); }

size_t TwinGraph::relationship_count() const { return impl_->relationship_count; }

}  // namespace dtwin::graph
