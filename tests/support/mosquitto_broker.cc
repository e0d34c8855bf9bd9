// MosquittoBroker and MqttSubscriber.
#include "mosquitto_broker.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <utility>

extern char** environ;

namespace dtwin::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool CanConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return connected;
}

fs::path MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "dtwin_mqtt_XXXXXX").string();
  return ::mkdtemp(pattern.data()) != nullptr ? fs::path(pattern) : fs::path();
}

MosquittoBroker::MosquittoBroker(fs::path dir, std::string listeners)
    : dir_(std::move(dir)), listeners_(std::move(listeners)) {}

bool MosquittoBroker::Start(int wait_port) {
  fs::path config = dir_ / "mosquitto.conf";
  // Started as root, mosquitto would switch to user "mosquitto", who cannot read our
  // private temp dir; naming the current user keeps it (ignored when not root).
  const passwd* user = ::getpwuid(::geteuid());
  std::ofstream(config) << "persistence false\n"
                        << "user " << (user != nullptr ? user->pw_name : "root") << "\n"
                        << "log_dest file " << (dir_ / "broker.log").string() << "\n"
                        // Tests publish bursts (thousands of QoS 1 events in milliseconds) that
                        // their subscriber reads slower: keep every one queued for it rather
                        // than drop those past the default 1,000.
                        << "max_queued_messages 0\n"
                        << listeners_;
  std::vector<std::string> args = {kBrokerBinary, "-c", config.string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Its own output (start-up warnings) goes to a file, next to the log, not the test's.
  std::string output = (dir_ / "broker.out").string();
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0600);
  ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int spawned = ::posix_spawn(&pid_, kBrokerBinary, &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = 0;
    return false;
  }
  for (auto give_up = std::chrono::steady_clock::now() + 10s;
       std::chrono::steady_clock::now() < give_up; std::this_thread::sleep_for(20ms)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return false;
    }
    if (CanConnect(wait_port)) return true;
  }
  return false;
}

void MosquittoBroker::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
}

std::string MosquittoBroker::Log() const {
  std::string text;
  for (const char* name : {"broker.log", "broker.out"}) {
    std::ifstream in(dir_ / name);
    text.append(std::istreambuf_iterator<char>(in), {});
  }
  return text;
}

MqttSubscriber::MqttSubscriber(int port) {
  mosquitto_lib_init();
  client_ = mosquitto_new(nullptr, true, this);
  mosquitto_message_callback_set(client_, &MqttSubscriber::OnMessage);
  mosquitto_subscribe_callback_set(client_, &MqttSubscriber::OnSubscribe);
  ok_ = mosquitto_connect(client_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS &&
        mosquitto_loop_start(client_) == MOSQ_ERR_SUCCESS &&
        mosquitto_subscribe(client_, nullptr, "#", 1) == MOSQ_ERR_SUCCESS;
  std::unique_lock lock(mu_);
  ok_ = ok_ && changed_.wait_for(lock, 5s, [this] { return subscribed_; });
}

MqttSubscriber::~MqttSubscriber() {
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, true);
  mosquitto_destroy(client_);
}

std::vector<MqttMessage> MqttSubscriber::WaitFor(size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
  return messages_;
}

void MqttSubscriber::OnMessage(mosquitto*, void* self, const mosquitto_message* message) {
  auto* subscriber = static_cast<MqttSubscriber*>(self);
  std::lock_guard lock(subscriber->mu_);
  subscriber->messages_.push_back(
      {message->topic,
       std::string(static_cast<const char*>(message->payload), message->payloadlen)});
  subscriber->changed_.notify_all();
}

void MqttSubscriber::OnSubscribe(mosquitto*, void* self, int, int, const int*) {
  auto* subscriber = static_cast<MqttSubscriber*>(self);
  std::lock_guard lock(subscriber->mu_);
  subscriber->subscribed_ = true;
  subscriber->changed_.notify_all();
}

}  // namespace dtwin::testing
