// One HTTP/1.1 connection (plain or TLS): read a request under time and size limits, hand
// it to the dispatcher, write the answer on the connection's strand, repeat while
// keep-alive. Each session runs on its own strand; a stop reaches it through the registry.
#include "server/http_session.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <ctime>
#include <optional>
#include <string>
#include <type_traits>

#include "server/api_error.h"

namespace dtwin::server {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kFirstReadBytes = 4096;
constexpr std::chrono::seconds kTlsShutdownTimeout{5};

std::atomic<uint64_t> next_session_id{1};

HttpMethod MethodOf(http::verb verb) {
  switch (verb) {
    case http::verb::get:
      return HttpMethod::kGet;
    case http::verb::put:
      return HttpMethod::kPut;
    case http::verb::post:
      return HttpMethod::kPost;
    case http::verb::patch:
      return HttpMethod::kPatch;
    case http::verb::delete_:
      return HttpMethod::kDelete;
    default:
      return HttpMethod::kOther;
  }
}

// RFC 9110 Date value, formatted once per second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached = text;
    cached_second = now;
  }
  return cached;
}

// "16 KB" for whole kilobytes, "1000 bytes" otherwise.
std::string SizeText(size_t bytes) {
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KB";
  return std::to_string(bytes) + " bytes";
}

std::string AuthorityOf(const tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

template <class Stream>
class Session : public SessionControl, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(std::shared_ptr<net::ssl::context> tls, Stream stream, SessionEnvironment& environment,
          std::string local_authority, std::string remote_address)
      : tls_(std::move(tls)),
        stream_(std::move(stream)),
        environment_(environment),
        id_(next_session_id.fetch_add(1)),
        local_authority_(std::move(local_authority)),
        remote_address_(std::move(remote_address)) {}

  ~Session() override { environment_.registry.Remove(id_); }

  void Start() {
    if (!environment_.registry.Add(id_, this->weak_from_this())) return Close();
    if constexpr (kTls) {
      state_ = State::kHandshake;
      Lowest().expires_after(environment_.request_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code error) {
                                if (error) return self->Close();
                                self->handshake_done_ = true;
                                self->WaitForRequest(/*first=*/true);
                              });
    } else {
      WaitForRequest(/*first=*/true);
    }
  }

  void Shutdown() override {
    net::dispatch(Lowest().get_executor(), [self = this->shared_from_this()] {
      self->stopping_ = true;
      // Idle connections close now; a request being read, handled or written finishes first.
      if (self->state_ == State::kIdle || self->state_ == State::kHandshake) {
        self->Lowest().cancel();
      }
    });
  }

 private:
  enum class State { kHandshake, kIdle, kReading, kHandling, kWriting, kClosed };

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Waits for the first byte of the next request: the idle timeout applies until it comes,
  // the request timeout after (a slow client cannot hold a connection forever either way).
  void WaitForRequest(bool first) {
    if (stopping_) return Close();
    state_ = State::kIdle;
    if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
    Lowest().expires_after(first ? environment_.request_timeout : environment_.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        [self = this->shared_from_this()](beast::error_code error, size_t bytes) {
          if (error) return self->Close();
          self->buffer_.commit(bytes);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    state_ = State::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(environment_.header_limit));
    // The route's limit is applied once the header is read (a Content-Length over it is
    // answered without reading the body); until then Beast must not judge it.
    parser_->body_limit(boost::none);
    Lowest().expires_after(environment_.request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code error, size_t) {
                              self->OnHeader(error);
                            });
  }

  void OnHeader(beast::error_code error) {
    start_ = Clock::now();
    start_wall_ = std::chrono::system_clock::now();
    if (error == http::error::header_limit) {
      return WriteError(
          ApiError{431,
                   "RequestHeaderFieldsTooLarge",
                   "the request header exceeds " + SizeText(environment_.header_limit),
                   {}});
    }
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == net::error::operation_aborted || error == net::error::connection_reset ||
        error == net::error::eof || error == net::ssl::error::stream_truncated) {
      return Close();
    }
    if (error) {
      return WriteError(
          ApiError{400, "BadRequest", "malformed HTTP request: " + error.message(), {}});
    }
    const auto& request = parser_->get();
    method_ = MethodOf(request.method());
    method_text_ = std::string(request.method_string());
    target_ = std::string(request.target());
    size_t limit = environment_.dispatcher.BodyLimitFor(method_, target_);
    parser_->body_limit(limit);
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return WriteTooLarge();
    }
    if (parser_->is_done()) return Dispatch();
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, request.version());
      state_ = State::kWriting;
      return http::async_write(
          stream_, *continue_,
          [self = this->shared_from_this()](beast::error_code write_error, size_t) {
            if (write_error) return self->Close();
            self->ReadBody();
          });
    }
    ReadBody();
  }

  void ReadBody() {
    state_ = State::kReading;
    Lowest().expires_after(environment_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code error, size_t) {
                       if (error == http::error::body_limit) return self->WriteTooLarge();
                       if (error) return self->Close();
                       self->Dispatch();
                     });
  }

  void Dispatch() {
    state_ = State::kHandling;
    Lowest().expires_never();  // durable writes may take a while; nothing is being read
    auto& message = parser_->get();
    HttpRequest request;
    request.method = method_;
    request.target = target_;
    request.headers.reserve(16);
    for (const auto& field : message) {
      request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    request.body = std::move(message.body());
    request.tls = kTls;
    request.local_authority = local_authority_;
    request.remote_address = remote_address_;

    // Tracked executors keep the thread pool running while a service completion is pending,
    // so a graceful stop waits for it.
    auto work = net::prefer(Lowest().get_executor(), net::execution::outstanding_work.tracked);
    Responder respond = [self = this->shared_from_this(), work](HttpResponse response) {
      net::dispatch(work, [self, response = std::move(response)]() mutable {
        self->WriteResponse(std::move(response), /*force_close=*/false);
      });
    };
    Poster post = [work](std::function<void()> task) { net::post(work, std::move(task)); };
    environment_.dispatcher.Dispatch(std::move(request), std::move(respond), std::move(post));
  }

  void WriteTooLarge() {
    HttpResponse response = environment_.dispatcher.BodyTooLarge(method_, target_);
    ApiDispatcher::AddCommonHeaders(RequestHeaders(), response);
    // The rest of the body was not read, so the connection cannot carry another request.
    WriteResponse(std::move(response), /*force_close=*/true);
  }

  void WriteError(const ApiError& error) {
    HttpResponse response = ErrorResponse(error);
    ApiDispatcher::AddCommonHeaders({}, response);
    WriteResponse(std::move(response), /*force_close=*/true);
  }

  std::vector<HttpHeader> RequestHeaders() const {
    std::vector<HttpHeader> headers;
    for (const auto& field : parser_->get()) {
      headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    return headers;
  }

  void WriteResponse(HttpResponse response, bool force_close) {
    state_ = State::kWriting;
    bool parsed = parser_ && parser_->is_header_done();
    keep_alive_ = !force_close && !stopping_ && parsed && parser_->get().keep_alive();
    status_ = response.status;
    body_bytes_ = response.body.size();

    response_ = {};
    response_.version(parsed ? parser_->get().version() : 11);
    response_.result(static_cast<unsigned>(response.status));
    response_.set(http::field::date, HttpDate());
    for (HttpHeader& header : response.headers) response_.insert(header.name, header.value);
    response_.set(http::field::content_length, std::to_string(response.body.size()));
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive_);

    Lowest().expires_after(environment_.request_timeout);
    http::async_write(stream_, response_,
                      [self = this->shared_from_this()](beast::error_code error, size_t) {
                        self->LogRequest();
                        if (error || !self->keep_alive_) return self->Close();
                        self->WaitForRequest(/*first=*/false);
                      });
  }

  void LogRequest() {
    if (environment_.access_log == nullptr) return;
    environment_.access_log->Record(
        {start_wall_, method_text_, target_, status_, Clock::now() - start_, body_bytes_});
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    if constexpr (kTls) {
      if (handshake_done_) {
        Lowest().expires_after(kTlsShutdownTimeout);
        stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
          beast::error_code ignored;
          self->Lowest().socket().close(ignored);
        });
        return;
      }
    }
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().socket().close(ignored);
  }

  const std::shared_ptr<net::ssl::context> tls_;  // null for plain HTTP; outlives stream_
  Stream stream_;
  SessionEnvironment& environment_;
  const uint64_t id_;
  const std::string local_authority_;
  const std::string remote_address_;

  // All below: touched only on the session's strand.
  State state_ = State::kIdle;
  bool stopping_ = false;
  bool keep_alive_ = true;
  bool handshake_done_ = false;  // TLS: a close_notify is owed to the peer
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  http::response<http::string_body> response_;
  // The request being served, for routing limits and the access log.
  HttpMethod method_ = HttpMethod::kOther;
  std::string method_text_;
  std::string target_;
  Clock::time_point start_;
  std::chrono::system_clock::time_point start_wall_;
  int status_ = 0;
  size_t body_bytes_ = 0;
};

}  // namespace

bool SessionRegistry::Add(uint64_t id, std::weak_ptr<SessionControl> session) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  sessions_.emplace(id, std::move(session));
  return true;
}

void SessionRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

size_t SessionRegistry::Count() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void SessionRegistry::ShutdownAll() {
  std::vector<std::shared_ptr<SessionControl>> live;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  // Outside the lock: a session's destructor (when the last reference dies here) removes
  // itself from the registry.
  for (auto& session : live) session->Shutdown();
}

void StartSession(tcp::socket socket, std::shared_ptr<net::ssl::context> tls,
                  SessionEnvironment& environment) {
  beast::error_code error;
  tcp::endpoint local = socket.local_endpoint(error);
  std::string authority = error ? std::string("localhost") : AuthorityOf(local);
  tcp::endpoint remote = socket.remote_endpoint(error);
  std::string remote_address = error ? std::string() : remote.address().to_string();
  socket.set_option(tcp::no_delay(true), error);  // small responses on keep-alive connections
  if (tls != nullptr) {
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    TlsStream stream(beast::tcp_stream(std::move(socket)), *tls);
    std::make_shared<Session<TlsStream>>(std::move(tls), std::move(stream), environment,
                                         std::move(authority), std::move(remote_address))
        ->Start();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(nullptr, beast::tcp_stream(std::move(socket)),
                                                 environment, std::move(authority),
                                                 std::move(remote_address))
        ->Start();
  }
}

}  // namespace dtwin::server
