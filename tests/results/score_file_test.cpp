#include "zcb/results/score_file.hpp"

#include <H5Cpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "file_bytes.hpp"
#include "temp_dir.hpp"
#include "zcb/data/h5_util.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::uint64_t bits(double value) {
  std::uint64_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

double from_bits(std::uint64_t value) {
  double out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

ScoreKey sample_key() { return {"nb201", "cifar10", "synflow", 3, 1, 4}; }

// A file with every status, special values and rows given out of order.
ScoreFile sample_file() {
  ScoreFile file;
  file.key = sample_key();
  file.complete = true;
  file.provenance = {{"proxy_version", 2},
                     {"table_sha256", "ab12"},
                     {"settings", {{"batch", 64}, {"float64", false}}}};
  const double inf = std::numeric_limits<double>::infinity();
  file.rows = {
      {15624, 1.5e300, RowStatus::kOk, ""},
      {7, std::numeric_limits<double>::quiet_NaN(), RowStatus::kNonFinite, ""},
      {0, -0.0, RowStatus::kOk, ""},
      {8, inf, RowStatus::kNonFinite, ""},
      {9, -inf, RowStatus::kNonFinite, ""},
      {10, from_bits(0xfff8000000000123ULL), RowStatus::kNonFinite, "NaN with a payload"},
      {11, 4.9e-324, RowStatus::kOk, ""},
      {12, std::numeric_limits<double>::quiet_NaN(), RowStatus::kError,
       "RuntimeError: shape mismatch [64, 3] vs [64, 5] \xc3\xa9"},
      {13, std::numeric_limits<double>::quiet_NaN(), RowStatus::kOutOfMemory, "CUDA OOM"},
      {14, std::numeric_limits<double>::quiet_NaN(), RowStatus::kCrashed, std::string(500, 'x')},
      {1LL << 40, 0.0, RowStatus::kUnsupported, "no batch norm"},
  };
  return file;
}

void expect_same_rows(const std::vector<ScoreRow>& got, std::vector<ScoreRow> want) {
  std::sort(want.begin(), want.end(),
            [](const ScoreRow& a, const ScoreRow& b) { return a.arch_id < b.arch_id; });
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].arch_id, want[i].arch_id);
    EXPECT_EQ(bits(got[i].score), bits(want[i].score)) << "arch " << want[i].arch_id;
    EXPECT_EQ(got[i].status, want[i].status);
    EXPECT_EQ(got[i].message, want[i].message);
  }
}

TEST(ScorePath, FollowsTheLayout) {
  ScoreKey key{"nb201", "cifar10", "synflow", 0, 0, 1};
  EXPECT_EQ(score_path("/r", key), fs::path("/r/raw/nb201/cifar10/synflow/seed-0.h5"));
  key.seed = 3;
  key.shard_index = 1;
  key.shard_count = 4;
  EXPECT_EQ(score_path("/r", key), fs::path("/r/raw/nb201/cifar10/synflow/seed-3.part-1-of-4.h5"));
}

TEST(ScorePath, RejectsInvalidKeys) {
  const auto bad = [](auto change) {
    ScoreKey key{"nb201", "cifar10", "synflow", 0, 0, 1};
    change(key);
    EXPECT_THROW(score_path("/r", key), Error);
  };
  bad([](ScoreKey& k) { k.space = ""; });
  bad([](ScoreKey& k) { k.task = ".."; });
  bad([](ScoreKey& k) { k.proxy = "a/b"; });
  bad([](ScoreKey& k) { k.seed = -1; });
  bad([](ScoreKey& k) { k.shard_count = 0; });
  bad([](ScoreKey& k) { k.shard_index = 1; });
  bad([](ScoreKey& k) { k.shard_index = -1; });
}

TEST(TimingPath, IsASibling) {
  EXPECT_EQ(timing_path("/r/raw/s/t/p/seed-0.h5"), fs::path("/r/raw/s/t/p/seed-0.timing.h5"));
  EXPECT_EQ(timing_path("seed-3.part-1-of-4.h5"), fs::path("seed-3.part-1-of-4.timing.h5"));
  EXPECT_THROW(timing_path("/r/seed-0.json"), Error);
  EXPECT_THROW(timing_path("/r/"), Error);
}

TEST(ScoreKey, ComparesEveryField) {
  const ScoreKey key = sample_key();
  EXPECT_EQ(key, sample_key());
  const auto differs = [&](auto change) {
    ScoreKey other = key;
    change(other);
    EXPECT_NE(key, other);
    EXPECT_FALSE(key == other);
  };
  differs([](ScoreKey& k) { k.space = "x"; });
  differs([](ScoreKey& k) { k.task = "x"; });
  differs([](ScoreKey& k) { k.proxy = "x"; });
  differs([](ScoreKey& k) { k.seed = 9; });
  differs([](ScoreKey& k) { k.shard_index = 2; });
  differs([](ScoreKey& k) { k.shard_count = 5; });
}

TEST(ScoreFile, RoundTripIsExact) {
  test::TempDir dir;
  const ScoreFile written = sample_file();
  const fs::path path = score_path(dir.path(), written.key);
  write_score_file(path, written);
  const ScoreFile read = read_score_file(path);
  EXPECT_EQ(read.key, written.key);
  EXPECT_TRUE(read.complete);
  EXPECT_EQ(read.provenance, written.provenance);
  expect_same_rows(read.rows, written.rows);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST(ScoreFile, EmptyAndIncompleteFilesRoundTrip) {
  test::TempDir dir;
  ScoreFile written;
  written.key = {"nb101", "cifar10", "naswot", 0, 0, 1};
  const fs::path path = dir / "empty.h5";
  write_score_file(path, written);
  const ScoreFile read = read_score_file(path);
  EXPECT_EQ(read.key, written.key);
  EXPECT_FALSE(read.complete);
  EXPECT_TRUE(read.rows.empty());
  EXPECT_TRUE(read.provenance.is_null());
}

TEST(ScoreFile, SameContentGivesIdenticalBytes) {
  test::TempDir dir;
  ScoreFile file = sample_file();
  write_score_file(dir / "a.h5", file);
  const std::string first = test::file_bytes(dir / "a.h5");
  write_score_file(dir / "a.h5", file);  // again, over the first
  // Row order does not matter: rows are sorted before writing.
  std::reverse(file.rows.begin(), file.rows.end());
  write_score_file(dir / "b.h5", file);
  ASSERT_GT(first.size(), 1000u);
  EXPECT_EQ(test::file_bytes(dir / "a.h5"), first);
  EXPECT_EQ(test::file_bytes(dir / "b.h5"), first);
  // A different score is a different file.
  file.rows[0].score += 1.0;
  write_score_file(dir / "c.h5", file);
  EXPECT_NE(test::file_bytes(dir / "c.h5"), first);
}

TEST(ScoreFile, RejectsBadRowsAndKeepsTheOldFile) {
  test::TempDir dir;
  const fs::path path = dir / "s.h5";
  write_score_file(path, sample_file());
  const std::string before = test::file_bytes(path);
  const auto rejected = [&](auto change, const char* reason) {
    ScoreFile file = sample_file();
    change(file);
    try {
      write_score_file(path, file);
      ADD_FAILURE() << "expected zcb::Error: " << reason;
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(path.string()));
      EXPECT_THAT(e.what(), HasSubstr(reason));
    }
    EXPECT_EQ(test::file_bytes(path), before);
    EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  };
  rejected([](ScoreFile& f) { f.rows.push_back({7, 1.0, RowStatus::kOk, ""}); }, "appears twice");
  rejected(
      [](ScoreFile& f) {
        f.rows.push_back({99, std::nan(""), RowStatus::kOk, ""});
      },
      "non-finite");
  rejected(
      [](ScoreFile& f) {
        f.rows.push_back({99, 1.0, RowStatus::kError, std::string("a\0b", 3)});
      },
      "NUL");
  rejected([](ScoreFile& f) { f.provenance = {{"bad", "\xff\xfe"}}; }, "UTF-8");
  ScoreFile bad_key = sample_file();
  bad_key.key.proxy = "";
  EXPECT_THROW(write_score_file(path, bad_key), Error);
  EXPECT_EQ(test::file_bytes(path), before);
}

// Reads @p path expecting an error that names the file and how to fix it.
void expect_read_error(const fs::path& path, const std::string& detail) {
  try {
    read_score_file(path);
    ADD_FAILURE() << "expected zcb::Error reading " << path;
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
    EXPECT_THAT(e.what(), HasSubstr(detail));
    EXPECT_THAT(e.what(), HasSubstr("delete"));
    EXPECT_THAT(e.what(), HasSubstr("--force"));
  }
}

TEST(ScoreFile, TruncatedFileIsAnErrorThatSaysHowToFixIt) {
  test::TempDir dir;
  const fs::path path = dir / "seed-0.h5";
  write_score_file(path, sample_file());
  fs::resize_file(path, fs::file_size(path) / 2);
  expect_read_error(path, "cannot read score file");
}

TEST(ScoreFile, NonHdf5AndMissingFilesAreErrors) {
  test::TempDir dir;
  const fs::path text = dir / "seed-0.h5";
  std::ofstream(text) << "this is not an HDF5 file\n";
  expect_read_error(text, "not an HDF5 file");
  try {
    read_score_file(dir / "missing.h5");
    FAIL() << "expected zcb::Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir / "missing.h5").string() + " not found"));
    EXPECT_THAT(e.what(), HasSubstr("run the score stage"));
  }
}

// Writes a score-like file by hand, to check what the reader refuses.
void write_raw(const fs::path& path, const std::string& metadata, std::vector<std::int64_t> ids,
               std::vector<double> scores, std::vector<std::int64_t> statuses,
               std::vector<std::string> messages) {
  h5::write_atomically(path, [&](H5::H5File& file) {
    h5::write_int64s(file, "/arch_id", ids);
    h5::write_doubles(file, "/score", scores);
    h5::write_int64s(file, "/status", statuses);
    h5::write_strings(file, "/message", messages);
    if (!metadata.empty()) h5::write_string_attribute(file, "zcb_scores", metadata);
  });
}

TEST(ScoreFile, SchemaMismatchesAreErrors) {
  test::TempDir dir;
  const fs::path path = dir / "s.h5";
  const std::string key =
      R"("key":{"space":"s","task":"t","proxy":"p","seed":0,"shard_index":0,"shard_count":1})";
  const std::string good = R"({"schema_version":1,"complete":true,"provenance":null,)" + key + "}";

  write_raw(path, good, {1, 2}, {0.5, 0.25}, {0, 0}, {"", ""});
  EXPECT_EQ(read_score_file(path).rows.size(), 2u);  // the hand-made file itself is valid

  write_raw(path, R"({"schema_version":2,"complete":true,"provenance":null,)" + key + "}", {1},
            {0.5}, {0}, {""});
  expect_read_error(path, "schema version 2");
  write_raw(path, "", {1}, {0.5}, {0}, {""});
  expect_read_error(path, "'zcb_scores' is missing");
  write_raw(path, "not json", {1}, {0.5}, {0}, {""});
  expect_read_error(path, "not a JSON object");
  write_raw(path, R"({"schema_version":1,"complete":true,"provenance":null})", {1}, {0.5}, {0},
            {""});
  expect_read_error(path, "'key' is missing");
  write_raw(path, R"({"schema_version":1,"complete":"yes","provenance":null,)" + key + "}", {1},
            {0.5}, {0}, {""});
  expect_read_error(path, "'complete' has the wrong type");
  write_raw(path, good, {1, 2}, {0.5}, {0, 0}, {"", ""});
  expect_read_error(path, "'/score' has 1 rows");
  write_raw(path, good, {2, 1}, {0.5, 0.5}, {0, 0}, {"", ""});
  expect_read_error(path, "not strictly increasing");
  write_raw(path, good, {1}, {0.5}, {99}, {""});
  expect_read_error(path, "unknown row status code 99");
  h5::write_atomically(path, [&](H5::H5File& file) {
    h5::write_int64s(file, "/arch_id", {1});
    h5::write_string_attribute(file, "zcb_scores", good);
  });
  expect_read_error(path, "'/score' is missing");
}

TEST(TimingFile, RoundTripsSortedRows) {
  test::TempDir dir;
  const fs::path path = timing_path(dir / "seed-0.h5");
  const std::vector<TimingRow> rows = {
      {5, 12.5, 3.25, 812.5}, {1, 0.0, 1e-3, std::nan("")}, {3, 1e6, 2.0, 4096.0}};
  write_timing_file(path, rows, {{"device", "cpu"}, {"threads", 1}});
  const std::vector<TimingRow> read = read_timing_file(path);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].arch_id, 1);
  EXPECT_EQ(read[0].score_ms, 1e-3);
  EXPECT_TRUE(std::isnan(read[0].peak_rss_mib));
  EXPECT_EQ(read[1].peak_rss_mib, 4096.0);
  EXPECT_EQ(read[2].peak_rss_mib, 812.5);
  EXPECT_EQ(read[1].arch_id, 3);
  EXPECT_EQ(read[1].build_ms, 1e6);
  EXPECT_EQ(read[2].arch_id, 5);
  EXPECT_EQ(read[2].build_ms, 12.5);
  EXPECT_EQ(read[2].score_ms, 3.25);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

// Sidecars written before peak memory was recorded still read, with the peak unknown.
TEST(TimingFile, ReadsSidecarsWithoutPeakMemory) {
  test::TempDir dir;
  const fs::path path = timing_path(dir / "seed-0.h5");
  write_timing_file(path, {{2, 1.0, 2.0, 100.0}}, nullptr);
  const std::string metadata = [&] {
    H5::H5File in(path.string(), H5F_ACC_RDONLY);
    return h5::read_string_attribute(in, "zcb_timings");
  }();
  h5::write_atomically(path, [&](H5::H5File& out) {
    h5::write_int64s(out, "/arch_id", {2});
    h5::write_doubles(out, "/build_ms", {1.0});
    h5::write_doubles(out, "/score_ms", {2.0});
    h5::write_string_attribute(out, "zcb_timings", metadata);
  });
  const std::vector<TimingRow> read = read_timing_file(path);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].score_ms, 2.0);
  EXPECT_TRUE(std::isnan(read[0].peak_rss_mib));
}

TEST(TimingFile, RejectsDuplicatesAndForeignFiles) {
  test::TempDir dir;
  EXPECT_THROW(write_timing_file(dir / "t.h5", {{1, 1, 1}, {1, 2, 2}}, nullptr), Error);
  EXPECT_FALSE(fs::exists(dir / "t.h5"));
  // A score file is not a timing file.
  write_score_file(dir / "s.h5", sample_file());
  try {
    read_timing_file(dir / "s.h5");
    FAIL() << "expected zcb::Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("'zcb_timings' is missing"));
    EXPECT_THAT(e.what(), HasSubstr((dir / "s.h5").string()));
  }
  EXPECT_THROW(read_timing_file(dir / "missing.timing.h5"), Error);
}

}  // namespace
}  // namespace zcb
