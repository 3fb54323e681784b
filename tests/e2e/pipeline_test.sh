#!/usr/bin/env bash
# End-to-end test of the whole pipeline on real data (NB201 tables and CIFAR-10 / ImageNet16
# images from the mirror): every stage, determinism, resumption after a kill, and bad input.
# Usage: pipeline_test.sh <zcbench> <source dir>. Needs ZCB_MIRROR (skipped with 77 if unset).
set -uo pipefail
zcb="$1"
src="$2"
if [ -z "${ZCB_MIRROR:-}" ] || [ ! -d "$ZCB_MIRROR" ]; then
  echo "SKIP: ZCB_MIRROR does not name the data mirror (e.g. ../shared/data)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export ZCB_DATA_ROOT="$work/data"
configs="$src/suite/configs"
passed=0
failed=0
check() {  # check <description> <command...>
  local what="$1"
  shift
  if "$@" >"$work/out.txt" 2>&1; then
    passed=$((passed + 1))
    echo "ok: $what"
  else
    failed=$((failed + 1))
    echo "FAILED: $what"
    tail -20 "$work/out.txt"
  fi
}
fails_with() {  # fails_with <expected text> <command...>: exit code 2 and the text in stderr
  local expected="$1"
  shift
  local code=0
  "$@" >"$work/err.txt" 2>&1 || code=$?
  [ "$code" -eq 2 ] && grep -qF -- "$expected" "$work/err.txt" || {
    echo "exit $code, output:"
    cat "$work/err.txt"
    return 1
  }
}
tiny_variant() {  # tiny_variant OUT 'TOP-LEVEL "KEY": VALUE' 'PROXY NAMES, QUOTED': a tiny.json variant
  sed -e "s/\"base_seed\": 0,/\"base_seed\": 0,\n  $2,/" \
    -e "s/\"proxies\": \[[^]]*\]/\"proxies\": [$3]/" "$configs/tiny.json" >"$1"
}
same_scores() {  # byte-identical score files in two results roots
  local a="$1" b="$2" n=0
  while IFS= read -r file; do
    cmp "$a/raw/$file" "$b/raw/$file" || return 1
    n=$((n + 1))
  done < <(cd "$a/raw" && find . -name 'seed-0.h5' | sort)
  [ "$n" -gt 0 ]
}

# 1. The whole pipeline: fetch, convert, score (3 tasks x 7 proxies), stats, render.
check "smoke run renders a site" "$zcb" --results "$work/smoke" run --config "$configs/smoke.json"
check "each proxy has a page with its paper and reference code" bash -c \
  "grep -q 'Tanaka et al., SynFlow' '$work/smoke/site/proxy-synflow.html' && grep -q 'foresight/pruners/measures/synflow.py' '$work/smoke/site/proxy-synflow.html'"
check "site index exists" test -s "$work/smoke/site/index.html"
for task in cifar10 cifar100 ImageNet16-120; do
  check "stats for $task" test -s "$work/smoke/stats/nb201/$task.json"
done
check "a rerun scores nothing" bash -c \
  "'$zcb' --results '$work/smoke' score --config '$configs/smoke.json' 2>&1 | grep -q '] 0 jobs to run'"

# Published values beside ours: the built-in table, a reviewer's own file, and a bad one.
check "stats set published values beside ours" bash -c \
  "grep -q '\"verdict\": \"' '$work/smoke/stats/nb201/cifar10.json' && grep -q 'NAS-Bench-Suite-Zero' '$work/smoke/site/published.html'"
cat >"$work/claims.json" <<'JSON'
{"kind": "published_values", "schema_version": 1, "values": [
 {"proxy": "synflow", "space": "nb201", "task": "cifar100", "statistic": "kendall_tau_b",
  "value": 0.55, "decimals": 2, "paper": "A paper under review", "where": "Table 2"}]}
JSON
check "a --published file is set beside ours too" bash -c \
  "'$zcb' --results '$work/smoke' stats --config '$configs/smoke.json' --published '$work/claims.json' 2>&1 | grep -q 'claims.json: 1 of 1 match' && grep -q 'A paper under review' '$work/smoke/stats/nb201/cifar100.json'"
sed 's/kendall_tau_b/spearman_abs/' "$work/claims.json" >"$work/bad-claims.json"
check "a malformed --published file stops before any stage" fails_with "statistic 'spearman_abs'" \
  "$zcb" --results "$work/smoke" run --config "$configs/smoke.json" --published "$work/bad-claims.json"

check "verify lists the published values beside ours" bash -c \
  "'$zcb' --results '$work/smoke' verify | grep -Eq '^[0-9]+ published values: [0-9]+ within our 95% interval'"
check "verify --strict fails when no value matches" bash -c \
  "out=\$('$zcb' --results '$work/smoke' verify --strict --paper 'Nobody et al.'); [ \$? -eq 1 ] && echo \"\$out\" | grep -q 'No published value matches'"
# Nightly history: archive the smoke run twice (nothing changed), then an entry whose synflow
# differs at the same version: history --strict fails and the site's history page says so.
check "history archives a run" "$zcb" --results "$work/smoke" --history "$work/history" history
sleep 1  # entries are named by the second
check "history --strict passes when nothing changed" bash -c \
  "'$zcb' --results '$work/smoke' --history '$work/history' history --strict | grep -q '0 statistics changed'"
newest=$(ls "$work/history"/*.json | sort | tail -n 1)
sed -e 's/"created": "\(....\)-/"created": "2999-/' -e '0,/"estimate": [-0-9.e]*/s//"estimate": 0.123/' \
  "$newest" >"$work/history/2999-01-01T00-00-00Z-edited.json"
check "history --strict fails on a change at the same version" bash -c \
  "! '$zcb' --results '$work/smoke' --history '$work/history' history --strict && '$zcb' --results '$work/smoke' --history '$work/history' render && grep -q 'with the proxy' '$work/smoke/site/history.html'"
# ci/nightly.sh twice: the second night rescores everything and, the scores being deterministic,
# finds nothing changed.
for night in 1 2; do
  check "ci/nightly.sh, night $night" env ZCB_SKIP_PREPARE=1 \
    ZCB_BUILD_DIR="$(dirname "$(dirname "$zcb")")" ZCB_RESULTS="$work/nightly" \
    bash "$src/ci/nightly.sh" "$configs/tiny.json" "$work/nightly-history"
  sleep 1
done
check "the second night found nothing changed" bash -c \
  "grep -q 'Nothing changed between' '$work/nightly/site/history.html'"
# The table's params against built networks (a fixed sample; `check-complexity` checks all).
check "built params match the table on a sample" bash -c \
  "'$zcb' check-complexity --space nb201 --sample 300 | tee '$work/complexity.txt' | grep -q '0 other mismatches'"
check "check-complexity fails on an unexplained mismatch only" \
  "$zcb" check-complexity --space nb201 --sample 300

# 2. Determinism: the same config twice (and with another worker count) gives byte-identical
# score files.
# A runs its workers on glibc's malloc, B on the default (tcmalloc where installed).
check "tiny run A" "$zcb" --results "$work/a" score --config "$configs/tiny.json" --allocator system
check "tiny run B, one worker" "$zcb" --results "$work/b" score --config "$configs/tiny.json" --workers 1
check "runs A and B are bit-identical" same_scores "$work/a" "$work/b"
check "the timing files name the workers' malloc" bash -c \
  "grep -qa '\"worker_allocator\":\"system\"' '$work/a/raw/nb201/cifar10/naswot/seed-0.timing.h5' &&
   grep -qa '\"worker_allocator\":\"' '$work/b/raw/nb201/cifar10/naswot/seed-0.timing.h5'"
check "an unknown --allocator stops before any stage" fails_with "expected auto, system, tcmalloc" \
  "$zcb" --results "$work/bad-alloc" run --config "$configs/tiny.json" --allocator jemalloc
# Proxies computed from one shared pass give the same bits as each computed alone.
check "tiny run without the shared pass" "$zcb" --results "$work/b2" score \
  --config "$configs/tiny.json" --no-shared-pass
check "shared pass and separate passes are bit-identical" same_scores "$work/a" "$work/b2"

# SWAP's regularised score: a composite of swap and params with the config's constants. A config
# without them is refused before any scoring; the grid tool recomputes it for other constants.
sed -e 's/"proxies": \[[^]]*\]/"proxies": ["swap", "swap_reg"]/' "$configs/tiny.json" \
  >"$work/reg-no-options.json"
check "swap_reg without mu and sigma is refused before scoring" fails_with \
  "composite 'swap_reg' needs the option 'mu'" \
  "$zcb" --results "$work/reg" run --config "$work/reg-no-options.json"
sed -e 's/"base_seed": 0,/"base_seed": 0,\n  "proxy_options": {"swap_reg": {"mu": 1000, "sigma": 1e6}},/' \
  "$work/reg-no-options.json" >"$work/reg.json"
check "swap_reg scored from swap and params" "$zcb" --results "$work/reg" run --config "$work/reg.json"
check "swap_reg has statistics and a page naming its constants" bash -c \
  "grep -q '\"name\": \"swap_reg\"' '$work/reg/stats/nb201/cifar10.json' && grep -q 'this run: mu = 1000, sigma = 1000000' '$work/reg/site/proxy-swap_reg.html' && grep -q '<dt>Computed from</dt><dd><a href=\"proxy-swap.html\">' '$work/reg/site/proxy-swap_reg.html'"
check "the option grid gives one line per combination" bash -c \
  "python3 '$src/ci/option_grid.py' '$zcb' '$work/reg' '$work/reg.json' swap_reg mu=500,1000 sigma=1e6 >'$work/grid.tsv' && [ \$(grep -c 'nb201/cifar10' '$work/grid.tsv') -eq 2 ]"

# A proxy's own batch replaced by the config (NAS-Bench-Suite-Zero gave every proxy one
# minibatch): naswot at 64 instead of its 128 is a setting of its own with its own scores, the
# other proxies keep run A's bytes, and the proxy page says which batch this run used.
tiny_variant "$work/batch.json" '"proxy_batch_size": {"naswot": 64}' '"synflow", "naswot"'
check "naswot at the config's batch of 64" "$zcb" --results "$work/batch" run --config "$work/batch.json"
batch_raw="$work/batch/raw/nb201/cifar10"
check "naswot's settings say 64 and its scores differ from run A's; synflow keeps A's bytes" bash -c \
  "grep -qa '\"batch_size\":64' '$batch_raw/naswot/seed-0.h5' && ! cmp -s '$batch_raw/naswot/seed-0.h5' '$work/a/raw/nb201/cifar10/naswot/seed-0.h5' && cmp '$batch_raw/synflow/seed-0.h5' '$work/a/raw/nb201/cifar10/synflow/seed-0.h5'"
check "the proxy page names the batch" grep -q 'this run: batch 64' "$work/batch/site/proxy-naswot.html"
sed -e 's/"naswot": 64/"params": 64/' -e 's/"proxies": \["synflow", "naswot"\]/"proxies": ["params"]/' \
  "$work/batch.json" >"$work/batch-params.json"
check "a batch size for a proxy that reads no images is refused" fails_with \
  "'params' reads no images, so it takes no batch size" \
  "$zcb" --results "$work/batch-params" run --config "$work/batch-params.json"

# Several seeds: each scored into its own files (seed 0's are run A's bytes); the stats keep the
# first seed's intervals and add the spread across the seeds, which the site shows.
tiny_variant "$work/two-seeds.json" '"seeds": [0, 1]' '"params", "synflow", "naswot"'
check "a run of two seeds" "$zcb" --results "$work/seeds" run --config "$work/two-seeds.json"
seed_dir="$work/seeds/raw/nb201/cifar10/synflow"
check "seed 0 equals run A, seed 1 has its own scores" bash -c \
  "cmp '$seed_dir/seed-0.h5' '$work/a/raw/nb201/cifar10/synflow/seed-0.h5' && ! cmp -s '$seed_dir/seed-0.h5' '$seed_dir/seed-1.h5'"
check "the stats and the site give the spread across seeds" bash -c \
  "grep -q '\"seed_spread\"' '$work/seeds/stats/nb201/cifar10.json' && grep -q 'over 2 seeds' '$work/seeds/site/nb201-cifar10.html'"

# Sharded: three shards of the same config, merged, give the bytes of run A.
for shard in 0/3 1/3 2/3; do
  check "tiny shard $shard" "$zcb" --results "$work/s" score --config "$configs/tiny.json" \
    --workers 1 --shard "$shard"
done
check "stats on unmerged shards says to merge" fails_with "run \`zcbench merge\` first" \
  "$zcb" --results "$work/s" stats --config "$configs/tiny.json"
check "merge the shards" "$zcb" --results "$work/s" merge
check "merged shards equal the single run" same_scores "$work/a" "$work/s"
check "a shard rerun after the merge scores nothing" bash -c \
  "'$zcb' --results '$work/s' score --config '$configs/tiny.json' --shard 1/3 2>&1 | grep -q '] 0 jobs to run'"
check "a bad --shard is a clear error" fails_with "expected I/N" \
  "$zcb" --results "$work/s" score --config "$configs/tiny.json" --shard 3/3

# The CI recipes: ci/shard.sh as the three tasks of a Slurm array, then ci/merge.sh.
recipe_env=(env ZCB_SKIP_PREPARE=1 ZCB_BUILD_DIR="$(dirname "$(dirname "$zcb")")")
for id in 0 1 2; do
  check "ci/shard.sh as Slurm array task $id of 3" "${recipe_env[@]}" SLURM_ARRAY_TASK_ID=$id \
    SLURM_ARRAY_TASK_COUNT=3 ZCB_RESULTS="$work/slurm/$id" bash "$src/ci/shard.sh" "$configs/tiny.json"
done
check "ci/merge.sh joins them, with stats and a site" "${recipe_env[@]}" \
  ZCB_RESULTS="$work/slurm-all" bash "$src/ci/merge.sh" "$configs/tiny.json" \
  "$work/slurm/0" "$work/slurm/1" "$work/slurm/2"
check "the Slurm shards equal the single run" same_scores "$work/a" "$work/slurm-all"
check "the merged run has a site" test -s "$work/slurm-all/site/index.html"
check "ci/merge.sh with a shard missing stops at merge" bash -c \
  "! ZCB_SKIP_PREPARE=1 ZCB_BUILD_DIR='$(dirname "$(dirname "$zcb")")' ZCB_RESULTS='$work/slurm-two' bash '$src/ci/merge.sh' '$configs/tiny.json' '$work/slurm/0' '$work/slurm/2' && test ! -e '$work/slurm-two/stats'"
check "ci/shard.sh without a shard says how to give one" fails_with "no shard given" \
  env -u SLURM_ARRAY_TASK_ID -u CI_NODE_INDEX -u ZCB_SHARD ZCB_SKIP_PREPARE=1 \
  bash "$src/ci/shard.sh" "$configs/tiny.json"

# 3. Kill -9 mid-way, rerun: the finished rows are kept and the result equals run A.
"$zcb" --results "$work/c" score --config "$configs/tiny.json" --checkpoint-seconds 0 \
  >"$work/killed.txt" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ -n "$(find "$work/c/raw" -name 'seed-0.h5' 2>/dev/null | head -1)" ] && break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "resumed run reuses finished rows" bash -c \
  "'$zcb' --results '$work/c' score --config '$configs/tiny.json' 2>&1 | tee '$work/resume.txt' | grep -Eq ', [1-9][0-9]* rows already done'"
check "resumed run equals the uninterrupted one" same_scores "$work/a" "$work/c"

# A worker that dies mid-job: its rows are recorded as crashed, the run goes on and finishes.
check "a crashed worker is a recorded status" bash -c \
  "ZCB_FAULT_ABORT_JOB=2 '$zcb' --results '$work/crash' run --config '$configs/tiny.json' >'$work/crash.txt' 2>&1 && grep -q '\"crashed\": 1' '$work/crash/stats/nb201/cifar10.json' && grep -q 'killed by signal 6' '$work/crash.txt'"

# --retry scores the crashed rows again, and only them: the result equals run A.
check "--retry crashed scores again the crashed rows only" bash -c \
  "'$zcb' --results '$work/crash' score --config '$configs/tiny.json' --retry crashed 2>&1 | grep -q '^\[score\] 1 jobs to run, [1-9][0-9]* rows already done, 7 stored rows to score again (--retry)'"
check "the retried run equals the uninterrupted one" same_scores "$work/a" "$work/crash"
check "--retry ok is refused (that is --force)" fails_with "--retry ok: rows that scored ok are kept" \
  "$zcb" --results "$work/crash" score --config "$configs/tiny.json" --retry crashed,ok
check "--retry with an unknown status lists the known ones" fails_with "unknown row status 'killed' (known: ok" \
  "$zcb" --results "$work/crash" score --config "$configs/tiny.json" --retry killed

# 4. Bad input: clear errors, nothing lost.
sed 's/"naswot"\]/"naswot", "nope"]/' "$configs/tiny.json" >"$work/bad-proxy.json"
check "unknown proxy lists the known ones" fails_with "unknown proxy 'nope' (known: params" \
  "$zcb" --results "$work/a" score --config "$work/bad-proxy.json"
sed 's/"space": "nb201"/"space": "nb999"/' "$configs/tiny.json" >"$work/bad-space.json"
check "unknown space lists the known ones" fails_with "unknown search space 'nb999' (known: nb201" \
  "$zcb" --results "$work/a" score --config "$work/bad-space.json"
sed 's/"tasks": \["cifar10"\]/"tasks": ["cifar11"]/' "$configs/tiny.json" >"$work/bad-task.json"
check "unknown task lists the known ones" fails_with "cifar11" \
  "$zcb" --results "$work/a" score --config "$work/bad-task.json"
file="$(cd "$work/a/raw" && find . -name 'seed-0.h5' | sort | head -1)"
cp "$work/a/raw/$file" "$work/saved.h5"
truncate -s 1000 "$work/a/raw/$file"
check "a truncated score file is a clear error" fails_with "$(basename "$file")" \
  "$zcb" --results "$work/a" stats --config "$configs/tiny.json"
check "the other score files are untouched" bash -c "cmp '$work/b/raw/nb201/cifar10/snip/seed-0.h5' '$work/a/raw/nb201/cifar10/snip/seed-0.h5' || [ '$file' = './nb201/cifar10/snip/seed-0.h5' ]"
raw="$work/data/raw/nb201/nats-bench-landscape_nats_bench.csv"
chmod u+w "$raw"
echo "tampered" >>"$raw"
check "a raw file with the wrong checksum is a clear error" fails_with "sha256" \
  "$zcb" --offline convert nb201
check "the existing table survives" test -s "$work/data/tables/nb201.h5"
check "missing files are named with where to get them" fails_with "nats-bench-landscape" \
  env ZCB_DATA_ROOT="$work/empty" "$zcb" --offline --mirror "$work/no-mirror" fetch nb201

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
