#include "zcb/results/reference_agreement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "zcb/error.hpp"

namespace zcb {
namespace {

constexpr std::size_t kMinCommon = 3;  // as compute_task_stats()

nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// The join key of row @p row: the arch key when both tables have keys of one kind, else the
// arch string.
const std::string& join_key(const data::BenchmarkTable& table, std::size_t row, bool by_key) {
  return by_key ? table.arch_keys[row] : table.arch_strings[row];
}

}  // namespace

std::string suite_zero_proxy_name(const std::string& proxy) {
  // NASLib's zero-cost names (naslib/predictors/zerocost.py, Suite-Zero's zc_*.json keys).
  static const std::map<std::string, std::string> kNames = {
      {"jacob_cov", "jacov"}, {"naswot", "nwot"},     {"grad_norm", "grad_norm"},
      {"snip", "snip"},       {"synflow", "synflow"}, {"fisher", "fisher"},
      {"grasp", "grasp"},     {"plain", "plain"},     {"l2_norm", "l2_norm"},
      {"epe_nas", "epe_nas"}, {"zen", "zen"},         {"params", "params"},
      {"flops", "flops"},
  };
  const auto it = kNames.find(proxy);
  return it == kNames.end() ? std::string() : it->second;
}

std::string suite_zero_benchmark_for(const std::string& benchmark) {
  static const std::map<std::string, std::string> kTables = {
      {"nb201", "suite-zero-nb201"},
      {"nats-tss", "suite-zero-nb201"},
      {"nb101", "suite-zero-nb101"},
      {"transnas-macro", "suite-zero-transnas-macro"},
      {"transnas-micro", "suite-zero-transnas-micro"},
  };
  const auto it = kTables.find(benchmark);
  return it == kTables.end() ? std::string() : it->second;
}

std::vector<ReferenceColumn> suite_zero_reference_columns(const data::BenchmarkTable& reference,
                                                          const std::string& task,
                                                          const std::string& proxy) {
  std::vector<ReferenceColumn> columns;
  const std::string naslib = suite_zero_proxy_name(proxy);
  if (naslib.empty()) return columns;
  const auto found = std::find_if(reference.tasks.begin(), reference.tasks.end(),
                                  [&](const data::TaskTable& t) { return t.info.name == task; });
  if (found == reference.tasks.end()) return columns;
  const std::string prefix = naslib + "@";
  for (const std::string& metric : found->info.metrics) {
    if (metric.compare(0, prefix.size(), prefix) != 0) continue;
    ReferenceColumn column;
    column.benchmark = reference.benchmark;
    column.column = metric;
    column.values = found->metric(metric);
    columns.push_back(std::move(column));
  }
  return columns;
}

std::vector<std::int64_t> match_reference_rows(const data::BenchmarkTable& reference,
                                               const data::BenchmarkTable& space_table) {
  const bool by_key = !reference.arch_keys.empty() && !space_table.arch_keys.empty() &&
                      reference.arch_key_name == space_table.arch_key_name;
  std::unordered_map<std::string, std::int64_t> row_of;
  row_of.reserve(reference.size());
  for (std::size_t row = 0; row < reference.size(); ++row) {
    const std::string& key = join_key(reference, row, by_key);
    if (!row_of.emplace(key, static_cast<std::int64_t>(row)).second) {
      throw Error("reference table " + reference.benchmark + ": " +
                  (by_key ? reference.arch_key_name : std::string("architecture")) + " '" + key +
                  "' is in rows " + std::to_string(row_of.at(key)) + " and " + std::to_string(row) +
                  "; convert the reference table again");
    }
  }
  std::vector<std::int64_t> rows(space_table.size(), -1);
  for (std::size_t row = 0; row < space_table.size(); ++row) {
    const auto it = row_of.find(join_key(space_table, row, by_key));
    if (it != row_of.end()) rows[row] = it->second;
  }
  return rows;
}

ReferenceColumn align_reference_column(const ReferenceColumn& column,
                                       const std::vector<std::int64_t>& rows) {
  ReferenceColumn aligned = column;
  aligned.values.assign(rows.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t id = 0; id < rows.size(); ++id) {
    if (rows[id] < 0) continue;
    if (static_cast<std::size_t>(rows[id]) >= column.values.size()) {
      throw Error("reference column " + column.benchmark + " " + column.column + " has " +
                  std::to_string(column.values.size()) + " rows; row " + std::to_string(rows[id]) +
                  " was matched (match rows on the same table)");
    }
    aligned.values[id] = column.values[static_cast<std::size_t>(rows[id])];
  }
  return aligned;
}

ReferenceAgreement compute_reference_agreement(const ProxyResult& ours,
                                               const ReferenceColumn& column,
                                               const BootstrapSettings& settings) {
  check_bootstrap_settings(settings);
  ReferenceAgreement agreement;
  agreement.reference = column.reference;
  agreement.benchmark = column.benchmark;
  agreement.column = column.column;
  for (double value : column.values) agreement.n_reference += std::isfinite(value);

  std::vector<const ScoreRow*> rows;
  rows.reserve(ours.rows.size());
  for (const ScoreRow& row : ours.rows) rows.push_back(&row);
  std::sort(rows.begin(), rows.end(),
            [](const ScoreRow* a, const ScoreRow* b) { return a->arch_id < b->arch_id; });
  std::vector<double> scores, reference;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ScoreRow& row = *rows[i];
    if (i > 0 && rows[i - 1]->arch_id == row.arch_id) {
      throw Error("reference agreement: proxy '" + ours.name + "' has two rows for arch " +
                  std::to_string(row.arch_id) + " (merge shards without overlap)");
    }
    if (row.status != RowStatus::kOk) continue;
    if (!std::isfinite(row.score)) {
      throw Error("reference agreement: proxy '" + ours.name + "' arch " +
                  std::to_string(row.arch_id) + " has status ok but a non-finite score");
    }
    ++agreement.n_ok;
    if (row.arch_id < 0 || static_cast<std::size_t>(row.arch_id) >= column.values.size()) continue;
    const double value = column.values[static_cast<std::size_t>(row.arch_id)];
    if (!std::isfinite(value)) continue;
    scores.push_back(row.score);
    reference.push_back(value);
  }
  agreement.n_common = scores.size();
  if (agreement.n_common < kMinCommon) {
    agreement.reason = std::to_string(agreement.n_common) +
                       " architectures have both our score and a reference value; at least " +
                       std::to_string(kMinCommon) + " are needed";
    const double nan = std::numeric_limits<double>::quiet_NaN();
    agreement.spearman = {nan, nan, nan, 0};
    return agreement;
  }
  // Spearman depends only on the orders: bootstrap it on dense ranks (identical values, faster;
  // statistics.hpp NamedStatistic::rank_based).
  agreement.spearman = bootstrap(&spearman, dense_ranks(scores), dense_ranks(reference), settings);
  return agreement;
}

nlohmann::json reference_agreement_json(const ReferenceAgreement& agreement) {
  nlohmann::json spearman = nullptr;
  if (agreement.reason.empty()) {
    spearman = {{"estimate", number_or_null(agreement.spearman.estimate)},
                {"lo", number_or_null(agreement.spearman.lo)},
                {"hi", number_or_null(agreement.spearman.hi)},
                {"n_nan_resamples", agreement.spearman.n_nan_resamples}};
  }
  return {{"reference", agreement.reference},
          {"benchmark", agreement.benchmark},
          {"column", agreement.column},
          {"n_ok", agreement.n_ok},
          {"n_reference", agreement.n_reference},
          {"n_common", agreement.n_common},
          {"spearman", spearman},
          {"reason",
           agreement.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(agreement.reason)}};
}

nlohmann::json suite_zero_agreement(const ProxyResult& ours, const data::BenchmarkTable& reference,
                                    const data::BenchmarkTable& space_table,
                                    const std::string& task, const BootstrapSettings& settings) {
  nlohmann::json blocks = nlohmann::json::array();
  const std::vector<ReferenceColumn> columns =
      suite_zero_reference_columns(reference, task, ours.name);
  if (columns.empty()) return blocks;
  const std::vector<std::int64_t> rows = match_reference_rows(reference, space_table);
  for (const ReferenceColumn& column : columns) {
    blocks.push_back(reference_agreement_json(
        compute_reference_agreement(ours, align_reference_column(column, rows), settings)));
  }
  return blocks;
}

}  // namespace zcb
