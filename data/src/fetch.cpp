#include "zcb/data/fetch.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <vector>

#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

// Connect and stall limits: a dead server fails in a minute instead of hanging a run.
constexpr long kConnectTimeoutSeconds = 30;
constexpr long kLowSpeedBytesPerSecond = 1024;
constexpr long kLowSpeedSeconds = 60;
constexpr long kMaxRedirects = 10;

std::string size_text(std::int64_t size) {
  return size < 0 ? std::string("unknown size") : std::to_string(size) + " bytes";
}

// Receives the bytes of one transfer into `<dest>.tmp`, hashing and counting them on the way.
// finish() keeps the temporary file only if size and sha256 match; the caller then renames it.
// (Resuming a partial transfer will open the file for appending after hashing what is there.)
class VerifyingWriter {
 public:
  VerifyingWriter(const fs::path& temporary, const ManifestFile& file)
      : temporary_(temporary), file_(file), out_(temporary, std::ios::binary | std::ios::trunc) {
    if (!out_) throw Error(temporary.string() + ": cannot create file; check the data root");
  }

  ~VerifyingWriter() {
    if (!finished_) discard();
  }

  // False once the transfer is known to be wrong (too long) or the disk write failed.
  bool write(const char* data, std::size_t size) {
    bytes_ += static_cast<std::int64_t>(size);
    if (file_.size >= 0 && bytes_ > file_.size) return false;
    hasher_.update(std::string_view(data, size));
    out_.write(data, static_cast<std::streamsize>(size));
    return static_cast<bool>(out_);
  }

  // Returns the problem, or nullopt when the temporary file is complete and verified.
  std::optional<std::string> finish() {
    finished_ = true;
    out_.close();
    std::optional<std::string> problem;
    if (!out_) {
      problem = "could not write " + temporary_.string() + " (disk full?)";
    } else if (file_.size >= 0 && bytes_ != file_.size) {
      problem = "got " + std::to_string(bytes_) + (bytes_ > file_.size ? "+" : "") +
                " bytes, expected " + std::to_string(file_.size);
    } else {
      const std::string actual = hasher_.hex_digest();
      if (!file_.sha256.empty() && actual != file_.sha256) {
        problem = "sha256 mismatch: expected " + file_.sha256 + ", got " + actual;
      }
    }
    if (problem) discard();
    return problem;
  }

  std::int64_t bytes() const { return bytes_; }

 private:
  void discard() {
    out_.close();
    std::error_code ignored;
    fs::remove(temporary_, ignored);
  }

  fs::path temporary_;
  const ManifestFile& file_;
  std::ofstream out_;
  Sha256 hasher_;
  std::int64_t bytes_ = 0;
  bool finished_ = false;
};

std::optional<std::string> copy_from_mirror(const fs::path& source, const fs::path& temporary,
                                            const ManifestFile& file) {
  std::error_code error;
  if (!fs::is_regular_file(source, error)) return "not found";
  std::ifstream in(source, std::ios::binary);
  if (!in) return "cannot open it for reading";
  VerifyingWriter writer(temporary, file);
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (!writer.write(block.data(), static_cast<std::size_t>(in.gcount()))) break;
  }
  if (in.bad()) return "read error";
  return writer.finish();
}

void init_curl_once() {
  static std::once_flag once;
  static CURLcode status = CURLE_OK;
  std::call_once(once, [] { status = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (status != CURLE_OK) {
    throw Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(status));
  }
}

std::size_t write_to_writer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* writer = static_cast<VerifyingWriter*>(user);
  // Returning less than the chunk size makes libcurl abort the transfer.
  return writer->write(data, size * count) ? size * count : 0;
}

std::optional<std::string> download(const std::string& url, const fs::path& temporary,
                                    const ManifestFile& file) {
  init_curl_once();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return std::string("cannot create a libcurl handle");
  VerifyingWriter writer(temporary, file);
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, kLowSpeedBytesPerSecond);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, kLowSpeedSeconds);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: safe with threads
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "zcbench-fetch/1");
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_to_writer);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &writer);
  // file:// serves local mirrors given as URLs; redirects may only lead to http(s).
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE);
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  const CURLcode result = curl_easy_perform(handle);
  if (result == CURLE_WRITE_ERROR && file.size >= 0 && writer.bytes() > file.size) {
    return writer.finish();  // reports the size mismatch and removes the partial file
  }
  if (result != CURLE_OK) {
    std::string reason = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
    return "download failed: " + reason;
  }
  return writer.finish();
}

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
    message += "      urls:";
    if (file.urls.empty()) message += " none";
    for (const auto& url : file.urls) message += " " + url;
    message += "\n";
    for (const auto& attempt : entry.tried) message += "      tried " + attempt + "\n";
    message += "      how to get it: " + file.how_to_get + "\n";
  }
  message += options.mirror.empty()
                 ? "No mirror was set: set ZCB_MIRROR to a directory or base URL holding the "
                   "mirror paths, or put the files at the paths above, then fetch again."
                 : "Fix the mirror (" + options.mirror +
                       ") or put the files at the paths above, then fetch again.";
  return message;
}

bool is_url(const std::string& text) { return text.find("://") != std::string::npos; }

}  // namespace

fs::path raw_file_path(const fs::path& data_root, const std::string& benchmark,
                       const std::string& name) {
  return data_root / "raw" / benchmark / name;
}

std::map<std::string, fs::path> fetch_benchmark(const Manifest& manifest,
                                                const FetchOptions& options) {
  std::map<std::string, fs::path> paths;
  std::vector<Missing> missing;
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
    const fs::path temporary = destination.string() + ".tmp";
    Missing attempts{&file, destination, {}};
    auto try_source = [&](const std::string& label, const std::optional<std::string>& problem) {
      if (!problem) {
        std::error_code rename_error;
        fs::rename(temporary, destination, rename_error);
        if (rename_error) {
          throw Error("cannot rename " + temporary.string() + " to " + destination.string() + " (" +
                      rename_error.message() + "); check the data root's permissions");
        }
        return true;
      }
      attempts.tried.push_back(label + ": " + *problem);
      return false;
    };

    bool done = false;
    if (!options.mirror.empty() && !file.mirror_path.empty()) {
      if (is_url(options.mirror)) {
        std::string base = options.mirror;
        while (!base.empty() && base.back() == '/') base.pop_back();
        const std::string url = base + "/" + file.mirror_path;
        done = options.allow_network ? try_source("mirror " + url, download(url, temporary, file))
                                     : try_source("mirror " + url, "network disabled");
      } else {
        const fs::path source = fs::path(options.mirror) / file.mirror_path;
        done = try_source("mirror " + source.string(), copy_from_mirror(source, temporary, file));
      }
    }
    for (std::size_t i = 0; !done && i < file.urls.size(); ++i) {
      done = options.allow_network
                 ? try_source(file.urls[i], download(file.urls[i], temporary, file))
                 : try_source(file.urls[i], "network disabled");
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
