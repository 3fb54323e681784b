// fetch_benchmark() against a real HTTP/1.1 server on 127.0.0.1 that cuts, stalls, fails,
// lies about content and ignores Range: what a nightly job meets on the real internet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "http_test_server.hpp"
#include "test_util.hpp"
#include "zcb/data/fetch.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::HttpTestServer;
using testing::Route;
using testing::RouteMode;

// Bytes that differ everywhere, so a misplaced resume cannot hash right by accident.
std::string pseudo_random_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  std::uint32_t state = 12345;
  for (char& byte : bytes) {
    state = state * 1664525u + 1013904223u;
    byte = static_cast<char>(state >> 24);
  }
  return bytes;
}

const std::string& payload() {
  static const std::string bytes = pseudo_random_bytes(300000);
  return bytes;
}

Manifest one_file_manifest(const std::vector<std::string>& urls) {
  ManifestFile file;
  file.name = "table.csv";
  file.role = "table";
  file.required = true;
  file.urls = urls;
  file.sha256 = sha256_hex(payload());
  file.size = static_cast<std::int64_t>(payload().size());
  file.license = "MIT";
  file.citation = "test";
  file.mirror_path = "bench/table.csv";
  file.how_to_get = "ask the test";
  Manifest manifest;
  manifest.benchmark = "bench";
  manifest.description = "test";
  manifest.files = {file};
  return manifest;
}

// Tiny delays and a one-second stall limit keep every test well under its 5 s budget.
FetchOptions fast_options(const fs::path& root, int retries = 0) {
  FetchOptions options;
  options.data_root = root;
  options.retries = retries;
  options.retry_base_delay = std::chrono::milliseconds(10);
  options.connect_timeout = std::chrono::seconds(2);
  options.low_speed_bytes_per_second = 1;
  options.low_speed_time = std::chrono::seconds(1);
  return options;
}

fs::path final_path(const fs::path& root) { return root / "raw/bench/table.csv"; }
fs::path part_path(const fs::path& root) { return root / "raw/bench/table.csv.part"; }

TEST(FetchHttp, DownloadsVerifiesAndReportsProgress) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kServe, payload()});
  FetchOptions options = fast_options(dir.path());
  std::vector<FetchProgress> reports;
  options.on_progress = [&](const FetchProgress& progress) { reports.push_back(progress); };

  const auto paths = fetch_benchmark(one_file_manifest({server.url("/table.csv")}), options);
  EXPECT_EQ(paths.at("table.csv"), final_path(dir.path()));
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());
  EXPECT_FALSE(fs::exists(part_path(dir.path())));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_FALSE(server.requests()[0].has_range);
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(reports.back().done);
  EXPECT_TRUE(reports.back().ok);
  EXPECT_EQ(reports.back().bytes, static_cast<std::int64_t>(payload().size()));
  EXPECT_EQ(reports.back().total, static_cast<std::int64_t>(payload().size()));
  EXPECT_EQ(reports.back().file, "table.csv");
  EXPECT_EQ(reports.back().source, server.url("/table.csv"));
}

TEST(FetchHttp, ResumesAfterACutInTheNextRun) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kCutOnce, payload(), 100000});
  const Manifest manifest = one_file_manifest({server.url("/table.csv")});

  // No retries: the run fails, keeps what arrived, and says so.
  const std::string message =
      testing::error_message([&] { fetch_benchmark(manifest, fast_options(dir.path())); });
  EXPECT_THAT(message, HasSubstr(server.url("/table.csv") + ": download failed"));
  EXPECT_THAT(message, HasSubstr("partial download kept: " + part_path(dir.path()).string() +
                                 " (100000 bytes)"));
  EXPECT_FALSE(fs::exists(final_path(dir.path())));
  EXPECT_EQ(fs::file_size(part_path(dir.path())), 100000u);

  // The next run asks only for the rest.
  std::vector<std::string> notices;
  FetchOptions options = fast_options(dir.path());
  options.on_notice = [&](const std::string& line) { notices.push_back(line); };
  fetch_benchmark(manifest, options);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].has_range);
  EXPECT_TRUE(requests[1].has_range);
  EXPECT_EQ(requests[1].range_start, 100000);
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());
  EXPECT_FALSE(fs::exists(part_path(dir.path())));
  EXPECT_THAT(notices, ::testing::Contains(HasSubstr("resuming at byte 100000")));
}

TEST(FetchHttp, RetriesWithinOneRunResumeTheCut) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kCutOnce, payload(), 123457});
  fetch_benchmark(one_file_manifest({server.url("/table.csv")}), fast_options(dir.path(), 2));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].range_start, 123457);
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());
}

TEST(FetchHttp, RetriesTransientErrorsWithBackoffThenSucceeds) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kServe, payload(), 0, 2});  // two 503s first
  FetchOptions options = fast_options(dir.path(), 3);
  std::vector<std::string> notices;
  options.on_notice = [&](const std::string& line) { notices.push_back(line); };
  const auto start = std::chrono::steady_clock::now();
  fetch_benchmark(one_file_manifest({server.url("/table.csv")}), options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_THAT(notices[0], HasSubstr("HTTP 503"));
  EXPECT_THAT(notices[0], HasSubstr("retry 1 of 3 in 0.01 s"));
  EXPECT_THAT(notices[1], HasSubstr("retry 2 of 3 in 0.02 s"));  // the delay doubles
  EXPECT_GE(seconds, 0.03);
}

TEST(FetchHttp, GivesUpAfterTheLastRetry) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kServe, payload(), 0, 100});
  const std::string message = testing::error_message([&] {
    fetch_benchmark(one_file_manifest({server.url("/table.csv")}), fast_options(dir.path(), 2));
  });
  EXPECT_THAT(message, HasSubstr("HTTP 503 (3 attempts)"));
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_FALSE(fs::exists(part_path(dir.path())));
}

TEST(FetchHttp, ChecksumMismatchIsRejectedAndLeavesNothing) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kWrongContent, payload()});
  std::string inverted = payload();
  for (char& c : inverted) c = static_cast<char>(~c);
  FetchOptions options = fast_options(dir.path(), 3);
  std::vector<FetchProgress> reports;
  options.on_progress = [&](const FetchProgress& progress) { reports.push_back(progress); };
  const std::string message = testing::error_message(
      [&] { fetch_benchmark(one_file_manifest({server.url("/table.csv")}), options); });
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(reports.back().done);
  EXPECT_FALSE(reports.back().ok);
  EXPECT_THAT(message, HasSubstr(server.url("/table.csv") + ": sha256 mismatch: expected " +
                                 sha256_hex(payload()) + ", got " + sha256_hex(inverted)));
  EXPECT_THAT(message, HasSubstr("expected at: " + final_path(dir.path()).string()));
  EXPECT_EQ(server.requests().size(), 1u);  // wrong bytes are not a transient failure
  EXPECT_FALSE(fs::exists(final_path(dir.path())));
  EXPECT_FALSE(fs::exists(part_path(dir.path())));
}

TEST(FetchHttp, NotFoundListsUrlAndStatusWithoutRetrying) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/gone.csv", {RouteMode::kNotFound, ""});
  const std::string message = testing::error_message([&] {
    fetch_benchmark(one_file_manifest({server.url("/gone.csv")}), fast_options(dir.path(), 3));
  });
  EXPECT_THAT(message, HasSubstr("tried " + server.url("/gone.csv") + ": HTTP 404"));
  EXPECT_THAT(message, HasSubstr("how to get it: ask the test"));
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_FALSE(fs::exists(part_path(dir.path())));
}

TEST(FetchHttp, StalledServerTimesOutViaTheLowSpeedLimit) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kStall, payload()});
  const auto start = std::chrono::steady_clock::now();
  const std::string message = testing::error_message([&] {
    fetch_benchmark(one_file_manifest({server.url("/table.csv")}), fast_options(dir.path()));
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_THAT(message, HasSubstr(server.url("/table.csv") + ": time-out"));
  EXPECT_LT(seconds, 4.0);
  EXPECT_FALSE(fs::exists(final_path(dir.path())));
}

TEST(FetchHttp, ServerIgnoringRangeRestartsCleanly) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kIgnoreRange, payload()});
  testing::write_file(part_path(dir.path()), payload().substr(0, 50000));
  FetchOptions options = fast_options(dir.path());
  std::vector<std::string> notices;
  options.on_notice = [&](const std::string& line) { notices.push_back(line); };
  fetch_benchmark(one_file_manifest({server.url("/table.csv")}), options);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].range_start, 50000);
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());  // not 50000 bytes twice
  EXPECT_THAT(notices, ::testing::Contains(HasSubstr("ignored the Range request")));
}

TEST(FetchHttp, WrongPartialDownloadIsDeletedAndFetchedAgain) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kServe, payload()});
  testing::write_file(part_path(dir.path()), std::string(50000, 'x'));  // another file's start
  fetch_benchmark(one_file_manifest({server.url("/table.csv")}), fast_options(dir.path()));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].range_start, 50000);
  EXPECT_FALSE(requests[1].has_range);
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());
}

TEST(FetchHttp, CompletePartFromAnInterruptedRunNeedsNoRequest) {
  testing::TempDir dir;
  HttpTestServer server;
  testing::write_file(part_path(dir.path()), payload());
  fetch_benchmark(one_file_manifest({server.url("/table.csv")}), fast_options(dir.path()));
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(testing::read_file(final_path(dir.path())), payload());
}

TEST(FetchHttp, MirrorUrlFirstThenOfficialUrls) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/official/table.csv", {RouteMode::kServe, payload()});
  FetchOptions options = fast_options(dir.path(), 2);
  options.mirror = server.url("/mirror");  // has no bench/table.csv: 404, not retried
  fetch_benchmark(one_file_manifest({server.url("/official/table.csv")}), options);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/mirror/bench/table.csv");
  EXPECT_EQ(requests[1].path, "/official/table.csv");
}

TEST(FetchHttp, InteractiveOnlyHostIsNeverDownloaded) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/drive/table.csv", {RouteMode::kServe, payload()});
  Manifest manifest = one_file_manifest({server.url("/drive/table.csv")});
  manifest.files[0].interactive_only = true;
  manifest.files[0].host_note = "Google Drive: confirm in a browser";
  const std::string message =
      testing::error_message([&] { fetch_benchmark(manifest, fast_options(dir.path())); });
  EXPECT_TRUE(server.requests().empty());
  EXPECT_THAT(message, HasSubstr("download it by hand (the host needs a browser; Google Drive: "
                                 "confirm in a browser): open " +
                                 server.url("/drive/table.csv") + ", save the file as " +
                                 final_path(dir.path()).string() +
                                 " and check it has 300000 "
                                 "bytes and sha256 " +
                                 sha256_hex(payload())));
  EXPECT_THAT(message, HasSubstr("not downloaded (interactive_only"));
}

TEST(FetchHttp, StopRequestKeepsThePartForTheNextRun) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kStall, payload()});
  testing::write_file(part_path(dir.path()), payload().substr(0, 50000));
  FetchOptions options = fast_options(dir.path());
  options.low_speed_time = std::chrono::seconds(30);  // only the stop request ends it
  // Stop (as Ctrl-C would) once the server holds the resumed request and sends nothing.
  options.should_stop = [&] { return !server.requests().empty(); };
  const auto start = std::chrono::steady_clock::now();
  const std::string message = testing::error_message(
      [&] { fetch_benchmark(one_file_manifest({server.url("/table.csv")}), options); });
  EXPECT_THAT(message, HasSubstr("fetch of table.csv stopped on request; the partial download " +
                                 part_path(dir.path()).string() + " (50000 bytes) is kept"));
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 4.0);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_FALSE(fs::exists(final_path(dir.path())));
  EXPECT_EQ(testing::read_file(part_path(dir.path())), payload().substr(0, 50000));
}

TEST(FetchHttp, OfflineNeverConnects) {
  testing::TempDir dir;
  HttpTestServer server;
  server.add("/table.csv", {RouteMode::kServe, payload()});
  FetchOptions options = fast_options(dir.path());
  options.allow_network = false;
  EXPECT_THAT(testing::error_message(
                  [&] { fetch_benchmark(one_file_manifest({server.url("/table.csv")}), options); }),
              HasSubstr(server.url("/table.csv") + ": network disabled"));
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace zcb::data
