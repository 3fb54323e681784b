#include "zcb/site/csv.hpp"

#include <algorithm>
#include <vector>

#include "zcb/site/format.hpp"
#include "zcb/site/statistics.hpp"

namespace zcb::site {
namespace {

/// One RFC 4180 field: quoted when it holds a comma, a quote or a line break.
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

std::string integer(std::optional<std::int64_t> value) {
  return value ? std::to_string(*value) : std::string();
}

void append_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += (i > 0 ? "," : "") + field(fields[i]);
  }
  out += "\n";
}

}  // namespace

std::string task_csv(const TaskStats& task) {
  const std::vector<std::string> keys = statistic_keys(task);
  std::vector<std::string> header = {"proxy",    "version", "higher_is_better",
                                     "n_scored", "n_ok",    "coverage"};
  for (const auto& key : keys) {
    header.insert(header.end(), {key, key + "_lo", key + "_hi"});
  }
  header.insert(header.end(), {"mean_build_ms", "mean_score_ms"});
  // A run of several seeds: the spread of each statistic, after the columns of one seed.
  const bool spread = std::any_of(task.proxies.begin(), task.proxies.end(),
                                  [](const auto& proxy) { return !proxy.seed_spread.empty(); });
  if (spread) {
    header.push_back("seeds");
    for (const auto& key : keys) {
      header.insert(header.end(), {key + "_seed_mean", key + "_seed_sd"});
    }
  }

  std::string out;
  append_row(out, header);
  for (const auto& proxy : task.proxies) {
    std::vector<std::string> row = {
        proxy.name,
        integer(proxy.version),
        proxy.higher_is_better ? (*proxy.higher_is_better ? "true" : "false") : "",
        integer(proxy.n_scored),
        integer(proxy.n_ok),
        format_exact(proxy.coverage)};
    for (const auto& key : keys) {
      const auto it = proxy.stats.find(key);
      const Estimate estimate = it != proxy.stats.end() && it->second ? *it->second : Estimate{};
      row.insert(row.end(), {format_exact(estimate.estimate), format_exact(estimate.lo),
                             format_exact(estimate.hi)});
    }
    row.insert(row.end(), {format_exact(proxy.mean_build_ms), format_exact(proxy.mean_score_ms)});
    if (spread) {
      const auto any = proxy.seed_spread.begin();
      row.push_back(any == proxy.seed_spread.end() ? "" : std::to_string(any->second.seeds.size()));
      for (const auto& key : keys) {
        const auto it = proxy.seed_spread.find(key);
        const SeedSpread values = it != proxy.seed_spread.end() ? it->second : SeedSpread{};
        row.insert(row.end(), {format_exact(values.mean), format_exact(values.sd)});
      }
    }
    append_row(out, row);
  }
  return out;
}

std::string pairwise_csv(const TaskStats& task) {
  std::string out;
  append_row(out, {"statistic", "a", "b", "difference", "difference_lo", "difference_hi",
                   "share_a_better"});
  for (const auto& [key, pairs] : task.comparisons) {
    for (const auto& pair : pairs) {
      append_row(out, {key, pair.a, pair.b, format_exact(pair.difference.estimate),
                       format_exact(pair.difference.lo), format_exact(pair.difference.hi),
                       format_exact(pair.share_a_better)});
    }
  }
  return out;
}

std::string published_csv(const RunStats& run) {
  std::string out;
  append_row(out, {"space",
                   "task",
                   "proxy",
                   "statistic",
                   "absolute",
                   "published",
                   "decimals",
                   "paper",
                   "where",
                   "ours_over",
                   "ours_n",
                   "ours",
                   "ours_lo",
                   "ours_hi",
                   "difference",
                   "verdict",
                   "ours_ground_truth",
                   "same_ground_truth",
                   "sample",
                   "ground_truth",
                   "notes",
                   "origin"});
  for (const auto& task : run.tasks) {
    for (const auto& proxy : task.proxies) {
      for (const auto& published : proxy.published) {
        append_row(
            out,
            {task.space,
             task.task,
             proxy.name,
             published.statistic,
             published.absolute ? "true" : "false",
             format_exact(published.value),
             integer(published.decimals),
             published.paper,
             published.where,
             published.over,
             integer(published.n),
             format_exact(published.ours.estimate),
             format_exact(published.ours.lo),
             format_exact(published.ours.hi),
             format_exact(published.difference),
             published.verdict,
             published.ground_truth_metric,
             published.same_ground_truth ? (*published.same_ground_truth ? "true" : "false") : "",
             published.sample,
             published.ground_truth,
             published.notes,
             published.origin});
      }
    }
  }
  return out;
}

}  // namespace zcb::site
