#include "zcb/results/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <utility>

#include "zcb/error.hpp"
#include "zcb/random.hpp"

namespace zcb {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_finite(const std::vector<double>& values, const char* statistic, const char* which) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw Error(std::string(statistic) + ": " + which + "[" + std::to_string(i) +
                  "] is not finite; filter out failed rows (status != ok) first");
    }
  }
}

void check_pair(const std::vector<double>& x, const std::vector<double>& y, const char* statistic) {
  if (x.size() != y.size()) {
    throw Error(std::string(statistic) + ": x has " + std::to_string(x.size()) +
                " values but y has " + std::to_string(y.size()));
  }
  if (x.size() < 2) {
    throw Error(std::string(statistic) + ": needs at least 2 pairs, got " +
                std::to_string(x.size()));
  }
  check_finite(x, statistic, "x");
  check_finite(y, statistic, "y");
}

bool is_constant(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [&](double v) { return v == values[0]; });
}

// Pearson's r of already checked vectors.
double pearson_unchecked(const std::vector<double>& x, const std::vector<double>& y) {
  // Tested exactly rather than via a zero variance: the mean of a constant vector can round to
  // a different value and leave tiny non-zero deviations.
  if (is_constant(x) || is_constant(y)) return kNaN;
  const double n = static_cast<double>(x.size());
  double mean_x = 0.0, mean_y = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= n;
  mean_y /= n;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can push |r| a hair above 1 for (anti-)monotone data; r itself cannot exceed 1.
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

// The bootstrap ranks thousands of resamples. When the values are small non-negative integers
// (as dense_ranks() makes them) a counting sort replaces the O(n log n) sort; the results are
// bit-identical, only faster. Returns the number of distinct slots needed, or 0 if the values
// do not qualify.
std::size_t counting_slots(const std::vector<double>& values) {
  const double limit = 4.0 * static_cast<double>(values.size()) + 16.0;
  double largest = 0.0;
  for (double v : values) {
    if (!(v >= 0.0 && v < limit) || v != std::floor(v)) return 0;
    largest = std::max(largest, v);
  }
  return static_cast<std::size_t>(largest) + 1;
}

// Average ranks of one run of equal values at sorted positions [start, end): the mean of the
// 1-based ranks start+1 .. end. Shared by both paths so they agree bit for bit.
double run_rank(std::size_t start, std::size_t end) {
  return 0.5 * static_cast<double>(start + 1 + end);
}

std::vector<double> average_ranks_unchecked(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<double> ranks(n);
  if (const std::size_t slots = counting_slots(values)) {
    std::vector<std::size_t> counts(slots, 0);
    for (double v : values) ++counts[static_cast<std::size_t>(v)];
    std::vector<double> slot_rank(slots);
    std::size_t start = 0;
    for (std::size_t k = 0; k < slots; ++k) {
      slot_rank[k] = run_rank(start, start + counts[k]);
      start += counts[k];
    }
    for (std::size_t i = 0; i < n; ++i) ranks[i] = slot_rank[static_cast<std::size_t>(values[i])];
    return ranks;
  }
  // Sorting (value, index) pairs keeps the data contiguous: faster than an index sort.
  std::vector<std::pair<double, std::size_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {values[i], i};
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && sorted[end].first == sorted[start].first) ++end;
    const double rank = run_rank(start, end);
    for (std::size_t i = start; i < end; ++i) ranks[sorted[i].second] = rank;
    start = end;
  }
  return ranks;
}

// (x, y) pairs in lexicographic order; two stable counting passes (by y, then by x) when both
// qualify for counting_slots().
std::vector<std::pair<double, double>> sorted_pairs(const std::vector<double>& x,
                                                    const std::vector<double>& y) {
  const std::size_t n = x.size();
  std::vector<std::pair<double, double>> pairs(n);
  for (std::size_t i = 0; i < n; ++i) pairs[i] = {x[i], y[i]};
  const std::size_t x_slots = counting_slots(x);
  const std::size_t y_slots = x_slots == 0 ? 0 : counting_slots(y);
  if (y_slots == 0) {
    std::sort(pairs.begin(), pairs.end());
    return pairs;
  }
  std::vector<std::pair<double, double>> buffer(n);
  const auto pass = [&](std::size_t slots, auto key) {
    std::vector<std::size_t> offsets(slots + 1, 0);
    for (const auto& p : pairs) ++offsets[static_cast<std::size_t>(key(p)) + 1];
    for (std::size_t k = 0; k < slots; ++k) offsets[k + 1] += offsets[k];
    for (const auto& p : pairs) buffer[offsets[static_cast<std::size_t>(key(p))]++] = p;
    pairs.swap(buffer);
  };
  pass(y_slots, [](const std::pair<double, double>& p) { return p.second; });
  pass(x_slots, [](const std::pair<double, double>& p) { return p.first; });
  return pairs;
}

// Number of pairs tied within runs of equal values of a sorted sequence.
template <typename Equal>
std::int64_t tied_pairs(std::size_t n, Equal equal) {
  std::int64_t pairs = 0;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && equal(start, end)) ++end;
    const auto run = static_cast<std::int64_t>(end - start);
    pairs += run * (run - 1) / 2;
    start = end;
  }
  return pairs;
}

// Sorts @p values ascending by a bottom-up merge sort and returns the number of swaps an
// insertion sort would make, i.e. the number of strictly inverted pairs (equal values are
// never counted: the left one is taken first).
std::int64_t sort_counting_swaps(std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<double> buffer(n);
  std::int64_t swaps = 0;
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = std::min(lo + width, n);
      const std::size_t hi = std::min(lo + 2 * width, n);
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        // Branch-free (conditional moves): on random data the branch mispredicts half the time.
        const bool right = values[j] < values[i];
        buffer[k++] = right ? values[j] : values[i];
        swaps += right ? static_cast<std::int64_t>(mid - i) : 0;
        j += right;
        i += !right;
      }
      while (i < mid) buffer[k++] = values[i++];
      while (j < hi) buffer[k++] = values[j++];
    }
    values.swap(buffer);
  }
  return swaps;
}

// The same count for small integers (counting_slots() > 0) with a Fenwick tree: for each
// value, how many earlier ones are strictly larger. Predictable loops, unlike a merge, which
// mispredicts on random data; this is the hot loop of a Kendall bootstrap.
std::int64_t count_inversions_small(const std::vector<std::pair<double, double>>& pairs,
                                    std::size_t slots) {
  std::vector<std::uint32_t> tree(slots + 1, 0);
  std::int64_t inversions = 0, seen = 0;
  for (const auto& pair : pairs) {
    const auto value = static_cast<std::size_t>(pair.second);
    std::int64_t not_larger = 0;
    for (std::size_t i = value + 1; i > 0; i -= i & (~i + 1)) not_larger += tree[i];
    inversions += seen - not_larger;
    for (std::size_t i = value + 1; i <= slots; i += i & (~i + 1)) ++tree[i];
    ++seen;
  }
  return inversions;
}

// tau-b from pair counts; both Kendall implementations end here, so they agree bit for bit
// whenever their counts agree.
double tau_b(std::int64_t n, std::int64_t concordant_minus_discordant, std::int64_t x_ties,
             std::int64_t y_ties) {
  const std::int64_t pairs = n * (n - 1) / 2;
  if (pairs == x_ties || pairs == y_ties) return kNaN;
  const double denominator =
      std::sqrt(static_cast<double>(pairs - x_ties) * static_cast<double>(pairs - y_ties));
  return static_cast<double>(concordant_minus_discordant) / denominator;
}

// Membership weight of each item in the top k (largest values first), ties at the boundary
// sharing the free slots evenly.
std::vector<double> top_k_weights(const std::vector<double>& values, std::size_t k) {
  std::vector<double> sorted = values;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k - 1),
                   sorted.end(), std::greater<double>());
  const double boundary = sorted[k - 1];
  std::size_t above = 0, tied = 0;
  for (double v : values) {
    above += v > boundary;
    tied += v == boundary;
  }
  const double shared = static_cast<double>(k - above) / static_cast<double>(tied);
  std::vector<double> weights(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    weights[i] = values[i] > boundary ? 1.0 : (values[i] == boundary ? shared : 0.0);
  }
  return weights;
}

// Type-7 quantile (R's default, numpy's "linear") of sorted, non-empty values.
double quantile_type7(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// The statistic with each pair left out in turn (NaN kept).
std::vector<double> jackknife_values(const PairStatistic& statistic, const std::vector<double>& x,
                                     const std::vector<double>& y) {
  const std::size_t n = x.size();
  std::vector<double> values;
  values.reserve(n);
  std::vector<double> xi(n - 1), yi(n - 1);
  for (std::size_t left_out = 0; left_out < n; ++left_out) {
    std::copy(x.begin(), x.begin() + left_out, xi.begin());
    std::copy(x.begin() + left_out + 1, x.end(), xi.begin() + left_out);
    std::copy(y.begin(), y.begin() + left_out, yi.begin());
    std::copy(y.begin() + left_out + 1, y.end(), yi.begin() + left_out);
    values.push_back(statistic(xi, yi));
  }
  return values;
}

// Jackknife acceleration: a = sum d^3 / (6 (sum d^2)^1.5), d = mean - leave-one-out value, over
// the values that are not NaN.
double jackknife_acceleration(const std::vector<double>& jackknife) {
  std::vector<double> values;
  for (double v : jackknife) {
    if (!std::isnan(v)) values.push_back(v);
  }
  if (values.empty()) return 0.0;
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double sum2 = 0.0, sum3 = 0.0;
  for (double v : values) {
    const double d = mean - v;
    sum2 += d * d;
    sum3 += d * d * d;
  }
  return sum2 > 0.0 ? sum3 / (6.0 * std::pow(sum2, 1.5)) : 0.0;
}

double top10_precision(const std::vector<double>& x, const std::vector<double>& y) {
  return top_k_precision(x, y, 0.1);
}

double top10_regret(const std::vector<double>& x, const std::vector<double>& y) {
  return top_k_regret(x, y, 0.1);
}

// k = max(1, round(fraction * n)), checking the fraction; shared by the top-k statistics.
std::size_t top_k_count(std::size_t n, double fraction, const char* statistic) {
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    throw Error(std::string(statistic) + ": fraction must lie in (0, 1], got " +
                std::to_string(fraction));
  }
  return static_cast<std::size_t>(std::max(1.0, std::round(fraction * static_cast<double>(n))));
}

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& values) {
  if (values.empty()) throw Error("average_ranks: empty input");
  check_finite(values, "average_ranks", "values");
  return average_ranks_unchecked(values);
}

std::vector<double> dense_ranks(const std::vector<double>& values) {
  if (values.empty()) throw Error("dense_ranks: empty input");
  check_finite(values, "dense_ranks", "values");
  std::vector<double> distinct = values;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<double> ranks(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ranks[i] = static_cast<double>(std::lower_bound(distinct.begin(), distinct.end(), values[i]) -
                                   distinct.begin());
  }
  return ranks;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  check_pair(x, y, "pearson");
  return pearson_unchecked(x, y);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  check_pair(x, y, "spearman");
  return pearson_unchecked(average_ranks_unchecked(x), average_ranks_unchecked(y));
}

double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y) {
  check_pair(x, y, "kendall_tau_b");
  const std::size_t n = x.size();
  const std::vector<std::pair<double, double>> pairs = sorted_pairs(x, y);
  const std::int64_t x_ties =
      tied_pairs(n, [&](std::size_t a, std::size_t b) { return pairs[a].first == pairs[b].first; });
  const std::int64_t joint_ties =
      tied_pairs(n, [&](std::size_t a, std::size_t b) { return pairs[a] == pairs[b]; });
  // Within equal x, y is ascending, so every inversion left in y is a discordant pair.
  std::int64_t discordant = 0, y_ties = 0;
  if (const std::size_t y_slots = counting_slots(y)) {
    discordant = count_inversions_small(pairs, y_slots);
    std::vector<std::int64_t> counts(y_slots, 0);
    for (double v : y) ++counts[static_cast<std::size_t>(v)];
    for (std::int64_t c : counts) y_ties += c * (c - 1) / 2;
  } else {
    std::vector<double> ys(n);
    for (std::size_t i = 0; i < n; ++i) ys[i] = pairs[i].second;
    discordant = sort_counting_swaps(ys);
    y_ties = tied_pairs(n, [&](std::size_t a, std::size_t b) { return ys[a] == ys[b]; });
  }
  const auto count = static_cast<std::int64_t>(n);
  const std::int64_t all_pairs = count * (count - 1) / 2;
  // Pairs tied in neither: concordant + discordant = all - x_ties - y_ties + joint_ties.
  const std::int64_t concordant = all_pairs - x_ties - y_ties + joint_ties - discordant;
  return tau_b(count, concordant - discordant, x_ties, y_ties);
}

double kendall_tau_b_naive(const std::vector<double>& x, const std::vector<double>& y) {
  check_pair(x, y, "kendall_tau_b_naive");
  const std::size_t n = x.size();
  std::int64_t balance = 0, x_ties = 0, y_ties = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const int sx = (x[i] > x[j]) - (x[i] < x[j]);
      const int sy = (y[i] > y[j]) - (y[i] < y[j]);
      balance += sx * sy;
      x_ties += sx == 0;
      y_ties += sy == 0;
    }
  }
  return tau_b(static_cast<std::int64_t>(n), balance, x_ties, y_ties);
}

double top_k_precision(const std::vector<double>& scores, const std::vector<double>& truth,
                       double fraction) {
  check_pair(scores, truth, "top_k_precision");
  const std::size_t k = top_k_count(scores.size(), fraction, "top_k_precision");
  const auto by_score = top_k_weights(scores, k);
  const auto by_truth = top_k_weights(truth, k);
  double overlap = 0.0;
  for (std::size_t i = 0; i < scores.size(); ++i) overlap += by_score[i] * by_truth[i];
  return overlap / static_cast<double>(k);
}

double top_k_regret(const std::vector<double>& scores, const std::vector<double>& truth,
                    double fraction) {
  check_pair(scores, truth, "top_k_regret");
  const std::size_t k = top_k_count(scores.size(), fraction, "top_k_regret");
  std::vector<double> sorted = scores;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k - 1),
                   sorted.end(), std::greater<double>());
  const double boundary = sorted[k - 1];
  // The best truth strictly above the boundary score, and the truths tied at it.
  double best_above = -std::numeric_limits<double>::infinity();
  std::vector<double> tied;
  std::size_t above = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] > boundary) {
      ++above;
      best_above = std::max(best_above, truth[i]);
    } else if (scores[i] == boundary) {
      tied.push_back(truth[i]);
    }
  }
  // r of the m tied architectures join the top k, each r-subset equally likely. With the tied
  // truths in descending order, the i-th (1-based) is the best of the subset with probability
  // C(m - i, r - 1) / C(m, r): p_1 = r / m, p_{i+1} = p_i (m - i - r + 1) / (m - i).
  std::sort(tied.begin(), tied.end(), std::greater<double>());
  const std::size_t m = tied.size();
  const std::size_t r = k - above;
  // Summed as probability-weighted gaps, each >= 0, so that rounding never gives a regret
  // below 0 (or above 0 when the best is certain to be in).
  const double best = *std::max_element(truth.begin(), truth.end());
  double regret = 0.0;
  double probability = static_cast<double>(r) / static_cast<double>(m);
  for (std::size_t i = 1; i <= m && probability > 0.0; ++i) {
    regret += probability * (best - std::max(best_above, tied[i - 1]));
    if (i < m) {
      probability *=
          static_cast<double>(m - i + 1 > r ? m - i - r + 1 : 0) / static_cast<double>(m - i);
    }
  }
  return regret;
}

void check_bootstrap_settings(const BootstrapSettings& settings) {
  if (settings.samples < 1) {
    throw Error("bootstrap: samples must be >= 1, got " + std::to_string(settings.samples));
  }
  if (!(settings.confidence > 0.0 && settings.confidence < 1.0)) {
    throw Error("bootstrap: confidence must lie in (0, 1), got " +
                std::to_string(settings.confidence));
  }
  if (settings.method != "percentile" && settings.method != "bca") {
    throw Error("bootstrap: unknown method '" + settings.method + "' (known: percentile, bca)");
  }
}

BootstrapDistribution bootstrap_distribution(const PairStatistic& statistic,
                                             const std::vector<double>& x,
                                             const std::vector<double>& y,
                                             const BootstrapSettings& settings) {
  check_bootstrap_settings(settings);
  check_pair(x, y, "bootstrap");
  const std::size_t n = x.size();
  if (settings.method == "bca" && n < 3) {
    throw Error("bootstrap: the bca method needs at least 3 pairs (jackknife), got " +
                std::to_string(n));
  }
  BootstrapDistribution distribution;
  distribution.estimate = statistic(x, y);
  PortableRng rng(settings.seed);
  std::vector<double> xb(n), yb(n);
  distribution.resamples.reserve(static_cast<std::size_t>(settings.samples));
  for (int b = 0; b < settings.samples; ++b) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto j = static_cast<std::size_t>(rng.below(n));
      xb[i] = x[j];
      yb[i] = y[j];
    }
    distribution.resamples.push_back(statistic(xb, yb));
  }
  if (settings.method == "bca") distribution.jackknife = jackknife_values(statistic, x, y);
  return distribution;
}

Interval interval_of(const BootstrapDistribution& distribution, const BootstrapSettings& settings) {
  check_bootstrap_settings(settings);
  if (distribution.resamples.size() != static_cast<std::size_t>(settings.samples)) {
    throw Error("bootstrap: the distribution has " + std::to_string(distribution.resamples.size()) +
                " resamples, the settings say " + std::to_string(settings.samples));
  }
  const bool bca = settings.method == "bca";
  if (bca && distribution.jackknife.empty()) {
    throw Error("bootstrap: a bca interval needs the jackknife values of the distribution");
  }
  Interval interval;
  interval.estimate = distribution.estimate;
  interval.lo = interval.hi = kNaN;
  std::vector<double> values;
  values.reserve(distribution.resamples.size());
  for (double value : distribution.resamples) {
    if (std::isnan(value)) {
      ++interval.n_nan_resamples;
    } else {
      values.push_back(value);
    }
  }
  if (std::isnan(interval.estimate) || values.empty()) return interval;
  std::sort(values.begin(), values.end());

  const double alpha = (1.0 - settings.confidence) / 2.0;
  if (!bca) {
    interval.lo = quantile_type7(values, alpha);
    interval.hi = quantile_type7(values, 1.0 - alpha);
    return interval;
  }

  // BCa. Ties with the estimate count half: discrete statistics (top-k precision) hit it often.
  double below = 0.0;
  for (double v : values) {
    below += v < interval.estimate ? 1.0 : (v == interval.estimate ? 0.5 : 0.0);
  }
  const double share = below / static_cast<double>(values.size());
  if (share <= 0.0 || share >= 1.0) return interval;
  const boost::math::normal_distribution<double> normal;
  const double z0 = boost::math::quantile(normal, share);
  const double a = jackknife_acceleration(distribution.jackknife);
  const auto adjusted_level = [&](double level) {
    const double z = z0 + boost::math::quantile(normal, level);
    const double denominator = 1.0 - a * z;
    // Past this pole the adjusted level would jump to the other tail; the interval is undefined.
    if (denominator <= 0.0) return kNaN;
    return boost::math::cdf(normal, z0 + z / denominator);
  };
  const double lo_level = adjusted_level(alpha);
  const double hi_level = adjusted_level(1.0 - alpha);
  if (std::isnan(lo_level) || std::isnan(hi_level)) return interval;
  interval.lo = quantile_type7(values, lo_level);
  interval.hi = quantile_type7(values, hi_level);
  return interval;
}

Interval bootstrap(const PairStatistic& statistic, const std::vector<double>& x,
                   const std::vector<double>& y, const BootstrapSettings& settings) {
  return interval_of(bootstrap_distribution(statistic, x, y, settings), settings);
}

PairedDifference paired_difference(const BootstrapDistribution& a, const BootstrapDistribution& b,
                                   const BootstrapSettings& settings) {
  if (a.resamples.size() != b.resamples.size() || a.jackknife.size() != b.jackknife.size()) {
    throw Error(
        "paired_difference: the two distributions were not made with the same settings and "
        "sample size (" +
        std::to_string(a.resamples.size()) + " and " + std::to_string(b.resamples.size()) +
        " resamples, " + std::to_string(a.jackknife.size()) + " and " +
        std::to_string(b.jackknife.size()) + " jackknife values)");
  }
  // Resample by resample: the same architectures were drawn for both (same seed and n).
  const auto minus = [](const std::vector<double>& left, const std::vector<double>& right) {
    std::vector<double> result(left.size());
    for (std::size_t i = 0; i < left.size(); ++i) result[i] = left[i] - right[i];
    return result;
  };
  BootstrapDistribution difference;
  difference.estimate = a.estimate - b.estimate;
  difference.resamples = minus(a.resamples, b.resamples);
  difference.jackknife = minus(a.jackknife, b.jackknife);

  PairedDifference result;
  result.difference = interval_of(difference, settings);
  double a_better = 0.0;
  std::size_t defined = 0;
  for (double d : difference.resamples) {
    if (std::isnan(d)) continue;
    ++defined;
    a_better += d > 0.0 ? 1.0 : (d == 0.0 ? 0.5 : 0.0);
  }
  result.share_a_better = defined == 0 ? kNaN : a_better / static_cast<double>(defined);
  return result;
}

const std::vector<NamedStatistic>& statistic_registry() {
  static const std::vector<NamedStatistic> registry = {
      {"spearman", "Spearman's rank correlation rho (average ranks for ties)", &spearman, true},
      {"kendall_tau_b", "Kendall's tau-b rank correlation", &kendall_tau_b, true},
      {"pearson", "Pearson's linear correlation r", &pearson, false},
      {"top10_precision",
       "share of the top 10% by truth found in the top 10% by score (ties: expected value)",
       &top10_precision, true},
      {"top10_regret",
       "best ground truth overall minus the best among the top 10% by score (expected over "
       "random tie-breaks), in ground-truth units; lower is better",
       &top10_regret, false, true},
  };
  return registry;
}

const NamedStatistic& find_statistic(std::string_view name) {
  std::string known;
  for (const NamedStatistic& statistic : statistic_registry()) {
    if (statistic.name == name) return statistic;
    known += (known.empty() ? "" : ", ") + std::string(statistic.name);
  }
  throw Error("unknown statistic '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace zcb
