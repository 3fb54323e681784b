#include "http_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace zcb::data::testing {
namespace {

constexpr int kPollMilliseconds = 20;
constexpr std::size_t kMaxRequestBytes = 64 * 1024;

// Sends everything unless the client went away (MSG_NOSIGNAL: no SIGPIPE for the test).
bool send_all(int connection, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(connection, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string response_head(int status, const char* reason, std::size_t length,
                          const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Length: " + std::to_string(length) +
         "\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n" + extra + "\r\n";
}

}  // namespace

HttpTestServer::HttpTestServer() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  const int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // ephemeral: tests running in parallel never collide
  socklen_t length = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(listener_);
    throw std::runtime_error("cannot listen on 127.0.0.1: " + reason);
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve_forever(); });
}

HttpTestServer::~HttpTestServer() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

void HttpTestServer::add(const std::string& path, Route route) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(route);
}

std::string HttpTestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<SeenRequest> HttpTestServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

// One connection at a time is enough: the fetcher makes one request at a time.
void HttpTestServer::serve_forever() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, kPollMilliseconds) <= 0) continue;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    answer(connection);
    ::close(connection);
  }
}

void HttpTestServer::answer(int connection) {
  // Read the request head (the fetcher sends no body).
  std::string head;
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
    pollfd readable{connection, POLLIN, 0};
    if (stopping_) return;
    if (::poll(&readable, 1, kPollMilliseconds) <= 0) continue;
    const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    head.append(buffer, static_cast<std::size_t>(n));
  }
  SeenRequest request;
  const std::size_t path_start = head.find(' ');
  const std::size_t path_end = head.find(' ', path_start + 1);
  if (path_start == std::string::npos || path_end == std::string::npos) return;
  request.path = head.substr(path_start + 1, path_end - path_start - 1);
  const std::string lowered = lower(head);
  const std::size_t range = lowered.find("\r\nrange: bytes=");
  if (range != std::string::npos) {
    request.has_range = true;
    request.range_start = std::atoll(head.c_str() + range + std::strlen("\r\nrange: bytes="));
  }

  Route route;
  int count = 0;
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    count = request_counts_[request.path]++;
    const auto found = routes_.find(request.path);
    if (found != routes_.end()) {
      route = found->second;
      known = true;
    }
  }
  if (!known || route.mode == RouteMode::kNotFound) {
    const std::string body = "not found\n";
    send_all(connection, response_head(404, "Not Found", body.size()) + body);
    return;
  }
  if (count < route.unavailable_first) {
    const std::string body = "try later\n";
    send_all(connection, response_head(503, "Service Unavailable", body.size()) + body);
    return;
  }
  std::string body = route.body;
  if (route.mode == RouteMode::kWrongContent) {
    for (char& c : body) c = static_cast<char>(~c);
  }
  if (route.mode == RouteMode::kStall) {
    send_all(connection, response_head(200, "OK", body.size()));
    // Hold the connection, sending nothing, until the client hangs up or the test ends.
    while (!stopping_) {
      pollfd hangup{connection, POLLIN, 0};
      if (::poll(&hangup, 1, kPollMilliseconds) > 0 && ::recv(connection, buffer, 1, 0) <= 0) {
        return;
      }
    }
    return;
  }
  std::string head_out;
  const bool use_range = request.has_range && route.mode != RouteMode::kIgnoreRange;
  if (use_range) {
    const auto start = static_cast<std::size_t>(std::max<std::int64_t>(0, request.range_start));
    if (start >= body.size()) {
      send_all(connection,
               response_head(416, "Range Not Satisfiable", 0,
                             "Content-Range: bytes */" + std::to_string(body.size()) + "\r\n"));
      return;
    }
    head_out = response_head(206, "Partial Content", body.size() - start,
                             "Content-Range: bytes " + std::to_string(start) + "-" +
                                 std::to_string(body.size() - 1) + "/" +
                                 std::to_string(body.size()) + "\r\n");
    body = body.substr(start);
  } else {
    head_out = response_head(200, "OK", body.size());
  }
  if (route.mode == RouteMode::kCutOnce && count == route.unavailable_first) {
    // Promise the whole answer, deliver part of it, and hang up: a dropped connection.
    send_all(connection, head_out + body.substr(0, std::min(route.cut_after, body.size())));
    return;
  }
  send_all(connection, head_out + body);
}

}  // namespace zcb::data::testing
