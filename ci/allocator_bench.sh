#!/usr/bin/env bash
# What the workers' malloc costs (README "Speed"): scores CONFIG once with the system malloc and
# once with tcmalloc, one worker each, side by side (so both see the same machine load), then
# prints the wall-clock ratio and fails unless every score file is byte-identical.
#   bash ci/allocator_bench.sh ZCBENCH CONFIG [WORK_DIR]
# Needs ZCB_DATA_ROOT (converted tables) and the images the config uses (ZCB_MIRROR).
set -euo pipefail
zcb="${1:?usage: ci/allocator_bench.sh ZCBENCH CONFIG [WORK_DIR]}"
config="${2:?usage: ci/allocator_bench.sh ZCBENCH CONFIG [WORK_DIR]}"
work="${3:-$(mktemp -d)}"
rm -rf "$work/system" "$work/tcmalloc"
mkdir -p "$work"
run() {  # run ALLOCATOR: prints the wall-clock seconds of one scoring run
  local start end
  start=$(date +%s.%N)
  "$zcb" --results "$work/$1" score --config "$config" --workers 1 --allocator "$1" \
    >"$work/$1.log" 2>&1 || {
    echo "ci/allocator_bench.sh: the $1 run failed:" >&2
    tail -5 "$work/$1.log" >&2
    return 1
  }
  end=$(date +%s.%N)
  echo "$start $end" | awk '{printf "%.1f\n", $2 - $1}' >"$work/$1.seconds"
}
run system &
system_pid=$!
run tcmalloc &
tcmalloc_pid=$!
wait "$system_pid"
wait "$tcmalloc_pid"
files=0
while IFS= read -r file; do
  cmp -s "$work/system/raw/$file" "$work/tcmalloc/raw/$file" || {
    echo "ci/allocator_bench.sh: $file differs between the two runs" >&2
    exit 1
  }
  files=$((files + 1))
done < <(cd "$work/system/raw" && find . -name '*.h5' ! -name '*.timing.h5' | sort)
[ "$files" -gt 0 ] || { echo "ci/allocator_bench.sh: no score files" >&2; exit 1; }
system_s=$(cat "$work/system.seconds")
tcmalloc_s=$(cat "$work/tcmalloc.seconds")
echo "score files byte-identical: $files"
echo "wall seconds: system $system_s, tcmalloc $tcmalloc_s, ratio system/tcmalloc" \
  "$(awk -v a="$system_s" -v b="$tcmalloc_s" 'BEGIN {printf "%.2f", a / b}')"
echo "per-row times and peak memory: $work/{system,tcmalloc}/raw/**/*.timing.h5"
