#!/usr/bin/env python3
"""Prints the torch.save fixtures of tests/data/torch_file_test.cpp as C++ string literals.

Run with a Python that has torch (1.13 was used): python3 tests/data/scripts/make_torch_fixtures.py
The output was pasted into torch_file_test.cpp; CI does not run this script.
"""
import io

import torch


def literal(name, data):
    body = "".join("\\x%02x" % b for b in data)
    print("// %s" % name)
    print("const std::string k%s(" % name)
    for i in range(0, len(body), 88):
        print('    "%s"' % body[i:i + 88])
    print("    , %d);" % len(data))


def tensors():
    return {
        "w": torch.arange(6, dtype=torch.float32).reshape(2, 3),
        "v": torch.tensor([1, -2, 3], dtype=torch.int64)[1:],  # storage offset 1
        "tt": torch.arange(4, dtype=torch.float64).reshape(2, 2).t(),  # strides (1, 2)
        "h": torch.tensor([0.5, -1.0], dtype=torch.float16),
        "n": 5,
    }


for name, zipped in (("TorchZip", True), ("TorchLegacy", False)):
    buffer = io.BytesIO()
    torch.save(tensors(), buffer, _use_new_zipfile_serialization=zipped)
    literal(name, buffer.getvalue())
