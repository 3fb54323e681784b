#include "zcb/results/composite.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "zcb/error.hpp"
#include "zcb/results/statistics.hpp"

namespace zcb {
namespace {

// The registry: one entry per composite. Component names are the registry names of the proxies
// in proxies/proxies.def.
const std::vector<CompositeDefinition>& registry() {
  static const std::vector<CompositeDefinition> list = {
      {"az_nas",
       2,  // 2: components of version 2 (one initialisation and batch for all three)
       "Lee and Ham, AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search, CVPR "
       "2024",
       "cvlab-yonsei/AZ-NAS: rank aggregation of the four component proxies",
       "sum over expressivity, progressivity, trainability and FLOPs (complexity) of log(rank / n)",
       RankAggregation::kLogRankSum,
       /*non_finite_ranks_last=*/true,
       {{"az_expressivity", true},
        {"az_progressivity", true},
        {"az_trainability", true},
        {"flops", true}}},
      {"tenas",
       1,
       "Chen et al., Neural Architecture Search on ImageNet in Four GPU Hours: A Theoretically "
       "Inspired Perspective (TE-NAS), ICLR 2021",
       "VITA-Group/TENAS: prune_tenas.py (prune_func_rank: rankings, rankings_sum)",
       "sum of the dense ranks of the NTK condition number (lower is better) and of the number "
       "of linear regions (higher is better)",
       RankAggregation::kDenseRankSum,
       // TE-NAS turns a NaN condition number into 1e5 (a very bad one): ranked last here.
       /*non_finite_ranks_last=*/true,
       {{"tenas_ntk", false}, {"tenas_lr", true}}},
  };
  return list;
}

}  // namespace

std::vector<std::string> composite_names() {
  std::vector<std::string> names;
  for (const auto& definition : registry()) names.push_back(definition.name);
  return names;
}

bool is_composite(const std::string& name) {
  const auto& list = registry();
  return std::any_of(list.begin(), list.end(),
                     [&](const CompositeDefinition& d) { return d.name == name; });
}

const CompositeDefinition& composite_definition(const std::string& name) {
  std::string known;
  for (const auto& definition : registry()) {
    if (definition.name == name) return definition;
    known += (known.empty() ? "" : ", ") + definition.name;
  }
  throw Error("unknown composite proxy '" + name + "' (known: " + known + ")");
}

ProxyResult compute_composite(const CompositeDefinition& definition,
                              const std::vector<ProxyResult>& components) {
  if (components.size() != definition.components.size()) {
    throw Error("composite '" + definition.name + "' needs " +
                std::to_string(definition.components.size()) + " components, got " +
                std::to_string(components.size()));
  }
  // arch -> per-component row, for the archs any component has.
  std::map<std::int64_t, std::vector<const ScoreRow*>> rows;
  for (std::size_t c = 0; c < components.size(); ++c) {
    if (components[c].name != definition.components[c].proxy) {
      throw Error("composite '" + definition.name + "': component " + std::to_string(c) +
                  " must be '" + definition.components[c].proxy + "', got '" + components[c].name +
                  "'");
    }
    for (const ScoreRow& row : components[c].rows) {
      auto& slot = rows[row.arch_id];
      slot.resize(components.size(), nullptr);
      if (slot[c] != nullptr) {
        throw Error("composite '" + definition.name + "': component '" + components[c].name +
                    "' has arch " + std::to_string(row.arch_id) + " twice");
      }
      slot[c] = &row;
    }
  }
  ProxyResult result;
  result.name = definition.name;
  result.version = definition.version;
  result.higher_is_better = true;
  std::vector<std::int64_t> scored;
  for (const auto& [arch, slots] : rows) {
    ScoreRow row;
    row.arch_id = arch;
    bool ok = true;
    // Missing in a component: the composite has no row either (counted as missing).
    if (std::count(slots.begin(), slots.end(), nullptr) > 0) continue;
    for (std::size_t c = 0; c < slots.size() && ok; ++c) {
      const bool ranked_last =
          definition.non_finite_ranks_last && slots[c]->status == RowStatus::kNonFinite;
      if (slots[c]->status != RowStatus::kOk && !ranked_last) {
        ok = false;
        row.status = slots[c]->status;
        row.message = components[c].name + ": " + slots[c]->message;
      }
    }
    if (ok) scored.push_back(arch);
    row.score = std::nan("");
    result.rows.push_back(row);
  }
  const double n = static_cast<double>(scored.size());
  std::vector<double> total(scored.size(), 0.0);
  for (std::size_t c = 0; c < components.size(); ++c) {
    std::vector<double> oriented(scored.size());
    for (std::size_t i = 0; i < scored.size(); ++i) {
      const double value = rows.at(scored[i])[c]->score;
      // The reference turns NaN into -inf before ranking and infinities keep their side; the
      // extreme finite doubles stand for them, so the ranks are the same.
      const double worst = std::numeric_limits<double>::lowest();
      const double best = std::numeric_limits<double>::max();
      double directed = definition.components[c].higher_is_better ? value : -value;
      if (std::isnan(value)) directed = worst;
      if (std::isinf(directed)) directed = directed > 0 ? best : worst;
      oriented[i] = directed;
    }
    if (scored.empty()) break;  // average_ranks needs at least one value
    const std::vector<double> ranks = definition.aggregation == RankAggregation::kDenseRankSum
                                          ? dense_ranks(oriented)
                                          : average_ranks(oriented);
    for (std::size_t i = 0; i < scored.size(); ++i) {
      total[i] += definition.aggregation == RankAggregation::kLogRankSum ? std::log(ranks[i] / n)
                                                                         : ranks[i];
    }
  }
  std::map<std::int64_t, double> score_of;
  for (std::size_t i = 0; i < scored.size(); ++i) score_of[scored[i]] = total[i];
  for (ScoreRow& row : result.rows) {
    const auto found = score_of.find(row.arch_id);
    if (found != score_of.end()) {
      row.score = found->second;
      row.status = RowStatus::kOk;
    }
  }
  // Inputs: every component's score file.
  for (const ProxyResult& component : components) {
    result.score_file_sha256 +=
        (result.score_file_sha256.empty() ? "" : ",") + component.score_file_sha256;
  }
  return result;
}

}  // namespace zcb
