#!/usr/bin/env python3
# Usage: ci/figure2_table.py RESULTS [SPACE,SPACE...] (after `zcbench stats`).
# Per space and task, from the stats documents: Spearman rho [95% CI] of the seven foundation
# proxies, build + score seconds per architecture summed over them, the largest proxy peak; then,
# per proxy, the Spearman between our scores and each precomputed reference column (the stats'
# `reference` blocks, e.g. NAS-Bench-Suite-Zero's scores) on the architectures both scored.
import glob, json, sys

root = sys.argv[1]
spaces = sys.argv[2].split(',') if len(sys.argv) > 2 else None
proxies = ['params', 'flops', 'grad_norm', 'snip', 'synflow', 'jacob_cov', 'naswot']
f = lambda v: '-' if v is None else f'{v:.2f}'
documents = []
for path in sorted(glob.glob(f'{root}/stats/*/*.json')):
    space = path.split('/')[-2]
    if path.endswith('run.json') or (spaces and space not in spaces):
        continue
    documents.append((space, json.load(open(path))))

print('| space | task | n | ' + ' | '.join(proxies) + ' | s/arch | peak GiB |')
print('|' + '---|' * (len(proxies) + 5))
for space, d in documents:
    by_name = {p['name']: p for p in d['proxies']}
    cells, seconds, peak = [], 0.0, 0.0
    for name in proxies:
        p = by_name.get(name)
        if not p:
            cells.append('-')
            continue
        seconds += ((p.get('mean_build_ms') or 0) + (p.get('mean_score_ms') or 0)) / 1000
        peak = max(peak, p.get('max_peak_rss_mib') or 0)
        r = (p.get('stats') or {}).get('spearman')
        cells.append(f"{f(r['estimate'])} [{f(r['lo'])}, {f(r['hi'])}]" if r else 'n/a')
    print(f"| {space} | {d['task']} | {d['n_common']} | " + ' | '.join(cells) +
          f' | {seconds:.1f} | {peak / 1024:.1f} |')

print()
print('space | task | proxy | reference column | n shared | rho')
for space, d in documents:
    for p in d['proxies']:
        for r in p.get('reference') or []:
            print(f"{space} | {d['task']} | {p['name']} | {r['column']} | {r['n_common']} | "
                  f"{f((r.get('spearman') or {}).get('estimate'))}")
