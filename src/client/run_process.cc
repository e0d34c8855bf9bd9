// RunProcess with posix_spawnp and two pipes read together with poll (see run_process.h).
#include "client/run_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "dtwin/client/errors.h"

extern char** environ;

namespace dtwin::client {
namespace {

// How often the wait for output looks at the deadline and the cancellation flag.
constexpr std::chrono::milliseconds kPollInterval{20};

class Pipe {
 public:
  Pipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) {
      throw DigitalTwinsError(0, kAuthenticationError,
                              std::string("cannot create a pipe: ") + std::strerror(errno), "");
    }
  }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void CloseRead() { Close(fds_[0]); }
  void CloseWrite() { Close(fds_[1]); }

 private:
  static void Close(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  int fds_[2] = {-1, -1};
};

void KillAndReap(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace

std::optional<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                        std::chrono::milliseconds timeout,
                                        const CallContext& context) {
  Pipe out;
  Pipe err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end(), STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error == ENOENT) return std::nullopt;
  if (spawn_error != 0) {
    throw DigitalTwinsError(0, kAuthenticationError,
                            "cannot run " + argv[0] + ": " + std::strerror(spawn_error), "");
  }
  out.CloseWrite();
  err.CloseWrite();

  auto deadline = CallContext::Clock::now() + timeout;
  if (context.deadline()) deadline = std::min(deadline, *context.deadline());
  ProcessResult result;
  pollfd fds[2] = {{out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}};
  std::string* sinks[2] = {&result.standard_output, &result.standard_error};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (context.cancelled() || CallContext::Clock::now() >= deadline) {
      KillAndReap(pid);
      bool cancelled = context.cancelled();
      throw DigitalTwinsError(0, cancelled ? kCancelledError : kTimeoutError,
                              argv[0] + (cancelled ? " was cancelled" : " timed out"), "");
    }
    if (poll(fds, 2, static_cast<int>(kPollInterval.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[4096];
      ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
      if (n > 0) {
        sinks[i]->append(chunk, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // end of output (the Pipe closes the descriptor)
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace dtwin::client
