#include "zcb/results/json_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "file_bytes.hpp"
#include "temp_dir.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(JsonFile, WritesSortedPrettyJsonAtomically) {
  test::TempDir dir;
  const fs::path path = dir / "stats" / "nb201" / "cifar10.json";  // parents created
  const nlohmann::json document = {{"b", 1}, {"a", {1.5, "x"}}};
  write_json_atomically(path, document);
  EXPECT_EQ(test::file_bytes(path), "{\n  \"a\": [\n    1.5,\n    \"x\"\n  ],\n  \"b\": 1\n}\n");
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  EXPECT_EQ(read_json_file(path), document);
}

TEST(JsonFile, NonFiniteNumbersBecomeNull) {
  test::TempDir dir;
  write_json_atomically(dir / "n.json", {{"nan", std::numeric_limits<double>::quiet_NaN()},
                                         {"inf", std::numeric_limits<double>::infinity()}});
  EXPECT_EQ(read_json_file(dir / "n.json"), (nlohmann::json{{"nan", nullptr}, {"inf", nullptr}}));
}

TEST(JsonFile, OverwritesAnExistingFile) {
  test::TempDir dir;
  write_json_atomically(dir / "a.json", {{"run", 1}});
  write_json_atomically(dir / "a.json", {{"run", 2}});
  EXPECT_EQ(read_json_file(dir / "a.json"), (nlohmann::json{{"run", 2}}));
}

TEST(JsonFile, WriteFailuresNameThePathAndLeaveNoTemporary) {
  test::TempDir dir;
  std::ofstream(dir / "file") << "x";
  const fs::path inside_a_file = dir / "file" / "a.json";
  try {
    write_json_atomically(inside_a_file, {{"a", 1}});
    FAIL() << "expected zcb::Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(inside_a_file.string()));
  }
  EXPECT_THROW(write_json_atomically(dir / "bad.json", {{"s", "\xff"}}), Error);
  EXPECT_FALSE(fs::exists(dir / "bad.json"));
  EXPECT_FALSE(fs::exists(dir / "bad.json.tmp"));
}

TEST(JsonFile, ReadErrorsNameThePath) {
  test::TempDir dir;
  std::ofstream(dir / "half.json") << "{\"a\": [1, 2";
  for (const fs::path& path : {dir / "missing.json", dir / "half.json"}) {
    try {
      read_json_file(path);
      ADD_FAILURE() << "expected zcb::Error for " << path;
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(path.string()));
    }
  }
}

}  // namespace
}  // namespace zcb
