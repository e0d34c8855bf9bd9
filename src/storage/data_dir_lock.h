// Exclusive ownership of a data directory for the lifetime of one store: flock() on
// <data_dir>/LOCK, which also holds the owner's pid for the error message others get.
// Immutable after construction; safe to destroy from any thread.
#pragma once

#include <string>
#include <utility>

#include "common/status.h"

namespace dtwin::storage {

class DataDirLock {
 public:
  // Creates dir if missing and locks it. kServiceUnavailable when the directory cannot be
  // created or locked, or when another store (in this process or another) holds it.
  static Result<DataDirLock> Acquire(const std::string& dir);

  DataDirLock(DataDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}

  int fd_;  // closing it releases the lock; -1 once moved from
};

}  // namespace dtwin::storage
