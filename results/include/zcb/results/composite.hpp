/// @file composite.hpp
/// @brief Composite proxies: scores combined from other proxies' scores at the statistics stage,
/// from their components' score files. Rank aggregates (TE-NAS's combined ranking, AZ-NAS's
/// aggregate) must be computed there, because a rank only exists relative to the other
/// architectures scored with it; SWAP's size-regularised score is computed there because it is
/// the stored SWAP score times a factor of the parameter count and the user's constants, so
/// changing the constants costs no rescoring.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "zcb/results/task_stats.hpp"

namespace zcb {

/// How component scores are combined into one score (higher is always better).
enum class Combination {
  /// sum_i rank_i (TE-NAS's combined ranking sums two rankings).
  kRankSum,
  /// sum_i log(rank_i / n): AZ-NAS's aggregate (`np.log(stats.rankdata(x) / n)` per component).
  kLogRankSum,
  /// sum_i dense_rank_i (0, 1, ...: equal values share a rank, the next value's is one more;
  /// TE-NAS `prune_tenas.py` ranks its two metrics that way before summing them).
  kDenseRankSum,
  /// s * exp(-(p / 1e3 - mu)^2 / sigma) with s the first component's score and p the second's
  /// (a parameter count): SWAP's regularisation (pym1024/SWAP `cal_regular_factor`, which counts
  /// parameters in thousands). Needs the options "mu" and "sigma" (sigma > 0).
  kGaussianSizeFactor,
};

/// Numeric constants of a composite, by name (e.g. SWAP's mu and sigma), from the run config.
using CompositeOptions = std::map<std::string, double>;

/// One component: a registered proxy and the direction in which it ranks architectures.
struct CompositeComponent {
  std::string proxy;
  bool higher_is_better = true;
};

/// A composite proxy.
struct CompositeDefinition {
  std::string name;
  int version = 1;
  std::string paper;
  std::string reference;
  std::string summary;
  Combination combination = Combination::kRankSum;
  /// true: a component's non-finite score ranks last (NaN as -inf, as AZ-NAS's code does)
  /// instead of leaving the architecture without a composite score.
  bool non_finite_ranks_last = false;
  std::vector<CompositeComponent> components;
  /// Constants the run config must give (`proxy_options`), with no default: those the paper
  /// leaves to the user. Empty for the rank aggregates.
  std::vector<std::string> options;
};

/// Names of all composites, in registry order.
std::vector<std::string> composite_names();

/// True when @p name is a composite rather than a proxy scored per architecture.
bool is_composite(const std::string& name);

/// The composite called @p name; throws zcb::Error listing the known ones otherwise.
const CompositeDefinition& composite_definition(const std::string& name);

/// True when @p definition combines ranks (so a score means something only among the
/// architectures scored with it) rather than each architecture's own scores.
bool combines_ranks(const CompositeDefinition& definition);

/// Throws zcb::Error unless @p options holds exactly @p definition's options, each finite (and
/// sigma > 0 for kGaussianSizeFactor), naming the missing, unknown or invalid one.
void check_composite_options(const CompositeDefinition& definition,
                             const CompositeOptions& options);

/// The composite's scores from its components' results (each a ProxyResult of the same space
/// and task, in the definition's component order) and its @p options (checked by
/// check_composite_options).
///
/// kGaussianSizeFactor scores each architecture that both components scored ok from its own
/// two scores. For the rank aggregates, every architecture that each component scored with
/// status ok gets a score: component
/// scores are oriented (negated when lower is better), ranked among those architectures in
/// ascending order with ties given their average rank (scipy `rankdata` default; dense ranks
/// for kDenseRankSum), and
/// aggregated. An architecture that a component did not score ok gets that component's status
/// and message (the first such component in order); one missing in any component has no row.
/// Throws zcb::Error when @p components does
/// not match the definition.
ProxyResult compute_composite(const CompositeDefinition& definition,
                              const std::vector<ProxyResult>& components,
                              const CompositeOptions& options = {});

/// A line naming @p options' values for catalogues and pages: "mu = 1000, sigma = 1e+05";
/// empty when there are none.
std::string describe_options(const CompositeOptions& options);

}  // namespace zcb
