"""Independent reference values for tests/spaces/nb201_reference_test.cpp.

A transcription of xautodl's TinyNetwork / InferCell / ResNetBasicblock / ReLUConvBN (the
network NAS-Bench-201 trained) in PyTorch, built with the same seed and module order as the
C++ space, then scored with the proxies of tests/proxies/reference_proxies.py. Equal numbers
mean the C++ network has the same weights, structure and forward pass as the reference.

Run: /usr/bin/python3 tests/spaces/reference_nb201.py   (needs python3-torch, python3-numpy)
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxies"))
import reference_proxies as ref  # noqa: E402


def relu_conv_bn(c_in, c_out, k, stride, pad):
    return nn.Sequential(nn.ReLU(inplace=False),
                         nn.Conv2d(c_in, c_out, k, stride=stride, padding=pad, bias=False),
                         nn.BatchNorm2d(c_out))


class Zero(nn.Module):
    def forward(self, x):
        return x.mul(0.0)


def make_op(name, c):
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return nn.Identity()
    if name == "nor_conv_1x1":
        return relu_conv_bn(c, c, 1, 1, 0)
    if name == "nor_conv_3x3":
        return relu_conv_bn(c, c, 3, 1, 1)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
    raise ValueError(name)


class InferCell(nn.Module):
    def __init__(self, genotype, c):
        super().__init__()
        self.layers = nn.ModuleList()
        self.edges = []
        for node in genotype:
            for op, source in node:
                self.edges.append((len(self.edges), source, len(node)))
                self.layers.append(make_op(op, c))
        self.genotype = genotype

    def forward(self, x):
        nodes = [x]
        index = 0
        for node in self.genotype:
            total = None
            for _, source in node:
                out = self.layers[index](nodes[source])
                total = out if total is None else total + out
                index += 1
            nodes.append(total)
        return nodes[-1]


class ResNetBasicblock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv_a = relu_conv_bn(c_in, c_out, 3, 2, 1)
        self.conv_b = relu_conv_bn(c_out, c_out, 3, 1, 1)
        self.downsample = nn.Sequential(nn.AvgPool2d(kernel_size=2, stride=2, padding=0),
                                        nn.Conv2d(c_in, c_out, 1, bias=False))

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class TinyNetwork(nn.Module):
    def __init__(self, genotype, classes, c=16, n=5):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        self.cells = nn.ModuleList()
        c_prev = c
        for stage in range(3):
            if stage > 0:
                self.cells.append(ResNetBasicblock(c_prev, c_prev * 2))
                c_prev *= 2
            for _ in range(n):
                self.cells.append(InferCell(genotype, c_prev))
        self.lastact = nn.Sequential(nn.BatchNorm2d(c_prev), nn.ReLU(inplace=False))
        self.classifier = nn.Linear(c_prev, classes)

    def forward(self, x):
        x = self.stem(x)
        for cell in self.cells:
            x = cell(x)
        x = self.lastact(x)
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


def parse(arch):
    return [[(e.split("~")[0], int(e.split("~")[1])) for e in node.strip("|").split("|")]
            for node in arch.split("+")]


ARCHS = [
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|",
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
]

if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.randn(8, 3, 32, 32)
    y = torch.randint(0, 10, (8,))
    for arch in ARCHS:
        def build():
            torch.manual_seed(1)
            return TinyNetwork(parse(arch), 10)
        print(arch)
        print("  grad_norm %.17g" % ref.grad_norm(build(), x, y))
        print("  synflow %.17g" % ref.synflow(build(), x))
        print("  naswot %.17g" % ref.naswot(build(), x))
        print("  jacob_cov %.17g" % ref.jacob_cov(build(), x))
