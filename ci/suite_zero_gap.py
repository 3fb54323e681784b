#!/usr/bin/env python3
# Usage: ci/suite_zero_gap.py RESULTS DATA_ROOT SPACE (after `zcbench stats` on a TransNAS space).
#
# Splits each gap between a NAS-Bench-Suite-Zero Figure 6 value and ours into its two parts:
#   paper -> released: Spearman of Suite-Zero's own released scores against the ground truth,
#                      over every architecture they released (their figure vs their data);
#   released -> ours:  our 100-architecture sample, with the SD a random sample of 100 of the
#                      released architectures has, and how our scores agree with theirs
#                      on the architectures both scored (the stats' `reference` blocks).
# Then, per task, which of the table's validation metrics the figure's values fit best.
# The ground truth is the table's metric that `ours` was computed under (the paper's, where the
# table has it).
import glob, json, sys
import warnings
import h5py
import numpy as np
from scipy import stats as scipy_stats


def spearman(x, y):
    with warnings.catch_warnings():  # a constant column gives NaN, as zcbench says
        warnings.simplefilter('ignore')
        return float(scipy_stats.spearmanr(x, y).correlation)


root, data_root, space = sys.argv[1], sys.argv[2], sys.argv[3]
short = space.split('_', 1)[1]
truth_table = h5py.File(f'{data_root}/tables/transnas-{short}.h5', 'r')
released = h5py.File(f'{data_root}/tables/suite-zero-transnas-{short}.h5', 'r')
decode = lambda s: s.decode() if isinstance(s, bytes) else s
truth_row = {decode(s): i for i, s in enumerate(truth_table['archs/string'][:])}
released_truth_rows = np.array([truth_row.get(decode(s), -1) for s in released['archs/string'][:]])
rng = np.random.default_rng(0)
f = lambda v: '-' if v is None or v != v else f'{v:.2f}'


def released_against(column, truth):
    """The released scores and the truth of every released architecture that has both."""
    keep = (released_truth_rows >= 0) & np.isfinite(column)
    keep[keep] &= np.isfinite(truth[released_truth_rows[keep]])
    return column[keep], truth[released_truth_rows[keep]]


print('task | proxy | paper | ours [95% CI] | released, all archs (n) | SD of a 100-sample | '
      'ours vs released scores (n shared)')
metric_fit = []  # second table's rows
for path in sorted(glob.glob(f'{root}/stats/{space}/*.json')):
    stats = json.load(open(path))
    task = stats['task']
    pairs = []  # (paper value, released column) of the task's values
    for proxy in stats['proxies']:
        paper = [p for p in proxy.get('published') or [] if 'Suite-Zero' in p['paper']]
        if not paper:
            continue
        # the metric ours was computed under: the paper's where the table has it
        truth = truth_table[f"tasks/{task}/{paper[0]['ground_truth_metric']}"][:]
        ours = paper[0]['ours']
        # the released column with the most architectures
        ref = max(proxy.get('reference') or [], key=lambda r: r['n_reference'], default=None)
        population, sd, n_released, agreement = float('nan'), float('nan'), 0, '-'
        if ref is not None:
            column = released[f"tasks/{task}/{ref['column']}"][:]
            pairs.append((paper[0]['value'], column))
            x, y = released_against(column, truth)
            n_released = len(x)
            if n_released >= 3:
                population = spearman(x, y)
            if n_released > 100:
                sd = float(np.std([spearman(x[s], y[s]) for s in
                                   (rng.choice(n_released, 100, replace=False) for _ in range(300))]))
            a = (ref.get('spearman') or {}).get('estimate')
            agreement = f"{f(a)} ({ref['n_common']})"
        print(f"{task} | {proxy['name']} | {paper[0]['value']:.2f} | {f(ours['estimate'])} "
              f"[{f(ours['lo'])}, {f(ours['hi'])}] | {f(population)} ({n_released}) | {f(sd)} | {agreement}")
    # Which ground truth did the figure use? Per validation metric of the table: the mean
    # |figure - released scores' Spearman against that metric| over the task's values.
    for metric in sorted(k for k in truth_table[f'tasks/{task}'].keys() if k.startswith('valid_')):
        truth = truth_table[f'tasks/{task}/{metric}'][:]
        gaps = [abs(rho - value) for value, column in pairs
                for rho in [spearman(*released_against(column, truth))] if rho == rho]
        if gaps:
            metric_fit.append(f'{task} | {metric} | {np.mean(gaps):.3f} | {len(gaps)}')

print()
print('task | validation metric | mean abs(paper - released) | values')
print('\n'.join(metric_fit))
