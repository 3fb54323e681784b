#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test (unit, golden,
# headless-browser and the end-to-end run of the whole pipeline on real data from the mirror),
# then a short fuzz run of every reader of untrusted files.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source ci/prepare.sh
(cd "${ZCB_BUILD_DIR:-build}" && ctest --output-on-failure -j 2 --timeout 1200)
# libFuzzer, clang, torch-free build: ZCB_FUZZ_SECONDS per harness (10 s here; 0 skips it).
if [ "${ZCB_FUZZ_SECONDS:-10}" != 0 ]; then
  cd "$root"
  ZCB_FUZZ_SECONDS="${ZCB_FUZZ_SECONDS:-10}" bash ci/fuzz.sh
fi
