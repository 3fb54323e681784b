#!/usr/bin/env bash
# Configures and builds zcbench (Release, Ninja, ccache when present) into ${ZCB_BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ZCB_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j "${ZCB_JOBS:-$(nproc)}"
