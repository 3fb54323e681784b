#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install, build, then `zcbench run` on the default
# config (fetch -> convert -> score -> stats -> render). The site lands in zcb-results/site/.
# Data comes from ZCB_MIRROR (a folder or base URL), else ../shared/data, else the official URLs.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/prepare.sh
"${ZCB_BUILD_DIR:-build}/suite/zcbench" run --config "${ZCB_CONFIG:-suite/configs/nb201-default.json}"
echo "site: $(pwd)/zcb-results/site/index.html"
