/// @file transnas_common.hpp
/// @brief The TransNAS-Bench-101 network shared by the micro and macro spaces: MacroNet
/// backbone (stem, 4-6 layers of two blocks), and one head per task.
///
/// See transnas_micro.cpp / transnas_macro.cpp for the architecture strings; this file holds
/// what both spaces build: yawen-d/TransNASBench `lib/models/net_infer/net_macro.py` (MacroNet,
/// structure='backbone'), `cell_micro.py` (MicroCell, ResNetBasicblock), `net_ops/cell_ops.py`
/// and the task decoders of `task_models/decoder.py`.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "zcb/network.hpp"
#include "zcb/search_space.hpp"

namespace zcb::transnas {

/// A parsed encoder string "64-<macro digits>-<cell>".
struct EncoderCode {
  int base_channels = 64;
  std::string macro;              ///< 4-6 digits: 1 normal, 2 channel x2, 3 stride 2, 4 both
  bool basic = true;              ///< true: ResNet basic blocks (macro space)
  std::array<int, 6> cell_ops{};  ///< micro cell "a_bc_def": 0 zero, 1 skip, 2 1x1, 3 3x3
};

/// Builds encoder + task head for @p task (checked, see check_task) with the current torch RNG.
std::shared_ptr<Network> build_network(const EncoderCode& code, const TaskInfo& task,
                                       const std::string& space);

/// Analytic parameters and FLOPs of build_network's network (see the space files for what
/// FLOPs counts).
Complexity complexity(const EncoderCode& code, const TaskInfo& task, const std::string& space);

}  // namespace zcb::transnas
