#include "zcb/data/transnas_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/manifest.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::map<std::string, fs::path> mirror_files(const fs::path& mirror, const std::string& bench) {
  std::map<std::string, fs::path> files;
  for (const ManifestFile& file : manifest_for(bench).files) {
    if (file.required) files[file.name] = mirror / file.mirror_path;
  }
  return files;
}

// Row of the maximum of @p values (first on ties) and how many rows tie with it.
std::pair<std::size_t, int> argmax(const std::vector<double>& values) {
  std::size_t best = 0;
  int ties = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] > values[best]) {
      best = i;
      ties = 1;
    } else if (values[i] == values[best]) {
      ++ties;
    }
  }
  return {best, ties};
}

// A valid index list: 3,256 macro lines then 4,096 micro lines.
std::string arch_list() {
  std::string text;
  std::size_t index = 0;
  for (int i = 0; i < 3256; ++i) {
    // Distinct macro strings: 4 to 6 codes 1..4 (4^4 + 4^5 + 4^6 > 3256).
    std::string codes;
    int n = i, length = i < 256 ? 4 : (i < 1280 ? 5 : 6);
    n = i < 256 ? i : (i < 1280 ? i - 256 : i - 1280);
    for (int k = 0; k < length; ++k, n /= 4) codes += static_cast<char>('1' + n % 4);
    text += "ArchResult(arch-index=" + std::to_string(index++) + ", arch=64-" + codes +
            "-basic, 7 tasks)\n";
  }
  for (int i = 0; i < 4096; ++i) {
    std::string ops;
    for (int k = 5, n = i; k >= 0; --k) ops += static_cast<char>('0' + ((n >> (2 * k)) & 3));
    text += "ArchResult(arch-index=" + std::to_string(index++) + ", arch=64-41414-" +
            ops.substr(0, 1) + "_" + ops.substr(1, 2) + "_" + ops.substr(3, 3) + ", 7 tasks)\n";
  }
  return text;
}

TEST(TransnasArchList, ParsesAValidListAndRejectsDamage) {
  const std::string text = arch_list();
  const std::vector<std::string> archs = parse_transnas_arch_list(text, "list");
  ASSERT_EQ(archs.size(), 7352u);
  EXPECT_EQ(archs[0], "64-1111-basic");
  EXPECT_EQ(archs[3256], "64-41414-0_00_000");
  EXPECT_EQ(archs[7351], "64-41414-3_33_333");
  const auto error = [&](std::string damaged) {
    return testing::error_message([&] { parse_transnas_arch_list(damaged, "list"); });
  };
  EXPECT_THAT(error(text.substr(0, text.size() / 2)), HasSubstr("list line"));
  EXPECT_THAT(error(""), HasSubstr("0 architectures, expected 7352"));
  std::string swapped = text;
  swapped.replace(swapped.find("arch-index=5,"), 13, "arch-index=6,");
  EXPECT_THAT(error(swapped), HasSubstr("list line 6: expected 'ArchResult(arch-index=5"));
  std::string micro_first = text;
  micro_first.replace(micro_first.find("64-1111-basic"), 13, "64-41414-0_00_0");
  EXPECT_THAT(error(micro_first), HasSubstr("is not a macro architecture"));
  std::string twice = text;
  twice.replace(twice.find("64-2111-basic"), 13, "64-1111-basic");
  EXPECT_THAT(error(twice), HasSubstr("listed twice"));
  EXPECT_THAT(error(text + "ArchResult(arch-index=7352, arch=64-1111-basic, 7 tasks)\n"),
              HasSubstr("more than 7352"));
}

TEST(TransnasTable, MissingFileNamesWhatIsNeeded) {
  EXPECT_THAT(testing::error_message([] { convert_transnas_micro({}); }),
              HasSubstr("'transnas-micro' conversion needs the file "
                        "'vascolopes_transnas_api_arch2.txt'"));
}

class TransnasTables : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path mirror = testing::shared_mirror();
    if (mirror.empty()) return;
    macro_ = new BenchmarkTable(
        convert_benchmark("transnas-macro", mirror_files(mirror, "transnas-macro")));
    micro_ = new BenchmarkTable(
        convert_benchmark("transnas-micro", mirror_files(mirror, "transnas-micro")));
  }
  static void TearDownTestSuite() {
    delete macro_;
    delete micro_;
    macro_ = micro_ = nullptr;
  }
  void SetUp() override {
    if (macro_ == nullptr) {
      GTEST_SKIP() << "shared data mirror not found: set ZCB_MIRROR to the mirror directory";
    }
  }
  static BenchmarkTable* macro_;
  static BenchmarkTable* micro_;
};

BenchmarkTable* TransnasTables::macro_ = nullptr;
BenchmarkTable* TransnasTables::micro_ = nullptr;

TEST_F(TransnasTables, RowsAndIndexes) {
  ASSERT_EQ(macro_->size(), 3256u);
  ASSERT_EQ(micro_->size(), 4096u);
  EXPECT_EQ(macro_->arch_strings[0], "64-4111-basic");
  EXPECT_EQ(macro_->arch_strings[1], "64-2311-basic");  // TNB README
  EXPECT_TRUE(macro_->official_index.empty());
  EXPECT_EQ(micro_->arch_strings[0], "64-41414-0_00_000");
  EXPECT_EQ(micro_->arch_strings[4095], "64-41414-3_33_333");
  ASSERT_EQ(micro_->official_index.size(), 4096u);
  EXPECT_EQ(micro_->official_index[0], 3256);
  EXPECT_EQ(micro_->official_index[4095], 7351);
  EXPECT_TRUE(std::isnan(micro_->params[0]));
  EXPECT_EQ(micro_->provenance.at("sources").size(), 9u);
  testing::TempDir dir;
  write_table(*micro_, dir.path() / "micro.h5");
  const BenchmarkTable read = read_table(dir.path() / "micro.h5");
  EXPECT_EQ(read.official_index, micro_->official_index);
  EXPECT_EQ(read.task("jigsaw").metrics, micro_->task("jigsaw").metrics);
}

TEST_F(TransnasTables, TasksAndShapes) {
  for (const BenchmarkTable* table : {macro_, micro_}) {
    ASSERT_EQ(table->tasks.size(), 7u);
    EXPECT_EQ(table->task("class_scene").info.num_classes, 63);
    EXPECT_EQ(table->task("class_object").info.num_classes, 100);
    EXPECT_EQ(table->task("jigsaw").info.num_classes, 1000);
    EXPECT_EQ(table->task("jigsaw").info.height, 64);
    EXPECT_EQ(table->task("segmentsemantic").info.default_metric, "valid_miou_best");
    EXPECT_EQ(table->task("room_layout").info.default_metric, "valid_neg_loss_best");
    EXPECT_EQ(table->task("normal").info.default_metric, "valid_ssim_best");
    EXPECT_EQ(table->task("class_scene").info.height, 256);
    EXPECT_EQ(table->task("class_scene").info.image_source, "imagenet-val-227-approx");
    EXPECT_EQ(table->task("class_scene").info.loss, "cross_entropy");
    EXPECT_EQ(table->task("jigsaw").info.loss, "cross_entropy");
    EXPECT_EQ(table->task("room_layout").info.loss, "mse");
    EXPECT_EQ(table->task("segmentsemantic").info.loss, "pixel_cross_entropy");
    EXPECT_EQ(table->task("normal").info.loss, "l1");
    EXPECT_EQ(table->task("autoencoder").info.loss, "l1_input");
    EXPECT_THAT(table->task("room_layout").description, HasSubstr("lower-is-better"));
  }
}

TEST_F(TransnasTables, FinalEpochNeverAboveBestEpoch) {
  // Two independent exports (NASGraph best epoch, NASLib final epoch) agree through our index
  // maps: a wrong map would put final values above best ones (SOURCES.md mapping check).
  const std::pair<const char*, const char*> pairs[] = {{"class_scene", "valid_top1"},
                                                       {"class_object", "valid_top1"},
                                                       {"jigsaw", "valid_top1"},
                                                       {"room_layout", "valid_neg_loss"},
                                                       {"segmentsemantic", "valid_pixel_acc"},
                                                       {"normal", "valid_ssim"},
                                                       {"autoencoder", "valid_ssim"}};
  for (const BenchmarkTable* table : {macro_, micro_}) {
    for (const auto& [task, metric] : pairs) {
      const auto& best = table->task(task).metric(std::string(metric) + "_best");
      const auto& last = table->task(task).metric(std::string(metric) + "_final");
      for (std::size_t row = 0; row < table->size(); ++row) {
        ASSERT_LE(last[row], best[row]) << table->benchmark << " " << task << " row " << row;
      }
    }
  }
  // Python check: 2,342 macro class_scene architectures peak at the last epoch.
  const auto& best = macro_->task("class_scene").metric("valid_top1_best");
  const auto& last = macro_->task("class_scene").metric("valid_top1_final");
  int equal = 0;
  for (std::size_t row = 0; row < best.size(); ++row) equal += best[row] == last[row];
  EXPECT_EQ(equal, 2342);
}

TEST_F(TransnasTables, SpotChecksAgainstTheSources) {
  // Best validation top-1 of class_scene (SOURCES.md: micro 54.94, macro 57.48).
  auto [row, ties] = argmax(micro_->task("class_scene").metric("valid_top1_best"));
  EXPECT_EQ(ties, 1);
  EXPECT_EQ(micro_->arch_strings[row], "64-41414-3_32_132");
  EXPECT_EQ(micro_->official_index[row], 7254);
  EXPECT_DOUBLE_EQ(micro_->task("class_scene").metric("valid_top1_best")[row], 54.93630599975586);
  std::tie(row, ties) = argmax(macro_->task("class_scene").metric("valid_top1_best"));
  EXPECT_EQ(row, 2266u);
  EXPECT_EQ(macro_->arch_strings[row], "64-224131-basic");
  EXPECT_DOUBLE_EQ(macro_->task("class_scene").metric("valid_top1_best")[row], 57.47909927368164);
  // Other tasks' maxima (SOURCES.md best valid values).
  EXPECT_DOUBLE_EQ(macro_->task("room_layout").metric("valid_neg_loss_best")[519],
                   -0.562761664390564);
  std::tie(row, ties) = argmax(micro_->task("autoencoder").metric("valid_ssim_best"));
  EXPECT_EQ(ties, 2);
  EXPECT_EQ(micro_->official_index[row], 4844);
  std::tie(row, ties) = argmax(macro_->task("segmentsemantic").metric("valid_miou_best"));
  EXPECT_EQ(macro_->arch_strings[row], "64-211314-basic");
}

}  // namespace
}  // namespace zcb::data
