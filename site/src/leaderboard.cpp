#include "zcb/site/leaderboard.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace zcb::site {

std::optional<double> estimate_of(const ProxyStats* proxy, std::string_view statistic) {
  if (proxy == nullptr) {
    return std::nullopt;
  }
  const auto it = proxy->stats.find(std::string(statistic));
  if (it == proxy->stats.end() || !it->second) {
    return std::nullopt;
  }
  return it->second->estimate;
}

namespace {

/// Ranks of @p values (1 = highest, ties share their mean rank); missing values share the ranks
/// after all present ones.
std::vector<double> fractional_ranks(const std::vector<std::optional<double>>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  // Present values first, highest first; missing values last, all equal to each other.
  const auto before = [&](std::size_t a, std::size_t b) {
    if (values[a].has_value() != values[b].has_value()) {
      return values[a].has_value();
    }
    return values[a].has_value() && *values[a] > *values[b];
  };
  std::stable_sort(order.begin(), order.end(), before);
  std::vector<double> ranks(values.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && !before(order[start], order[end])) {
      ++end;
    }
    // positions start..end-1 hold equal values: each gets the mean of ranks start+1..end.
    const double shared = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t i = start; i < end; ++i) {
      ranks[order[i]] = shared;
    }
    start = end;
  }
  return ranks;
}

}  // namespace

std::vector<LeaderboardEntry> build_leaderboard(const RunStats& run, std::string_view statistic) {
  // Every proxy seen in any task, in order of first appearance.
  std::vector<std::string> names;
  std::map<std::string, std::size_t> index;
  for (const auto& task : run.tasks) {
    for (const auto& proxy : task.proxies) {
      if (index.emplace(proxy.name, names.size()).second) {
        names.push_back(proxy.name);
      }
    }
  }

  std::vector<LeaderboardEntry> entries(names.size());
  for (std::size_t p = 0; p < names.size(); ++p) {
    entries[p].proxy = names[p];
    entries[p].stats.assign(run.tasks.size(), nullptr);
    entries[p].ranks.assign(run.tasks.size(), 0.0);
  }
  for (std::size_t t = 0; t < run.tasks.size(); ++t) {
    for (const auto& proxy : run.tasks[t].proxies) {
      entries[index.at(proxy.name)].stats[t] = &proxy;
    }
    std::vector<std::optional<double>> values(names.size());
    for (std::size_t p = 0; p < names.size(); ++p) {
      values[p] = estimate_of(entries[p].stats[t], statistic);
    }
    const std::vector<double> ranks = fractional_ranks(values);
    for (std::size_t p = 0; p < names.size(); ++p) {
      entries[p].ranks[t] = ranks[p];
    }
  }

  for (auto& entry : entries) {
    double rank_sum = 0.0;
    double estimate_sum = 0.0;
    for (std::size_t t = 0; t < run.tasks.size(); ++t) {
      rank_sum += entry.ranks[t];
      if (const auto estimate = estimate_of(entry.stats[t], statistic)) {
        estimate_sum += *estimate;
        ++entry.tasks_with_estimate;
      }
    }
    entry.mean_rank = rank_sum / static_cast<double>(run.tasks.size());
    if (entry.tasks_with_estimate > 0) {
      entry.mean_estimate = estimate_sum / entry.tasks_with_estimate;
    }
  }

  std::sort(entries.begin(), entries.end(),
            [](const LeaderboardEntry& a, const LeaderboardEntry& b) {
              if (a.mean_rank != b.mean_rank) {
                return a.mean_rank < b.mean_rank;
              }
              if (a.mean_estimate.has_value() != b.mean_estimate.has_value()) {
                return a.mean_estimate.has_value();
              }
              if (a.mean_estimate && *a.mean_estimate != *b.mean_estimate) {
                return *a.mean_estimate > *b.mean_estimate;
              }
              return a.proxy < b.proxy;
            });
  return entries;
}

}  // namespace zcb::site
