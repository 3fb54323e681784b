#include "zcb/results/merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "file_bytes.hpp"
#include "temp_dir.hpp"
#include "zcb/error.hpp"
#include "zcb/results/score_file.hpp"

namespace zcb {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

nlohmann::json provenance(const std::string& settings_hash = "s1",
                          const std::string& git_sha = "abc") {
  return {{"settings", {{"proxy", "naswot"}, {"batch_size", 128}}},
          {"settings_hash", settings_hash},
          {"environment", {{"git_sha", git_sha}, {"cpu_isa", "avx512"}}}};
}

// Nine rows as one unsharded run would have them: every status, a NaN and a -0.0 included.
std::vector<ScoreRow> all_rows() {
  std::vector<ScoreRow> rows;
  for (std::int64_t arch = 0; arch < 9; ++arch) {
    rows.push_back({arch * 7, 0.5 * static_cast<double>(arch), RowStatus::kOk, ""});
  }
  rows[2] = {14, std::nan(""), RowStatus::kNonFinite, ""};
  rows[4] = {28, std::nan(""), RowStatus::kError, "RuntimeError: shape"};
  rows[5] = {35, -0.0, RowStatus::kOk, ""};
  return rows;
}

ScoreKey key(int index, int count) { return {"nb201", "cifar10", "naswot", 0, index, count}; }

/// Writes the rows at positions p with p % count == index as shard `index` of `count`.
void write_part(const fs::path& root, int index, int count, bool complete = true,
                const nlohmann::json& prov = provenance()) {
  ScoreFile part;
  part.key = key(index, count);
  part.provenance = prov;
  part.complete = complete;
  const auto rows = all_rows();
  for (std::size_t p = 0; p < rows.size(); ++p) {
    if (static_cast<int>(p % count) == index) part.rows.push_back(rows[p]);
  }
  write_score_file(score_path(root, part.key), part);
  write_timing_file(timing_path(score_path(root, part.key)), {{part.rows.front().arch_id, 1, 2}},
                    {});
}

fs::path write_unsharded(const fs::path& root) {
  ScoreFile single;
  single.key = key(0, 1);
  single.provenance = provenance();
  single.complete = true;
  single.rows = all_rows();
  const fs::path path = score_path(root, single.key);
  write_score_file(path, single);
  return path;
}

TEST(MergeShards, GivesTheBytesOfASingleRun) {
  test::TempDir single, sharded;
  const std::string expected = test::file_bytes(write_unsharded(single.path()));
  for (int i = 0; i < 3; ++i) write_part(sharded.path(), i, 3);
  const auto merged = merge_shards(sharded.path());
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_TRUE(merged[0].complete);
  EXPECT_EQ(merged[0].rows, 9);
  EXPECT_EQ(merged[0].parts_found, 3);
  EXPECT_EQ(test::file_bytes(merged[0].target), expected);
  EXPECT_EQ(read_timing_file(timing_path(merged[0].target)).size(), 3u);
  // Merging again changes nothing (the parts stay, the merged rows equal theirs).
  merge_shards(sharded.path());
  EXPECT_EQ(test::file_bytes(merged[0].target), expected);
}

TEST(MergeShards, MissingOrIncompletePartsGiveAnIncompleteFileThatNamesThem) {
  test::TempDir root;
  write_part(root.path(), 0, 4);
  write_part(root.path(), 2, 4, /*complete=*/false);
  const auto merged = merge_shards(root.path());
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_FALSE(merged[0].complete);
  EXPECT_EQ(merged[0].rows, 3 + 2);
  EXPECT_THAT(merged[0].missing_or_incomplete,
              ::testing::ElementsAre("seed-0.part-1-of-4.h5", "seed-0.part-2-of-4.h5",
                                     "seed-0.part-3-of-4.h5"));
  EXPECT_FALSE(read_score_file(merged[0].target).complete);
  // The rest arrives later: the earlier merged rows are kept and the file becomes complete.
  write_part(root.path(), 1, 4);
  write_part(root.path(), 2, 4);
  write_part(root.path(), 3, 4);
  const auto again = merge_shards(root.path());
  EXPECT_TRUE(again[0].complete);
  EXPECT_EQ(again[0].rows, 9);
}

TEST(MergeShards, DifferentSettingsOrBuildsAreRefusedAndNothingIsWritten) {
  test::TempDir settings, build;
  write_part(settings.path(), 0, 2);
  write_part(settings.path(), 1, 2, true, provenance("s2"));
  try {
    merge_shards(settings.path());
    FAIL() << "parts with different settings were merged";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("different settings"));
    EXPECT_THAT(e.what(), HasSubstr("seed-0.part-1-of-2.h5"));
  }
  EXPECT_FALSE(fs::exists(score_path(settings.path(), key(0, 1))));

  write_part(build.path(), 0, 2);
  write_part(build.path(), 1, 2, true, provenance("s1", "def"));
  try {
    merge_shards(build.path());
    FAIL() << "parts of different builds were merged";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("different builds or machines (environment fields: git_sha)"));
  }
}

TEST(MergeShards, ConflictingRowsForOneArchitectureAreAnError) {
  test::TempDir root;
  write_part(root.path(), 0, 2);
  write_part(root.path(), 1, 2);
  ScoreFile other;
  other.key = key(0, 1);
  other.provenance = provenance();
  other.rows = {{7, 123.0, RowStatus::kOk, ""}};  // arch 7 is 0.5 in the parts
  write_score_file(score_path(root.path(), other.key), other);
  EXPECT_THROW(
      {
        try {
          merge_shards(root.path());
        } catch (const Error& e) {
          EXPECT_THAT(e.what(), HasSubstr("architecture 7 has different rows"));
          throw;
        }
      },
      Error);
}

TEST(MergeShards, KeepsTheRowsOfAnEarlierUnshardedFile) {
  test::TempDir root;
  // An unsharded run finished the first rows, then shard 1 of 2 scored its share.
  ScoreFile early;
  early.key = key(0, 1);
  early.provenance = provenance();
  early.rows = {all_rows()[0], all_rows()[2]};
  write_score_file(score_path(root.path(), early.key), early);
  write_part(root.path(), 1, 2);
  const auto merged = merge_shards(root.path());
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].rows, 2 + 4);
  EXPECT_FALSE(merged[0].complete);  // part 0 of 2 is missing and the early file was partial
}

TEST(MergeShards, NoPartsIsNothingToDo) {
  test::TempDir root;
  EXPECT_TRUE(merge_shards(root.path()).empty());
  write_unsharded(root.path());
  EXPECT_TRUE(merge_shards(root.path()).empty());
}

TEST(MergeShards, APartFileInTheWrongPlaceOrWithAnotherKeyIsAnError) {
  test::TempDir misplaced, mislabelled;
  write_part(misplaced.path(), 0, 2);
  fs::create_directories(misplaced / "raw" / "stray");
  fs::copy_file(score_path(misplaced.path(), key(0, 2)),
                misplaced / "raw" / "stray" / "seed-0.part-0-of-2.h5");
  EXPECT_THROW(merge_shards(misplaced.path()), Error);

  write_part(mislabelled.path(), 0, 2);
  fs::copy_file(score_path(mislabelled.path(), key(0, 2)),
                score_path(mislabelled.path(), key(1, 2)));
  try {
    merge_shards(mislabelled.path());
    FAIL() << "a part holding another shard's key was merged";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds the rows of another key"));
  }
}

}  // namespace
}  // namespace zcb
