#!/usr/bin/env bash
# One shard of a run too big for one machine (README, "Splitting a run over machines or
# nights"): installs and builds like the main job, then fetches, converts and scores shard I of N.
#   bash ci/shard.sh CONFIG [I/N]
# Without I/N, the scheduler's array index is used: Slurm (SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT, see ci/slurm-array.sbatch), GitLab's parallel jobs (CI_NODE_INDEX and
# CI_NODE_TOTAL, 1-based), or ZCB_SHARD=I/N (a GitHub Actions matrix sets it). Scores land in
# ${ZCB_RESULTS:-zcb-results}/raw (relative to the current folder) as part files; collect every
# shard's raw/ with ci/merge.sh.
# ZCB_SKIP_PREPARE=1 skips the install and build (an existing ${ZCB_BUILD_DIR:-build}).
set -euo pipefail
config="$(realpath "${1:?usage: ci/shard.sh CONFIG [I/N]}")"
shard="${2:-}"
results="$(realpath -m "${ZCB_RESULTS:-zcb-results}")"
cd "$(dirname "$0")/.."
if [ -z "$shard" ]; then
  if [ -n "${SLURM_ARRAY_TASK_ID:-}" ] && [ -n "${SLURM_ARRAY_TASK_COUNT:-}" ]; then
    # --array=0-29 gives ids 0..29 and a count of 30; ids must start at 0.
    shard="$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT"
  elif [ -n "${CI_NODE_INDEX:-}" ] && [ -n "${CI_NODE_TOTAL:-}" ]; then
    shard="$((CI_NODE_INDEX - 1))/$CI_NODE_TOTAL"
  elif [ -n "${ZCB_SHARD:-}" ]; then
    shard="$ZCB_SHARD"
  else
    echo "ci/shard.sh: no shard given: pass I/N, or run under a Slurm array, GitLab parallel" \
      "jobs or with ZCB_SHARD=I/N" >&2
    exit 2
  fi
fi
if [ "${ZCB_SKIP_PREPARE:-0}" != 1 ]; then
  source ci/prepare.sh
fi
zcb="${ZCB_BUILD_DIR:-build}/suite/zcbench"
# Every machine needs the config's tables; fetch and convert do nothing where they are up to date.
"$zcb" fetch --config "$config"
"$zcb" convert --config "$config"
echo "ci/shard.sh: scoring shard $shard of $config" >&2
"$zcb" --results "$results" score --config "$config" --shard "$shard"
