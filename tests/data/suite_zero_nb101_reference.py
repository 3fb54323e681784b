#!/usr/bin/python3
"""Golden values for tests/data/suite_zero_table_test.cpp (SuiteZero.Nb101ReferenceColumns).
Reads the mirror's nas-bench-suite-zero/naslib_early_json/zc_nasbench101.json in file order,
hashes every module with the independent re-statement in nb101_reference.py, and prints the
row count, duplicate entries, per-column conflicts and a few values the C++ test checks.
Run: /usr/bin/python3 tests/data/suite_zero_nb101_reference.py [mirror]"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nb101_reference import spec_hash  # noqa: E402

NASLIB_OPS = ['input', 'output', 'maxpool3x3', 'conv1x1-bn-relu', 'conv3x3-bn-relu']

mirror = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data')
path = os.path.join(mirror, 'nas-bench-suite-zero', 'naslib_early_json', 'zc_nasbench101.json')
with open(path) as f:
  records = json.load(f)['nasbench101']['cifar10']  # dicts keep the file order

rows = {}  # hash -> (row, first entry's values, arch string)
conflicts = {}
duplicates = 0
for key, record in records.items():
  t = [int(v) for v in key.strip('()').split(',')]
  matrix = np.array(t[:49]).reshape(7, 7)
  ops = [NASLIB_OPS[i] for i in t[49:]]
  arch, h = spec_hash(matrix, ops)
  if h in rows:
    duplicates += 1
    for name, value in record.items():
      if value != rows[h][1][name]:
        conflicts[name] = conflicts.get(name, 0) + 1
  else:
    rows[h] = (len(rows), record, arch)

print('entries', len(records), 'rows', len(rows), 'duplicate entries', duplicates)
print('conflicts', dict(sorted(conflicts.items())))
for h, (row, record, arch) in list(rows.items())[:2] + list(rows.items())[-1:]:
  print('row', row, 'hash', h, 'arch', arch, 'synflow', repr(record['synflow']), 'jacov', repr(record['jacov']),
        'val_accuracy', repr(record['val_accuracy']))
