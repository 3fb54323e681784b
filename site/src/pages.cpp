#include "pages.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "templates.hpp"
#include "zcb/site/format.hpp"
#include "zcb/site/history.hpp"
#include "zcb/site/leaderboard.hpp"
#include "zcb/site/statistics.hpp"
#include "zcb/status.hpp"

namespace zcb::site::detail {
namespace {

using json = nlohmann::ordered_json;
using kainjow::mustache::data;
using kainjow::mustache::list;

/// Coverage below this fraction is flagged on the task pages.
constexpr double kLowCoverage = 0.95;
/// Error messages shown per proxy; the JSON download has all the stats stage kept.
constexpr std::size_t kErrorsShown = 5;
/// The statistic the overall leaderboard ranks by.
constexpr std::string_view kRankStatistic = "spearman";

/// A JSON scalar as text; objects and arrays as compact JSON; null or missing as kMissing.
std::string display(const json* value) {
  if (value == nullptr || value->is_null()) {
    return std::string(kMissing);
  }
  if (value->is_string()) {
    return value->get<std::string>();
  }
  return value->dump();
}

const json* find(const json& object, const std::string& key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string or_missing(const std::string& text) {
  return text.empty() ? std::string(kMissing) : text;
}

/// A coordinate on the 0..100 axis of an interval bar.
std::string svg_coordinate(double value, double axis_min, double axis_max) {
  // Clamped to [0, 100], so never negative: plain ASCII digits.
  return format_fixed(std::clamp((value - axis_min) / (axis_max - axis_min), 0.0, 1.0) * 100.0, 1);
}

/// The data of the ci_bar partial, or false when there is nothing to draw.
data ci_bar(const Estimate& estimate, double axis_min, double axis_max) {
  if (!estimate.estimate && !(estimate.lo && estimate.hi)) {
    return data(false);
  }
  data bar;
  const bool has_range = estimate.lo && estimate.hi;
  bar.set("has_range", has_range);
  bar.set("lo_x", has_range ? svg_coordinate(*estimate.lo, axis_min, axis_max) : "0");
  bar.set("hi_x", has_range ? svg_coordinate(*estimate.hi, axis_min, axis_max) : "0");
  bar.set("has_estimate", estimate.estimate.has_value());
  bar.set("est_x",
          estimate.estimate ? svg_coordinate(*estimate.estimate, axis_min, axis_max) : "0");
  if (axis_min < 0.0 && axis_max > 0.0) {
    data zero;
    zero.set("x", svg_coordinate(0.0, axis_min, axis_max));
    bar.set("zero", zero);
  } else {
    bar.set("zero", false);
  }
  return bar;
}

/// The axis of a statistic's interval bars: fixed for known statistics, else the data range.
std::pair<double, double> statistic_axis(const TaskStats& task, const std::string& key) {
  const StatisticInfo info = statistic_info(key);
  if (info.axis_min && info.axis_max) {
    return {*info.axis_min, *info.axis_max};
  }
  std::optional<double> low;
  std::optional<double> high;
  for (const auto& proxy : task.proxies) {
    const auto it = proxy.stats.find(key);
    if (it == proxy.stats.end() || !it->second) {
      continue;
    }
    for (const auto& value : {it->second->estimate, it->second->lo, it->second->hi}) {
      if (value) {
        low = std::min(low.value_or(*value), *value);
        high = std::max(high.value_or(*value), *value);
      }
    }
  }
  if (!low || *low == *high) {
    return {low.value_or(0.0) - 1.0, high.value_or(0.0) + 1.0};
  }
  return {*low, *high};
}

/// A table cell holding one statistic: estimate, interval, bar, and why it may be missing.
data statistic_cell(const TaskStats& task, const ProxyStats* proxy, const std::string& key,
                    std::pair<double, double> axis) {
  data cell;
  std::optional<Estimate> estimate;
  std::string missing_reason = "proxy not run on this task";
  if (proxy != nullptr) {
    const auto it = proxy->stats.find(key);
    if (it != proxy->stats.end()) {
      estimate = it->second;
      missing_reason =
          "null in the stats: not computable on these architectures (too few, or constant scores)";
    } else {
      missing_reason = task.stats_reason.empty() ? "not reported for this proxy"
                                                 : "not computed: " + task.stats_reason;
    }
  }
  const Estimate value = estimate.value_or(Estimate{});
  cell.set("sort", format_exact(value.estimate));
  cell.set("has_estimate", value.estimate.has_value());
  cell.set("estimate", format_statistic(value.estimate));
  cell.set("has_interval", value.lo.has_value() || value.hi.has_value());
  cell.set("interval", format_interval(value.lo, value.hi));
  cell.set("bar", ci_bar(value, axis.first, axis.second));
  cell.set("missing_reason", value.estimate ? std::string() : missing_reason);
  const std::int64_t nan_resamples = value.n_nan_resamples.value_or(0);
  cell.set("has_note", nan_resamples > 0);
  cell.set("note", std::to_string(nan_resamples) + " bootstrap resamples gave no value");
  cell.set("has_rank", false);
  cell.set("rank", "");
  cell.set("rank_title", "");
  // The spread across seeds, for a run of several.
  const SeedSpread* spread = nullptr;
  if (proxy != nullptr) {
    const auto it = proxy->seed_spread.find(key);
    if (it != proxy->seed_spread.end() && it->second.seeds.size() > 1) spread = &it->second;
  }
  cell.set("has_spread", spread != nullptr);
  if (spread != nullptr) {
    std::size_t defined = 0;
    std::string title;
    for (std::size_t i = 0; i < spread->seeds.size(); ++i) {
      defined += spread->values[i].has_value() ? 1 : 0;
      title += (i > 0 ? ", " : "") + std::string("seed ") + std::to_string(spread->seeds[i]) +
               ": " + format_statistic(spread->values[i]);
    }
    title += "; mean " + format_statistic(spread->mean) + ", range " +
             format_interval(spread->min, spread->max);
    cell.set("spread",
             "sd " + format_statistic(spread->sd) + " over " + std::to_string(defined) + " seeds");
    cell.set("spread_title", title);
  }
  return cell;
}

/// "2" or "6.5": a possibly shared rank.
std::string format_rank(double rank) {
  return rank == static_cast<double>(static_cast<long long>(rank))
             ? std::to_string(static_cast<long long>(rank))
             : format_fixed(rank, 1);
}

std::string task_label(const TaskStats& task) { return task.space + " / " + task.task; }

/// Header, navigation and footer data shared by every page.
data page_data(const RunStats& run, const std::string& title, const std::string& current) {
  data page;
  page.set("title", title);
  page.set("run_name", or_missing(run.name));
  list nav;
  for (const auto& [href, label] :
       std::array<std::pair<const char*, const char*>, 4>{{{"index.html", "Leaderboard"},
                                                           {"published.html", "Published values"},
                                                           {"history.html", "History"},
                                                           {"provenance.html", "Provenance"}}}) {
    if (std::string_view(href) == "history.html" && !run.has_history) continue;
    data item;
    item.set("href", href);
    item.set("label", label);
    item.set("current", current == href);
    nav.push_back(item);
  }
  page.set("nav", nav);
  page.set("zcbench_version", display(find(run.provenance, "zcbench_version")));
  std::string sha = display(find(run.provenance, "git_sha"));
  page.set("git_sha_short", sha.substr(0, std::min<std::size_t>(sha.size(), 12)));
  page.set("schema_version", std::to_string(kStatsSchemaVersion));
  return page;
}

/// Rows of the recursive kv_table partial for a JSON object or array.
data kv_table(const json& value);

data kv_row(const std::string& key, const json& value) {
  data row;
  row.set("key", key);
  const bool nested =
      (value.is_object() || value.is_array()) && !value.empty() &&
      !(value.is_array() &&
        std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_primitive(); }));
  row.set("nested", nested);
  if (nested) {
    row.set("table", kv_table(value));
    row.set("value", "");
  } else {
    row.set("table", false);
    std::string text;
    if (value.is_array()) {
      for (const auto& item : value) {
        text += (text.empty() ? "" : ", ") + display(&item);
      }
    } else if (!value.is_object()) {
      text = display(&value);
    }
    row.set("value", or_missing(text));
  }
  return row;
}

data kv_table(const json& value) {
  list rows;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      rows.push_back(kv_row(key, item));
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      rows.push_back(kv_row("[" + std::to_string(i) + "]", value[i]));
    }
  }
  data table;
  table.set("has_rows", !rows.empty());
  table.set("rows", rows);
  return table;
}

/// Status names in zcb::RowStatus order, then any others by name.
list status_list(const ProxyStats& proxy) {
  std::vector<std::string> order;
  for (const RowStatus status :
       {RowStatus::kOk, RowStatus::kNonFinite, RowStatus::kError, RowStatus::kOutOfMemory,
        RowStatus::kCrashed, RowStatus::kUnsupported}) {
    order.emplace_back(to_string(status));
  }
  for (const auto& [name, count] : proxy.status_counts) {
    if (std::find(order.begin(), order.end(), name) == order.end()) {
      order.push_back(name);
    }
  }
  list statuses;
  for (const auto& name : order) {
    const auto it = proxy.status_counts.find(name);
    if (it == proxy.status_counts.end() || it->second == 0) {
      continue;
    }
    std::string label = name;
    std::replace(label.begin(), label.end(), '_', ' ');
    data status;
    status.set("label", label);
    status.set("count", format_count(it->second));
    status.set("problem", name != to_string(RowStatus::kOk));
    statuses.push_back(status);
  }
  if (proxy.n_missing.value_or(0) > 0) {
    data status;
    status.set("label", "not scored");
    status.set("count", format_count(proxy.n_missing));
    status.set("problem", true);
    statuses.push_back(status);
  }
  return statuses;
}

data direction(const ProxyStats& proxy) {
  data result;
  result.set("known", proxy.higher_is_better.has_value());
  const bool higher = proxy.higher_is_better.value_or(true);
  result.set("sort", proxy.higher_is_better ? (higher ? "1" : "0") : "");
  result.set("arrow", higher ? "\u2191" : "\u2193");
  result.set("text", higher ? "higher score is better" : "lower score is better");
  return result;
}

/// Published values on @p task, and how many of them lie within our interval.
std::pair<std::size_t, std::size_t> published_counts(const TaskStats& task) {
  std::size_t values = 0, reproduced = 0;
  for (const auto& proxy : task.proxies) {
    values += proxy.published.size();
    reproduced += static_cast<std::size_t>(
        std::count_if(proxy.published.begin(), proxy.published.end(),
                      [](const PublishedComparison& value) { return value.verdict == "within"; }));
  }
  return {values, reproduced};
}

/// "95%", or kMissing.
std::string format_confidence(std::optional<double> confidence) {
  return confidence ? format_fixed(*confidence * 100.0, 0) + "%" : std::string(kMissing);
}

/// What a verdict says about our number, for the reader of the table.
std::string verdict_text(const std::string& verdict) {
  if (verdict == "within") return "reproduced";
  if (verdict == "above") return "ours lower";
  if (verdict == "below") return "ours higher";
  if (verdict == "not_computed") return "not computed";
  return verdict;
}

/// The scatter of one proxy on one task as SVG coordinates (the scatter partial): x its place,
/// 0 (worst) to 1 (best), y the ground truth between its smallest and largest shown value.
/// None when the stats have no scatter for the proxy.
std::optional<data> scatter_plot(const TaskStats& task, const ProxyStats& proxy) {
  const auto places = task.scatter.places.find(proxy.name);
  if (places == task.scatter.places.end() || task.scatter.truth.empty()) return std::nullopt;
  data plot;
  constexpr double kLeft = 46, kRight = 352, kTop = 10, kBottom = 206;  // viewBox 360 x 240
  const auto [low, high] =
      std::minmax_element(task.scatter.truth.begin(), task.scatter.truth.end());
  const double span = *high > *low ? *high - *low : 1.0;
  list points;
  for (std::size_t i = 0; i < task.scatter.truth.size(); ++i) {
    data point;
    point.set("x", format_fixed(kLeft + places->second[i] * (kRight - kLeft), 1));
    point.set("y",
              format_fixed(kBottom - (task.scatter.truth[i] - *low) / span * (kBottom - kTop), 1));
    points.push_back(point);
  }
  plot.set("points", points);
  plot.set("n_points", std::to_string(task.scatter.truth.size()));
  plot.set("truth_low", format_fixed(*low, 2));
  plot.set("truth_high", format_fixed(*high, 2));
  plot.set("task_label", task_label(task));
  plot.set("task_page", task_stem(task) + ".html");
  plot.set("ground_truth", or_missing(task.ground_truth));
  plot.set("spearman", format_statistic(estimate_of(&proxy, kRankStatistic)));
  return plot;
}

/// The difference row - column of a paired comparison stored either way round.
struct OrientedDifference {
  bool found = false;
  Estimate difference;
  std::optional<double> share_row_better;
};

using PairIndex = std::map<std::pair<std::string, std::string>, const PairedComparison*>;

OrientedDifference oriented_difference(const PairIndex& pairs, const std::string& row,
                                       const std::string& column) {
  OrientedDifference result;
  if (const auto it = pairs.find({row, column}); it != pairs.end()) {
    result.found = true;
    result.difference = it->second->difference;
    result.share_row_better = it->second->share_a_better;
  } else if (const auto swapped = pairs.find({column, row}); swapped != pairs.end()) {
    const auto negate = [](std::optional<double> v) {
      return v ? std::optional<double>(-*v) : std::nullopt;
    };
    const Estimate& stored = swapped->second->difference;
    result.found = true;
    result.difference = {negate(stored.estimate), negate(stored.hi), negate(stored.lo),
                         stored.n_nan_resamples};
    if (const auto share = swapped->second->share_a_better) result.share_row_better = 1.0 - *share;
  }
  return result;
}

/// "better", "worse" (the interval of row - column excludes 0; for a statistic where lower is
/// better, a difference below 0 is better), "tied" or "unknown".
std::string difference_verdict(const Estimate& difference, bool lower_is_better) {
  if (!difference.lo || !difference.hi) return "unknown";
  if (*difference.lo > 0.0) return lower_is_better ? "worse" : "better";
  if (*difference.hi < 0.0) return lower_is_better ? "better" : "worse";
  return "tied";
}

/// The pairs compared under @p key, by (a, b).
PairIndex index_pairs(const std::vector<PairedComparison>& comparisons) {
  PairIndex pairs;
  for (const PairedComparison& pair : comparisons) pairs[{pair.a, pair.b}] = &pair;
  return pairs;
}

/// The names of @p proxies that @p best does not beat at the confidence level (the interval of
/// their paired difference in @p pairs contains 0), in the order given.
std::vector<std::string> not_distinguishable_from(const std::vector<const ProxyStats*>& proxies,
                                                  const PairIndex& pairs, const std::string& best,
                                                  bool lower_is_better) {
  std::vector<std::string> tied;
  for (const ProxyStats* proxy : proxies) {
    if (proxy->name == best) continue;
    const OrientedDifference oriented = oriented_difference(pairs, best, proxy->name);
    if (oriented.found && difference_verdict(oriented.difference, lower_is_better) == "tied") {
      tied.push_back(proxy->name);
    }
  }
  return tied;
}

/// One cell of the pairwise matrix: row - column.
data pairwise_cell(const PairIndex& pairs, const std::string& row, const std::string& column,
                   bool lower_is_better) {
  static const std::map<std::string, std::pair<std::string, std::string>> kMarks = {
      {"better", {"\u25B2", "better"}},
      {"worse", {"\u25BC", "worse"}},
      {"tied", {"\u2248", "not distinguishable"}},
      {"unknown", {"", "not compared"}},
      {"self", {"", "the same proxy"}}};
  const bool self = row == column;
  const OrientedDifference oriented =
      self ? OrientedDifference{} : oriented_difference(pairs, row, column);
  const std::string verdict =
      self
          ? "self"
          : (oriented.found ? difference_verdict(oriented.difference, lower_is_better) : "unknown");
  const auto& [mark, words] = kMarks.at(verdict);
  const std::optional<double> estimate = oriented.difference.estimate;
  std::string text = format_fixed(estimate, 2);
  if (estimate && *estimate > 0.0 && text.find_first_not_of("0.") != std::string::npos) {
    text = "+" + text;
  }
  std::string title = row + " \u2212 " + column + ": " + words;
  if (oriented.found) {
    title += "; difference " + format_statistic(estimate) + " " +
             format_interval(oriented.difference.lo, oriented.difference.hi);
    if (oriented.share_row_better) {
      title +=
          "; " + row + " better in " + format_percent(oriented.share_row_better) + " of resamples";
    }
  }
  data cell;
  cell.set("verdict", verdict);
  cell.set("mark", mark);
  cell.set("words", words);
  cell.set("text", oriented.found ? text : std::string(kMissing));
  cell.set("title", title);
  return cell;
}

/// The pairwise section of a task page: the matrix of paired differences in one statistic
/// (the ranking statistic where compared), rows and columns in the results table's order, and
/// the proxies that the best cannot be told apart from. has_pairwise is false when the stats
/// hold no comparisons.
data pairwise_section(const TaskStats& task, const std::vector<const ProxyStats*>& order) {
  data section;
  auto chosen = task.comparisons.find(std::string(kRankStatistic));
  if (chosen == task.comparisons.end()) chosen = task.comparisons.begin();
  section.set("has_pairwise", chosen != task.comparisons.end() && !chosen->second.empty());
  if (chosen == task.comparisons.end()) return section;
  const std::string& key = chosen->first;
  const PairIndex pairs = index_pairs(chosen->second);
  std::set<std::string> compared;
  for (const PairedComparison& pair : chosen->second) {
    compared.insert(pair.a);
    compared.insert(pair.b);
  }
  std::vector<const ProxyStats*> shown;
  for (const ProxyStats* proxy : order) {
    if (compared.count(proxy->name) > 0) shown.push_back(proxy);
  }
  const StatisticInfo info = statistic_info(key);
  section.set("label", info.label);
  section.set("n", std::to_string(shown.size()));
  list columns;
  list rows;
  for (const ProxyStats* row_proxy : shown) {
    columns.push_back(data("name", row_proxy->name));
    list cells;
    for (const ProxyStats* column_proxy : shown) {
      cells.push_back(
          pairwise_cell(pairs, row_proxy->name, column_proxy->name, info.lower_is_better));
    }
    data row;
    row.set("name", row_proxy->name);
    row.set("cells", cells);
    rows.push_back(row);
  }
  section.set("columns", columns);
  section.set("rows", rows);

  // The best by the statistic and the proxies it does not beat at the confidence level.
  auto best = shown.end();
  for (auto it = shown.begin(); it != shown.end(); ++it) {
    const auto value = estimate_of(*it, key);
    if (!value) continue;
    const auto incumbent = best == shown.end() ? std::nullopt : estimate_of(*best, key);
    if (!incumbent || (info.lower_is_better ? *value < *incumbent : *value > *incumbent)) best = it;
  }
  const std::vector<std::string> tied_names =
      best == shown.end()
          ? std::vector<std::string>()
          : not_distinguishable_from(shown, pairs, (*best)->name, info.lower_is_better);
  list tied;
  for (std::size_t i = 0; i < tied_names.size(); ++i) {
    data item("name", tied_names[i]);
    item.set("separator", i + 1 < tied_names.size() ? ", " : "");
    tied.push_back(item);
  }
  section.set("has_best", best != shown.end());
  section.set("best", best != shown.end() ? (*best)->name : std::string());
  section.set("has_tied", !tied.empty());
  section.set("tied", tied);
  return section;
}

}  // namespace

std::string task_stem(const TaskStats& task) { return task.space + "-" + task.task; }

std::string render_index_page(const RunStats& run) {
  data page = page_data(run, "Leaderboard", "index.html");
  const std::map<std::string, std::string> pages = proxy_page_names(run);
  const StatisticInfo rank_info = statistic_info(kRankStatistic);
  const auto axis =
      std::make_pair(rank_info.axis_min.value_or(-1.0), rank_info.axis_max.value_or(1.0));
  const std::vector<LeaderboardEntry> leaderboard = build_leaderboard(run, kRankStatistic);

  page.set("statistic_label", rank_info.label);
  std::size_t n_published = 0, n_reproduced = 0;
  for (const auto& task : run.tasks) {
    const auto [values, reproduced] = published_counts(task);
    n_published += values;
    n_reproduced += reproduced;
  }
  page.set("has_published", n_published > 0);
  page.set("n_published", std::to_string(n_published));
  page.set("n_reproduced", std::to_string(n_reproduced));
  page.set("n_tasks", std::to_string(run.tasks.size()));
  page.set("n_proxies", std::to_string(leaderboard.size()));
  page.set("has_tasks", !run.tasks.empty());
  page.set("all_oriented", std::all_of(run.tasks.begin(), run.tasks.end(), [](const auto& task) {
             return task.oriented.value_or(false);
           }));

  list tasks;
  for (const auto& task : run.tasks) {
    data item;
    const std::string stem = task_stem(task);
    item.set("space", task.space);
    item.set("task", task.task);
    item.set("page", stem + ".html");
    item.set("csv", stem + ".csv");
    item.set("json", stem + ".json");
    item.set("ground_truth", or_missing(task.ground_truth));
    item.set("n_common", format_count(task.n_common));
    item.set("n_planned", format_count(task.n_planned));
    item.set("n_proxies", std::to_string(task.proxies.size()));
    const ProxyStats* best = nullptr;
    for (const auto& proxy : task.proxies) {
      const auto value = estimate_of(&proxy, kRankStatistic);
      if (value && (best == nullptr || *value > *estimate_of(best, kRankStatistic))) {
        best = &proxy;
      }
    }
    item.set("has_best", best != nullptr);
    item.set("best_proxy", best != nullptr ? best->name : std::string(kMissing));
    item.set("best_estimate", format_statistic(estimate_of(best, kRankStatistic)));
    // The proxies the paired bootstrap cannot tell from the best.
    std::string tied;
    const auto compared = task.comparisons.find(std::string(kRankStatistic));
    if (best != nullptr && compared != task.comparisons.end()) {
      std::vector<const ProxyStats*> proxies;
      for (const ProxyStats& proxy : task.proxies) proxies.push_back(&proxy);
      for (const std::string& name :
           not_distinguishable_from(proxies, index_pairs(compared->second), best->name, false)) {
        tied += (tied.empty() ? "" : ", ") + name;
      }
    }
    item.set("has_tied", !tied.empty());
    item.set("tied", tied);
    tasks.push_back(item);
  }
  page.set("tasks", tasks);

  list rows;
  for (std::size_t position = 0; position < leaderboard.size(); ++position) {
    const LeaderboardEntry& entry = leaderboard[position];
    data row;
    row.set("position", std::to_string(position + 1));
    row.set("name", entry.proxy);
    row.set("proxy_page", pages.at(entry.proxy));
    row.set("mean_rank", format_fixed(entry.mean_rank, 2));
    row.set("mean_rank_sort", format_exact(entry.mean_rank));
    row.set("mean_estimate", format_statistic(entry.mean_estimate));
    row.set("mean_estimate_sort", format_exact(entry.mean_estimate));
    row.set("tasks_with_estimate", std::to_string(entry.tasks_with_estimate));
    list cells;
    for (std::size_t t = 0; t < run.tasks.size(); ++t) {
      data cell = statistic_cell(run.tasks[t], entry.stats[t], std::string(kRankStatistic), axis);
      cell.set("has_rank", true);
      cell.set("rank", format_rank(entry.ranks[t]));
      cell.set("rank_title", "rank " + format_rank(entry.ranks[t]) + " of " +
                                 std::to_string(leaderboard.size()) + " on " +
                                 task_label(run.tasks[t]));
      cells.push_back(cell);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  page.set("rows", rows);
  page.set("has_rows", !rows.empty());

  list summary;
  const std::array<std::pair<const char*, const char*>, 11> fields = {{
      {"zcbench_version", "zcbench"},
      {"git_sha", "Git commit"},
      {"device", "Device"},
      {"libtorch", "LibTorch"},
      {"hdf5", "HDF5"},
      {"blas", "BLAS"},
      {"cpu", "CPU"},
      {"workers", "Workers"},
      {"threads_per_worker", "Threads per worker"},
      {"started", "Started"},
      {"finished", "Finished"},
  }};
  for (const auto& [key, label] : fields) {
    data item;
    item.set("label", label);
    item.set("value", display(find(run.provenance, key)));
    summary.push_back(item);
  }
  page.set("summary", summary);
  return render_template("index", page);
}

std::string render_task_page(const RunStats& run, std::size_t task_index) {
  const TaskStats& task = run.tasks.at(task_index);
  const std::string stem = task_stem(task);
  data page = page_data(run, task_label(task), stem + ".html");
  const std::map<std::string, std::string> pages = proxy_page_names(run);
  page.set("space", task.space);
  page.set("task", task.task);
  page.set("csv", stem + ".csv");
  page.set("json", stem + ".json");
  page.set("ground_truth", or_missing(task.ground_truth));
  page.set("ground_truth_description", or_missing(task.ground_truth_description));
  page.set("n_planned", format_count(task.n_planned));
  page.set("n_common", format_count(task.n_common));
  page.set("bootstrap_method", task.bootstrap.method.value_or(std::string(kMissing)));
  page.set("bootstrap_samples", format_count(task.bootstrap.samples));
  page.set("confidence", format_confidence(task.bootstrap.confidence));
  page.set("bootstrap_seed", task.bootstrap.seed.value_or(std::string(kMissing)));
  page.set("table_sha256", task.table_sha256.value_or(std::string(kMissing)));
  page.set("low_coverage", format_percent(kLowCoverage));
  page.set("n_proxies", std::to_string(task.proxies.size()));
  page.set("has_truth_nonfinite", task.n_truth_nonfinite.value_or(0) > 0);
  page.set("n_truth_nonfinite", format_count(task.n_truth_nonfinite));
  page.set("has_repeated_networks", task.n_distinct_networks.has_value() &&
                                        task.n_common.has_value() &&
                                        *task.n_distinct_networks < *task.n_common);
  page.set("n_distinct_networks", format_count(task.n_distinct_networks));
  page.set("has_stats_reason", !task.stats_reason.empty());
  page.set("stats_reason", task.stats_reason);
  const auto [n_published, n_reproduced] = published_counts(task);
  page.set("has_published", n_published > 0);
  page.set("n_published", std::to_string(n_published));
  page.set("n_reproduced", std::to_string(n_reproduced));
  page.set("oriented", task.oriented.value_or(false));
  page.set("not_oriented", task.oriented.has_value() && !*task.oriented);

  const std::vector<std::string> keys = statistic_keys(task);
  list columns;
  list legend;
  for (const auto& key : keys) {
    const StatisticInfo info = statistic_info(key);
    data column;
    column.set("label", info.label);
    column.set("description", info.description);
    column.set("sorted", key == kRankStatistic);
    column.set("sort_first", info.lower_is_better ? "ascending" : "descending");
    columns.push_back(column);
    legend.push_back(column);
  }
  page.set("stat_columns", columns);
  page.set("has_stat_columns", !keys.empty());

  // Rows start in the order of the ranking statistic (nulls last), as the table header says.
  std::vector<const ProxyStats*> order;
  for (const auto& proxy : task.proxies) {
    order.push_back(&proxy);
  }
  std::stable_sort(order.begin(), order.end(), [](const ProxyStats* a, const ProxyStats* b) {
    const auto x = estimate_of(a, kRankStatistic);
    const auto y = estimate_of(b, kRankStatistic);
    return x.has_value() != y.has_value() ? x.has_value() : (x && *x > *y);
  });

  std::vector<std::pair<double, double>> axes;
  for (const auto& key : keys) {
    axes.push_back(statistic_axis(task, key));
  }
  list proxies;
  for (const ProxyStats* proxy : order) {
    data row;
    row.set("name", proxy->name);
    row.set("proxy_page", pages.at(proxy->name));
    row.set("has_version", proxy->version.has_value());
    row.set("version", proxy->version ? std::to_string(*proxy->version) : "");
    row.set("direction", direction(*proxy));
    list cells;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      cells.push_back(statistic_cell(task, proxy, keys[k], axes[k]));
    }
    row.set("cells", cells);
    row.set("coverage", format_percent(proxy->coverage));
    row.set("coverage_sort", format_exact(proxy->coverage));
    row.set("low", proxy->coverage && *proxy->coverage < kLowCoverage);
    row.set("n_ok", format_count(proxy->n_ok));
    row.set("n_planned", format_count(task.n_planned));
    const list statuses = status_list(*proxy);
    row.set("has_statuses", !statuses.empty());
    row.set("statuses", statuses);
    std::int64_t problems = 0;
    for (const auto& [name, count] : proxy->status_counts) {
      problems += name == to_string(RowStatus::kOk) ? 0 : count;
    }
    problems += proxy->n_missing.value_or(0);
    row.set("problems_sort", std::to_string(problems));
    list errors;
    for (std::size_t i = 0; i < std::min(kErrorsShown, proxy->errors.size()); ++i) {
      errors.push_back(data(proxy->errors[i]));
    }
    row.set("has_errors", !proxy->errors.empty());
    row.set("errors", errors);
    row.set("n_errors", std::to_string(proxy->errors.size()));
    row.set("errors_plural", proxy->errors.size() != 1);
    row.set("has_more_errors", proxy->errors.size() > kErrorsShown);
    row.set("more_errors",
            std::to_string(proxy->errors.size() - std::min(kErrorsShown, proxy->errors.size())));
    row.set("build_ms", format_ms(proxy->mean_build_ms));
    row.set("build_sort", format_exact(proxy->mean_build_ms));
    row.set("score_ms", format_ms(proxy->mean_score_ms));
    row.set("score_sort", format_exact(proxy->mean_score_ms));
    proxies.push_back(row);
  }
  page.set("proxies", proxies);
  page.set("legend", legend);
  const auto several_seeds = [](const ProxyStats& proxy) {
    return std::any_of(proxy.seed_spread.begin(), proxy.seed_spread.end(),
                       [](const auto& entry) { return entry.second.seeds.size() > 1; });
  };
  page.set("has_seed_spread", std::any_of(task.proxies.begin(), task.proxies.end(), several_seeds));
  page.set("pairwise", pairwise_section(task, order));
  page.set("pairwise_csv", stem + ".pairwise.csv");

  list score_files;
  for (const auto& [proxy, sha] : task.score_files) {
    data item;
    item.set("proxy", proxy);
    item.set("sha256", or_missing(sha));
    score_files.push_back(item);
  }
  page.set("score_files", score_files);
  page.set("has_score_files", !task.score_files.empty());
  page.set("has_provenance", task.provenance.is_object() && !task.provenance.empty());
  page.set("provenance", kv_table(task.provenance));
  return render_template("task", page);
}

/// One row of a published-values table (the published_row partial).
data published_row(const TaskStats& task, const ProxyStats& proxy,
                   const PublishedComparison& published, const std::string& proxy_page) {
  data row;
  row.set("task_label", task_label(task));
  row.set("task_page", task_stem(task) + ".html");
  row.set("proxy", proxy.name);
  row.set("proxy_page", proxy_page);
  const std::string label = statistic_info(published.statistic).label;
  row.set("statistic", published.absolute ? "|" + label + "|" : label);
  row.set("paper", published.paper);
  row.set("has_where", !published.where.empty());
  row.set("where", published.where);
  row.set("has_sample", !published.sample.empty());
  row.set("sample", published.sample);
  row.set("has_ground_truth", !published.ground_truth.empty());
  row.set("ground_truth", published.ground_truth);
  row.set("has_notes", !published.notes.empty());
  row.set("notes", published.notes);
  row.set("origin", or_missing(published.origin));
  // As printed in the paper: its own number of digits.
  row.set("value", published.value ? format_fixed(*published.value,
                                                  static_cast<int>(published.decimals.value_or(2)))
                                   : std::string(kMissing));
  row.set("value_sort", format_exact(published.value));
  row.set("ours", format_statistic(published.ours.estimate));
  row.set("ours_sort", format_exact(published.ours.estimate));
  const bool has_interval = published.ours.lo.has_value() && published.ours.hi.has_value();
  row.set("has_interval", has_interval);
  row.set("interval", format_interval(published.ours.lo, published.ours.hi));
  row.set("over", published.over == "all" ? "all " + format_count(published.n) + " scored"
                                          : format_count(published.n) + " in common");
  row.set("difference", published.difference ? (*published.difference > 0 ? "+" : "") +
                                                   format_statistic(published.difference)
                                             : std::string(kMissing));
  row.set("difference_sort", format_exact(published.difference));
  row.set("has_metric", !published.ground_truth_metric.empty());
  row.set("metric", published.ground_truth_metric);
  row.set("metric_note", !published.same_ground_truth ? "the run's; the paper's is not known"
                         : *published.same_ground_truth
                             ? "the paper's ground truth"
                             : "the run's; the paper's is not in the table");
  row.set("same_metric", published.same_ground_truth.value_or(false));
  row.set("verdict", published.verdict);
  row.set("verdict_text", verdict_text(published.verdict));
  return row;
}

std::string render_published_page(const RunStats& run) {
  data page = page_data(run, "Published values", "published.html");
  const std::map<std::string, std::string> pages = proxy_page_names(run);
  page.set(
      "confidence",
      format_confidence(run.tasks.empty() ? std::nullopt : run.tasks.front().bootstrap.confidence));
  std::map<std::string, std::size_t> verdicts;
  list rows;
  for (const auto& task : run.tasks) {
    for (const auto& proxy : task.proxies) {
      for (const auto& published : proxy.published) {
        ++verdicts[published.verdict];
        rows.push_back(published_row(task, proxy, published, pages.at(proxy.name)));
      }
    }
  }
  page.set("has_rows", !rows.empty());
  page.set("n_values", std::to_string(rows.size()));
  page.set("rows", rows);
  for (const char* verdict : {"within", "above", "below", "not_computed"}) {
    page.set(std::string("n_") + verdict, std::to_string(verdicts[verdict]));
  }
  return render_template("published", page);
}

std::string render_history_page(const RunStats& run, const std::vector<HistoryEntry>& history) {
  data page = page_data(run, "History", "history.html");
  constexpr std::size_t kShown = 10;  // the newest entries shown per task
  const std::size_t first = history.size() > kShown ? history.size() - kShown : 0;
  page.set("n_entries", std::to_string(history.size()));
  page.set("n_shown", std::to_string(history.size() - first));
  page.set("newest", history.empty() ? std::string() : history.back().id);
  page.set("has_previous", history.size() >= 2);
  page.set("previous", history.size() >= 2 ? history[history.size() - 2].id : std::string());

  list changes;
  std::size_t unannounced = 0;
  if (history.size() >= 2) {
    for (const HistoryChange& change :
         history_changes(history[history.size() - 2], history.back())) {
      data item;
      item.set("task", change.task);
      item.set("proxy", change.proxy);
      item.set("statistic", statistic_info(change.statistic).label);
      const auto text = [](const std::optional<Estimate>& value) {
        return value
                   ? format_statistic(value->estimate) + " " + format_interval(value->lo, value->hi)
                   : std::string(kMissing);
      };
      item.set("before", text(change.before));
      item.set("after", text(change.after));
      const auto version = [](const std::optional<std::int64_t>& v) {
        return v ? "v" + std::to_string(*v) : std::string(kMissing);
      };
      item.set("versions", change.unannounced ? version(change.version_after)
                                              : version(change.version_before) + " \u2192 " +
                                                    version(change.version_after));
      item.set("unannounced", change.unannounced);
      item.set("outside", change.outside_interval);
      unannounced += change.unannounced ? 1 : 0;
      changes.push_back(item);
    }
  }
  page.set("changes", changes);
  page.set("n_changes", std::to_string(changes.size()));
  page.set("has_changes", !changes.empty());
  page.set("n_unannounced", std::to_string(unannounced));
  page.set("has_unannounced", unannounced > 0);

  list columns;
  for (std::size_t e = first; e < history.size(); ++e) {
    data column;
    column.set("id", history[e].id);
    column.set("date", history[e].created.substr(0, 10));
    column.set("sha", history[e].git_sha.substr(0, 8));
    columns.push_back(column);
  }
  page.set("columns", columns);

  list tasks;
  const std::string key(kRankStatistic);
  for (const TaskStats& task : run.tasks) {
    const std::string name = task.space + "/" + task.task;
    data section;
    section.set("name", name);
    section.set("page", task_stem(task) + ".html");
    list rows;
    for (const ProxyStats& proxy : task.proxies) {
      data row;
      row.set("proxy", proxy.name);
      list cells;
      const HistoryPoint* previous = nullptr;
      for (std::size_t e = first; e < history.size(); ++e) {
        const HistoryPoint* point = nullptr;
        if (const auto it = history[e].tasks.find(name); it != history[e].tasks.end()) {
          for (const auto& [proxy_name, value] : it->second) {
            if (proxy_name == proxy.name) point = &value;
          }
        }
        data cell;
        std::string state = "absent";
        std::string text(kMissing);
        std::string title = "not in this run";
        if (point != nullptr) {
          const std::optional<Estimate> value = statistic_at(*point, key);
          text = format_statistic(value ? value->estimate : std::nullopt);
          title = "v" + (point->version ? std::to_string(*point->version) : std::string("?")) +
                  (value ? " " + format_interval(value->lo, value->hi) : std::string());
          state = "same";
          if (previous != nullptr) {
            if (previous->version != point->version) {
              state = "versioned";
              title += "; new version";
            } else if (!same_value(statistic_at(*previous, key), value)) {
              state = "unannounced";
              title += "; changed with the same version";
            }
          } else {
            state = "first";
          }
          previous = point;
        }
        cell.set("state", state);
        cell.set("text", text);
        cell.set("title", title);
        cells.push_back(cell);
      }
      row.set("cells", cells);
      rows.push_back(row);
    }
    section.set("rows", rows);
    tasks.push_back(section);
  }
  page.set("tasks", tasks);
  page.set("statistic", statistic_info(key).label);
  return render_template("history", page);
}

std::map<std::string, std::string> proxy_page_names(const RunStats& run) {
  std::map<std::string, std::string> pages;
  std::set<std::string> taken;
  for (const TaskStats& task : run.tasks) {
    for (const ProxyStats& proxy : task.proxies) {
      if (pages.count(proxy.name) != 0) continue;
      // Letters, digits, '_' and '-' are kept; anything else becomes '_'.
      std::string stem = "proxy-";
      for (const char c : proxy.name) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
        stem += safe ? c : '_';
      }
      std::string name = stem + ".html";
      for (int n = 2; taken.count(name) != 0; ++n) name = stem + "-" + std::to_string(n) + ".html";
      taken.insert(name);
      pages[proxy.name] = name;
    }
  }
  return pages;
}

std::string render_proxy_page(const RunStats& run, const std::string& name) {
  const std::map<std::string, std::string> pages = proxy_page_names(run);
  data page = page_data(run, name, pages.at(name));
  page.set("name", name);
  const auto catalogued = run.proxy_catalogue.find(name);
  const bool known = catalogued != run.proxy_catalogue.end();
  const ProxyCatalogueEntry entry = known ? catalogued->second : ProxyCatalogueEntry{};
  page.set("known", known);
  page.set("has_version", entry.version.has_value());
  page.set("version", entry.version ? std::to_string(*entry.version) : "");
  page.set("paper", or_missing(entry.paper));
  page.set("reference", or_missing(entry.reference));
  page.set("summary", or_missing(entry.summary));
  page.set("inputs", or_missing(entry.inputs));
  page.set("direction", !entry.higher_is_better   ? std::string(kMissing)
                        : *entry.higher_is_better ? "higher is better"
                                                  : "lower is better");
  page.set("has_variant_of", !entry.variant_of.empty());
  page.set("variant_of", entry.variant_of);
  const auto variant_page = pages.find(entry.variant_of);
  page.set("has_variant_page", variant_page != pages.end());
  page.set("variant_page", variant_page != pages.end() ? variant_page->second : "");
  list components;
  for (const std::string& component : entry.components) {
    data item("name", component);
    const auto component_page = pages.find(component);
    item.set("has_page", component_page != pages.end());
    item.set("page", component_page != pages.end() ? component_page->second : "");
    components.push_back(item);
  }
  page.set("has_components", !entry.components.empty());
  page.set("components", components);
  // Proxies of this run that are variants of this one.
  list variants;
  for (const auto& [other, other_entry] : run.proxy_catalogue) {
    if (other_entry.variant_of != name || pages.count(other) == 0) continue;
    data item("name", other);
    item.set("page", pages.at(other));
    variants.push_back(item);
  }
  page.set("has_variants", !variants.empty());
  page.set("variants", variants);

  // Its statistics on every task of the run, in the statistics' display order.
  std::vector<std::string> keys;
  for (const TaskStats& task : run.tasks) {
    for (const std::string& key : statistic_keys(task)) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
  }
  list columns;
  for (const std::string& key : keys) {
    const StatisticInfo info = statistic_info(key);
    data column;
    column.set("label", info.label);
    column.set("description", info.description);
    column.set("sort_first", info.lower_is_better ? "ascending" : "descending");
    columns.push_back(column);
  }
  page.set("stat_columns", columns);
  list rows;
  list published;
  list plots;
  for (const TaskStats& task : run.tasks) {
    const auto proxy = std::find_if(task.proxies.begin(), task.proxies.end(),
                                    [&](const ProxyStats& p) { return p.name == name; });
    if (proxy == task.proxies.end()) continue;
    data row;
    row.set("task_label", task_label(task));
    row.set("task_page", task_stem(task) + ".html");
    list cells;
    for (const std::string& key : keys) {
      cells.push_back(statistic_cell(task, &*proxy, key, statistic_axis(task, key)));
    }
    row.set("cells", cells);
    // Its place among the task's proxies by Spearman's rho.
    const auto value = estimate_of(&*proxy, kRankStatistic);
    std::size_t place = 1, ranked = 0;
    for (const ProxyStats& other : task.proxies) {
      const auto other_value = estimate_of(&other, kRankStatistic);
      if (!other_value) continue;
      ++ranked;
      if (value && *other_value > *value) ++place;
    }
    row.set("place", value ? std::to_string(place) + " of " + std::to_string(ranked)
                           : std::string(kMissing));
    row.set("place_sort", value ? std::to_string(place) : "");
    row.set("coverage", format_percent(proxy->coverage));
    row.set("coverage_sort", format_exact(proxy->coverage));
    row.set("score_ms", format_ms(proxy->mean_score_ms));
    row.set("score_sort", format_exact(proxy->mean_score_ms));
    rows.push_back(row);
    if (const std::optional<data> plot = scatter_plot(task, *proxy)) plots.push_back(*plot);
    for (const PublishedComparison& value_published : proxy->published) {
      published.push_back(published_row(task, *proxy, value_published, pages.at(name)));
    }
  }
  page.set("rows", rows);
  page.set("plots", plots);
  page.set("has_plots", !plots.empty());
  page.set("n_tasks", std::to_string(rows.size()));
  page.set("has_published", !published.empty());
  page.set("published", published);
  page.set("n_published", std::to_string(published.size()));
  return render_template("proxy", page);
}

std::string render_provenance_page(const RunStats& run) {
  data page = page_data(run, "Provenance", "provenance.html");
  page.set("has_provenance", run.provenance.is_object() && !run.provenance.empty());
  page.set("provenance", kv_table(run.provenance));
  page.set("has_config", run.config.is_object() && !run.config.empty());
  page.set("config", kv_table(run.config));
  list tasks;
  for (const auto& task : run.tasks) {
    data item;
    const std::string stem = task_stem(task);
    item.set("label", task_label(task));
    item.set("page", stem + ".html");
    item.set("json", stem + ".json");
    item.set("csv", stem + ".csv");
    item.set("table_sha256", task.table_sha256.value_or(std::string(kMissing)));
    tasks.push_back(item);
  }
  page.set("tasks", tasks);
  page.set("has_tasks", !run.tasks.empty());
  return render_template("provenance", page);
}

}  // namespace zcb::site::detail
