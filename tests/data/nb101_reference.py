#!/usr/bin/python3
"""Golden values for tests/data/nb101_test.cpp and tfrecord_test.cpp (run with the Debian
/usr/bin/python3; needs numpy). Independent Python re-statements of:
  - nasbench/lib/graph_util.py hash_module and nasbench/lib/model_spec.py _prune / hash_spec
    (google-research/nasbench), transcribed, not imported;
  - CRC-32C bit by bit (no tables) and TFRecord framing (tensorflow record_writer.cc);
  - hashlib.md5 and base64 from the Python standard library.
The printed numbers are committed in the C++ tests."""
import base64
import hashlib
import json
import struct

import numpy as np

OPS = ['conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3']


def hash_module(matrix, labeling):
  vertices = matrix.shape[0]
  in_edges = np.sum(matrix, axis=0).tolist()
  out_edges = np.sum(matrix, axis=1).tolist()
  hashes = [hashlib.md5(str(h).encode('utf-8')).hexdigest()
            for h in zip(out_edges, in_edges, labeling)]
  for _ in range(vertices):
    hashes = [hashlib.md5((''.join(sorted(hashes[w] for w in range(vertices) if matrix[w, v]))
                           + '|' + ''.join(sorted(hashes[w] for w in range(vertices)
                                                  if matrix[v, w]))
                           + '|' + hashes[v]).encode('utf-8')).hexdigest()
              for v in range(vertices)]
  return hashlib.md5(str(sorted(hashes)).encode('utf-8')).hexdigest()


def prune(matrix, ops):
  n = len(ops)
  seen_in, frontier = {0}, [0]
  while frontier:
    top = frontier.pop()
    for v in range(top + 1, n):
      if matrix[top, v] and v not in seen_in:
        seen_in.add(v)
        frontier.append(v)
  seen_out, frontier = {n - 1}, [n - 1]
  while frontier:
    top = frontier.pop()
    for v in range(0, top):
      if matrix[v, top] and v not in seen_out:
        seen_out.add(v)
        frontier.append(v)
  keep = sorted(seen_in & seen_out)
  if len(keep) < 2:
    return None
  return matrix[np.ix_(keep, keep)], [ops[i] for i in keep]


def spec_hash(matrix, ops):
  matrix, ops = prune(np.array(matrix), list(ops))
  labels = [-1] + [OPS.index(o) for o in ops[1:-1]] + [-2]
  bits = ''.join(str(int(x)) for x in matrix.flatten())
  return bits + '|' + ','.join(ops), hash_module(matrix, labels)


def crc32c(data):
  crc = 0xffffffff
  for byte in data:
    crc ^= byte
    for _ in range(8):
      crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
  return crc ^ 0xffffffff


def masked(crc):
  return (((crc >> 15) | (crc << 17)) + 0xa282ead8) & 0xffffffff


def tfrecord(data):
  length = struct.pack('<Q', len(data))
  return (length + struct.pack('<I', masked(crc32c(length))) + data +
          struct.pack('<I', masked(crc32c(data))))


if __name__ == '__main__':
  inception = ([[0, 1, 1, 1, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1],
                [0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1],
                [0, 0, 0, 0, 0, 0, 0]],
               ['input', 'conv1x1-bn-relu', 'conv3x3-bn-relu', 'conv3x3-bn-relu',
                'conv3x3-bn-relu', 'maxpool3x3', 'output'])
  print('inception', spec_hash(*inception))
  # Needs pruning: vertex 5 has no way to the output (first key of zc_nasbench101.json).
  unpruned = ([[0, 1, 1, 1, 1, 0, 1], [0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 1],
               [0, 0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 0],
               [0, 0, 0, 0, 0, 0, 0]],
              ['input', 'maxpool3x3', 'maxpool3x3', 'conv3x3-bn-relu', 'conv3x3-bn-relu',
               'conv3x3-bn-relu', 'output'])
  print('unpruned', spec_hash(*unpruned))
  print('two_vertices', spec_hash([[0, 1], [0, 0]], ['input', 'output']))
  print('chain', spec_hash([[0, 1, 0], [0, 0, 1], [0, 0, 0]],
                           ['input', 'maxpool3x3', 'output']))
  for text in [b'123456789', bytes(32), b'\xff' * 32, bytes(range(32))]:
    print('crc32c', text[:9], '%08x' % crc32c(text), 'masked %08x' % masked(crc32c(text)))
  print('tfrecord hello', tfrecord(b'hello').hex())
  print('tfrecord empty', tfrecord(b'').hex())
  print('md5', hashlib.md5(b'(1, 0, -1)').hexdigest())
  print('b64', base64.b64encode(b'\x00\xffab').decode())
