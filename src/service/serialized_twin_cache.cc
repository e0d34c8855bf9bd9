// SerializedTwinCache: see the header.
#include "service/serialized_twin_cache.h"

namespace dtwin::service {

std::shared_ptr<const std::string> SerializedTwinCache::Find(std::string_view id,
                                                             std::string_view etag) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.etag != etag) return nullptr;
  return it->second.json;
}

void SerializedTwinCache::Insert(std::string_view id, std::string_view etag,
                                 std::shared_ptr<const std::string> json) {
  const size_t size = id.size() + etag.size() + json->size();
  if (size > max_bytes_) return;
  std::lock_guard lock(mu_);
  if (bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  auto it = entries_.find(id);
  if (it != entries_.end()) {
    bytes_ -= it->first.size() + it->second.etag.size() + it->second.json->size();
    it->second = Entry{std::string(etag), std::move(json)};
  } else {
    entries_.emplace(std::string(id), Entry{std::string(etag), std::move(json)});
  }
  bytes_ += size;
}

}  // namespace dtwin::service
