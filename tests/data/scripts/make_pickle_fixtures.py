#!/usr/bin/env python3
"""Prints the pickle fixtures of tests/data/pickle_test.cpp as C++ string literals.

Run with a Python that has numpy: python3 tests/data/scripts/make_pickle_fixtures.py
The output was pasted into pickle_test.cpp; CI does not run this script.
"""
import collections
import os
import pickle

import numpy as np


def literal(name, data):
    body = "".join("\\x%02x" % b for b in data)
    lines = [body[i:i + 88] for i in range(0, len(body), 88)]
    print("// %s" % name)
    print("const std::string k%s(" % name)
    for line in lines:
        print('    "%s"' % line)
    print("    , %d);" % len(data))


def mixed():
    shared = [7]
    return {
        "ints": [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31, 2**40, -2**63, 2**63 - 1],
        "floats": [1.5, -0.0, 1e300],
        "flags": (True, False, None),
        "text": "h\u00e9llo \u2603",
        "raw": b"\x00\xff\x80",
        (1, "x"): (),
        "set": {3},
        "frozen": frozenset(["a"]),
        "od": collections.OrderedDict([("k", 1), ("j", 2)]),
        "alias": [shared, shared],
        3: "int key",
    }


for protocol in (2, 3, 4, 5):
    literal("MixedP%d" % protocol, pickle.dumps(mixed(), protocol=protocol))
literal("NumpyScalarsP4",
        pickle.dumps([np.float64(0.25), np.int32(-7), np.float32(1.5), np.int64(2**40),
                      np.uint8(200), np.bool_(True), np.float16(-2.5)], protocol=4))
literal("SystemCallP2", pickle.dumps(os.system, protocol=2))
literal("HugeIntP2", pickle.dumps(2**64, protocol=2))
