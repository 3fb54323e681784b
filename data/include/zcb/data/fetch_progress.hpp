/// @file fetch_progress.hpp
/// @brief A one-line, throttled rendering of FetchProgress for the command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "zcb/data/fetch.hpp"

namespace zcb::data {

/// @p bytes in binary units with one decimal ("512 B", "1.5 KiB", "2.3 MiB", "4.7 GiB").
std::string format_bytes(std::int64_t bytes);

/// One line for one report, e.g.
/// `nb201/a.csv 1.2 MiB / 2.3 MiB (52%) 850.0 KiB/s (resumed at 1.0 MiB)`, or with `done`
/// `nb201/a.csv 2.3 MiB in 2.7 s (850.0 KiB/s) from <source>`, or with `done` but not `ok`
/// `nb201/a.csv not completed from <source> (1.0 MiB after 3.0 s)`. The rate counts only this
/// transfer's bytes.
std::string format_fetch_progress(const FetchProgress& progress);

/// Prints fetch progress to a stream (stderr in the CLI) without flooding it: on a terminal one
/// line rewritten in place at most every `interval`; on a log file or CI console a full line at
/// most every `interval` (use seconds there). The last report of each transfer is always
/// printed, and notices go on their own line.
class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressLine(std::ostream& out, bool terminal, std::chrono::milliseconds interval);

  /// Shows @p progress if the interval has passed since the last line (or it is final).
  void update(const FetchProgress& progress, Clock::time_point now);
  void update(const FetchProgress& progress) { update(progress, Clock::now()); }

  /// Prints @p line on a line of its own (after clearing a progress line on a terminal).
  void notice(const std::string& line);

 private:
  std::ostream& out_;
  bool terminal_;
  std::chrono::milliseconds interval_;
  Clock::time_point last_ = Clock::time_point::min();
  bool line_open_ = false;  // a terminal line without its newline yet
};

}  // namespace zcb::data
