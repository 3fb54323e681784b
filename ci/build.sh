#!/usr/bin/env bash
# Configures and builds zcbench (Release, Ninja, ccache when present) into ${ZCB_BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ZCB_BUILD_DIR:-build}"
# ccache caches compilations that use the precompiled torch header only with these relaxations
# (toolchain.md: warm rebuild in seconds instead of minutes).
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j "${ZCB_JOBS:-$(nproc)}"
