#include "zcb/site/verify.hpp"

#include <algorithm>
#include <vector>

#include "zcb/site/format.hpp"

namespace zcb::site {
namespace {

std::string pad(const std::string& text, std::size_t width) {
  // Widths count bytes; the columns padded here are ASCII.
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

void count(VerdictCounts& counts, const std::string& verdict) {
  if (verdict == "within") {
    ++counts.within;
  } else if (verdict == "above") {
    ++counts.above;
  } else if (verdict == "below") {
    ++counts.below;
  } else {
    ++counts.not_computed;
  }
}

std::string describe(const VerdictCounts& counts) {
  return std::to_string(counts.total()) + (counts.total() == 1 ? " value" : " values") + ": " +
         std::to_string(counts.within) + " within, " + std::to_string(counts.above) + " above, " +
         std::to_string(counts.below) + " below, " + std::to_string(counts.not_computed) +
         " not computed";
}

}  // namespace

Verification verification_report(const RunStats& run, const std::string& paper_filter) {
  struct Line {
    std::vector<std::string> columns;
    std::string paper;
  };
  std::vector<Line> lines;
  Verification result;
  std::string confidence;
  for (const TaskStats& task : run.tasks) {
    if (confidence.empty() && task.bootstrap.confidence) {
      confidence = format_plain(*task.bootstrap.confidence * 100.0, 0) + "% ";
    }
    for (const ProxyStats& proxy : task.proxies) {
      for (const PublishedComparison& value : proxy.published) {
        if (!paper_filter.empty() && value.paper.find(paper_filter) == std::string::npos) continue;
        count(result.all, value.verdict);
        count(result.papers[value.paper], value.verdict);
        const std::string statistic =
            value.absolute ? "|" + value.statistic + "|" : value.statistic;
        std::string ours = "ours " + format_plain(value.ours.estimate, 3);
        if (value.ours.lo || value.ours.hi) {
          ours +=
              " [" + format_plain(value.ours.lo, 3) + ", " + format_plain(value.ours.hi, 3) + "]";
        }
        std::string sample;
        if (value.n) sample = "n " + std::to_string(*value.n);
        if (!value.over.empty()) sample += (sample.empty() ? "" : " ") + ("(" + value.over + ")");
        if (value.same_ground_truth || value.verdict != "not_computed") {
          sample += std::string(sample.empty() ? "" : ", ") +
                    (!value.same_ground_truth   ? "run's ground truth (the paper's is not known)"
                     : *value.same_ground_truth ? "paper's ground truth"
                                                : "run's ground truth");
        }
        lines.push_back(
            {{value.verdict, task.space + "/" + task.task, proxy.name, statistic,
              "paper " + format_plain(value.value, static_cast<int>(value.decimals.value_or(3))),
              ours, sample},
             value.paper + (value.where.empty() ? "" : ", " + value.where)});
      }
    }
  }
  std::vector<std::size_t> widths;
  for (const Line& line : lines) {
    widths.resize(line.columns.size(), 0);
    for (std::size_t c = 0; c < line.columns.size(); ++c) {
      widths[c] = std::max(widths[c], line.columns[c].size());
    }
  }
  std::string& out = result.report;
  for (const Line& line : lines) {
    for (std::size_t c = 0; c < line.columns.size(); ++c) {
      out += pad(line.columns[c], widths[c]) + "  ";
    }
    out += line.paper + "\n";
  }
  const VerdictCounts& all = result.all;
  if (all.total() == 0) {
    out += "No published value matches a proxy and task of this run" +
           (paper_filter.empty() ? std::string() : " and the paper filter '" + paper_filter + "'") +
           ".\n";
    return result;
  }
  out += "\n" + std::to_string(all.total()) + " published values: " + std::to_string(all.within) +
         " within our " + confidence + "interval (allowing the paper's rounding), " +
         std::to_string(all.above) + " above it (the paper reports more), " +
         std::to_string(all.below) + " below it (the paper reports less), " +
         std::to_string(all.not_computed) + " not computed by this run.\n";
  for (const auto& [paper, counts] : result.papers) {
    out += "  " + describe(counts) + "  " + paper + "\n";
  }
  return result;
}

}  // namespace zcb::site
