#include "zcb/data/fetch_progress.hpp"

#include <cstdio>

namespace zcb::data {

std::string format_bytes(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  int unit = 0;
  while (value >= 1024.0 && unit < 3) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string format_fetch_progress(const FetchProgress& progress) {
  const std::string name = progress.benchmark + "/" + progress.file;
  const std::int64_t transferred = progress.bytes - progress.resumed_from;
  const std::string rate = progress.seconds > 0
                               ? format_bytes(static_cast<std::int64_t>(
                                     static_cast<double>(transferred) / progress.seconds)) +
                                     "/s"
                               : std::string("-");
  const std::string resumed = progress.resumed_from > 0
                                  ? " (resumed at " + format_bytes(progress.resumed_from) + ")"
                                  : std::string();
  if (progress.done) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", progress.seconds);
    if (!progress.ok) {
      return name + " not completed from " + progress.source + " (" + format_bytes(progress.bytes) +
             " after " + seconds + ")";
    }
    return name + " " + format_bytes(progress.bytes) + " in " + seconds + " (" + rate + ")" +
           resumed + " from " + progress.source;
  }
  std::string line = name + " " + format_bytes(progress.bytes);
  if (progress.total > 0) {
    line += " / " + format_bytes(progress.total) + " (" +
            std::to_string(100 * progress.bytes / progress.total) + "%)";
  }
  return line + " " + rate + resumed;
}

ProgressLine::ProgressLine(std::ostream& out, bool terminal, std::chrono::milliseconds interval)
    : out_(out), terminal_(terminal), interval_(interval) {}

void ProgressLine::update(const FetchProgress& progress, Clock::time_point now) {
  if (!progress.done) {
    // The first report of a transfer only starts the clock, so a quick copy prints one line.
    if (last_ == Clock::time_point::min()) {
      last_ = now;
      return;
    }
    if (now - last_ < interval_) return;
  }
  last_ = progress.done ? Clock::time_point::min() : now;  // the next transfer starts afresh
  const std::string line = "[fetch] " + format_fetch_progress(progress);
  if (terminal_) {
    out_ << '\r' << line << "\033[K";  // erase what a longer earlier line left
    line_open_ = !progress.done;
    if (progress.done) out_ << '\n';
  } else {
    out_ << line << '\n';
  }
  out_.flush();
}

void ProgressLine::notice(const std::string& line) {
  if (line_open_) out_ << "\r\033[K";
  line_open_ = false;
  out_ << "[fetch] " << line << '\n';
  out_.flush();
}

}  // namespace zcb::data
