// Fuzzes the protobuf wire decoder through NB101 ModelMetrics: any bytes either decode or
// throw zcb::Error. Decoded messages must survive an encode/decode round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "zcb/data/nb101.hpp"
#include "zcb/error.hpp"

namespace {

bool same(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::memcmp(&*a, &*b, sizeof(double)) == 0;  // bitwise: NaN payloads included
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  zcb::data::Nb101ModelMetrics metrics;
  try {
    metrics = zcb::data::decode_nb101_metrics(bytes, "fuzz");
  } catch (const zcb::Error&) {
    return 0;
  }
  const auto again =
      zcb::data::decode_nb101_metrics(zcb::data::encode_nb101_metrics(metrics), "round trip");
  if (again.trainable_parameters != metrics.trainable_parameters ||
      !same(again.total_time, metrics.total_time) ||
      again.evaluation_data.size() != metrics.evaluation_data.size()) {
    std::abort();
  }
  for (std::size_t i = 0; i < metrics.evaluation_data.size(); ++i) {
    const auto& a = metrics.evaluation_data[i];
    const auto& b = again.evaluation_data[i];
    if (!same(a.current_epoch, b.current_epoch) || !same(a.training_time, b.training_time) ||
        !same(a.train_accuracy, b.train_accuracy) ||
        !same(a.validation_accuracy, b.validation_accuracy) ||
        !same(a.test_accuracy, b.test_accuracy) || a.checkpoint_path != b.checkpoint_path) {
      std::abort();
    }
  }
  return 0;
}
