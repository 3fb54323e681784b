#include "zcb/results/task_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "zcb/error.hpp"

namespace zcb {
namespace {

constexpr int kSchemaVersion = 1;
constexpr std::size_t kMinCommon = 3;
constexpr std::size_t kMaxErrorMessages = 5;
/// Points of the score-against-truth scatter the site draws per proxy and task.
constexpr std::size_t kScatterPoints = 1000;

/// Positions of the common set shown in the scatter: all, or kScatterPoints evenly spaced in
/// arch id order.
std::vector<std::size_t> scatter_positions(std::size_t n) {
  std::vector<std::size_t> positions;
  const std::size_t shown = std::min(n, kScatterPoints);
  for (std::size_t i = 0; i < shown; ++i) positions.push_back(i * n / shown);
  return positions;
}

/// 4 decimals are plenty for a plot and keep the document small.
double rounded(double value) { return std::round(value * 1e4) / 1e4; }

// JSON has no NaN; say "undefined" explicitly rather than rely on the serializer.
nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// A proxy's rows sorted by arch id, for binary search.
struct SortedRows {
  std::vector<const ScoreRow*> rows;

  const ScoreRow* find(std::int64_t arch_id) const {
    const auto it =
        std::lower_bound(rows.begin(), rows.end(), arch_id,
                         [](const ScoreRow* row, std::int64_t id) { return row->arch_id < id; });
    return it != rows.end() && (*it)->arch_id == arch_id ? *it : nullptr;
  }
};

SortedRows sort_rows(const ProxyResult& proxy) {
  SortedRows sorted;
  for (const ScoreRow& row : proxy.rows) {
    if (row.status == RowStatus::kOk && !std::isfinite(row.score)) {
      throw Error("task stats: proxy '" + proxy.name + "' arch " + std::to_string(row.arch_id) +
                  " has status ok but a non-finite score");
    }
    sorted.rows.push_back(&row);
  }
  std::sort(sorted.rows.begin(), sorted.rows.end(),
            [](const ScoreRow* a, const ScoreRow* b) { return a->arch_id < b->arch_id; });
  for (std::size_t i = 1; i < sorted.rows.size(); ++i) {
    if (sorted.rows[i]->arch_id == sorted.rows[i - 1]->arch_id) {
      throw Error("task stats: proxy '" + proxy.name + "' has two rows for arch " +
                  std::to_string(sorted.rows[i]->arch_id) + " (merge shards without overlap)");
    }
  }
  return sorted;
}

// Counts, messages and costs of one proxy over the planned archs.
nlohmann::json describe_proxy(const ProxyResult& proxy, const SortedRows& sorted,
                              const std::vector<std::int64_t>& plan) {
  const auto planned = [&](std::int64_t id) {
    return std::binary_search(plan.begin(), plan.end(), id);
  };
  std::size_t n_scored = 0, n_ok = 0, n_unplanned = 0;
  std::map<std::string, std::size_t> status_counts{{"ok", 0}};
  std::vector<std::string> errors;
  for (const ScoreRow* row : sorted.rows) {
    if (!planned(row->arch_id)) {
      ++n_unplanned;
      continue;
    }
    ++n_scored;
    ++status_counts[std::string(to_string(row->status))];
    if (row->status == RowStatus::kOk) {
      ++n_ok;
    } else if (!row->message.empty() && errors.size() < kMaxErrorMessages &&
               std::find(errors.begin(), errors.end(), row->message) == errors.end()) {
      errors.push_back(row->message);
    }
  }
  double build_sum = 0.0, score_sum = 0.0, peak_rss = std::nan("");
  std::size_t timed = 0;
  for (const TimingRow& timing : proxy.timings) {
    if (!planned(timing.arch_id)) continue;
    build_sum += timing.build_ms;
    score_sum += timing.score_ms;
    if (std::isfinite(timing.peak_rss_mib) &&
        (std::isnan(peak_rss) || timing.peak_rss_mib > peak_rss)) {
      peak_rss = timing.peak_rss_mib;
    }
    ++timed;
  }
  const double n_planned = static_cast<double>(plan.size());
  return {
      {"name", proxy.name},
      {"version", proxy.version},
      {"higher_is_better", proxy.higher_is_better},
      {"n_scored", n_scored},
      {"n_ok", n_ok},
      {"n_missing", plan.size() - n_scored},
      {"n_unplanned", n_unplanned},
      {"coverage", plan.empty() ? nlohmann::json(nullptr)
                                : nlohmann::json(static_cast<double>(n_ok) / n_planned)},
      {"status_counts", status_counts},
      {"errors", errors},
      {"mean_build_ms", timed == 0 ? nlohmann::json(nullptr)
                                   : number_or_null(build_sum / static_cast<double>(timed))},
      {"mean_score_ms", timed == 0 ? nlohmann::json(nullptr)
                                   : number_or_null(score_sum / static_cast<double>(timed))},
      {"max_peak_rss_mib", number_or_null(peak_rss)},
  };
}

Interval estimate_only(double estimate) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {estimate, nan, nan, 0};
}

nlohmann::json interval_json(const Interval& interval) {
  return {{"estimate", number_or_null(interval.estimate)},
          {"lo", number_or_null(interval.lo)},
          {"hi", number_or_null(interval.hi)},
          {"n_nan_resamples", interval.n_nan_resamples}};
}

/// The rank statistics of one proxy over every planned arch with a finite truth that it scored
/// ok or non-finite, a non-finite score ranking last (as TE-NAS ranks a NaN condition number and
/// AZ-NAS a NaN component, and as papers report over whole samples). Errors, crashes and
/// unsupported rows are not scores of the architecture and stay out.
nlohmann::json all_architectures_stats(const TaskStatsInput& input,
                                       const std::vector<std::int64_t>& plan,
                                       const SortedRows& rows, double sign,
                                       const std::vector<const NamedStatistic*>& statistics) {
  std::vector<double> scores, truth;
  std::size_t n_last = 0;
  for (std::int64_t id : plan) {
    const double value = input.truth[static_cast<std::size_t>(id)];
    const ScoreRow* row = rows.find(id);
    if (!std::isfinite(value) || row == nullptr ||
        (row->status != RowStatus::kOk && row->status != RowStatus::kNonFinite)) {
      continue;
    }
    const bool finite = row->status == RowStatus::kOk;
    // Below every oriented finite score; only order-only statistics are computed on these.
    scores.push_back(finite ? sign * row->score : std::numeric_limits<double>::lowest());
    truth.push_back(value);
    if (!finite) ++n_last;
  }
  nlohmann::json result = {{"n", scores.size()}, {"n_ranked_last", n_last}};
  if (scores.size() < kMinCommon) {
    result["stats"] = nullptr;
    return result;
  }
  const std::vector<double> score_ranks = dense_ranks(scores);
  const std::vector<double> truth_ranks = dense_ranks(truth);
  nlohmann::json stats = nlohmann::json::object();
  for (const NamedStatistic* statistic : statistics) {
    if (!statistic->rank_based) continue;  // a value for "last" exists only as a rank
    const Interval interval =
        input.intervals ? bootstrap(statistic->compute, score_ranks, truth_ranks, input.bootstrap)
                        : estimate_only(statistic->compute(score_ranks, truth_ranks));
    stats[std::string(statistic->name)] = interval_json(interval);
  }
  result["stats"] = std::move(stats);
  return result;
}

/// {n, truth, places}: the truth of the scatter's architectures and each proxy's places.
nlohmann::json scatter_json(const std::vector<double>& truth, nlohmann::json places) {
  nlohmann::json shown_truth = nlohmann::json::array();
  for (std::size_t i : scatter_positions(truth.size())) shown_truth.push_back(rounded(truth[i]));
  return {{"n", shown_truth.size()}, {"truth", shown_truth}, {"places", std::move(places)}};
}

/// Every pair of proxies (a before b in input order) under every statistic, on the common set:
/// the paired bootstrap of the difference a - b.
nlohmann::json comparisons_json(
    const TaskStatsInput& input, const std::vector<const NamedStatistic*>& statistics,
    const std::vector<std::vector<BootstrapDistribution>>& distributions) {
  nlohmann::json comparisons = nlohmann::json::object();
  for (std::size_t s = 0; s < statistics.size(); ++s) {
    nlohmann::json pairs = nlohmann::json::array();
    for (std::size_t a = 0; a < input.proxies.size(); ++a) {
      for (std::size_t b = a + 1; b < input.proxies.size(); ++b) {
        const PairedDifference paired =
            paired_difference(distributions[a][s], distributions[b][s], input.bootstrap);
        pairs.push_back({{"a", input.proxies[a].name},
                         {"b", input.proxies[b].name},
                         {"difference", interval_json(paired.difference)},
                         {"share_a_better", number_or_null(paired.share_a_better)}});
      }
    }
    comparisons[std::string(statistics[s]->name)] = std::move(pairs);
  }
  return comparisons;
}

}  // namespace

nlohmann::json compute_task_stats(const TaskStatsInput& input) {
  std::vector<const NamedStatistic*> statistics;
  for (const std::string& name : input.statistics) {
    if (std::count(input.statistics.begin(), input.statistics.end(), name) > 1) {
      throw Error("task stats: statistic '" + name + "' is listed twice");
    }
    statistics.push_back(&find_statistic(name));
  }
  check_bootstrap_settings(input.bootstrap);

  std::vector<std::int64_t> plan = input.planned_archs;
  std::sort(plan.begin(), plan.end());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (i > 0 && plan[i] == plan[i - 1]) {
      throw Error("task stats: arch " + std::to_string(plan[i]) + " is planned twice");
    }
    if (plan[i] < 0 || plan[i] >= static_cast<std::int64_t>(input.truth.size())) {
      throw Error("task stats: planned arch " + std::to_string(plan[i]) +
                  " has no ground-truth entry (" + std::to_string(input.truth.size()) +
                  " archs in the table of " + input.space + "/" + input.task + ")");
    }
  }

  std::set<std::string> names;
  std::vector<SortedRows> sorted;
  for (const ProxyResult& proxy : input.proxies) {
    if (!names.insert(proxy.name).second) {
      throw Error("task stats: proxy '" + proxy.name + "' is given twice");
    }
    sorted.push_back(sort_rows(proxy));
  }

  // The common set, in ascending arch id order.
  std::size_t n_truth_nonfinite = 0;
  std::vector<std::int64_t> common;
  for (std::int64_t id : plan) {
    if (!std::isfinite(input.truth[static_cast<std::size_t>(id)])) {
      ++n_truth_nonfinite;
      continue;
    }
    const bool all_ok = std::all_of(sorted.begin(), sorted.end(), [&](const SortedRows& rows) {
      const ScoreRow* row = rows.find(id);
      return row != nullptr && row->status == RowStatus::kOk;
    });
    if (all_ok) common.push_back(id);
  }

  if (!input.network_of.empty() && input.network_of.size() != input.truth.size()) {
    throw Error("task stats: network_of has " + std::to_string(input.network_of.size()) +
                " entries for " + std::to_string(input.truth.size()) + " archs");
  }
  std::set<std::int64_t> networks;
  for (std::int64_t id : common) {
    networks.insert(input.network_of.empty() ? id : input.network_of[static_cast<std::size_t>(id)]);
  }
  const bool enough = networks.size() >= kMinCommon;
  std::string stats_reason;
  if (common.size() < kMinCommon) {
    stats_reason = "only " + std::to_string(common.size()) +
                   (common.size() == 1 ? " architecture was" : " architectures were") +
                   " scored ok by every proxy and with a finite ground truth; statistics need at "
                   "least " +
                   std::to_string(kMinCommon);
  } else if (!enough) {
    stats_reason = "the " + std::to_string(common.size()) + " architectures in common are only " +
                   std::to_string(networks.size()) +
                   " distinct networks, each trained again with other seeds; a ranking needs at "
                   "least " +
                   std::to_string(kMinCommon) +
                   " (over two networks a correlation says how far apart they are, not how well "
                   "a proxy ranks a space)";
  }
  std::vector<double> truth;
  for (std::int64_t id : common) truth.push_back(input.truth[static_cast<std::size_t>(id)]);
  const std::vector<double> truth_ranks = enough ? dense_ranks(truth) : std::vector<double>();

  nlohmann::json proxies = nlohmann::json::array();
  nlohmann::json score_files = nlohmann::json::object();
  nlohmann::json scatter_places = nlohmann::json::object();
  // distributions[proxy][statistic] on the common set, for the paired comparisons.
  std::vector<std::vector<BootstrapDistribution>> distributions(input.proxies.size());
  for (std::size_t p = 0; p < input.proxies.size(); ++p) {
    const ProxyResult& proxy = input.proxies[p];
    nlohmann::json entry = describe_proxy(proxy, sorted[p], plan);
    score_files[proxy.name] = proxy.score_file_sha256;
    if (!enough) {
      entry["stats"] = nullptr;
      proxies.push_back(std::move(entry));
      continue;
    }
    // Oriented so that a positive correlation always means "ranks good archs high".
    const double sign = proxy.higher_is_better ? 1.0 : -1.0;
    std::vector<double> scores;
    for (std::int64_t id : common) scores.push_back(sign * sorted[p].find(id)->score);
    const std::vector<double> score_ranks = dense_ranks(scores);
    if (input.intervals) {
      // The scatter: each shown architecture's place by this proxy, 0 (worst) to 1 (best).
      const std::vector<double> places = average_ranks(scores);
      nlohmann::json points = nlohmann::json::array();
      for (std::size_t i : scatter_positions(common.size())) {
        points.push_back(rounded((places[i] - 1.0) / static_cast<double>(common.size() - 1)));
      }
      scatter_places[proxy.name] = std::move(points);
    }
    nlohmann::json stats = nlohmann::json::object();
    for (const NamedStatistic* statistic : statistics) {
      // Order-only statistics run on dense ranks: bit-identical results, ranked by counting
      // sort in every resample. Same seed and n for every statistic and proxy: identical
      // resamples throughout.
      const bool ranks = statistic->rank_based;
      const std::vector<double>& x = ranks ? score_ranks : scores;
      const std::vector<double>& y = ranks ? truth_ranks : truth;
      if (!input.intervals) {
        stats[std::string(statistic->name)] =
            interval_json(estimate_only(statistic->compute(x, y)));
        continue;
      }
      BootstrapDistribution distribution =
          bootstrap_distribution(statistic->compute, x, y, input.bootstrap);
      stats[std::string(statistic->name)] =
          interval_json(interval_of(distribution, input.bootstrap));
      distributions[p].push_back(std::move(distribution));
    }
    entry["stats"] = std::move(stats);
    entry["stats_all"] = all_architectures_stats(input, plan, sorted[p], sign, statistics);
    proxies.push_back(std::move(entry));
  }

  return {
      {"kind", "task_stats"},
      {"schema_version", kSchemaVersion},
      {"space", input.space},
      {"task", input.task},
      {"ground_truth", input.ground_truth_metric},
      {"n_planned", plan.size()},
      {"n_truth_nonfinite", n_truth_nonfinite},
      {"n_common", common.size()},
      {"n_distinct_networks", networks.size()},
      {"oriented", true},
      {"statistics", input.statistics},
      {"stats_reason", enough ? nlohmann::json(nullptr) : nlohmann::json(stats_reason)},
      {"bootstrap",
       {{"method", input.bootstrap.method},
        {"samples", input.bootstrap.samples},
        {"confidence", input.bootstrap.confidence},
        {"seed", input.bootstrap.seed}}},
      {"inputs", {{"table_sha256", input.table_sha256}, {"score_files", score_files}}},
      {"provenance", input.provenance},
      {"proxies", proxies},
      {"scatter",
       enough && input.intervals ? scatter_json(truth, scatter_places) : nlohmann::json(nullptr)},
      {"comparisons", enough && input.intervals ? comparisons_json(input, statistics, distributions)
                                                : nlohmann::json(nullptr)},
  };
}

namespace {

// {values, mean, sd, min, max} of one statistic across seeds.
nlohmann::json spread_json(const std::vector<double>& values) {
  nlohmann::json listed = nlohmann::json::array();
  std::vector<double> defined;
  for (double value : values) {
    listed.push_back(number_or_null(value));
    if (std::isfinite(value)) defined.push_back(value);
  }
  nlohmann::json spread = {
      {"values", listed}, {"mean", nullptr}, {"sd", nullptr}, {"min", nullptr}, {"max", nullptr}};
  if (defined.empty()) return spread;
  double sum = 0.0;
  for (double value : defined) sum += value;
  const double mean = sum / static_cast<double>(defined.size());
  spread["mean"] = mean;
  if (defined.size() >= 2) {
    double squares = 0.0;
    for (double value : defined) squares += (value - mean) * (value - mean);
    spread["sd"] = std::sqrt(squares / static_cast<double>(defined.size() - 1));
  }
  spread["min"] = *std::min_element(defined.begin(), defined.end());
  spread["max"] = *std::max_element(defined.begin(), defined.end());
  return spread;
}

// The estimate of one statistic in a `stats` object, NaN when absent or null.
double estimate_in(const nlohmann::json& stats, const std::string& statistic) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (!stats.is_object()) return kNaN;
  const auto it = stats.find(statistic);
  if (it == stats.end() || !it->is_object()) return kNaN;
  const auto estimate = it->find("estimate");
  return estimate != it->end() && estimate->is_number() ? estimate->get<double>() : kNaN;
}

// A proxy's `stats_all.stats`, or null.
const nlohmann::json& all_stats_of(const nlohmann::json& proxy) {
  static const nlohmann::json kNull;
  const auto all = proxy.find("stats_all");
  if (all == proxy.end() || !all->is_object()) return kNull;
  const auto stats = all->find("stats");
  return stats != all->end() ? *stats : kNull;
}

}  // namespace

void add_seed_spread(nlohmann::json& document, const std::vector<int>& seeds,
                     const std::vector<const nlohmann::json*>& per_seed) {
  if (seeds.size() != per_seed.size()) {
    throw Error("seed spread: " + std::to_string(seeds.size()) + " seeds but " +
                std::to_string(per_seed.size()) + " task stats documents");
  }
  nlohmann::json& proxies = document.at("proxies");
  for (const nlohmann::json* other : per_seed) {
    const nlohmann::json& listed = other->at("proxies");
    bool same = listed.size() == proxies.size();
    for (std::size_t p = 0; same && p < proxies.size(); ++p) {
      same = listed[p].at("name") == proxies[p].at("name");
    }
    if (!same) {
      throw Error("seed spread: the per-seed statistics of " + document.value("space", "") + "/" +
                  document.value("task", "") + " do not list the same proxies");
    }
  }
  const auto statistics = document.at("statistics").get<std::vector<std::string>>();
  for (std::size_t p = 0; p < proxies.size(); ++p) {
    nlohmann::json common = nlohmann::json::object();
    nlohmann::json all = nlohmann::json::object();
    for (const std::string& statistic : statistics) {
      std::vector<double> values, all_values;
      for (const nlohmann::json* other : per_seed) {
        const nlohmann::json& proxy = other->at("proxies")[p];
        values.push_back(estimate_in(proxy.value("stats", nlohmann::json()), statistic));
        all_values.push_back(estimate_in(all_stats_of(proxy), statistic));
      }
      common[statistic] = spread_json(values);
      // stats_all holds the rank statistics only.
      const nlohmann::json& own_all = all_stats_of(proxies[p]);
      if (own_all.is_object() && own_all.contains(statistic)) {
        all[statistic] = spread_json(all_values);
      }
    }
    proxies[p]["seed_spread"] = {{"seeds", seeds}, {"stats", common}, {"stats_all", all}};
  }
}

}  // namespace zcb
