#include "zcb/results/composite.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

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
       Combination::kLogRankSum,
       /*non_finite_ranks_last=*/true,
       {{"az_expressivity", true},
        {"az_progressivity", true},
        {"az_trainability", true},
        {"flops", true}},
       {}},
      {"tenas",
       1,
       "Chen et al., Neural Architecture Search on ImageNet in Four GPU Hours: A Theoretically "
       "Inspired Perspective (TE-NAS), ICLR 2021",
       "VITA-Group/TENAS: prune_tenas.py (prune_func_rank: rankings, rankings_sum)",
       "sum of the dense ranks of the NTK condition number (lower is better) and of the number "
       "of linear regions (higher is better)",
       Combination::kDenseRankSum,
       // TE-NAS turns a NaN condition number into 1e5 (a very bad one): ranked last here.
       /*non_finite_ranks_last=*/true,
       {{"tenas_ntk", false}, {"tenas_lr", true}},
       {}},
      // SWAP's count_parameters skips "auxiliary" parameters; no space here builds an auxiliary
      // head (NDS's is training-only), so `params` is the same count.
      {"swap_reg",
       1,
       "Peng, Song, Fayek, Ciesielski, Chang, SWAP-NAS: Sample-Wise Activation Patterns for "
       "Ultra-fast NAS, ICLR 2024 (regularised SWAP-Score)",
       "pym1024/SWAP: src/metrics/swap.py (cal_regular_factor; SWAP(regular=True, mu, sigma)), "
       "src/utils/utilities.py (count_parameters, in thousands)",
       "SWAP-Score x exp(-(P - mu)^2 / sigma), P = parameters / 1e3; mu and sigma are the "
       "user's constants (proxy_options): the code takes them as arguments and sets none",
       Combination::kGaussianSizeFactor,
       /*non_finite_ranks_last=*/false,
       {{"swap", true}, {"params", true}},
       {"mu", "sigma"}},
  };
  return list;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

void check_composite_options(const CompositeDefinition& definition,
                             const CompositeOptions& options) {
  for (const std::string& name : definition.options) {
    const auto found = options.find(name);
    if (found == options.end()) {
      throw Error("composite '" + definition.name + "' needs the option '" + name +
                  "' (proxy_options." + definition.name + "." + name + " in the run config)");
    }
    if (!std::isfinite(found->second)) {
      throw Error("composite '" + definition.name + "': option '" + name +
                  "' must be finite, got " + std::to_string(found->second));
    }
  }
  if (definition.combination == Combination::kGaussianSizeFactor && options.at("sigma") <= 0) {
    throw Error("composite '" + definition.name + "': option 'sigma' must be > 0, got " +
                std::to_string(options.at("sigma")));
  }
  for (const auto& [name, value] : options) {
    if (std::find(definition.options.begin(), definition.options.end(), name) ==
        definition.options.end()) {
      throw Error("composite '" + definition.name + "' has no option '" + name + "' (it takes: " +
                  (definition.options.empty() ? "none" : joined(definition.options)) + ")");
    }
  }
}

bool combines_ranks(const CompositeDefinition& definition) {
  return definition.combination != Combination::kGaussianSizeFactor;
}

std::string describe_options(const CompositeOptions& options) {
  std::string text;
  for (const auto& [name, value] : options) {
    std::ostringstream number;
    number.precision(10);  // 1000, 100000, 0.5, 1e+12
    number << value;
    text += (text.empty() ? "" : ", ") + name + " = " + number.str();
  }
  return text;
}

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
  for (const auto& definition : registry()) {
    if (definition.name == name) return definition;
  }
  throw Error("unknown composite proxy '" + name + "' (known: " + joined(composite_names()) + ")");
}

ProxyResult compute_composite(const CompositeDefinition& definition,
                              const std::vector<ProxyResult>& components,
                              const CompositeOptions& options) {
  check_composite_options(definition, options);
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
  if (definition.combination == Combination::kGaussianSizeFactor) {
    // The reference multiplies each of SWAP's repeats by the factor before their mean; the
    // factor is one constant per network, so this is the same number up to rounding.
    const double mu = options.at("mu"), sigma = options.at("sigma");
    for (std::size_t i = 0; i < scored.size(); ++i) {
      const auto& slots = rows.at(scored[i]);
      const double thousands = slots[1]->score / 1e3;
      total[i] = slots[0]->score * std::exp(-(thousands - mu) * (thousands - mu) / sigma);
    }
  } else if (!scored.empty()) {  // average_ranks needs at least one value
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
      const std::vector<double> ranks = definition.combination == Combination::kDenseRankSum
                                            ? dense_ranks(oriented)
                                            : average_ranks(oriented);
      for (std::size_t i = 0; i < scored.size(); ++i) {
        total[i] +=
            definition.combination == Combination::kLogRankSum ? std::log(ranks[i] / n) : ranks[i];
      }
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
