// DtwinServerProcess: a `dtwin serve` child process for end-to-end tests (server, client, CLI,
// samples). It listens on 127.0.0.1:0 with its own temporary data directory, and is stopped by
// PID. Not thread-safe: one owner.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace dtwin::testing {

class DtwinServerProcess {
 public:
  // Makes the process's temporary directory (data directory and stderr log live there).
  DtwinServerProcess();
  // Kills the server (SIGKILL) if it still runs and removes the temporary directory.
  ~DtwinServerProcess();
  DtwinServerProcess(const DtwinServerProcess&) = delete;
  DtwinServerProcess& operator=(const DtwinServerProcess&) = delete;

  // Starts `dtwin serve --listen 127.0.0.1:0 --data-dir DIR extra_args...` and waits up to
  // 30 s for "dtwin listening on URL". DIR is data_dir, or a fresh one inside the temporary
  // directory when empty (pass one to restart on the same data, or to share it). Returns
  // false when the server ended or hung first; Stderr() tells why.
  bool Start(const std::vector<std::string>& extra_args = {},
             const std::filesystem::path& data_dir = {});

  // Starts `dtwin serve args...` exactly as given (for tests of flags and usage errors) and
  // waits for the first stdout line or the end of the process, like Start.
  bool StartWithArgs(const std::vector<std::string>& args);

  // "http://127.0.0.1:PORT" (or https), the first listener of the listening line; empty
  // before a good start. first_line() has them all.
  const std::string& url() const { return url_; }
  int port() const { return port_; }
  // The first line the server printed ("" when it exited without printing one).
  const std::string& first_line() const { return first_line_; }
  // The data directory Start used.
  const std::filesystem::path& data_dir() const { return data_dir_; }
  bool running() const { return pid_ > 0; }

  // SIGTERM, then waits; returns the exit code (-1 when it did not exit normally).
  int Stop();
  // SIGKILL, as a crash or an OOM kill ends it (nothing flushed, no shutdown), then waits.
  void Kill();
  // Waits for the process to end by itself; returns the exit code as Stop does.
  int Wait();

  // What the server wrote to stderr so far (its request log and errors).
  std::string Stderr() const;

 private:
  std::string ReadLine();

  std::filesystem::path temp_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string first_line_;
  std::string url_;
  int port_ = 0;
};

}  // namespace dtwin::testing
