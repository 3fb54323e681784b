#include "zcb/data/fetch.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

constexpr long kMaxRedirects = 10;
constexpr std::size_t kCopyBlockBytes = 1 << 20;

std::string size_text(std::int64_t size) {
  return size < 0 ? std::string("unknown size") : std::to_string(size) + " bytes";
}

bool is_url(const std::string& text) { return text.find("://") != std::string::npos; }

bool starts_with_ignoring_case(const std::string& text, const std::string& prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Only HTTP(S) transfers are resumed: Range semantics are checked on the status line and
// Content-Range header, which other protocols (file://) do not have.
bool is_http_url(const std::string& url) {
  return starts_with_ignoring_case(url, "http://") || starts_with_ignoring_case(url, "https://");
}

std::int64_t size_on_disk(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return -1;
  const auto size = fs::file_size(path, error);
  return error ? -1 : static_cast<std::int64_t>(size);
}

void remove_quietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

// Receives the bytes of one file into `<name>.part`, hashing and counting them on the way.
// Resuming hashes what is already in the part and appends; restart() truncates it (a server
// that ignored the Range request sends the whole file). The part is never deleted here: the
// caller keeps it for a resume or deletes it when its content is wrong.
class PartWriter {
 public:
  PartWriter(const fs::path& part, const ManifestFile& file, std::int64_t resume_from)
      : part_(part), file_(file), resumed_from_(resume_from) {
    if (resume_from > 0) {
      std::ifstream in(part, std::ios::binary);
      std::vector<char> block(kCopyBlockBytes);
      std::int64_t left = resume_from;
      while (in && left > 0) {
        in.read(block.data(), static_cast<std::streamsize>(std::min<std::int64_t>(
                                  left, static_cast<std::int64_t>(block.size()))));
        hasher_.update(std::string_view(block.data(), static_cast<std::size_t>(in.gcount())));
        left -= in.gcount();
      }
      if (left != 0) throw Error(part.string() + ": cannot read the partial download; delete it");
      bytes_ = resume_from;
    }
    open(resume_from > 0 ? std::ios::app : std::ios::trunc);
  }

  // False once the transfer is known to be wrong (too long) or the disk write failed.
  bool write(const char* data, std::size_t size) {
    if (file_.size >= 0 && bytes_ + static_cast<std::int64_t>(size) > file_.size) {
      overflowed_ = true;
      return false;
    }
    bytes_ += static_cast<std::int64_t>(size);
    hasher_.update(std::string_view(data, size));
    out_.write(data, static_cast<std::streamsize>(size));
    return static_cast<bool>(out_);
  }

  void restart() {
    out_.close();
    hasher_ = Sha256();
    bytes_ = 0;
    resumed_from_ = 0;
    open(std::ios::trunc);
  }

  // Closes the part; returns the problem, or nullopt when it is complete and verified.
  std::optional<std::string> finish() {
    out_.close();
    if (!out_) return "could not write " + part_.string() + " (disk full?)";
    if (file_.size >= 0 && bytes_ != file_.size) {
      return "got " + std::to_string(bytes_) + " bytes, expected " + std::to_string(file_.size);
    }
    const std::string actual = hasher_.hex_digest();
    if (!file_.sha256.empty() && actual != file_.sha256) {
      return "sha256 mismatch: expected " + file_.sha256 + ", got " + actual;
    }
    return std::nullopt;
  }

  std::int64_t bytes() const { return bytes_; }
  std::int64_t resumed_from() const { return resumed_from_; }
  bool overflowed() const { return overflowed_; }

 private:
  void open(std::ios::openmode mode) {
    out_.open(part_, std::ios::binary | std::ios::out | mode);
    if (!out_) throw Error(part_.string() + ": cannot create file; check the data root");
  }

  fs::path part_;
  const ManifestFile& file_;
  std::ofstream out_;
  Sha256 hasher_;
  std::int64_t bytes_ = 0;
  std::int64_t resumed_from_ = 0;
  bool overflowed_ = false;
};

// How one transfer from one source ended.
struct Outcome {
  bool ok = false;            // the part is complete and verified
  bool transient = false;     // worth retrying the same source (connection, time-out, 5xx)
  bool discard_part = false;  // the part holds wrong bytes: delete it
  bool resumed = false;       // the transfer appended to an earlier part
  bool stopped = false;       // FetchOptions::should_stop asked to stop
  std::string problem;
};

// What a transfer reports to FetchOptions::on_progress.
class ProgressReporter {
 public:
  ProgressReporter(const FetchOptions& options, const std::string& benchmark,
                   const ManifestFile& file, const std::string& source, std::int64_t resumed_from)
      : options_(options), start_(Clock::now()) {
    progress_.benchmark = benchmark;
    progress_.file = file.name;
    progress_.source = source;
    progress_.total = file.size;
    progress_.resumed_from = resumed_from;
  }

  void report(std::int64_t bytes, std::int64_t total_hint, bool done, bool ok = false) {
    if (!options_.on_progress) return;
    progress_.bytes = bytes;
    if (progress_.total < 0 && total_hint > 0) progress_.total = total_hint;
    progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    progress_.done = done;
    progress_.ok = ok;
    options_.on_progress(progress_);
  }

  // A server that ignored the Range request: the file restarts at zero.
  void restarted() { progress_.resumed_from = 0; }

 private:
  const FetchOptions& options_;
  FetchProgress progress_;
  Clock::time_point start_;
};

bool stop_requested(const FetchOptions& options) {
  return options.should_stop && options.should_stop();
}

void notice(const FetchOptions& options, const std::string& line) {
  if (options.on_notice) options.on_notice(line);
}

Outcome copy_from_mirror(const fs::path& source, const fs::path& part, const ManifestFile& file,
                         const FetchOptions& options, const std::string& benchmark) {
  Outcome outcome;
  std::error_code error;
  if (!fs::is_regular_file(source, error)) {
    outcome.problem = "not found";
    return outcome;
  }
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    outcome.problem = "cannot open it for reading";
    return outcome;
  }
  PartWriter writer(part, file, 0);
  ProgressReporter progress(options, benchmark, file, source.string(), 0);
  std::vector<char> block(kCopyBlockBytes);
  bool written = true;
  while (in && written) {
    if (stop_requested(options)) {
      outcome.stopped = true;
      return outcome;
    }
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    written = writer.write(block.data(), static_cast<std::size_t>(in.gcount()));
    progress.report(writer.bytes(), -1, false);
  }
  outcome.discard_part = true;  // a local copy is redone from scratch, never resumed
  if (in.bad()) {
    outcome.problem = "read error";
  } else if (writer.overflowed()) {
    outcome.problem = "got more bytes than the expected " + size_text(file.size);
  } else if (auto problem = writer.finish()) {
    outcome.problem = *problem;
  } else {
    outcome.ok = true;
    outcome.discard_part = false;
  }
  progress.report(writer.bytes(), -1, true, outcome.ok);
  return outcome;
}

void init_curl_once() {
  static std::once_flag once;
  static CURLcode status = CURLE_OK;
  std::call_once(once, [] { status = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (status != CURLE_OK) {
    throw Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(status));
  }
}

// State shared with the libcurl callbacks of one transfer.
struct HttpTransfer {
  PartWriter* writer = nullptr;
  ProgressReporter* progress = nullptr;
  const FetchOptions* options = nullptr;
  std::string file_name;
  std::int64_t expected_size = -1;
  std::int64_t requested_from = 0;  // start of our Range request; 0: none
  long status = 0;                  // status code of the latest response (after redirects)
  std::int64_t range_start = -1;    // start in its Content-Range header; -1: none
  bool body_started = false;
  bool stopped = false;
  std::optional<Outcome> aborted;  // why a callback aborted the transfer
};

// "bytes 100-999/1000" -> 100; -1 when unparsable.
std::int64_t content_range_start(const std::string& value) {
  std::size_t i = value.find_first_of("0123456789");
  if (i == std::string::npos || value.compare(0, i, "bytes ") != 0) return -1;
  std::int64_t start = 0;
  for (; i < value.size() && value[i] >= '0' && value[i] <= '9'; ++i) {
    if (start > (INT64_MAX - 9) / 10) return -1;
    start = start * 10 + (value[i] - '0');
  }
  return i < value.size() && value[i] == '-' ? start : -1;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  std::size_t first = 0;
  while (first < text.size() && text[first] == ' ') ++first;
  return text.substr(first);
}

// libcurl calls this once per header line, status lines of redirects included.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<HttpTransfer*>(user);
  const std::string line(data, size * count);
  if (starts_with_ignoring_case(line, "HTTP/")) {
    const std::size_t space = line.find(' ');
    transfer->status = space == std::string::npos ? 0 : std::atol(line.c_str() + space + 1);
    transfer->range_start = -1;
  } else if (starts_with_ignoring_case(line, "content-range:")) {
    transfer->range_start = content_range_start(trimmed(line.substr(14)));
  }
  return size * count;
}

std::size_t receive_body(HttpTransfer* transfer, char* data, std::size_t size) {
  PartWriter& writer = *transfer->writer;
  if (!transfer->body_started) {
    transfer->body_started = true;
    if (transfer->requested_from > 0) {
      if (transfer->status == 200) {
        notice(*transfer->options, transfer->file_name +
                                       ": the server ignored the Range request (HTTP 200); "
                                       "downloading it again from the start");
        writer.restart();
        transfer->progress->restarted();
      } else if (transfer->status != 206 || transfer->range_start != transfer->requested_from) {
        Outcome outcome;
        outcome.transient = true;
        outcome.discard_part = true;
        outcome.problem = "asked for bytes " + std::to_string(transfer->requested_from) +
                          "- but got HTTP " + std::to_string(transfer->status) +
                          " starting at byte " + std::to_string(transfer->range_start);
        transfer->aborted = outcome;
        return 0;  // less than the chunk size: libcurl aborts the transfer
      }
    }
  }
  if (writer.write(data, size)) return size;
  Outcome outcome;
  if (writer.overflowed()) {
    outcome.discard_part = true;
    outcome.problem = "got more bytes than the expected " + size_text(transfer->expected_size) +
                      ": the file at this URL is not the manifest's";
  } else {
    outcome.problem = "cannot write the partial download (disk full?)";
  }
  transfer->aborted = outcome;
  return 0;
}

// Exceptions must not cross libcurl's C frames: the callbacks below turn them into an abort.
void abort_with(HttpTransfer* transfer, const std::exception& error) {
  Outcome outcome;
  outcome.problem = error.what();
  transfer->aborted = outcome;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<HttpTransfer*>(user);
  try {
    return receive_body(transfer, data, size * count);
  } catch (const std::exception& error) {
    abort_with(transfer, error);
    return 0;
  }
}

int on_transfer_info(void* user, curl_off_t download_total, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<HttpTransfer*>(user);
  try {
    if (stop_requested(*transfer->options)) {
      transfer->stopped = true;
      return 1;  // non-zero: libcurl aborts with CURLE_ABORTED_BY_CALLBACK
    }
    const std::int64_t offset = transfer->writer->resumed_from();
    transfer->progress->report(transfer->writer->bytes(),
                               download_total > 0 ? offset + download_total : -1, false);
    return 0;
  } catch (const std::exception& error) {
    abort_with(transfer, error);
    return 1;
  }
}

// Whether a failure of this kind may go away on its own: connection trouble, time-outs, cuts.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
      return true;
    default:
      return false;
  }
}

bool is_transient_http_status(long status) {
  return status == 408 || status == 425 || status == 429 || status >= 500;
}

// One attempt at @p url, resuming `<name>.part` when possible.
Outcome download(const std::string& url, const fs::path& part, const ManifestFile& file,
                 const FetchOptions& options, const std::string& benchmark) {
  init_curl_once();
  std::int64_t resume_from = is_http_url(url) ? std::max<std::int64_t>(0, size_on_disk(part)) : 0;
  if (file.size >= 0 && resume_from > file.size) {
    notice(options, file.name + ": the partial download is longer than the file; starting over");
    remove_quietly(part);
    resume_from = 0;
  }
  PartWriter writer(part, file, resume_from);
  Outcome outcome;
  outcome.resumed = resume_from > 0;
  if (file.size >= 0 && resume_from == file.size) {
    // An earlier run got every byte but stopped before the rename: no request needed.
    if (auto problem = writer.finish()) {
      outcome.discard_part = true;
      outcome.problem = "the complete partial download is wrong: " + *problem;
      return outcome;
    }
    outcome.ok = true;
    return outcome;
  }
  if (resume_from > 0) {
    notice(options,
           file.name + ": resuming at byte " + std::to_string(resume_from) + " from " + url);
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    outcome.problem = "cannot create a libcurl handle";
    return outcome;
  }
  ProgressReporter progress(options, benchmark, file, url, resume_from);
  HttpTransfer transfer;
  transfer.writer = &writer;
  transfer.progress = &progress;
  transfer.options = &options;
  transfer.file_name = file.name;
  transfer.expected_size = file.size;
  transfer.requested_from = resume_from;
  char error_buffer[CURL_ERROR_SIZE] = {};
  const std::string range = std::to_string(resume_from) + "-";
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  if (resume_from > 0) curl_easy_setopt(handle, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::chrono::milliseconds(options.connect_timeout).count()));
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes_per_second);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(options.low_speed_time.count()));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: safe with threads
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "zcbench-fetch/2");
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_transfer_info);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  // file:// serves local mirrors given as URLs; redirects may only lead to http(s).
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE);
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  const CURLcode result = curl_easy_perform(handle);
  outcome.resumed = writer.resumed_from() > 0;
  const std::string reason = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
  if (transfer.stopped) {
    writer.finish();  // flushes what arrived: the next run resumes from there
    outcome.stopped = true;
  } else if (transfer.aborted) {
    writer.finish();
    const bool resumed = outcome.resumed;
    outcome = *transfer.aborted;
    outcome.resumed = resumed;
  } else if (result == CURLE_HTTP_RETURNED_ERROR) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    outcome.problem = "HTTP " + std::to_string(status);
    outcome.transient = is_transient_http_status(status);
    if (status == 416) {  // our Range start is past the server's file: start again
      outcome.problem += " (Range Not Satisfiable for bytes " + range + ")";
      outcome.discard_part = true;
      outcome.transient = true;
    }
  } else if (result == CURLE_OPERATION_TIMEDOUT) {
    outcome.transient = true;
    outcome.problem = "time-out (" + reason + ")";
  } else if (result != CURLE_OK) {
    outcome.transient = is_transient(result);
    outcome.problem = "download failed: " + reason;
  } else if (auto problem = writer.finish()) {
    outcome.discard_part = true;
    outcome.problem = *problem;
  } else {
    outcome.ok = true;
  }
  if (!outcome.ok && !outcome.stopped && resume_from == 0 && writer.bytes() == 0) {
    outcome.discard_part = true;  // nothing worth keeping (e.g. the empty part of a 404)
  }
  progress.report(writer.bytes(), -1, true, outcome.ok);
  return outcome;
}

// Sleeps @p delay in short slices so that a stop request ends the wait at once.
bool wait_or_stop(std::chrono::milliseconds delay, const FetchOptions& options) {
  const auto until = Clock::now() + delay;
  while (Clock::now() < until) {
    if (stop_requested(options)) return false;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::milliseconds(100), until - Clock::now()));
  }
  return !stop_requested(options);
}

std::string seconds_text(std::chrono::milliseconds delay) {
  const double seconds = static_cast<double>(delay.count()) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s", seconds);
  return text;
}

// Every attempt at one URL: retries transient failures with exponential back-off, and downloads
// a resumed file once more from the start when its final sha256 is wrong.
Outcome download_with_retries(const std::string& url, const fs::path& part,
                              const ManifestFile& file, const FetchOptions& options,
                              const std::string& benchmark) {
  Outcome outcome;
  bool fresh_start_used = false;
  int attempts = 0;
  for (int retry = 0;; ++attempts) {
    outcome = download(url, part, file, options, benchmark);
    if (outcome.discard_part) remove_quietly(part);
    if (outcome.ok || outcome.stopped) return outcome;
    if (outcome.discard_part && outcome.resumed && !fresh_start_used) {
      fresh_start_used = true;  // the earlier part may come from another source or version
      notice(options, file.name + ": " + outcome.problem +
                          " after resuming; deleted the partial download, starting over");
      continue;
    }
    if (!outcome.transient || retry >= options.retries) break;
    ++retry;
    const int doublings = std::min(retry - 1, 20);
    const std::chrono::milliseconds delay = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(options.retry_base_delay.count() *
                                  (std::int64_t{1} << doublings)),
        options.retry_max_delay);
    notice(options, file.name + ": " + outcome.problem + " from " + url + "; retry " +
                        std::to_string(retry) + " of " + std::to_string(options.retries) + " in " +
                        seconds_text(delay));
    if (!wait_or_stop(delay, options)) {
      outcome.stopped = true;
      return outcome;
    }
  }
  if (attempts > 0) outcome.problem += " (" + std::to_string(attempts + 1) + " attempts)";
  return outcome;
}

// Serialises fetches of one benchmark across processes (job-array tasks sharing a data root):
// two writers appending to one `.part` would corrupt it. The kernel drops the lock when the
// process dies, so a crash never leaves it held.
class FetchLock {
 public:
  FetchLock(const fs::path& path, const FetchOptions& options) {
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw Error(path.string() + ": cannot create the fetch lock (" + std::strerror(errno) +
                  "); choose a writable data root (ZCB_DATA_ROOT)");
    }
    bool told = false;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        const std::string reason = std::strerror(errno);
        ::close(fd_);
        throw Error(path.string() + ": cannot lock (" + reason + ")");
      }
      if (!told) {
        notice(options, "waiting for another zcbench fetch that holds " + path.string());
        told = true;
      }
      if (!wait_or_stop(std::chrono::milliseconds(200), options)) {
        ::close(fd_);
        throw Error("fetch stopped while waiting for " + path.string());
      }
    }
  }
  ~FetchLock() { ::close(fd_); }
  FetchLock(const FetchLock&) = delete;
  FetchLock& operator=(const FetchLock&) = delete;

 private:
  int fd_ = -1;
};

// Throws when a file already in place is not the manifest's file: silently replacing it could
// hide a local edit, and keeping it would feed wrong numbers into every later stage.
bool verified_in_place(const ManifestFile& file, const fs::path& destination) {
  std::error_code error;
  if (!fs::exists(destination, error)) return false;
  if (file.sha256.empty()) return true;  // optional file without a published checksum
  const auto size = static_cast<std::int64_t>(fs::file_size(destination, error));
  const std::string actual = sha256_file(destination);
  if (actual == file.sha256 && (file.size < 0 || size == file.size)) return true;
  throw Error(destination.string() + " (" + file.name + ") does not match the manifest: sha256 " +
              actual + " (" + std::to_string(size) + " bytes), expected " + file.sha256 + " (" +
              size_text(file.size) + "). It is corrupt, truncated or a different version: " +
              "delete it and fetch again.");
}

struct Missing {
  const ManifestFile* file;
  fs::path destination;
  std::vector<std::string> tried;
};

std::string describe_missing(const Manifest& manifest, const std::vector<Missing>& missing,
                             const FetchOptions& options) {
  std::string message = "cannot obtain " + std::to_string(missing.size()) + " required file" +
                        (missing.size() == 1 ? "" : "s") + " of benchmark '" + manifest.benchmark +
                        "':\n";
  for (const auto& entry : missing) {
    const ManifestFile& file = *entry.file;
    message += "  - " + file.name + "\n      expected at: " + entry.destination.string() +
               " (sha256 " + file.sha256 + ", " + size_text(file.size) + ")\n";
    if (file.interactive_only) {
      message += "      download it by hand (the host needs a browser" +
                 (file.host_note.empty() ? std::string() : "; " + file.host_note) + "): open " +
                 file.urls.front() + ", save the file as " + entry.destination.string() +
                 " and check it has " + size_text(file.size) + " and sha256 " + file.sha256 + "\n";
    }
    message += "      urls:";
    if (file.urls.empty()) message += " none";
    for (const auto& url : file.urls) message += " " + url;
    message += "\n";
    for (const auto& attempt : entry.tried) message += "      tried " + attempt + "\n";
    const fs::path part = entry.destination.string() + ".part";
    const std::int64_t kept = size_on_disk(part);
    if (kept > 0) {
      message += "      partial download kept: " + part.string() + " (" + size_text(kept) +
                 "); fetch again to resume it\n";
    }
    message += "      how to get it: " + file.how_to_get + "\n";
  }
  message += options.mirror.empty()
                 ? "No mirror was set: set ZCB_MIRROR to a directory or base URL holding the "
                   "mirror paths, or put the files at the paths above, then fetch again."
                 : "Fix the mirror (" + options.mirror +
                       ") or put the files at the paths above, then fetch again.";
  return message;
}

[[noreturn]] void throw_stopped(const ManifestFile& file, const fs::path& part) {
  const std::int64_t kept = size_on_disk(part);
  throw Error("fetch of " + file.name + " stopped on request" +
              (kept > 0 ? "; the partial download " + part.string() + " (" + size_text(kept) +
                              ") is kept and the next fetch resumes it"
                        : std::string()));
}

}  // namespace

fs::path raw_file_path(const fs::path& data_root, const std::string& benchmark,
                       const std::string& name) {
  return data_root / "raw" / benchmark / name;
}

fs::path partial_file_path(const fs::path& data_root, const std::string& benchmark,
                           const std::string& name) {
  return raw_file_path(data_root, benchmark, name).string() + ".part";
}

std::map<std::string, fs::path> fetch_benchmark(const Manifest& manifest,
                                                const FetchOptions& options) {
  std::map<std::string, fs::path> paths;
  std::vector<Missing> missing;
  std::optional<FetchLock> lock;
  for (const ManifestFile& file : manifest.files) {
    const fs::path destination = raw_file_path(options.data_root, manifest.benchmark, file.name);
    if (verified_in_place(file, destination)) {
      paths[file.name] = destination;
      continue;
    }
    if (!file.required) continue;

    std::error_code error;
    fs::create_directories(destination.parent_path(), error);
    if (error) {
      throw Error(destination.parent_path().string() + ": cannot create directory (" +
                  error.message() + "); choose a writable data root (ZCB_DATA_ROOT)");
    }
    if (!lock) {
      lock.emplace(destination.parent_path() / ".fetch.lock", options);
      // Another process may have fetched the file while this one waited for the lock.
      if (verified_in_place(file, destination)) {
        paths[file.name] = destination;
        continue;
      }
    }
    const fs::path part = partial_file_path(options.data_root, manifest.benchmark, file.name);
    Missing attempts{&file, destination, {}};
    auto try_source = [&](const std::string& label, const Outcome& outcome) {
      if (outcome.stopped) throw_stopped(file, part);
      if (outcome.ok) {
        std::error_code rename_error;
        fs::rename(part, destination, rename_error);
        if (rename_error) {
          throw Error("cannot rename " + part.string() + " to " + destination.string() + " (" +
                      rename_error.message() + "); check the data root's permissions");
        }
        return true;
      }
      if (outcome.discard_part) remove_quietly(part);
      attempts.tried.push_back(label + ": " + outcome.problem);
      return false;
    };
    auto try_url = [&](const std::string& label, const std::string& url) {
      if (!options.allow_network) {
        Outcome offline;
        offline.problem = "network disabled";
        return try_source(label, offline);
      }
      return try_source(label, download_with_retries(url, part, file, options, manifest.benchmark));
    };

    bool done = false;
    if (!options.mirror.empty() && !file.mirror_path.empty()) {
      if (is_url(options.mirror)) {
        std::string base = options.mirror;
        while (!base.empty() && base.back() == '/') base.pop_back();
        const std::string url = base + "/" + file.mirror_path;
        done = try_url("mirror " + url, url);
      } else {
        const fs::path source = fs::path(options.mirror) / file.mirror_path;
        done = try_source("mirror " + source.string(),
                          copy_from_mirror(source, part, file, options, manifest.benchmark));
      }
    }
    for (std::size_t i = 0; !done && i < file.urls.size(); ++i) {
      if (file.interactive_only) {
        attempts.tried.push_back(file.urls[i] +
                                 ": not downloaded (interactive_only: needs a browser)");
        continue;
      }
      done = try_url(file.urls[i], file.urls[i]);
    }
    if (done) {
      paths[file.name] = destination;
    } else {
      missing.push_back(std::move(attempts));
    }
  }
  if (!missing.empty()) throw Error(describe_missing(manifest, missing, options));
  return paths;
}

fs::path default_data_root() {
  const char* value = std::getenv("ZCB_DATA_ROOT");
  return value != nullptr && *value != '\0' ? fs::path(value) : fs::path(".") / "zcb-data";
}

std::string default_mirror() {
  const char* value = std::getenv("ZCB_MIRROR");
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace zcb::data
