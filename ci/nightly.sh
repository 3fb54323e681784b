#!/usr/bin/env bash
# A nightly benchmark run (README, "Nightly runs"): installs and builds like the main job, scores
# CONFIG afresh into ${ZCB_RESULTS:-zcb-results}, archives its statistics into HISTORY_DIR (keep
# that folder between nights: a CI cache or artifact, a shared disk) and renders the site with
# the history page.
#   bash ci/nightly.sh CONFIG HISTORY_DIR
# Exits 1 when a proxy's statistics changed since the previous night while its version did not
# (`zcbench history --strict`), after the site is rendered, so the job fails with the evidence.
# ZCB_SKIP_PREPARE=1 skips the install and build (an existing ${ZCB_BUILD_DIR:-build}).
set -euo pipefail
config="$(realpath "${1:?usage: ci/nightly.sh CONFIG HISTORY_DIR}")"
history="$(realpath -m "${2:?usage: ci/nightly.sh CONFIG HISTORY_DIR}")"
results="$(realpath -m "${ZCB_RESULTS:-zcb-results}")"
cd "$(dirname "$0")/.."
if [ "${ZCB_SKIP_PREPARE:-0}" != 1 ]; then
  source ci/prepare.sh
fi
zcb="${ZCB_BUILD_DIR:-build}/suite/zcbench"
# --force: tonight's build scores everything again, even where a results folder was kept.
"$zcb" --results "$results" run --config "$config" --force
status=0
"$zcb" --results "$results" --history "$history" history --strict || status=$?
"$zcb" --results "$results" --history "$history" render
exit "$status"
