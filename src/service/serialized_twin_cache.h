// A bounded cache of twins serialized as JSON, keyed by twin id and etag: GETs of unchanged
// twins skip serialization. An entry is valid only for the etag it was made from, and every
// write gives a twin a new etag, so writes never need to invalidate anything. When the cache
// exceeds its byte budget it is emptied (simple, and rare at a sensible budget).
// Thread-safe (one internal mutex).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dtwin::service {

class SerializedTwinCache {
 public:
  explicit SerializedTwinCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The JSON of twin id at etag, or nullptr.
  std::shared_ptr<const std::string> Find(std::string_view id, std::string_view etag) const;

  void Insert(std::string_view id, std::string_view etag, std::shared_ptr<const std::string> json);

 private:
  struct Entry {
    std::string etag;
    std::shared_ptr<const std::string> json;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  const size_t max_bytes_;  // immutable after construction

  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;  // guarded by mu_
  size_t bytes_ = 0;                                                       // guarded by mu_
};

}  // namespace dtwin::service
