#include "zcb/data/import_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

json task_json(const json& metrics) {
  return {{"name", "toy"},     {"num_classes", 10},         {"height", 32},
          {"width", 32},       {"image_source", "cifar10"}, {"description", "a toy"},
          {"metrics", metrics}};
}

// A CSV with ids out of order plus a JSON object keyed by architecture, joined on arch.
class ImportSynthetic : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_file(dir_.path() / "t.csv",
                        "idx,arch,acc,params\n2,c,30.5,300\n0,a,10,100\n1,b,,200\n");
    testing::write_file(dir_.path() / "sub" / "s.json",
                        R"({"data": {"b": {"score": {"v": [1, 2, 3]}, "net": {"k": [1]}},
                                     "a": {"score": {"v": [4, NaN]}, "net": {"k": [2]}}}})");
    mapping_ = {
        {"benchmark", "toy-import"},
        {"description", "synthetic"},
        {"sources",
         {{{"name", "t"}, {"path", "t.csv"}, {"format", "csv"}, {"arch", "arch"}, {"id", "idx"}},
          {{"name", "s"},
           {"path", "sub/s.json"},
           {"format", "json"},
           {"layout", "object"},
           {"records", "data"},
           {"arch", "$key"}}}},
        {"params", {{"source", "t"}, {"field", "params"}, {"scale", 2}}},
        {"tasks",
         {task_json({{{"name", "acc"},
                      {"source", "t"},
                      {"field", "acc"},
                      {"allow_missing", true},
                      {"description", "accuracy"}},
                     {{"name", "last"},
                      {"source", "s"},
                      {"field", "score.v.-1"},
                      {"allow_missing", true},
                      {"description", "last score"}}})}}};
  }

  std::string error(const std::function<void(json&)>& damage) {
    json mapping = mapping_;
    damage(mapping);
    return testing::error_message([&] { import_table(mapping, dir_.path()); });
  }

  testing::TempDir dir_;
  json mapping_;
};

TEST_F(ImportSynthetic, RowsJoinsAndFields) {
  const BenchmarkTable table = import_table(mapping_, dir_.path());
  EXPECT_EQ(table.benchmark, "toy-import");
  EXPECT_EQ(table.arch_strings, (std::vector<std::string>{"a", "b", "c"}));  // by id
  EXPECT_EQ(table.params, (std::vector<double>{200, 400, 600}));
  EXPECT_TRUE(std::isnan(table.flops[0]));
  const TaskTable& task = table.task("toy");
  EXPECT_EQ(task.info.default_metric, "acc");
  EXPECT_EQ(task.metric("acc")[0], 10);
  EXPECT_TRUE(std::isnan(task.metric("acc")[1]));  // empty field, allowed
  EXPECT_EQ(task.metric("acc")[2], 30.5);
  EXPECT_TRUE(std::isnan(task.metric("last")[0]));  // NaN in the JSON
  EXPECT_EQ(task.metric("last")[1], 3);
  EXPECT_TRUE(std::isnan(task.metric("last")[2]));  // not in the JSON source
  EXPECT_EQ(table.provenance.at("sources").size(), 2u);
  EXPECT_EQ(table.provenance.at("mapping"), mapping_);
  // Non-string arch values become compact JSON.
  json by_net = mapping_;
  by_net["sources"] = {{{"name", "s"},
                        {"path", "sub/s.json"},
                        {"format", "json"},
                        {"layout", "object"},
                        {"records", "data"},
                        {"arch", "net"}}};
  by_net["tasks"][0]["metrics"] = {
      {{"name", "first"}, {"source", "s"}, {"field", "score.v.0"}, {"description", "first score"}}};
  by_net.erase("params");
  const BenchmarkTable nets = import_table(by_net, dir_.path());
  // Object layout: records in sorted key order (a, b).
  EXPECT_EQ(nets.arch_strings, (std::vector<std::string>{R"({"k":[2]})", R"({"k":[1]})"}));
  EXPECT_EQ(nets.task("toy").metric("first"), (std::vector<double>{4, 1}));
}

TEST_F(ImportSynthetic, MappingErrorsNameTheProblem) {
  EXPECT_THAT(error([](json& m) { m["tasks"][0]["metrics"][0]["colum"] = "x"; }),
              HasSubstr("tasks[0].metrics[0] has the unknown key 'colum'"));
  EXPECT_THAT(error([](json& m) { m["tasks"][0]["metrics"][0]["allow_missing"] = false; }),
              HasSubstr("t.csv line 4 field 'acc'"));
  EXPECT_THAT(error([](json& m) { m["tasks"][0]["metrics"][1]["allow_missing"] = false; }),
              HasSubstr("null is not a number (set \"allow_missing\": true"));
  EXPECT_THAT(error([](json& m) { m["tasks"][0]["metrics"][1]["field"] = "score.v.7"; }),
              HasSubstr("no field 'score.v.7' (at '7')"));
  EXPECT_THAT(error([](json& m) { m["tasks"][0]["metrics"][0]["source"] = "u"; }),
              HasSubstr("unknown source 'u'"));
  EXPECT_THAT(error([](json& m) { m["sources"][0]["format"] = "xml"; }),
              HasSubstr("format 'xml' (known: csv, json)"));
  EXPECT_THAT(error([](json& m) { m["sources"][0]["id"] = "params"; }),
              HasSubstr("id 300 is outside 0..2"));
  EXPECT_THAT(error([](json& m) { m["sources"][1]["arch"] = "score.v.0"; }),
              HasSubstr("s.json record 0: architecture '4' is not in"));
  EXPECT_THAT(error([](json& m) { m["sources"][1]["layout"] = "list"; }),
              HasSubstr("expected a JSON list of records"));
  EXPECT_THAT(error([](json& m) { m["tasks"][0]["default_metric"] = "best"; }),
              HasSubstr("default_metric 'best' is not one of its metrics"));
  EXPECT_THAT(error([](json& m) { m.erase("tasks"); }), HasSubstr("the mapping needs 'tasks'"));
  testing::write_file(dir_.path() / "t.csv", "idx,arch,acc,params\n0,a,1,1\n1,a,2,2\n");
  EXPECT_THAT(error([](json&) {}), HasSubstr("architecture 'a' appears twice"));
  testing::write_file(dir_.path() / "m.json", "{");
  EXPECT_THAT(testing::error_message([&] { import_table_file(dir_.path() / "m.json"); }),
              HasSubstr("m.json: not valid JSON"));
}

TEST(ImportMirror, Nb201TwelveEpochCsvJoinedWithHardwareCsv) {
  ZCB_REQUIRE_MIRROR(mirror);
  testing::TempDir dir;
  const json mapping = {
      {"benchmark", "nb201-12ep"},
      {"sources",
       {{{"name", "mini"},
         {"path", (mirror / "nb201/derived/minibench_12epoch_accs.csv").string()},
         {"format", "csv"},
         {"arch", "cellstr"},
         {"id", "arch"}},
        {{"name", "hw"},
         {"path", (mirror / "hw-nas-bench/derived/hwnasbench_nb201_cifar10_by_index.csv").string()},
         {"format", "csv"},
         {"arch", "arch_str"}}}},
      {"tasks",
       {task_json({{{"name", "test_acc_12ep"},
                    {"source", "mini"},
                    {"field", "cifar10-test"},
                    {"description", "12-epoch CIFAR-10 test accuracy"}},
                   {{"name", "edgegpu_latency_ms"},
                    {"source", "hw"},
                    {"field", "edgegpu_latency"},
                    {"description", "HW-NAS-Bench edge GPU latency"}}})}}};
  testing::write_file(dir.path() / "nb201-12ep.json", mapping.dump(2));
  const BenchmarkTable table = import_table_file(dir.path() / "nb201-12ep.json");
  ASSERT_EQ(table.size(), 15625u);
  EXPECT_EQ(table.arch_strings[0],
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
            "skip_connect~2|");
  // SOURCES.md: the official 12-epoch CIFAR-10 value of index 0 is 69.55.
  EXPECT_EQ(table.task("toy").metric("test_acc_12ep")[0], 69.55);
  EXPECT_DOUBLE_EQ(table.task("toy").metric("edgegpu_latency_ms")[0], 5.807418537139893);
  write_table(table, table_path(dir.path(), table.benchmark));
  EXPECT_EQ(read_table(table_path(dir.path(), "nb201-12ep")).size(), 15625u);
}

TEST(ImportMirror, GenNasTransnasJsonPairs) {
  ZCB_REQUIRE_MIRROR(mirror);
  // [["64-4111-basic", 53.03], ...]: fields are array positions.
  const json mapping = {{"benchmark", "tnb-macro-scene"},
                        {"sources",
                         {{{"name", "g"},
                           {"path", "gennas-zero/trans/micro_class_scene.json"},
                           {"format", "json"},
                           {"arch", "0"}}}},
                        {"tasks",
                         {task_json({{{"name", "valid_top1_best"},
                                      {"source", "g"},
                                      {"field", "1"},
                                      {"description", "GenNAS-Zero class_scene value"}}})}}};
  const BenchmarkTable table = import_table(mapping, mirror);
  ASSERT_EQ(table.size(), 3255u);
  EXPECT_EQ(table.arch_strings[1], "64-2311-basic");
  // Equals NASGraph's best-epoch valid_top1 of TNB index 1.
  EXPECT_EQ(table.task("toy").metric("valid_top1_best")[1], 53.57782745361328);
}

}  // namespace
}  // namespace zcb::data
