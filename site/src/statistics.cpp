#include "zcb/site/statistics.hpp"

#include <algorithm>
#include <set>

namespace zcb::site {

const std::vector<StatisticInfo>& known_statistics() {
  static const std::vector<StatisticInfo> kKnown = {
      {"spearman", "Spearman \u03c1",
       "Spearman rank correlation between the proxy score and the ground truth", -1.0, 1.0},
      {"kendall_tau_b", "Kendall \u03c4-b",
       "Kendall rank correlation between the proxy score and the ground truth, corrected for ties",
       -1.0, 1.0},
      {"pearson", "Pearson r",
       "Pearson linear correlation between the proxy score and the ground truth", -1.0, 1.0},
      {"top10_precision", "P@10%",
       "Fraction of the top 10% of architectures by proxy score that are in the top 10% by "
       "ground truth",
       0.0, 1.0},
      {"top10_regret", "Regret@10%",
       "Best ground truth of all minus the best among the top 10% by proxy score, in "
       "ground-truth units (accuracy points); 0 when the best architecture is in the proxy's top "
       "10%, lower is better",
       std::nullopt, std::nullopt, true},
      {"spearman_all", "Spearman \u03c1, all",
       "Spearman over every architecture the proxy scored, a non-finite score ranked last, as "
       "papers report it; the other columns use only the architectures every proxy scored",
       -1.0, 1.0},
  };
  return kKnown;
}

StatisticInfo statistic_info(std::string_view key) {
  const auto& known = known_statistics();
  const auto it = std::find_if(known.begin(), known.end(),
                               [&](const StatisticInfo& info) { return info.key == key; });
  if (it != known.end()) {
    return *it;
  }
  return {std::string(key), std::string(key),
          "Reported by the stats stage as \"" + std::string(key) + "\"", std::nullopt,
          std::nullopt};
}

std::vector<std::string> statistic_keys(const TaskStats& task) {
  std::set<std::string> present;
  for (const auto& proxy : task.proxies) {
    for (const auto& [key, value] : proxy.stats) {
      present.insert(key);
    }
  }
  std::vector<std::string> keys;
  for (const auto& key : task.statistics) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(key);
      present.erase(key);
    }
  }
  for (const auto& info : known_statistics()) {
    if (present.erase(info.key) > 0) {
      keys.push_back(info.key);
    }
  }
  keys.insert(keys.end(), present.begin(), present.end());
  return keys;
}

}  // namespace zcb::site
