#include "zcb/data/h5_util.hpp"

#include <H5Cpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "test_util.hpp"
#include "zcb/error.hpp"

namespace zcb::h5 {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(H5Util, ColumnsRoundTrip) {
  data::testing::TempDir dir;
  const fs::path path = dir.path() / "sub/c.h5";
  const std::vector<std::int64_t> ids = {0, -1, std::numeric_limits<std::int64_t>::max()};
  const std::vector<std::string> names = {"", "a", std::string(300, 'z')};
  write_atomically(path, [&](H5::H5File& file) {
    write_int64s(file, "/g/ids", ids);
    write_strings(file, "/g/names", names);
    write_doubles(file, "/empty", {});
    create_groups(file, "/a/b/c");
    write_string_attribute(file, "meta", "{\"k\": 1}");
  });
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  H5::H5File file = open_for_reading(path);
  EXPECT_EQ(read_int64s(file, "/g/ids"), ids);
  EXPECT_EQ(read_strings(file, "/g/names"), names);
  EXPECT_TRUE(read_doubles(file, "/empty").empty());
  EXPECT_TRUE(exists(file, "/a/b/c"));
  EXPECT_FALSE(exists(file, "/a/x/c"));
  EXPECT_EQ(list_group(file, "/g"), (std::vector<std::string>{"ids", "names"}));
  EXPECT_TRUE(list_group(file, "/none").empty());
  EXPECT_EQ(read_string_attribute(file, "meta"), "{\"k\": 1}");
}

TEST(H5Util, ReadErrorsNameFileAndObject) {
  data::testing::TempDir dir;
  const fs::path path = dir.path() / "e.h5";
  write_atomically(path, [](H5::H5File& file) { write_strings(file, "/s", {"x"}); });
  H5::H5File file = open_for_reading(path);
  EXPECT_THAT(data::testing::error_message([&] { read_doubles(file, "/missing"); }),
              HasSubstr(path.string() + ": dataset '/missing' is missing"));
  EXPECT_THAT(data::testing::error_message([&] { read_doubles(file, "/s"); }),
              HasSubstr("dataset '/s' has the wrong type"));
  EXPECT_THAT(data::testing::error_message([&] { read_string_attribute(file, "nope"); }),
              HasSubstr("attribute 'nope' is missing"));
}

TEST(H5Util, FailedFillLeavesNoFile) {
  data::testing::TempDir dir;
  const fs::path path = dir.path() / "f.h5";
  EXPECT_THROW(write_atomically(path, [](H5::H5File&) { throw Error("stop"); }), Error);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

}  // namespace
}  // namespace zcb::h5
