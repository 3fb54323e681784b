/// @file composite.hpp
/// @brief Rank-aggregated proxies: scores defined by the ranks of other proxies' scores across
/// the architectures of one (space, task), such as TE-NAS's combined ranking and AZ-NAS's
/// aggregate. They are computed at the statistics stage from their components' score files,
/// because a rank only exists relative to the other architectures scored with it.
#pragma once

#include <string>
#include <vector>

#include "zcb/results/task_stats.hpp"

namespace zcb {

/// How component ranks are combined into one score (higher is always better).
enum class RankAggregation {
  /// sum_i rank_i (TE-NAS's combined ranking sums two rankings).
  kRankSum,
  /// sum_i log(rank_i / n): AZ-NAS's aggregate (`np.log(stats.rankdata(x) / n)` per component).
  kLogRankSum,
  /// sum_i dense_rank_i (0, 1, ...: equal values share a rank, the next value's is one more;
  /// TE-NAS `prune_tenas.py` ranks its two metrics that way before summing them).
  kDenseRankSum,
};

/// One component: a registered proxy and the direction in which it ranks architectures.
struct CompositeComponent {
  std::string proxy;
  bool higher_is_better = true;
};

/// A rank-aggregated proxy.
struct CompositeDefinition {
  std::string name;
  int version = 1;
  std::string paper;
  std::string reference;
  std::string summary;
  RankAggregation aggregation = RankAggregation::kRankSum;
  /// true: a component's non-finite score ranks last (NaN as -inf, as AZ-NAS's code does)
  /// instead of leaving the architecture without a composite score.
  bool non_finite_ranks_last = false;
  std::vector<CompositeComponent> components;
};

/// Names of all composites, in registry order.
std::vector<std::string> composite_names();

/// True when @p name is a composite rather than a proxy scored per architecture.
bool is_composite(const std::string& name);

/// The composite called @p name; throws zcb::Error listing the known ones otherwise.
const CompositeDefinition& composite_definition(const std::string& name);

/// The composite's scores from its components' results (each a ProxyResult of the same space
/// and task, in the definition's component order).
///
/// Every architecture that each component scored with status ok gets a score: component
/// scores are oriented (negated when lower is better), ranked among those architectures in
/// ascending order with ties given their average rank (scipy `rankdata` default; dense ranks
/// for kDenseRankSum), and
/// aggregated. An architecture that a component did not score ok gets that component's status
/// and message (the first such component in order); one missing in any component has no row.
/// Throws zcb::Error when @p components does
/// not match the definition.
ProxyResult compute_composite(const CompositeDefinition& definition,
                              const std::vector<ProxyResult>& components);

}  // namespace zcb
