#!/usr/bin/env python3
# Usage: ci/reruns_separation.py RESULTS DATA_ROOT (after a run that scores nds_*_reruns).
# NDS reruns: 2 networks (rows 0-99 'top', 100-199 'mid') x 100 training seeds. Per proxy: the
# share of (top, mid) row pairs the proxy orders as the networks' mean accuracies do.
import h5py, numpy as np, sys
root, data_root = sys.argv[1], sys.argv[2]
for space, table in [('nds_resnet_reruns', 'nds-resnet-reruns'), ('nds_vanilla_reruns', 'nds-vanilla-reruns')]:
    t = h5py.File(f'{data_root}/tables/{table}.h5', 'r')
    acc = t['tasks/cifar10/test_acc_last_ep'][:]
    strings = t['archs/string'][:]
    print(space, 'top mean %.2f sd %.2f, mid mean %.2f sd %.2f' % (acc[:100].mean(), acc[:100].std(ddof=1), acc[100:].mean(), acc[100:].std(ddof=1)),
          'distinct strings', len(set(strings)))
    better_first = acc[:100].mean() > acc[100:].mean()
    for proxy in ["params", "flops", "grad_norm", "snip", "synflow", "jacob_cov", "naswot"]:
        f = h5py.File(f'{root}/raw/{space}/cifar10/{proxy}/seed-0.h5', 'r')
        ids = f['arch_id'][:]; sc = f['score'][:]
        top = sc[ids < 100]; mid = sc[ids >= 100]
        gt = (top[:, None] > mid[None, :]).mean() + 0.5 * (top[:, None] == mid[None, :]).mean()
        share = gt if better_first else 1 - gt
        cv = lambda x: np.std(x, ddof=1) / abs(np.mean(x)) if len(x) > 1 and np.mean(x) else float('nan')
        print(f'  {proxy:10s} n {len(top)}+{len(mid)}  P(orders like accuracy) {share:.2f}  seed CV top {cv(top):.3f} mid {cv(mid):.3f}')
