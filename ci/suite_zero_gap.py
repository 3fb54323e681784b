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
import h5py
import numpy as np


def ranks(x):
    order = np.argsort(x, kind='mergesort')
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    # average ranks over ties
    xs = x[order]
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[i]:
            j += 1
        if j > i:
            r[order[i:j + 1]] = (i + j) / 2.0
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = ranks(np.asarray(x, float)), ranks(np.asarray(y, float))
    if rx.std() == 0 or ry.std() == 0:
        return float('nan')
    return float(np.corrcoef(rx, ry)[0, 1])


root, data_root, space = sys.argv[1], sys.argv[2], sys.argv[3]
short = space.split('_', 1)[1]
truth_table = h5py.File(f'{data_root}/tables/transnas-{short}.h5', 'r')
released = h5py.File(f'{data_root}/tables/suite-zero-transnas-{short}.h5', 'r')
decode = lambda s: s.decode() if isinstance(s, bytes) else s
truth_row = {decode(s): i for i, s in enumerate(truth_table['archs/string'][:])}
released_truth_rows = np.array([truth_row.get(decode(s), -1) for s in released['archs/string'][:]])
rng = np.random.default_rng(0)


def released_against(column, truth):
    """The released scores and the truth of every released architecture that has both."""
    keep = (released_truth_rows >= 0) & np.isfinite(column)
    keep[keep] &= np.isfinite(truth[released_truth_rows[keep]])
    return column[keep], truth[released_truth_rows[keep]]


print('task | proxy | paper | ours [95% CI] | released, all archs (n) | SD of a 100-sample | '
      'ours vs released scores (n shared)')
for path in sorted(glob.glob(f'{root}/stats/{space}/*.json')):
    stats = json.load(open(path))
    task = stats['task']
    for proxy in stats['proxies']:
        paper = [p for p in proxy.get('published') or [] if 'Suite-Zero' in p['paper']]
        if not paper:
            continue
        # the metric ours was computed under: the paper's where the table has it
        truth = truth_table[f"tasks/{task}/{paper[0]['ground_truth_metric']}"][:]
        ours = paper[0]['ours']
        refs = proxy.get('reference') or []
        # the released column with the most architectures
        ref = max(refs, key=lambda r: r['n_reference'], default=None)
        population, sd, n_released, agreement = float('nan'), float('nan'), 0, '-'
        if ref is not None:
            x, y = released_against(released[f"tasks/{task}/{ref['column']}"][:], truth)
            n_released = len(x)
            if n_released >= 3:
                population = spearman(x, y)
            if n_released > 100:
                sd = float(np.std([spearman(x[s], y[s]) for s in
                                   (rng.choice(n_released, 100, replace=False) for _ in range(300))]))
            a = (ref.get('spearman') or {}).get('estimate')
            agreement = f"{a:.2f} ({ref['n_common']})" if a is not None else f"- ({ref['n_common']})"
        f = lambda v: '-' if v is None or v != v else f'{v:.2f}'
        print(f"{task} | {proxy['name']} | {paper[0]['value']:.2f} | {f(ours['estimate'])} "
              f"[{f(ours['lo'])}, {f(ours['hi'])}] | {f(population)} ({n_released}) | {f(sd)} | {agreement}")

# Which ground truth did the figure use? Per task and validation metric of the table: the mean
# |figure - released scores' Spearman against that metric| over the task's Suite-Zero values.
print()
print('task | validation metric | mean abs(paper - released) | values')
for path in sorted(glob.glob(f'{root}/stats/{space}/*.json')):
    stats = json.load(open(path))
    task = stats['task']
    pairs = []  # (paper value, released column)
    for proxy in stats['proxies']:
        paper = [p for p in proxy.get('published') or [] if 'Suite-Zero' in p['paper']]
        refs = proxy.get('reference') or []
        if paper and refs:
            ref = max(refs, key=lambda r: r['n_reference'])
            pairs.append((paper[0]['value'], released[f"tasks/{task}/{ref['column']}"][:]))
    for metric in sorted(k for k in truth_table[f'tasks/{task}'].keys() if k.startswith('valid_')):
        truth = truth_table[f'tasks/{task}/{metric}'][:]
        gaps = []
        for value, column in pairs:
            rho = spearman(*released_against(column, truth))
            if rho == rho:
                gaps.append(abs(rho - value))
        if gaps:
            print(f'{task} | {metric} | {np.mean(gaps):.3f} | {len(gaps)}')
