#include "storage/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace dtwin::storage {
namespace {

constexpr char kLockFileName[] = "LOCK";

Status Unavailable(std::string message) {
  return Status(ErrorCode::kServiceUnavailable, std::move(message));
}

std::string ErrnoText(int error) { return std::strerror(error); }

// The pid the holder wrote, or "unknown" when it has not written it yet (it writes right
// after locking) or the file is unreadable.
std::string ReadHolderPid(int fd) {
  char buffer[32];
  ssize_t size = pread(fd, buffer, sizeof(buffer) - 1, 0);
  std::string_view text(buffer, size > 0 ? static_cast<size_t>(size) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return text.empty() ? "unknown" : std::string(text);
}

}  // namespace

Result<DataDirLock> DataDirLock::Acquire(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    return Unavailable("cannot create data directory " + dir + ": " +
                       (error ? error.message() : "it exists and is not a directory"));
  }
  std::string path = (std::filesystem::path(dir) / kLockFileName).string();
  // O_CLOEXEC: a child process must not inherit (and so keep) the lock.
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Unavailable("cannot open lock file " + path + ": " + ErrnoText(errno));
  // flock locks belong to the open file description, so a second open of the same
  // directory in this process conflicts too.
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int flock_error = errno;
    std::string message = flock_error == EWOULDBLOCK
                              ? "data directory " + dir +
                                    " is in use by another dtwin server (pid " + ReadHolderPid(fd) +
                                    ")"
                              : "cannot lock " + path + ": " + ErrnoText(flock_error);
    close(fd);
    return Unavailable(std::move(message));
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    int write_error = errno;
    close(fd);
    return Unavailable("cannot write lock file " + path + ": " + ErrnoText(write_error));
  }
  return DataDirLock(fd);
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace dtwin::storage
