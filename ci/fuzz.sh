#!/usr/bin/env bash
# Builds every libFuzzer harness of tests/fuzz with clang (torch-free build) and runs each for
# ZCB_FUZZ_SECONDS (default 20) from its seed corpus in ci/fuzz/corpus/<name>/. New inputs go to
# a scratch corpus, so the committed corpus only changes by hand. Exits non-zero on any crash,
# leak, sanitizer report or time-out; the crashing input is left in the build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
build_dir="$root/${ZCB_FUZZ_BUILD_DIR:-build-fuzz}"
seconds="${ZCB_FUZZ_SECONDS:-20}"
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DZCB_WITH_TORCH=OFF -DZCB_BUILD_FUZZERS=ON -DZCB_BUILD_BENCHMARKS=OFF -DZCB_BUILD_DOCS=OFF >/dev/null
cmake --build "$build_dir" -j "${ZCB_JOBS:-$(nproc)}" --target zcb_fuzzers
for harness in "$build_dir"/tests/fuzz/fuzz_*; do
  name="$(basename "$harness")"; name="${name#fuzz_}"
  scratch="$build_dir/fuzz-corpus/$name"; mkdir -p "$scratch"
  echo "== fuzz $name for ${seconds}s"
  # -artifact_prefix keeps a crashing input in the build folder; the run fails on any finding.
  "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build_dir/fuzz-artifacts-" "$scratch" "$root/ci/fuzz/corpus/$name" \
    >"$build_dir/fuzz-$name.log" 2>&1 || { tail -40 "$build_dir/fuzz-$name.log"; exit 1; }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build_dir/fuzz-$name.log"
done
