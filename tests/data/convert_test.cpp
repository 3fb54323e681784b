#include "zcb/data/convert.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

TEST(Convert, KnownConverters) {
  const std::vector<std::string> names = converter_names();
  EXPECT_THAT(names,
              ::testing::IsSupersetOf({"nats-sss", "nats-tss", "nb101", "nb201", "nds-darts-in",
                                       "nds-resnet-reruns", "transnas-macro", "transnas-micro"}));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  // Every converter has a manifest to fetch its inputs with.
  const auto manifests = manifest_names();
  for (const auto& name : converter_names()) {
    EXPECT_NE(std::find(manifests.begin(), manifests.end(), name), manifests.end()) << name;
  }
}

TEST(Convert, UnknownBenchmarkListsKnownOnes) {
  const std::string message = testing::error_message([] { convert_benchmark("nb999", {}); });
  EXPECT_THAT(message, HasSubstr("no converter for benchmark 'nb999'"));
  EXPECT_THAT(message, HasSubstr("nb201"));
}

TEST(Convert, DispatchesToTheBenchmarkConverter) {
  // The NB201 converter's own error shows the call reached it.
  EXPECT_THAT(testing::error_message([] { convert_benchmark("nb201", {}); }),
              HasSubstr("NB201 conversion needs the file"));
}

}  // namespace
}  // namespace zcb::data
