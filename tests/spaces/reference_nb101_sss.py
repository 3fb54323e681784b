"""Independent reference values for tests/spaces/nb101_test.cpp and nats_sss_test.cpp.

NB101: a PyTorch transcription of google-research/nasbench `lib/model_builder.py` (build_module,
compute_vertex_channels, projection, truncate) and `lib/base_ops.py` (conv_bn_relu), with the
TF initialisers (variance scaling truncated normal for convs, glorot uniform for the dense
layer) drawn from the torch RNG after construction, modules registered in TF's variable order.
NATS-SSS: a transcription of xautodl's DynamicShapeTinyNet / InferCell / ResNetBasicblock /
FactorizedReduce (stride 1) with the fixed SSS genotype, PyTorch default initialisation.
Both are scored with the proxies of tests/proxies/reference_proxies.py; equal numbers mean
the C++ networks have the same weights, structure and forward pass.

Run: /usr/bin/python3 tests/spaces/reference_nb101_sss.py   (needs python3-torch, python3-numpy)
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxies"))
import reference_proxies as ref  # noqa: E402


# ---------------------------------------------------------------- NAS-Bench-101 (TF model)
class ConvBnRelu(nn.Module):
    def __init__(self, c_in, c_out, k):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out, eps=1e-5)
        self.relu = nn.ReLU(inplace=False)

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


def prune(matrix, ops):
    n = len(ops)
    fwd, stack = {0}, [0]
    while stack:
        top = stack.pop()
        for v in range(top + 1, n):
            if matrix[top][v] and v not in fwd:
                fwd.add(v)
                stack.append(v)
    bwd, stack = {n - 1}, [n - 1]
    while stack:
        top = stack.pop()
        for v in range(0, top):
            if matrix[v][top] and v not in bwd:
                bwd.add(v)
                stack.append(v)
    keep = sorted(fwd & bwd)
    return [[matrix[i][j] for j in keep] for i in keep], [ops[i] for i in keep]


def compute_vertex_channels(c_in, c_out, m):
    n = len(m)
    vc = [0] * n
    vc[0], vc[n - 1] = c_in, c_out
    if n == 2:
        return vc
    in_degree = np.sum(np.array(m)[1:], axis=0)
    interior = c_out // in_degree[n - 1]
    correction = c_out % in_degree[n - 1]
    for v in range(1, n - 1):
        if m[v][n - 1]:
            vc[v] = interior
            if correction:
                vc[v] += 1
                correction -= 1
    for v in range(n - 3, 0, -1):
        if not m[v][n - 1]:
            for dst in range(v + 1, n - 1):
                if m[v][dst]:
                    vc[v] = max(vc[v], vc[dst])
    return [int(c) for c in vc]


class Nb101Module(nn.Module):
    def __init__(self, m, ops, c_in, c_out):
        super().__init__()
        self.m, self.ops, self.n = m, ops, len(ops)
        self.vc = compute_vertex_channels(c_in, c_out, m)
        self.proj = {}
        self.vop = {}
        for t in range(1, self.n - 1):  # TF variable order: projection, then the op
            if m[0][t]:
                self.proj[t] = ConvBnRelu(c_in, self.vc[t], 1)
                self.add_module("projection%d" % t, self.proj[t])
            if ops[t] == "maxpool3x3":
                self.vop[t] = nn.MaxPool2d(3, stride=1, padding=1)
            else:
                k = 3 if ops[t] == "conv3x3-bn-relu" else 1
                self.vop[t] = ConvBnRelu(self.vc[t], self.vc[t], k)
            self.add_module("vertex%d" % t, self.vop[t])
        if m[0][self.n - 1]:
            self.proj[self.n - 1] = ConvBnRelu(c_in, c_out, 1)
            self.add_module("projection_output", self.proj[self.n - 1])

    def forward(self, x):
        n, m = self.n, self.m
        tensors = [x]
        concat = []
        for t in range(1, n - 1):
            add_in = [tensors[s][:, :self.vc[t]] for s in range(1, t) if m[s][t]]
            if m[0][t]:
                add_in.append(self.proj[t](x))
            total = add_in[0]
            for a in add_in[1:]:
                total = total + a
            tensors.append(self.vop[t](total))
            if m[t][n - 1]:
                concat.append(tensors[t])
        if not concat:
            return self.proj[n - 1](x)
        out = concat[0] if len(concat) == 1 else torch.cat(concat, 1)
        if m[0][n - 1]:
            out = out + self.proj[n - 1](x)
        return out


class Nb101Network(nn.Module):
    def __init__(self, matrix, ops, classes):
        super().__init__()
        m, ops = prune(matrix, ops)
        self.stem = ConvBnRelu(3, 128, 3)
        self.cells = nn.ModuleList()
        c = 128
        for stack in range(3):
            c_in = c
            if stack > 0:
                c *= 2
            for i in range(3):
                self.cells.append(Nb101Module(m, ops, c_in if i == 0 else c, c))
        self.classifier = nn.Linear(c, classes)
        tf_init(self)

    def forward(self, x):
        x = self.stem(x)
        for i, cell in enumerate(self.cells):
            if i in (3, 6):
                x = F.max_pool2d(x, 2, 2)
            x = cell(x)
        return self.classifier(x.mean((2, 3)))


def tf_init(net):
    # tf.variance_scaling_initializer(): truncated normal (2 std), std = sqrt(1/fan_in)/.8796..
    # glorot uniform dense kernel, zero bias. Written as torch.nn.init.trunc_normal_ does it.
    def cdf(v):
        return (1.0 + math.erf(v / math.sqrt(2.0))) / 2.0
    lo, hi = cdf(-2.0), cdf(2.0)
    with torch.no_grad():
        for mod in net.modules():
            if isinstance(mod, nn.Conv2d):
                w = mod.weight
                fan_in = w.shape[1] * w.shape[2] * w.shape[3]
                std = math.sqrt(1.0 / fan_in) / 0.87962566103423978
                w.uniform_(2 * lo - 1, 2 * hi - 1)
                w.erfinv_()
                w.mul_(std * math.sqrt(2.0))
                w.clamp_(-2.0 * std, 2.0 * std)
            elif isinstance(mod, nn.Linear):
                limit = math.sqrt(6.0 / (mod.weight.shape[0] + mod.weight.shape[1]))
                mod.weight.uniform_(-limit, limit)
                mod.bias.zero_()


def parse_nb101(arch):
    bits, ops = arch.split("|")
    ops = ops.split(",")
    n = len(ops)
    return [[int(bits[i * n + j]) for j in range(n)] for i in range(n)], ops


# ---------------------------------------------------------------- NATS-Bench SSS (xautodl)
def relu_conv_bn(c_in, c_out, k, stride, pad):
    return nn.Sequential(nn.ReLU(inplace=False),
                         nn.Conv2d(c_in, c_out, k, stride=stride, padding=pad, bias=False),
                         nn.BatchNorm2d(c_out))


class FactorizedReduceStride1(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 1, stride=1, padding=0, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return self.bn(self.conv(x))


SSS_GENOTYPE = [[("nor_conv_3x3", 0)], [("nor_conv_3x3", 0), ("nor_conv_3x3", 1)],
                [("skip_connect", 0), ("nor_conv_3x3", 1), ("nor_conv_3x3", 2)]]


class InferCell(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.layers = nn.ModuleList()
        self.nodes = []
        for node in SSS_GENOTYPE:
            idx = []
            for op, src in node:
                cin = c_in if src == 0 else c_out
                if op == "nor_conv_3x3":
                    layer = relu_conv_bn(cin, c_out, 3, 1, 1)
                else:
                    layer = nn.Identity() if cin == c_out else FactorizedReduceStride1(cin, c_out)
                idx.append((len(self.layers), src))
                self.layers.append(layer)
            self.nodes.append(idx)

    def forward(self, x):
        nodes = [x]
        for idx in self.nodes:
            total = None
            for layer, src in idx:
                out = self.layers[layer](nodes[src])
                total = out if total is None else total + out
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
        block = self.conv_b(self.conv_a(x))
        return self.downsample(x) + block


class DynamicShapeTinyNet(nn.Module):
    def __init__(self, channels, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, channels[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(channels[0]))
        self.cells = nn.ModuleList()
        c_prev = channels[0]
        for c, reduction in zip(channels, [False, True, False, True, False]):
            self.cells.append(ResNetBasicblock(c_prev, c) if reduction else InferCell(c_prev, c))
            c_prev = c
        self.lastact = nn.Sequential(nn.BatchNorm2d(c_prev), nn.ReLU(inplace=False))
        self.classifier = nn.Linear(c_prev, classes)

    def forward(self, x):
        x = self.stem(x)
        for cell in self.cells:
            x = cell(x)
        x = self.lastact(x)
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


NB101_ARCHS = [
    # 3 vertices feed the output (86/85/85 channels in 256-channel modules): truncation, a
    # max-pool vertex and the input -> output projection.
    "0110100011000010000100000|input,conv3x3-bn-relu,maxpool3x3,conv1x1-bn-relu,output",
    # the README's Inception-like module
    "0111010000000100000010000100000000100000010000000|input,conv1x1-bn-relu,conv3x3-bn-relu,"
    "conv3x3-bn-relu,conv3x3-bn-relu,maxpool3x3,output",
]
SSS_ARCHS = ["8:8:40:32:40", "64:16:24:8:56"]


def score_all(build, x, y):
    print("  params %d" % sum(p.numel() for p in build().parameters()))
    print("  grad_norm %.17g" % ref.grad_norm(build(), x, y))
    print("  synflow %.17g" % ref.synflow(build(), x))
    print("  naswot %.17g" % ref.naswot(build(), x))
    print("  jacob_cov %.17g" % ref.jacob_cov(build(), x))


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.randn(8, 3, 16, 16)
    y = torch.randint(0, 10, (8,))
    for arch in NB101_ARCHS:
        def build_nb101():
            torch.manual_seed(1)
            return Nb101Network(*parse_nb101(arch), 10)
        print("nb101", arch)
        score_all(build_nb101, x, y)
    for arch in SSS_ARCHS:
        def build_sss():
            torch.manual_seed(1)
            return DynamicShapeTinyNet([int(c) for c in arch.split(":")], 10)
        print("nats_sss", arch)
        score_all(build_sss, x, y)
