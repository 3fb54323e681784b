#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test (unit, golden,
# headless-browser and the end-to-end smoke run of the whole pipeline on real data).
# Real data comes from the mirror: ZCB_MIRROR, else ../shared/data beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
if [ -z "${ZCB_MIRROR:-}" ] && [ -d ../shared/data ]; then
  export ZCB_MIRROR="$(cd ../shared/data && pwd)"
fi
cd "${ZCB_BUILD_DIR:-build}"
ctest --output-on-failure -j 2 --timeout 1200
