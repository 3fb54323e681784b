#include "zcb/data/naslib_keys.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

TEST(NaslibKeys, Nb201TupleToString) {
  // SOURCES.md: NB201 index 0 is (4, 3, 3, 0, 0, 0).
  EXPECT_EQ(nb201_string_from_naslib("(4, 3, 3, 0, 0, 0)", "t"),
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
            "skip_connect~2|");
  // Edge order (e12, e13, e14, e23, e24, e34) vs string order (e12 | e13 e23 | e14 e24 e34).
  EXPECT_EQ(nb201_string_from_naslib("(0,1,2,3,4,0)", "t"),
            "|skip_connect~0|+|none~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|"
            "skip_connect~2|");
}

TEST(NaslibKeys, TransnasTuples) {
  EXPECT_EQ(transnas_micro_string_from_naslib("(1, 0, 0, 2, 1, 0)", "t"), "64-41414-1_00_210");
  EXPECT_EQ(transnas_macro_string_from_naslib("(1, 2, 4, 2, 0, 0)", "t"), "64-1242-basic");
  EXPECT_EQ(transnas_macro_string_from_naslib("(2, 3, 1, 1, 4, 4)", "t"), "64-231144-basic");
  EXPECT_EQ(transnas_macro_string_from_naslib("(4, 1, 1, 1)", "t"), "64-4111-basic");
}

TEST(NaslibKeys, Nb101Tuples) {
  // First entry of zc_nasbench101.json: ops input, maxpool x2, conv3x3 x3, output.
  const std::string key =
      "(0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, "
      "0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 4, 4, 4, 1)";
  const Nb101Spec spec = nb101_spec_from_naslib(key, "t");
  EXPECT_EQ(spec.vertices, 7);
  EXPECT_EQ(spec.ops,
            (std::vector<std::string>{"input", "maxpool3x3", "maxpool3x3", "conv3x3-bn-relu",
                                      "conv3x3-bn-relu", "conv3x3-bn-relu", "output"}));
  EXPECT_TRUE(spec.edge(0, 6));
  EXPECT_FALSE(spec.edge(0, 5));
  EXPECT_EQ(nb101_hash(*prune_nb101(spec)), "4a0ab8bbe2441a002e07b0f445ec2d63");
  const auto error = [](const std::string& text) {
    return testing::error_message([&] { nb101_spec_from_naslib(text, "f"); });
  };
  EXPECT_THAT(error("(0, 1)"), HasSubstr("is not a NASLib NB101 tuple"));
  std::string two = key;
  two[4] = '2';  // an adjacency entry of 2
  EXPECT_THAT(error(two), HasSubstr("adjacency entry above 1"));
  std::string lower = key;
  lower[1 + 3 * 7] = '1';  // entry 7 = row 1, column 0: below the diagonal
  EXPECT_THAT(error(lower), HasSubstr("strictly upper-triangular"));
}

TEST(NaslibKeys, BadTuplesAreErrors) {
  const auto error = [](const char* text) {
    return testing::error_message([&] { nb201_string_from_naslib(text, "file line 3"); });
  };
  EXPECT_THAT(error("(4, 3, 3, 0, 0)"),
              HasSubstr("file line 3: '(4, 3, 3, 0, 0)' is not a NASLib"));
  EXPECT_THAT(error("(4, 3, 3, 0, 0, 5)"), HasSubstr("op ids 0..4"));
  EXPECT_THAT(error("4, 3, 3, 0, 0, 0"), HasSubstr("is not a tuple"));
  EXPECT_THAT(error("(4,, 3, 3, 0, 0, 0)"), HasSubstr("is not a tuple"));
  EXPECT_THAT(error("(4, 3, 3, 0, 0, 0,)"), HasSubstr("is not a tuple"));
  EXPECT_THAT(error("(-1, 3, 3, 0, 0, 0)"), HasSubstr("is not a tuple"));
  EXPECT_THAT(error("(99999, 3, 3, 0, 0, 0)"), HasSubstr("is not a tuple"));
  EXPECT_TRUE(parse_int_tuple("()", "t").empty());
  EXPECT_THAT(
      testing::error_message([] { transnas_macro_string_from_naslib("(1, 0, 2, 2, 0, 0)", "t"); }),
      HasSubstr("module codes 1..4"));
  EXPECT_THAT(
      testing::error_message([] { transnas_macro_string_from_naslib("(1, 2, 0, 0, 0, 0)", "t"); }),
      HasSubstr("module codes 1..4"));
  EXPECT_THAT(
      testing::error_message([] { transnas_micro_string_from_naslib("(1, 0, 0, 2, 4, 0)", "t"); }),
      HasSubstr("digits 0..3"));
}

}  // namespace
}  // namespace zcb::data
