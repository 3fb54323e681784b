/// @file http_test_server.hpp
/// @brief A small real HTTP/1.1 server on 127.0.0.1 (POSIX sockets, one thread) that the fetch
/// tests start and stop themselves: it serves byte ranges, cuts connections, stalls, answers
/// 404 or 503, sends wrong bytes or ignores Range, and logs every request it saw.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zcb::data::testing {

/// How the server answers requests for one path.
enum class RouteMode {
  kServe,         ///< 200 with the body, or 206 for a `Range: bytes=N-` request (416 past the end)
  kCutOnce,       ///< first request: headers for the whole answer, `cut_after` bytes, then close;
                  ///< later requests: as kServe
  kNotFound,      ///< 404
  kStall,         ///< 200 headers, then nothing until the client gives up
  kWrongContent,  ///< as kServe, but every byte of the body inverted (a checksum mismatch)
  kIgnoreRange,   ///< always 200 with the whole body, Range or not
};

/// One path's behaviour.
struct Route {
  RouteMode mode = RouteMode::kServe;
  std::string body;
  std::size_t cut_after = 0;  ///< kCutOnce: body bytes sent before the cut
  int unavailable_first = 0;  ///< answer this many first requests with 503 (any mode)
};

/// What the server saw of one request.
struct SeenRequest {
  std::string path;
  bool has_range = false;
  std::int64_t range_start = -1;  ///< N of `Range: bytes=N-`; -1 without one
};

/// Listens on an ephemeral port of 127.0.0.1 from construction until destruction.
class HttpTestServer {
 public:
  HttpTestServer();
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  /// Answers requests for @p path (starting with '/') as @p route says; unknown paths get 404.
  void add(const std::string& path, Route route);

  /// `http://127.0.0.1:<port><path>`.
  std::string url(const std::string& path) const;

  /// Every request so far, in arrival order.
  std::vector<SeenRequest> requests() const;

 private:
  void serve_forever();
  void answer(int connection);

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::map<std::string, int> request_counts_;
  std::vector<SeenRequest> requests_;
  std::thread thread_;
};

}  // namespace zcb::data::testing
