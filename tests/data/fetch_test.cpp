#include "zcb/data/fetch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "test_util.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

ManifestFile toy_file(const std::string& name, const std::string& content) {
  ManifestFile file;
  file.name = name;
  file.role = "table";
  file.required = true;
  file.urls = {"https://example.invalid/" + name};
  file.sha256 = sha256_hex(content);
  file.size = static_cast<std::int64_t>(content.size());
  file.license = "MIT";
  file.citation = "toy";
  file.mirror_path = "toy/sub/" + name;
  file.how_to_get = "ask the toy maintainer for " + name;
  return file;
}

// Two required files and one optional file, the layout of a real manifest.
Manifest toy_manifest() {
  Manifest manifest;
  manifest.benchmark = "toy";
  manifest.description = "toy";
  manifest.files = {toy_file("a.csv", "alpha\n"), toy_file("b.bin", std::string(5000, 'b'))};
  ManifestFile official = toy_file("official.pth", "");
  official.required = false;
  official.sha256.clear();
  official.size = -1;
  official.mirror_path.clear();
  manifest.files.push_back(official);
  return manifest;
}

void fill_mirror(const fs::path& mirror) {
  testing::write_file(mirror / "toy/sub/a.csv", "alpha\n");
  testing::write_file(mirror / "toy/sub/b.bin", std::string(5000, 'b'));
}

bool no_temporaries(const fs::path& dir) {
  if (!fs::exists(dir)) return true;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto extension = entry.path().extension();
    if (extension == ".tmp" || extension == ".part") return false;
  }
  return true;
}

// No retries: a refused connection fails at once (fetch_http_test.cpp covers retries).
FetchOptions options_for(const fs::path& data_root, const std::string& mirror, bool network) {
  FetchOptions options;
  options.data_root = data_root;
  options.mirror = mirror;
  options.allow_network = network;
  options.retries = 0;
  return options;
}

std::string file_url(const fs::path& path) { return "file://" + fs::absolute(path).string(); }

TEST(Fetch, RawFilePath) {
  EXPECT_EQ(raw_file_path("/d", "nb201", "x.csv"), fs::path("/d/raw/nb201/x.csv"));
}

TEST(Fetch, CopiesFromLocalMirrorAndVerifies) {
  testing::TempDir dir;
  fill_mirror(dir.path() / "mirror");
  const FetchOptions options =
      options_for(dir.path() / "root", (dir.path() / "mirror").string(), false);
  const auto paths = fetch_benchmark(toy_manifest(), options);
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths.at("a.csv"), dir.path() / "root/raw/toy/a.csv");
  EXPECT_EQ(testing::read_file(paths.at("a.csv")), "alpha\n");
  EXPECT_EQ(testing::read_file(paths.at("b.bin")), std::string(5000, 'b'));
  EXPECT_TRUE(no_temporaries(dir.path() / "root/raw/toy"));

  // Second run: files in place are verified and kept; no mirror needed.
  fs::remove_all(dir.path() / "mirror");
  const FetchOptions offline = options_for(dir.path() / "root", "", false);
  EXPECT_EQ(fetch_benchmark(toy_manifest(), offline), paths);
}

TEST(Fetch, OptionalFileInPlaceIsReturnedButNeverFetched) {
  testing::TempDir dir;
  fill_mirror(dir.path() / "mirror");
  const FetchOptions options =
      options_for(dir.path() / "root", (dir.path() / "mirror").string(), false);
  EXPECT_EQ(fetch_benchmark(toy_manifest(), options).count("official.pth"), 0u);
  testing::write_file(dir.path() / "root/raw/toy/official.pth", "weights");
  const auto paths = fetch_benchmark(toy_manifest(), options);
  EXPECT_EQ(paths.at("official.pth"), dir.path() / "root/raw/toy/official.pth");
}

TEST(Fetch, WrongFileInPlaceIsAnErrorWithTheFix) {
  testing::TempDir dir;
  fill_mirror(dir.path() / "mirror");
  testing::write_file(dir.path() / "root/raw/toy/a.csv", "tampered\n");
  const FetchOptions options =
      options_for(dir.path() / "root", (dir.path() / "mirror").string(), false);
  const std::string message =
      testing::error_message([&] { fetch_benchmark(toy_manifest(), options); });
  EXPECT_THAT(message, HasSubstr((dir.path() / "root/raw/toy/a.csv").string()));
  EXPECT_THAT(message, HasSubstr("expected " + sha256_hex("alpha\n")));
  EXPECT_THAT(message, HasSubstr(sha256_hex("tampered\n")));
  EXPECT_THAT(message, HasSubstr("delete it and fetch again"));
  EXPECT_EQ(testing::read_file(dir.path() / "root/raw/toy/a.csv"), "tampered\n");
}

TEST(Fetch, MirrorChecksumMismatchLeavesNothing) {
  testing::TempDir dir;
  fill_mirror(dir.path() / "mirror");
  testing::write_file(dir.path() / "mirror/toy/sub/a.csv", "alphA\n");  // same size, other bytes
  testing::write_file(dir.path() / "mirror/toy/sub/b.bin", std::string(4000, 'b'));
  const FetchOptions options =
      options_for(dir.path() / "root", (dir.path() / "mirror").string(), false);
  const std::string message =
      testing::error_message([&] { fetch_benchmark(toy_manifest(), options); });
  EXPECT_THAT(message, HasSubstr("cannot obtain 2 required files of benchmark 'toy'"));
  EXPECT_THAT(message, HasSubstr("sha256 mismatch: expected " + sha256_hex("alpha\n") + ", got " +
                                 sha256_hex("alphA\n")));
  EXPECT_THAT(message, HasSubstr("got 4000 bytes, expected 5000"));
  EXPECT_FALSE(fs::exists(dir.path() / "root/raw/toy/a.csv"));
  EXPECT_FALSE(fs::exists(dir.path() / "root/raw/toy/b.bin"));
  EXPECT_TRUE(no_temporaries(dir.path() / "root/raw/toy"));
}

TEST(Fetch, MissingFilesAreOneErrorNamingEachFile) {
  testing::TempDir dir;
  const FetchOptions options = options_for(dir.path() / "root", "", false);
  const std::string message =
      testing::error_message([&] { fetch_benchmark(toy_manifest(), options); });
  EXPECT_THAT(message, HasSubstr("cannot obtain 2 required files of benchmark 'toy'"));
  for (const char* name : {"a.csv", "b.bin"}) {
    EXPECT_THAT(message, HasSubstr((dir.path() / "root/raw/toy" / name).string()));
    EXPECT_THAT(message, HasSubstr("https://example.invalid/" + std::string(name)));
    EXPECT_THAT(message, HasSubstr("ask the toy maintainer for " + std::string(name)));
  }
  EXPECT_THAT(message, HasSubstr("network disabled"));
  EXPECT_THAT(message, HasSubstr("ZCB_MIRROR"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("official.pth")));
}

TEST(Fetch, MissingMirrorFileFallsBackToUrls) {
  testing::TempDir dir;
  fill_mirror(dir.path() / "mirror");
  fs::remove(dir.path() / "mirror/toy/sub/b.bin");
  testing::write_file(dir.path() / "official/b.bin", std::string(5000, 'b'));
  Manifest manifest = toy_manifest();
  manifest.files[1].urls = {"http://127.0.0.1:1/refused/b.bin",
                            file_url(dir.path() / "official/b.bin")};
  const FetchOptions options =
      options_for(dir.path() / "root", (dir.path() / "mirror").string(), true);
  const auto paths = fetch_benchmark(manifest, options);
  EXPECT_EQ(testing::read_file(paths.at("b.bin")), std::string(5000, 'b'));
}

TEST(Fetch, DownloadMismatchAndRefusedConnectionAreReported) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "official/a.csv", "not alpha, and longer\n");
  Manifest manifest = toy_manifest();
  manifest.files.resize(1);
  manifest.files[0].urls = {"http://127.0.0.1:1/refused/a.csv",
                            file_url(dir.path() / "official/a.csv")};
  const FetchOptions options = options_for(dir.path() / "root", "", true);
  const std::string message = testing::error_message([&] { fetch_benchmark(manifest, options); });
  EXPECT_THAT(message, HasSubstr("http://127.0.0.1:1/refused/a.csv: download failed"));
  EXPECT_THAT(message, HasSubstr(": got more bytes than the expected 6 bytes"));
  EXPECT_FALSE(fs::exists(dir.path() / "root/raw/toy/a.csv"));
  EXPECT_TRUE(no_temporaries(dir.path() / "root/raw/toy"));
}

TEST(Fetch, MirrorGivenAsUrl) {
  testing::TempDir dir;
  fill_mirror(dir.path() / "mirror");
  const FetchOptions options =
      options_for(dir.path() / "root", file_url(dir.path() / "mirror") + "/", true);
  const auto paths = fetch_benchmark(toy_manifest(), options);
  EXPECT_EQ(testing::read_file(paths.at("a.csv")), "alpha\n");
  const FetchOptions offline =
      options_for(dir.path() / "other", file_url(dir.path() / "mirror"), false);
  EXPECT_THAT(
      testing::error_message([&] { fetch_benchmark(toy_manifest(), offline); }),
      HasSubstr("mirror " + file_url(dir.path() / "mirror") + "/toy/sub/a.csv: network disabled"));
}

// Sets or clears an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old;
    had_value_ = std::getenv(name) != nullptr;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (had_value_) {
      ::setenv(name_, previous_.c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string previous_;
  bool had_value_ = false;
};

TEST(Fetch, DefaultsComeFromTheEnvironment) {
  {
    ScopedEnv root("ZCB_DATA_ROOT", nullptr);
    ScopedEnv mirror("ZCB_MIRROR", nullptr);
    EXPECT_EQ(default_data_root(), fs::path("./zcb-data"));
    EXPECT_EQ(default_mirror(), "");
  }
  ScopedEnv root("ZCB_DATA_ROOT", "/data/zcb");
  ScopedEnv mirror("ZCB_MIRROR", "https://mirror.example/zcb");
  EXPECT_EQ(default_data_root(), fs::path("/data/zcb"));
  EXPECT_EQ(default_mirror(), "https://mirror.example/zcb");
}

// The embedded manifests against the real mirror: every sha256 and size in them is right.
TEST(Fetch, RealManifestsFromSharedMirror) {
  ZCB_REQUIRE_MIRROR(mirror);
  testing::TempDir dir;
  const FetchOptions options = options_for(dir.path(), mirror.string(), false);
  for (const char* benchmark : {"nb201", "images"}) {
    const Manifest manifest = manifest_for(benchmark);
    const auto paths = fetch_benchmark(manifest, options);
    std::size_t required = 0;
    for (const ManifestFile& file : manifest.files) {
      if (!file.required) continue;
      ++required;
      ASSERT_EQ(paths.count(file.name), 1u) << file.name;
      EXPECT_EQ(static_cast<std::int64_t>(fs::file_size(paths.at(file.name))), file.size);
    }
    EXPECT_EQ(paths.size(), required) << benchmark;
  }
}

}  // namespace
}  // namespace zcb::data
