// TransNAS-Bench-101 macro (skeleton-level) search space: 3,256 architectures.
//
// Paper: Y. Duan et al., "TransNAS-Bench-101: Improving Transferability and Generalizability of
// Cross-Task Neural Architecture Search", CVPR 2021.
// Reference code: yawen-d/TransNASBench `lib/models/net_infer/net_macro.py` (MacroNet) and
// `cell_micro.py` (ResNetBasicblock); the network, heads and FLOP convention are in
// transnas_common.cpp. NASLib `conversions.py` writes the same string from its (zero-padded)
// module tuple.
//
// Architecture string (the official one): "64-<digits>-basic", 4 to 6 digits, one layer of two
// ResNet basic blocks per digit: 1 normal, 2 channels x2, 3 stride 2, 4 both. The space (as the
// official API enumerates it, macro indexes 0..3255) holds every string with 1 to 4 stride
// digits (3 or 4) and 1 to 3 channel-doubling digits (2 or 4): 3,256 strings; others are
// rejected with an error naming the rule.
#include <string>

#include "transnas_common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

transnas::EncoderCode parse(const std::string& arch) {
  const std::string bad =
      "transnas_macro: '" + arch +
      "' is not a macro architecture string of the form 64-<4 to 6 digits of 1..4>-basic";
  const std::string prefix = "64-", suffix = "-basic";
  if (arch.size() < prefix.size() + suffix.size() + 4 ||
      arch.compare(0, prefix.size(), prefix) != 0 ||
      arch.compare(arch.size() - suffix.size(), suffix.size(), suffix) != 0) {
    throw Error(bad);
  }
  transnas::EncoderCode code;
  code.macro = arch.substr(prefix.size(), arch.size() - prefix.size() - suffix.size());
  if (code.macro.size() < 4 || code.macro.size() > 6) throw Error(bad);
  int strides = 0, doublings = 0;
  for (char digit : code.macro) {
    if (digit < '1' || digit > '4') throw Error(bad + " (bad digit '" + digit + "')");
    strides += digit == '3' || digit == '4';
    doublings += digit == '2' || digit == '4';
  }
  if (strides < 1 || strides > 4 || doublings < 1 || doublings > 3) {
    throw Error("transnas_macro: '" + arch + "' has " + std::to_string(strides) +
                " downsampling and " + std::to_string(doublings) +
                " channel-doubling layers; the space needs 1-4 and 1-3");
  }
  return code;
}

class TransNasMacroSpace : public SearchSpace {
 public:
  std::string name() const override { return "transnas_macro"; }
  std::string benchmark() const override { return "transnas-macro"; }
  std::string canonical(const std::string& arch) const override {
    parse(arch);
    return arch;  // the grammar admits exactly one spelling
  }
  std::shared_ptr<Network> build(const std::string& arch, const TaskInfo& task) const override {
    return transnas::build_network(parse(arch), task, name());
  }
  Complexity complexity(const std::string& arch, const TaskInfo& task) const override {
    return transnas::complexity(parse(arch), task, name());
  }
};

}  // namespace

std::unique_ptr<SearchSpace> make_transnas_macro_space() {
  return std::make_unique<TransNasMacroSpace>();
}

}  // namespace zcb
