// The scripted loopback HTTP server of the client tests (see fake_http_server.h): one thread
// accepts, one thread per connection serves requests in order on it (keep-alive).
#include "fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace dtwin::client::testing {
namespace {

constexpr std::chrono::milliseconds kPollInterval{20};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// One accepted connection, plain or TLS, with reads that give up when the server stops.
class Stream {
 public:
  Stream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~Stream() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    close(fd_);
  }

  // Appends what arrives to `buffer`; false on end of stream, error or server stop.
  bool ReadSome(std::string& buffer, const std::atomic<bool>& stopping) {
    while (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
      if (stopping.load()) return false;
      pollfd poll_fd{fd_, POLLIN, 0};
      int ready = poll(&poll_fd, 1, static_cast<int>(kPollInterval.count()));
      if (ready < 0) return false;
      if (ready > 0) break;
    }
    char chunk[16384];
    long n =
        ssl_ != nullptr ? SSL_read(ssl_, chunk, sizeof chunk) : recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      long n = ssl_ != nullptr ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                               : send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  int fd_;
  SSL* ssl_;
};

std::optional<std::string> FindHeader(const FakeHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

// Parses "METHOD target HTTP/1.1\r\nName: value\r\n..." (without the final blank line).
RecordedRequest ParseHead(std::string_view head) {
  RecordedRequest request;
  size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  size_t first = line.find(' ');
  size_t second = line.find(' ', first + 1);
  request.method = std::string(line.substr(0, first));
  request.target = std::string(line.substr(first + 1, second - first - 1));
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    line = head.substr(0, line_end);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return request;
}

}  // namespace

std::string RecordedRequest::Path() const { return target.substr(0, target.find('?')); }

std::optional<std::string> RecordedRequest::Query(std::string_view name) const {
  size_t question = target.find('?');
  if (question == std::string::npos) return std::nullopt;
  std::string_view query = std::string_view(target).substr(question + 1);
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    size_t equals = pair.find('=');
    if (PercentDecode(pair.substr(0, equals)) == name) {
      return equals == std::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::string> RecordedRequest::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

ScriptedResponse ScriptedResponse::Json(int status, std::string body) {
  return ScriptedResponse{status, {{"Content-Type", "application/json"}}, std::move(body)};
}

ScriptedResponse ScriptedResponse::WithHeader(int status, std::string name, std::string value) {
  return ScriptedResponse{status, {{std::move(name), std::move(value)}}, ""};
}

ScriptedResponse ScriptedResponse::Drop() {
  ScriptedResponse response;
  response.drop_connection = true;
  return response;
}

ScriptedResponse ScriptedResponse::Token(const std::string& access_token, int expires_in) {
  return Json(200, R"({"token_type":"Bearer","expires_in":)" + std::to_string(expires_in) +
                       R"(,"access_token":")" + access_token + R"("})");
}

struct FakeHttpServer::Tls {
  SSL_CTX* context = nullptr;
  ~Tls() { SSL_CTX_free(context); }
};

FakeHttpServer::FakeHttpServer(int port, std::optional<FakeTlsOptions> tls) {
  if (tls) {
    tls_ = std::make_unique<Tls>();
    tls_->context = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(tls_->context, tls->cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls_->context, tls->key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("FakeHttpServer: cannot load " + tls->cert_file + " / " +
                               tls->key_file);
    }
  }
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listen_fd_, 64) != 0) {
    close(listen_fd_);
    throw std::runtime_error("FakeHttpServer: cannot listen on port " + std::to_string(port));
  }
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  acceptor_.join();
  close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();
}

std::string FakeHttpServer::Url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void FakeHttpServer::Enqueue(ScriptedResponse response) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(response));
}

void FakeHttpServer::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> FakeHttpServer::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd poll_fd{listen_fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(kPollInterval.count())) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int connection = ++connections_;
    std::lock_guard lock(mu_);
    workers_.emplace_back([this, fd, connection] { Serve(fd, connection); });
  }
}

ScriptedResponse FakeHttpServer::Answer(const RecordedRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      ScriptedResponse response = std::move(queue_.front());
      queue_.pop_front();
      return response;
    }
    handler = handler_;
  }
  if (handler) return handler(request);
  return ScriptedResponse::Json(404, R"({"error":{"code":"NotScripted","message":"no response"}})");
}

void FakeHttpServer::Serve(int fd, int connection) {
  SSL* ssl = nullptr;
  if (tls_) {
    timeval timeout{5, 0};  // a client that never completes the handshake must not hang us
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ssl = SSL_new(tls_->context);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
      SSL_free(ssl);
      close(fd);
      return;
    }
  }
  Stream stream(fd, ssl);
  std::string buffer;
  for (;;) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!stream.ReadSome(buffer, stopping_)) return;
    }
    RecordedRequest request = ParseHead(std::string_view(buffer).substr(0, head_end));
    request.connection = connection;
    size_t body_length = std::stoul(request.Header("Content-Length").value_or("0"));
    size_t body_start = head_end + 4;
    while (buffer.size() < body_start + body_length) {
      if (!stream.ReadSome(buffer, stopping_)) return;
    }
    request.body = buffer.substr(body_start, body_length);
    buffer.erase(0, body_start + body_length);

    ScriptedResponse response = Answer(request);
    for (auto until = std::chrono::steady_clock::now() + response.delay;
         std::chrono::steady_clock::now() < until;) {
      if (stopping_.load()) return;
      std::this_thread::sleep_for(kPollInterval);
    }
    if (response.drop_connection) return;
    std::string out =
        "HTTP/1.1 " + std::to_string(response.status) + " " + Reason(response.status) + "\r\n";
    if (!FindHeader(response.headers, "Content-Length")) {
      out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    }
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "\r\n" + response.body;
    if (!stream.WriteAll(out)) return;
    if (auto close = request.Header("Connection"); close && EqualsIgnoreCase(*close, "close")) {
      return;
    }
  }
}

int UnusedLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace dtwin::client::testing
