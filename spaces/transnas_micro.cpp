// TransNAS-Bench-101 micro (cell-level) search space: 4,096 architectures.
//
// Paper: Y. Duan et al., "TransNAS-Bench-101: Improving Transferability and Generalizability of
// Cross-Task Neural Architecture Search", CVPR 2021.
// Reference code: yawen-d/TransNASBench `lib/models/net_infer/cell_micro.py` (MicroCell) and
// `net_macro.py` (MacroNet); the network, heads and FLOP convention are in transnas_common.cpp.
// NASLib `naslib/search_spaces/transbench101/conversions.py` writes the same string from its
// op tuple (a, b, c, d, e, f).
//
// Architecture string (the official one): "64-41414-a_bc_def". 64 base channels, macro skeleton
// 41414 (5 layers of 2 cells: stride 2 + channel x2, normal, ..., 512 channels and stride 32 at
// the end), cell ops a..f in {0 zeroize, 1 skip_connect, 2 ReLU-conv1x1-BN, 3 ReLU-conv3x3-BN}
// on the edges 0->1 (a), 0->2 (b), 1->2 (c), 0->3 (d), 1->3 (e), 2->3 (f); node j is the sum of
// its inputs, node 3 is the output. A skip on an edge from the cell input of a reducing cell is
// a FactorizedReduce, a zeroize there returns zeros of the reduced shape (reference Zero).
// Index within the space (official API order): 0..4095 = the base-4 number abcdef (a most
// significant); the global TNB index is 3256 + that (macro archs come first).
// All 4,096 strings are valid (the official API keeps the disconnected ones too).
#include <string>

#include "transnas_common.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

constexpr const char* kPrefix = "64-41414-";

transnas::EncoderCode parse(const std::string& arch) {
  const std::string bad = "transnas_micro: '" + arch +
                          "' is not a micro architecture string of the form 64-41414-a_bc_def "
                          "with a..f in 0 (zeroize), 1 (skip), 2 (conv1x1), 3 (conv3x3)";
  const std::string prefix = kPrefix;
  if (arch.size() != prefix.size() + 8 || arch.compare(0, prefix.size(), prefix) != 0) {
    throw Error(bad);
  }
  const std::string cell = arch.substr(prefix.size());
  if (cell[1] != '_' || cell[4] != '_') throw Error(bad);
  transnas::EncoderCode code;
  code.macro = "41414";
  code.basic = false;
  std::size_t op = 0;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (i == 1 || i == 4) continue;
    if (cell[i] < '0' || cell[i] > '3') throw Error(bad + " (bad op '" + cell[i] + "')");
    code.cell_ops[op++] = cell[i] - '0';
  }
  return code;
}

class TransNasMicroSpace : public SearchSpace {
 public:
  std::string name() const override { return "transnas_micro"; }
  std::string benchmark() const override { return "transnas-micro"; }
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

std::unique_ptr<SearchSpace> make_transnas_micro_space() {
  return std::make_unique<TransNasMicroSpace>();
}

}  // namespace zcb
