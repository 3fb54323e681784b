#include "zcb/data/fetch_progress.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace zcb::data {
namespace {

using ::testing::HasSubstr;
using Clock = ProgressLine::Clock;
using std::chrono::milliseconds;

FetchProgress report(std::int64_t bytes, double seconds, bool done = false) {
  FetchProgress progress;
  progress.benchmark = "nb201";
  progress.file = "a.csv";
  progress.source = "https://example.invalid/a.csv";
  progress.bytes = bytes;
  progress.total = 4 * 1024 * 1024;
  progress.seconds = seconds;
  progress.done = done;
  progress.ok = done;
  return progress;
}

TEST(FetchProgress, FormatsBytes) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(5 * 1024 * 1024 + 1024 * 1024 / 10), "5.1 MiB");
  EXPECT_EQ(format_bytes(std::int64_t{3} << 30), "3.0 GiB");
}

TEST(FetchProgress, LineShowsFileBytesTotalPercentAndRate) {
  EXPECT_EQ(format_fetch_progress(report(1024 * 1024, 2.0)),
            "nb201/a.csv 1.0 MiB / 4.0 MiB (25%) 512.0 KiB/s");
  FetchProgress resumed = report(3 * 1024 * 1024, 2.0);
  resumed.resumed_from = 2 * 1024 * 1024;  // the rate counts only this run's bytes
  EXPECT_EQ(format_fetch_progress(resumed),
            "nb201/a.csv 3.0 MiB / 4.0 MiB (75%) 512.0 KiB/s (resumed at 2.0 MiB)");
  FetchProgress unknown = report(2048, 0.0);
  unknown.total = -1;
  EXPECT_EQ(format_fetch_progress(unknown), "nb201/a.csv 2.0 KiB -");
  EXPECT_EQ(format_fetch_progress(report(4 * 1024 * 1024, 4.0, true)),
            "nb201/a.csv 4.0 MiB in 4.0 s (1.0 MiB/s) from https://example.invalid/a.csv");
  FetchProgress failed = report(1024 * 1024, 3.0, true);
  failed.ok = false;
  EXPECT_EQ(format_fetch_progress(failed),
            "nb201/a.csv not completed from https://example.invalid/a.csv (1.0 MiB after 3.0 s)");
}

TEST(FetchProgress, LogOutputIsThrottledButKeepsTheFinalLine) {
  std::ostringstream out;
  ProgressLine line(out, /*terminal=*/false, milliseconds(5000));
  const Clock::time_point t0{};
  line.update(report(0, 0.0), t0);                          // starts the clock only
  line.update(report(1000, 1.0), t0 + milliseconds(1000));  // too soon
  line.update(report(9000, 6.0), t0 + milliseconds(6000));  // printed
  line.update(report(9500, 7.0), t0 + milliseconds(7000));  // too soon
  line.update(report(4 * 1024 * 1024, 8.0, true), t0 + milliseconds(8000));  // final: printed
  EXPECT_EQ(
      out.str(),
      "[fetch] nb201/a.csv 8.8 KiB / 4.0 MiB (0%) 1.5 KiB/s\n"
      "[fetch] nb201/a.csv 4.0 MiB in 8.0 s (512.0 KiB/s) from https://example.invalid/a.csv\n");
}

TEST(FetchProgress, TerminalRewritesOneLineAndNoticesGetTheirOwn) {
  std::ostringstream out;
  ProgressLine line(out, /*terminal=*/true, milliseconds(200));
  const Clock::time_point t0{};
  line.update(report(0, 0.0), t0);
  line.update(report(1024, 1.0), t0 + milliseconds(300));
  line.notice("a.csv: retry 1 of 4 in 2 s");
  line.update(report(4 * 1024 * 1024, 2.0, true), t0 + milliseconds(400));
  EXPECT_EQ(out.str(),
            "\r[fetch] nb201/a.csv 1.0 KiB / 4.0 MiB (0%) 1.0 KiB/s\033[K"
            "\r\033[K[fetch] a.csv: retry 1 of 4 in 2 s\n"
            "\r[fetch] nb201/a.csv 4.0 MiB in 2.0 s (2.0 MiB/s) from "
            "https://example.invalid/a.csv\033[K\n");
}

}  // namespace
}  // namespace zcb::data
