#!/usr/bin/env bash
# Joins the shards of a run (ci/shard.sh) and computes its statistics and site:
#   bash ci/merge.sh CONFIG SHARD_RESULTS...
# copies the part files of every SHARD_RESULTS/raw into ${ZCB_RESULTS:-zcb-results}/raw (relative
# to the current folder), then runs `zcbench merge` (exit 3 while a shard is missing: nothing else
# runs), `stats` and `render`. The tables must be in place (ci/shard.sh fetches and converts them).
# ZCB_SKIP_PREPARE=1 skips the install and build (an existing ${ZCB_BUILD_DIR:-build}).
set -euo pipefail
config="$(realpath "${1:?usage: ci/merge.sh CONFIG SHARD_RESULTS...}")"
shift
[ "$#" -gt 0 ] || { echo "ci/merge.sh: name at least one shard's results folder" >&2; exit 2; }
results="$(realpath -m "${ZCB_RESULTS:-zcb-results}")"
shards=()
for shard in "$@"; do
  [ -d "$shard/raw" ] || { echo "ci/merge.sh: $shard has no raw/ folder" >&2; exit 2; }
  shards+=("$(realpath "$shard")")
done
cd "$(dirname "$0")/.."
if [ "${ZCB_SKIP_PREPARE:-0}" != 1 ]; then
  source ci/prepare.sh
fi
zcb="${ZCB_BUILD_DIR:-build}/suite/zcbench"
mkdir -p "$results/raw"
for shard in "${shards[@]}"; do
  [ "$shard" = "$results" ] || cp -R "$shard/raw/." "$results/raw/"
done
"$zcb" --results "$results" merge
"$zcb" --results "$results" stats --config "$config"
"$zcb" --results "$results" render
