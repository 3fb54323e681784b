/// @file statistics.hpp
/// @brief Rank correlations, top-k precision and bootstrap confidence intervals.
///
/// Conventions shared by every statistic here:
/// - inputs are pairs of vectors of equal length n >= 2 holding finite values; a length
///   mismatch, n < 2 or a NaN/inf value throws zcb::Error (the caller filters failed rows first;
///   nothing is dropped silently here);
/// - where a statistic is undefined on valid input (a correlation of a constant vector) the
///   result is NaN, never a made-up 0.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace zcb {

/// Ranks 1..n in ascending order; tied values get the mean of the ranks they span
/// (e.g. {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}). Throws on an empty input or a NaN/inf value.
std::vector<double> average_ranks(const std::vector<double>& values);

/// Dense ranks 0, 1, ..., g-1 of the g distinct values (ties share one). A strictly
/// increasing map, so order-only statistics (NamedStatistic::rank_based) give the same results
/// on it; and small integers are ranked by counting sort, which makes bootstrapping them much
/// faster. Throws on an empty input or a NaN/inf value.
std::vector<double> dense_ranks(const std::vector<double>& values);

/// Pearson's r. NaN if x or y is constant. Rounding is clipped to [-1, 1].
double pearson(const std::vector<double>& x, const std::vector<double>& y);

/// Spearman's rho: Pearson's r of average_ranks(x) and average_ranks(y). NaN if x or y is
/// constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

/// Kendall's tau-b, O(n log n) (Knight 1966: sort by (x, y), count ties, count discordant
/// pairs as merge-sort swaps on y, or with a Fenwick tree when y holds small integers such as
/// dense_ranks()). NaN if x or y is constant.
double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y);

/// Kendall's tau-b by comparing all n(n-1)/2 pairs; the O(n^2) reference for kendall_tau_b().
double kendall_tau_b_naive(const std::vector<double>& x, const std::vector<double>& y);

/// Top-k precision: k = max(1, round(fraction * n)) (halves round away from zero);
/// |top-k by @p scores intersected with top-k by @p truth| / k, higher is better in both.
///
/// Ties at the k-th boundary are resolved by fractional membership: if a items are strictly
/// above the k-th largest value and m items equal it, each of those m belongs to the top k with
/// weight (k - a) / m. The result, sum_i w_score(i) * w_truth(i) / k, is the expected precision
/// when ties are broken uniformly at random (independently in scores and truth), so it does not
/// depend on input order (up to the rounding of the sum). Throws unless 0 < fraction <= 1.
double top_k_precision(const std::vector<double>& scores, const std::vector<double>& truth,
                       double fraction);

/// Best-of-top-k regret: how far the best architecture among the top k by @p scores falls short
/// of the best of all, in the units of @p truth: max(truth) - max(truth over the top k by
/// score), with k as in top_k_precision(). 0 when the best architecture is among the top k; lower
/// is better. Scores tied at the k-th value join the top k at random: the result is the expected
/// regret over those tie-breaks, so it does not depend on input order. Throws unless
/// 0 < fraction <= 1.
double top_k_regret(const std::vector<double>& scores, const std::vector<double>& truth,
                    double fraction);

/// A statistic of paired samples (x, y), as bootstrap() resamples it.
using PairStatistic =
    std::function<double(const std::vector<double>& x, const std::vector<double>& y)>;

/// A point estimate with a confidence interval.
struct Interval {
  double estimate = 0.0;    ///< the statistic on the original data
  double lo = 0.0;          ///< lower bound; NaN when the interval is undefined
  double hi = 0.0;          ///< upper bound; NaN when the interval is undefined
  int n_nan_resamples = 0;  ///< resamples whose statistic was NaN (excluded from the bounds)
};

/// How bootstrap() resamples.
struct BootstrapSettings {
  int samples = 1000;                 ///< B, the number of resamples (>= 1)
  double confidence = 0.95;           ///< two-sided coverage, in (0, 1)
  std::uint64_t seed = 0;             ///< the resample indices depend on (seed, n, samples) only
  std::string method = "percentile";  ///< "percentile" or "bca"
};

/// Throws zcb::Error unless samples >= 1, 0 < confidence < 1 and method is "percentile" or
/// "bca". bootstrap() calls it; callers that may skip bootstrapping validate with it up front.
void check_bootstrap_settings(const BootstrapSettings& settings);

/// Bootstrap confidence interval of @p statistic over paired resamples of (x, y).
///
/// Resample b (b = 0..B-1) draws n indices with replacement, in order, from a xoshiro256**
/// generator seeded through splitmix64 with @p settings.seed, each index drawn by unbiased
/// rejection (never std::uniform_int_distribution, whose output differs between standard
/// libraries). So the intervals are bit-reproducible on every platform, and every statistic
/// and proxy bootstrapped with the same (seed, n, B) sees the very same resamples.
///
/// - "percentile": type-7 (linear interpolation) quantiles at (1 -+ confidence) / 2 of the
///   resampled statistics.
/// - "bca": bias-corrected and accelerated (Efron 1987). Bias z0 = Phi^-1(share of resamples
///   below the estimate, ties counting half); acceleration from the jackknife (n extra
///   evaluations of @p statistic, leaving one pair out each; NaN values are skipped); then
///   type-7 quantiles at the adjusted levels. Undefined (NaN bounds) when every resample lies on
///   one side of the estimate, or when the acceleration is so large that 1 - a (z0 + z) <= 0
///   for a bound (past that pole the adjusted level jumps to the other tail).
///
/// Resamples whose statistic is NaN are counted in Interval::n_nan_resamples and left out. The
/// bounds are NaN when the estimate is NaN or no resample is left. Throws zcb::Error on invalid
/// settings, a length mismatch, n < 2 or non-finite input.
Interval bootstrap(const PairStatistic& statistic, const std::vector<double>& x,
                   const std::vector<double>& y, const BootstrapSettings& settings);

/// What a bootstrap interval is made from, kept so that two statistics bootstrapped with the
/// same settings on samples of the same size (so on the very same resamples) can be compared
/// resample by resample.
struct BootstrapDistribution {
  double estimate = 0.0;          ///< the statistic on the original data
  std::vector<double> resamples;  ///< one value per resample, in resample order; NaN kept
  std::vector<double> jackknife;  ///< leave-one-out values, NaN kept; method "bca" only
};

/// The resampled values behind bootstrap(): the same resamples, in the same order.
BootstrapDistribution bootstrap_distribution(const PairStatistic& statistic,
                                             const std::vector<double>& x,
                                             const std::vector<double>& y,
                                             const BootstrapSettings& settings);

/// The interval of @p distribution as bootstrap() computes it (bootstrap() is
/// interval_of(bootstrap_distribution(...))). Throws zcb::Error if the distribution does not
/// have settings.samples resamples, or lacks the jackknife values a "bca" interval needs.
Interval interval_of(const BootstrapDistribution& distribution, const BootstrapSettings& settings);

/// "Does proxy A beat proxy B?": the paired bootstrap of a statistic's difference.
struct PairedDifference {
  Interval difference;  ///< of a - b: the estimate and its interval
  /// Share of the resamples (those where both are defined) in which a's statistic exceeds b's,
  /// ties counting half; NaN when there is none.
  double share_a_better = 0.0;
};

/// Compares two distributions bootstrapped with the same @p settings on samples of the same
/// size (two proxies scored against the same ground truth on the same architectures): the
/// difference a - b in every resample and, for "bca", in every jackknife sample, and its
/// interval by the settings' method. Because both saw the same resamples, the interval
/// accounts for the correlation between the two statistics, which comparing two separate
/// intervals ignores: two proxies whose intervals overlap may still differ reliably. Throws
/// zcb::Error when the two have different numbers of resamples or jackknife values.
PairedDifference paired_difference(const BootstrapDistribution& a, const BootstrapDistribution& b,
                                   const BootstrapSettings& settings);

/// A statistic selectable by name from run configs (google/benchmark `ComputeStatistics` style).
struct NamedStatistic {
  std::string_view name;         ///< e.g. "spearman"
  std::string_view description;  ///< one line for `zcbench list` and the site
  double (*compute)(const std::vector<double>& x, const std::vector<double>& y);
  /// True if the value depends only on the order of x and of y (ties included): computing it
  /// on dense_ranks(x), dense_ranks(y) gives bit-identical results, faster.
  bool rank_based = false;
  /// True for a loss such as a regret: a lower value is better. Correlations and precisions are
  /// higher-is-better.
  bool lower_is_better = false;
};

/// Every named statistic: spearman, kendall_tau_b, pearson, top10_precision and top10_regret
/// (fraction 0.1).
/// An explicit list, no static self-registration (the linker would drop it).
const std::vector<NamedStatistic>& statistic_registry();

/// The statistic called @p name; throws zcb::Error listing the known names when unknown.
const NamedStatistic& find_statistic(std::string_view name);

}  // namespace zcb
