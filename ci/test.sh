#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test (unit, golden,
# headless-browser and the end-to-end run of the whole pipeline on real data from the mirror).
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/prepare.sh
cd "${ZCB_BUILD_DIR:-build}"
ctest --output-on-failure -j 2 --timeout 1200
