/// @file reference_agreement.hpp
/// @brief How well our proxy scores agree with published reference scores of the same proxy
/// (NAS-Bench-Suite-Zero's precomputed NASLib values, tables `suite-zero-*` of
/// `zcb/data/suite_zero_table.hpp`): Spearman's rho with a bootstrap interval on the
/// architectures both have.
///
/// Scores are compared raw, each in its own sign and scale: a proxy computed the same way gives
/// rho near +1; rho near -1 means the two sides use opposite signs. Nothing is oriented by
/// higher_is_better here (that concerns ranking against the ground truth, not this check).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/data/table.hpp"
#include "zcb/results/statistics.hpp"
#include "zcb/results/task_stats.hpp"

namespace zcb {

/// The value of the JSON key "reference" for NAS-Bench-Suite-Zero columns.
inline constexpr const char* kSuiteZeroReference = "suite-zero";

/// NASLib's (NAS-Bench-Suite-Zero's) name of our proxy @p proxy: `jacob_cov` -> `jacov`,
/// `naswot` -> `nwot`; `grad_norm`, `snip`, `synflow`, `fisher`, `grasp`, `plain`, `l2_norm`,
/// `epe_nas`, `zen`, `params`, `flops` keep their names. Empty when Suite-Zero has no such proxy.
std::string suite_zero_proxy_name(const std::string& proxy);

/// The suite-zero reference table for the benchmark table @p benchmark that a space reads
/// (`nb201`, `nats-tss` -> `suite-zero-nb201`; `nb101` -> `suite-zero-nb101`;
/// `transnas-macro` / `transnas-micro` -> `suite-zero-transnas-macro` / `-micro`); empty when
/// there is none.
std::string suite_zero_benchmark_for(const std::string& benchmark);

/// One reference score column.
struct ReferenceColumn {
  std::string reference = kSuiteZeroReference;  ///< which published reference
  std::string benchmark;                        ///< reference table, e.g. "suite-zero-nb201"
  std::string column;                           ///< metric, e.g. "synflow@naslib_early"
  /// Indexed by arch id (a row of the table the ids refer to); NaN where absent.
  std::vector<double> values;
};

/// The columns of task @p task of the reference table @p reference that hold our proxy
/// @p proxy (column `<NASLib name>@<source>`, every source, in table order), indexed by the
/// rows of @p reference. Empty when the proxy has no NASLib name or the task is not in the table.
std::vector<ReferenceColumn> suite_zero_reference_columns(const data::BenchmarkTable& reference,
                                                          const std::string& task,
                                                          const std::string& proxy);

/// For every row of @p space_table (our arch ids), the row of @p reference holding the same
/// architecture, or -1. Joined on the arch keys when both tables carry keys of the same kind
/// (NB101 module hashes: isomorphic graphs match), else on the arch strings. Throws zcb::Error
/// when the join key occurs twice in @p reference.
std::vector<std::int64_t> match_reference_rows(const data::BenchmarkTable& reference,
                                               const data::BenchmarkTable& space_table);

/// @p column re-indexed by our arch ids: values[id] = column.values[rows[id]], NaN for -1.
/// @p rows comes from match_reference_rows(); throws zcb::Error on a row outside the column.
ReferenceColumn align_reference_column(const ReferenceColumn& column,
                                       const std::vector<std::int64_t>& rows);

/// Agreement of our scores with one reference column.
struct ReferenceAgreement {
  std::string reference;
  std::string benchmark;
  std::string column;
  std::size_t n_ok = 0;         ///< our rows with status ok
  std::size_t n_reference = 0;  ///< finite reference values
  std::size_t n_common = 0;     ///< archs with both (the Spearman sample)
  /// Spearman's rho of (our score, reference value) over the common archs in ascending arch id
  /// order, with a bootstrap interval; valid only when reason is empty.
  Interval spearman;
  std::string reason;  ///< why there is no estimate (fewer than 3 common archs), else empty
};

/// Compares @p ours (any row order) with @p column (indexed by the same arch ids) on the archs
/// where our row has status ok and the reference value is finite; rows with an arch id outside
/// the column count as having no reference. Throws zcb::Error on two rows for one arch, an ok
/// row with a non-finite score, or invalid @p settings.
ReferenceAgreement compute_reference_agreement(const ProxyResult& ours,
                                               const ReferenceColumn& column,
                                               const BootstrapSettings& settings);

/// `{"reference", "benchmark", "column", "n_ok", "n_reference", "n_common", "spearman":
/// {estimate, lo, hi, n_nan_resamples} or null, "reason": string or null}`; undefined numbers
/// are null.
nlohmann::json reference_agreement_json(const ReferenceAgreement& agreement);

/// Every suite-zero column of our proxy on one task, as an array of
/// reference_agreement_json() blocks (empty when there is none): columns of
/// suite_zero_reference_columns(@p reference, @p task, @p ours.name) aligned onto
/// @p space_table's rows (the arch ids of @p ours).
nlohmann::json suite_zero_agreement(const ProxyResult& ours, const data::BenchmarkTable& reference,
                                    const data::BenchmarkTable& space_table,
                                    const std::string& task, const BootstrapSettings& settings);

}  // namespace zcb
