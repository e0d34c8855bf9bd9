// A real mosquitto broker for tests (a child process with a generated config, started on a
// loopback port and stopped by PID) and a subscriber that collects what it receives. Each
// object is used by one test thread; the subscriber's callbacks run on libmosquitto's thread
// and are guarded by its mutex.
#pragma once

#include <mosquitto.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace dtwin::testing {

inline constexpr const char* kBrokerBinary = "/usr/sbin/mosquitto";
inline constexpr const char* kMissingBroker =
    "mosquitto broker not installed (/usr/sbin/mosquitto; Debian package mosquitto)";

// A loopback port nobody listens on right now.
int FreeLoopbackPort();
// Whether 127.0.0.1:port accepts a TCP connection.
bool CanConnect(int port);
// A fresh private directory under the system's temp directory ("" when it cannot be made).
std::filesystem::path MakeTempDir();

// A mosquitto child process with a generated config, stopped by PID (SIGTERM, then wait).
class MosquittoBroker {
 public:
  // listeners: the config's listener lines and options (e.g. "listener 1883 127.0.0.1\n").
  MosquittoBroker(std::filesystem::path dir, std::string listeners);
  ~MosquittoBroker() { Stop(); }
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  // Starts it and waits (up to 10 s) until wait_port accepts connections.
  bool Start(int wait_port);
  void Stop();
  // Its log, then its own output (where it reports a bad config).
  std::string Log() const;

 private:
  std::filesystem::path dir_;
  std::string listeners_;
  pid_t pid_ = 0;
};

struct MqttMessage {
  std::string topic;
  std::string payload;
};

// Subscribes to every topic with QoS 1 (libmosquitto's own thread) and collects messages.
class MqttSubscriber {
 public:
  explicit MqttSubscriber(int port);
  ~MqttSubscriber();
  MqttSubscriber(const MqttSubscriber&) = delete;
  MqttSubscriber& operator=(const MqttSubscriber&) = delete;

  bool ok() const { return ok_; }

  // The messages once count have arrived (or what arrived within the timeout).
  std::vector<MqttMessage> WaitFor(size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  static void OnMessage(mosquitto*, void* self, const mosquitto_message* message);
  static void OnSubscribe(mosquitto*, void* self, int, int, const int*);

  mosquitto* client_ = nullptr;
  bool ok_ = false;
  std::mutex mu_;
  std::condition_variable changed_;
  bool subscribed_ = false;            // guarded by mu_
  std::vector<MqttMessage> messages_;  // guarded by mu_
};

}  // namespace dtwin::testing
