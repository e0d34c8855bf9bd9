// A minimal blocking HTTP/1.1 client over a loopback TCP socket, for tests that need exact
// bytes on the wire (pipelining, oversized headers, Expect: 100-continue, connection close).
// Not thread-safe; one per test.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dtwin::server::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  }
};

class RawHttpClient {
 public:
  RawHttpClient() = default;
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  // Connects to 127.0.0.1:port, from source_address when given (any 127.x.y.z works on
  // Linux loopback); every read gives up after 20 s so a bug cannot hang a test.
  bool Connect(int port, const char* source_address = nullptr);
  bool Send(const std::string& bytes);
  // Reads one response (Content-Length framed); nullopt when the connection closed first.
  std::optional<RawResponse> ReadResponse();
  // True when the server closed the connection (EOF or reset) with nothing more to read.
  bool PeerClosed();

 private:
  bool Fill();  // reads more bytes into buffer_; false on EOF or error

  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection to 127.0.0.1:port, with a bearer token (any: the test
// servers run --auth none), extra header lines ("Name: value") and a JSON body when given.
// Test expectations fail when the server does not answer.
RawResponse CallOnce(int port, const std::string& method, const std::string& target,
                     const std::string& body = "", const std::vector<std::string>& headers = {});

}  // namespace dtwin::server::testing
