#include "zcb/data/nats_table.hpp"

#include <bzlib.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/csv.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using testing::error_message;
using ::testing::HasSubstr;

constexpr const char* kSamples = "nats-bench/format-samples";

std::map<std::string, std::filesystem::path> folder_map(const std::filesystem::path& mirror,
                                                        const char* folder) {
  return {{folder, mirror / kSamples / folder}};
}

// Goldens decoded by hand with CPython's pickle/bz2 + numpy from the same sample files
// (get_more_info(i, ds, hp, is_random=False) semantics: mean over dataset_seed), and for the
// TSS test accuracies equal to nb201/nats-bench-landscape_nats_bench.csv rows 0, 11, 284.
struct Golden {
  std::size_t index;
  double c10_test, c10_valid, c100_test, c100_valid, in16_test, in16_valid;
  double c10_params, c10_flops, in16_params, in16_flops;
};

void expect_golden(const BenchmarkTable& table, const Golden& g) {
  const std::size_t i = g.index;
  EXPECT_DOUBLE_EQ(table.task("cifar10").metric(table.task("cifar10").info.default_metric)[i],
                   g.c10_test);
  const std::string suffix = table.benchmark == "nats-tss" ? "200ep" : "90ep";
  EXPECT_DOUBLE_EQ(table.task("cifar10").metric("test_acc_" + suffix)[i], g.c10_test);
  EXPECT_DOUBLE_EQ(table.task("cifar10").metric("valid_acc_" + suffix)[i], g.c10_valid);
  EXPECT_DOUBLE_EQ(table.task("cifar100").metric("test_acc_" + suffix)[i], g.c100_test);
  EXPECT_DOUBLE_EQ(table.task("cifar100").metric("valid_acc_" + suffix)[i], g.c100_valid);
  EXPECT_DOUBLE_EQ(table.task("ImageNet16-120").metric("test_acc_" + suffix)[i], g.in16_test);
  EXPECT_DOUBLE_EQ(table.task("ImageNet16-120").metric("valid_acc_" + suffix)[i], g.in16_valid);
  EXPECT_EQ(table.params[i], g.c10_params);
  EXPECT_EQ(table.flops[i], g.c10_flops);
  EXPECT_EQ(table.task("cifar10").metric("params")[i], g.c10_params);
  EXPECT_EQ(table.task("ImageNet16-120").metric("params")[i], g.in16_params);
  EXPECT_EQ(table.task("ImageNet16-120").metric("flops")[i], g.in16_flops);
}

TEST(NatsTable, TopologySamples) {
  ZCB_REQUIRE_MIRROR(mirror);
  const auto files = folder_map(mirror, kNatsTssFolder);
  if (!std::filesystem::exists(files.begin()->second)) GTEST_SKIP() << "no NATS samples";
  const BenchmarkTable table = convert_benchmark("nats-tss", files);
  ASSERT_EQ(table.size(), 15625u);
  EXPECT_EQ(table.arch_strings[0],
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
            "skip_connect~2|");
  expect_golden(table,
                {0, 85.86333333333334, 81.98266665690103, 52.913333294677734, 52.69999994710287,
                 26.6333332739936, 28.21111109246148, 129306, 15647370, 136456, 3919480});
  expect_golden(table,
                {11, 91.58333333333333, 87.9399999983724, 67.6066666422526, 67.45333326416016,
                 30.166666602240667, 30.411111104329425, 802426, 113951370, 809576, 28495480});
  expect_golden(table, {284, 88.79, 86.04666666341147, 62.13999997558594, 61.67999998779297,
                        32.466666556464304, 33.399999984741214, 101306, 11715210, 108456, 2936440});
  // Independent source: the NATS-TSS export nats-bench-landscape_nats_bench.csv (its generator
  // called get_more_info(i, ds, hp=200, is_random=False)["test-accuracy"]).
  const auto export_path = mirror / "nb201/nats-bench-landscape_nats_bench.csv";
  if (std::filesystem::exists(export_path)) {
    const CsvTable csv = read_csv(export_path);
    const char* columns[3] = {"CIFAR10TestAccuracy200Epochs", "CIFAR100TestAccuracy200Epochs",
                              "ImageNetTestAccuracy200Epochs"};
    for (std::size_t row : {0, 11, 284}) {
      EXPECT_EQ(csv.rows[row][csv.column("ArchitectureString")], table.arch_strings[row]);
      for (std::size_t t = 0; t < 3; ++t) {
        EXPECT_DOUBLE_EQ(table.tasks[t].metric("test_acc_200ep")[row],
                         parse_double(csv.rows[row][csv.column(columns[t])], "export"))
            << row << " " << columns[t];
      }
    }
  }
  // Rows without an arch file are NaN, and the provenance says which rows have results.
  EXPECT_TRUE(std::isnan(table.task("cifar10").metric("test_acc_200ep")[1]));
  EXPECT_TRUE(std::isnan(table.params[1]));
  EXPECT_EQ(table.provenance.at("complete"), false);
  EXPECT_EQ(table.provenance.at("archs_with_results"), 3);
  EXPECT_EQ(table.provenance.at("evaluated_indexes"), (nlohmann::json{0, 11, 284}));
  EXPECT_EQ(table.provenance.at("sources").at(0).at("sha256"),
            nats_folder_digest(files.begin()->second));
  // The table survives its HDF5 file (NaN rows included).
  testing::TempDir dir;
  write_table(table, dir.path() / "nats-tss.h5");
  const BenchmarkTable back = read_table(dir.path() / "nats-tss.h5");
  EXPECT_EQ(back.task("cifar100").metric("test_acc_200ep")[11], 67.6066666422526);
  EXPECT_TRUE(std::isnan(back.task("cifar100").metric("test_acc_200ep")[12]));
  EXPECT_EQ(back.provenance.at("archs_with_results"), 3);
}

TEST(NatsTable, SizeSamples) {
  ZCB_REQUIRE_MIRROR(mirror);
  const auto files = folder_map(mirror, kNatsSssFolder);
  if (!std::filesystem::exists(files.begin()->second)) GTEST_SKIP() << "no NATS samples";
  const BenchmarkTable table = convert_benchmark("nats-sss", files);
  ASSERT_EQ(table.size(), 32768u);
  EXPECT_EQ(table.arch_strings[0], "8:8:8:8:8");
  expect_golden(table, {0, 79.79, 76.88799998779297, 32.299999987792965, 32.23999996337891,
                        15.53333334350586, 16.59999999745687, 11714, 4481114, 12704, 1121336});
  expect_golden(table, {11, 85.77, 83.72400000976563, 53.67999993286133, 54.45999995117187,
                        25.4666666208903, 25.666666646321616, 49202, 6840650, 52832, 1714040});
  expect_golden(table, {284, 89.51, 86.79599999511719, 62.70000004882812, 62.77999999389648,
                        32.76666660054525, 33.33333323160807, 144834, 21827994, 149344, 5461816});
}

TEST(NatsTable, SampleFilesFetchedByTheManifestGiveTheSameTable) {
  // Without the official folder, `zcbench fetch` puts the official sample files of the manifest
  // side by side in <data_root>/raw/nats-sss/; the converter reads that folder.
  ZCB_REQUIRE_MIRROR(mirror);
  const std::filesystem::path folder = mirror / kSamples / kNatsSssFolder;
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "no NATS samples";
  std::map<std::string, std::filesystem::path> files;
  for (const char* name :
       {"meta.pickle.pbz2", "000000.pickle.pbz2", "000011.pickle.pbz2", "000284.pickle.pbz2"}) {
    files[name] = folder / name;
  }
  const BenchmarkTable table = convert_benchmark("nats-sss", files);
  const BenchmarkTable official = convert_benchmark("nats-sss", folder_map(mirror, kNatsSssFolder));
  EXPECT_EQ(table.arch_strings, official.arch_strings);
  expect_golden(table, {284, 89.51, 86.79599999511719, 62.70000004882812, 62.77999999389648,
                        32.76666660054525, 33.33333323160807, 144834, 21827994, 149344, 5461816});
  EXPECT_FALSE(table.provenance.at("complete").get<bool>());
  EXPECT_EQ(table.provenance.at("sources").size(), 4u);
}

std::string bzip2(const std::string& data) {
  unsigned int length = static_cast<unsigned int>(data.size() + data.size() / 100 + 600);
  std::string out(length, '\0');
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &length, const_cast<char*>(data.data()),
                                     static_cast<unsigned int>(data.size()), 9, 0, 0),
            BZ_OK);
  out.resize(length);
  return out;
}

TEST(NatsTable, ErrorsNameTheFile) {
  testing::TempDir dir;
  const auto folder = dir.path() / kNatsTssFolder;
  EXPECT_THAT(error_message([&] { convert_nats_tss({}); }),
              HasSubstr("needs the official folder 'NATS-tss-v1_0-3ffb9-simple'"));
  EXPECT_THAT(error_message([&] {
                convert_nats_tss({{kNatsTssFolder, folder}});
              }),
              HasSubstr("meta.pickle.pbz2: cannot open"));
  // A meta pickle without meta_archs: {'total_archs': 1} (protocol 2).
  testing::write_file(folder / "meta.pickle.pbz2",
                      bzip2(std::string("\x80\x02}X\x0b\x00\x00\x00total_archsK\x01s.", 23)));
  const std::string message = error_message([&] { convert_nats_tss({{kNatsTssFolder, folder}}); });
  EXPECT_THAT(message,
              HasSubstr("meta.pickle.pbz2: pickle dict at offset 2 has no key 'meta_archs'"));
  testing::write_file(folder / "meta.pickle.pbz2", "not bzip2");
  EXPECT_THAT(error_message([&] {
                convert_nats_tss({{kNatsTssFolder, folder}});
              }),
              HasSubstr("meta.pickle.pbz2: bzip2 not bzip2 data"));
}

}  // namespace
}  // namespace zcb::data
