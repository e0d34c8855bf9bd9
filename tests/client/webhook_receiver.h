// WebhookReceiver: a FakeHttpServer acting as the receiver of a dtwin webhook endpoint for
// end-to-end tests: it allows the CloudEvents validation handshake (OPTIONS) and answers every
// event with a status the test can change; and Eventually, to wait for asynchronous delivery.
// Thread-safe: the test changes the status while the server's threads answer.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fake_http_server.h"

namespace dtwin::client::testing {

// Polls until pred() holds; false after 30 s (a hang guard, not a performance bound).
template <typename Pred>
bool Eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

class WebhookReceiver {
 public:
  explicit WebhookReceiver(int event_status) : event_status_(event_status) {
    server_.SetHandler([this](const RecordedRequest& request) {
      ScriptedResponse response;
      if (request.method == "OPTIONS") {
        response.headers = {{"WebHook-Allowed-Origin", "*"}};
      } else {
        response.status = event_status_.load();
      }
      return response;
    });
  }

  // The status later events get (e.g. 400 to reject them, 200 to accept them).
  void SetEventStatus(int status) { event_status_ = status; }

  // "http://user:password@127.0.0.1:PORT/events": a webhook URL with a secret in it.
  std::string UrlWithPassword(const std::string& password) const {
    return "http://user:" + password + "@127.0.0.1:" + std::to_string(server_.port()) + "/events";
  }
  int port() const { return server_.port(); }

  // The events posted so far, in arrival order (the handshake left out).
  std::vector<boost::json::object> PostedEvents() const {
    std::vector<boost::json::object> events;
    for (const RecordedRequest& request : server_.Requests()) {
      if (request.method == "POST") events.push_back(boost::json::parse(request.body).as_object());
    }
    return events;
  }

 private:
  std::atomic<int> event_status_;  // before server_, whose threads read it
  FakeHttpServer server_;
};

}  // namespace dtwin::client::testing
