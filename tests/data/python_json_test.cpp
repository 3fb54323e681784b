// The Python-flavoured JSON reader: NaN/Infinity tokens become null; anything else that is not
// JSON, including numbers beyond double (a fuzzing find), is a zcb::Error naming the source.
#include "zcb/data/python_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

TEST(PythonJson, NanAndInfinityBecomeNull) {
  const auto value = parse_python_json(R"({"a": NaN, "b": [Infinity, -Infinity, 1.5]})", "t");
  EXPECT_TRUE(value.at("a").is_null());
  EXPECT_TRUE(value.at("b").at(0).is_null());
  EXPECT_TRUE(value.at("b").at(1).is_null());
  EXPECT_EQ(value.at("b").at(2).get<double>(), 1.5);
}

TEST(PythonJson, NumberBeyondDoubleIsAnError) {
  EXPECT_THAT(testing::error_message([] { parse_python_json("2E2555555555555555", "big.json"); }),
              HasSubstr("big.json: not valid JSON"));
  EXPECT_THROW(parse_python_json("{\"a\": ", "cut.json"), Error);
}

}  // namespace
}  // namespace zcb::data
