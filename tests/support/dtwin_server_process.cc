// DtwinServerProcess (see dtwin_server_process.h): posix_spawn with stdout on a pipe (for the
// listening line) and stderr in a file.
#include "dtwin_server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string_view>

extern char** environ;

namespace dtwin::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kListeningPrefix = "dtwin listening on ";
constexpr int kStartTimeoutMs = 30000;

}  // namespace

DtwinServerProcess::DtwinServerProcess() {
  std::string pattern = (fs::temp_directory_path() / "dtwin_server_XXXXXX").string();
  if (::mkdtemp(pattern.data()) != nullptr) temp_dir_ = pattern;
  stderr_path_ = temp_dir_ / "stderr.log";
}

DtwinServerProcess::~DtwinServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    Wait();
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  std::error_code ignored;
  if (!temp_dir_.empty()) fs::remove_all(temp_dir_, ignored);
}

bool DtwinServerProcess::Start(const std::vector<std::string>& extra_args,
                               const fs::path& data_dir) {
  data_dir_ = data_dir.empty() ? temp_dir_ / "data" : data_dir;
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--data-dir", data_dir_.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return StartWithArgs(args) && port_ > 0;
}

bool DtwinServerProcess::StartWithArgs(const std::vector<std::string>& args) {
  if (pid_ > 0 || temp_dir_.empty()) return false;
  if (out_fd_ >= 0) ::close(out_fd_);
  first_line_.clear();
  url_.clear();
  port_ = 0;

  int out_pipe[2];
  if (::pipe(out_pipe) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, out_pipe[1]);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::string binary = std::string(DTWIN_BINARY_DIR) + "/dtwin";
  std::vector<std::string> all = {binary, "serve"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  if (spawned != 0) {
    pid_ = -1;
    return false;
  }

  first_line_ = ReadLine();
  if (first_line_.rfind(kListeningPrefix, 0) == 0) {
    url_ = first_line_.substr(std::string_view(kListeningPrefix).size());
    // With several listeners ("http://... and https://...") the first is the one meant.
    url_ = url_.substr(0, url_.find(' '));
    size_t colon = url_.rfind(':');
    if (colon != std::string::npos) port_ = std::atoi(url_.c_str() + colon + 1);
  }
  return !first_line_.empty();
}

int DtwinServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return Wait();
}

void DtwinServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  Wait();
}

int DtwinServerProcess::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string DtwinServerProcess::Stderr() const {
  std::ifstream in(stderr_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string DtwinServerProcess::ReadLine() {
  std::string line;
  char c;
  while (true) {
    pollfd poll_fd{out_fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, kStartTimeoutMs) <= 0) return line;  // a hung start fails the test
    if (::read(out_fd_, &c, 1) != 1 || c == '\n') return line;
    line += c;
  }
}

}  // namespace dtwin::testing
