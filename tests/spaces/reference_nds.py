"""Independent reference values for the NdsReference test in tests/spaces/nds_test.cpp.

A transcription of pycls's NAS networks (pycls/models/nas/{nas,operations}.py: NetworkCIFAR,
Cell, OPS, FactorizedReduce, Zero) and AnyNet (pycls/models/anynet.py with ResStemCifar,
BottleneckTransform, ResBottleneckBlock and pycls/core/net.py init_weights), in the CIFAR
setting, built with the same seed and module order as the C++ spaces, then scored with the
proxies of tests/proxies/reference_proxies.py. Equal numbers mean equal weights, structure
and forward pass.

Run: /usr/bin/python3 tests/spaces/reference_nds.py   (needs python3-torch, python3-numpy)
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "proxies"))
import reference_proxies as ref  # noqa: E402


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        if self.stride == 1:
            return x.mul(0.0)
        return x[:, :, ::self.stride, ::self.stride].mul(0.0)


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        self.conv_1 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.conv_2 = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        self.pad = nn.ConstantPad2d((0, 1, 0, 1), 0)

    def forward(self, x):
        x = self.relu(x)
        y = self.pad(x)
        return self.bn(torch.cat([self.conv_1(x), self.conv_2(y[:, :, 1:, 1:])], dim=1))


def relu_conv_bn(c_in, c_out, k, stride, pad):
    return nn.Sequential(nn.ReLU(inplace=False),
                         nn.Conv2d(c_in, c_out, k, stride=stride, padding=pad, bias=False),
                         nn.BatchNorm2d(c_out))


def sep_conv(c, k, stride, pad, dilation=1):
    return nn.Sequential(
        nn.ReLU(inplace=False),
        nn.Conv2d(c, c, k, stride=stride, padding=pad, dilation=dilation, groups=c, bias=False),
        nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=False),
        nn.Conv2d(c, c, k, stride=1, padding=pad, dilation=dilation, groups=c, bias=False),
        nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))


def dil_conv(c, k, stride, pad):
    return nn.Sequential(
        nn.ReLU(inplace=False),
        nn.Conv2d(c, c, k, stride=stride, padding=pad, dilation=2, groups=c, bias=False),
        nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))


def factorized_conv(c, k, stride):
    return nn.Sequential(
        nn.ReLU(inplace=False),
        nn.Conv2d(c, c, (1, k), stride=(1, stride), padding=(0, k // 2), bias=False),
        nn.Conv2d(c, c, (k, 1), stride=(stride, 1), padding=(k // 2, 0), bias=False),
        nn.BatchNorm2d(c))


def make_op(name, c, stride):
    if name == "none":
        return Zero(stride)
    if name.startswith("avg_pool"):
        k = int(name[-1])
        return nn.AvgPool2d(k, stride=stride, padding=0 if k == 2 else k // 2,
                            count_include_pad=False)
    if name.startswith("max_pool"):
        k = int(name[-1])
        return nn.MaxPool2d(k, stride=stride, padding=0 if k == 2 else k // 2)
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c)
    if name in ("conv_1x1", "conv_3x3"):
        k = int(name[-1])
        return relu_conv_bn(c, c, k, stride, k // 2)
    if name.startswith("sep_conv"):
        k = int(name[-1])
        return sep_conv(c, k, stride, k // 2)
    if name == "dil_sep_conv_3x3":
        return sep_conv(c, 3, stride, 2, 2)
    if name.startswith("dil_conv"):
        k = int(name[-1])
        return dil_conv(c, k, stride, 2 * (k // 2))
    if name in ("conv_3x1_1x3", "conv_7x1_1x7"):
        return factorized_conv(c, int(name[5]), stride)
    raise ValueError(name)


class Cell(nn.Module):
    def __init__(self, genotype, c_pp, c_p, c, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = (FactorizedReduce(c_pp, c) if reduction_prev
                            else relu_conv_bn(c_pp, c, 1, 1, 0))
        self.preprocess1 = relu_conv_bn(c_p, c, 1, 1, 0)
        kind = "reduce" if reduction else "normal"
        self.edges = genotype[kind]
        self.concat = genotype[kind + "_concat"]
        self.ops = nn.ModuleList(
            [make_op(op, c, 2 if reduction and index < 2 else 1) for op, index in self.edges])

    def forward(self, s0, s1):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for i in range(len(self.edges) // 2):
            a = self.ops[2 * i](states[self.edges[2 * i][1]])
            b = self.ops[2 * i + 1](states[self.edges[2 * i + 1][1]])
            states.append(a + b)
        return torch.cat([states[i] for i in self.concat], dim=1)


class NetworkCIFAR(nn.Module):
    def __init__(self, net, classes):
        super().__init__()
        c, layers = net["width"], net["depth"]
        self.stem = nn.Sequential(nn.Conv2d(3, 3 * c, 3, padding=1, bias=False),
                                  nn.BatchNorm2d(3 * c))
        c_pp, c_p, c_cur = 3 * c, 3 * c, c
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_cur *= 2
            cell = Cell(net["genotype"], c_pp, c_p, c_cur, reduction, reduction_prev)
            reduction_prev = reduction
            self.cells.append(cell)
            c_pp, c_p = c_p, len(cell.concat) * c_cur
        self.pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_p, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(self.pooling(s1).flatten(1))


class ConvBn(nn.Sequential):
    def __init__(self, c_in, c_out, k, stride, groups=1, relu=True):
        layers = [nn.Conv2d(c_in, c_out, k, stride=stride, padding=k // 2, groups=groups,
                            bias=False), nn.BatchNorm2d(c_out)]
        if relu:
            layers.append(nn.ReLU(inplace=False))
        super().__init__(*layers)


class Bottleneck(nn.Module):
    def __init__(self, w_in, w_out, stride, bm, groups):
        super().__init__()
        self.proj = (ConvBn(w_in, w_out, 1, stride, relu=False)
                     if w_in != w_out or stride != 1 else None)
        w_b = int(round(w_out * bm))
        self.f = nn.Sequential(ConvBn(w_in, w_b, 1, 1), ConvBn(w_b, w_b, 3, stride, groups),
                               ConvBn(w_b, w_out, 1, 1, relu=False))
        self.relu = nn.ReLU(inplace=False)

    def forward(self, x):
        shortcut = self.proj(x) if self.proj is not None else x
        return self.relu(shortcut + self.f(x))


def init_weights(m):  # pycls/core/net.py
    if isinstance(m, nn.Conv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
        m.weight.data.normal_(mean=0.0, std=math.sqrt(2.0 / fan_out))
    elif isinstance(m, nn.BatchNorm2d):
        m.weight.data.fill_(1.0)
        m.bias.data.zero_()
    elif isinstance(m, nn.Linear):
        m.weight.data.normal_(mean=0.0, std=0.01)
        m.bias.data.zero_()


class AnyNetCIFAR(nn.Module):
    def __init__(self, net, classes):
        super().__init__()
        ds, ws, ss = net["ds"], net["ws"], net["ss"]
        self.stem = ConvBn(3, ws[0], 3, 1)
        blocks = []
        prev = ws[0]
        for i in range(1, len(ds)):
            for b in range(ds[i]):
                blocks.append(Bottleneck(prev if b == 0 else ws[i], ws[i], ss[i] if b == 0 else 1,
                                         net["bot_muls"][i], net["num_gs"][i]))
            prev = ws[i]
        self.blocks = nn.Sequential(*blocks)
        self.avg_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(prev, classes)
        self.apply(init_weights)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(self.avg_pool(x).flatten(1))


# The same strings as kSmallDarts / kSmallResNeXt in nds_test.cpp.
DARTS = ('{"aux":false,"depth":5,"drop_prob":0.0,"genotype":{"normal":[["sep_conv_3x3",0],'
         '["none",1],["dil_conv_3x3",2],["skip_connect",0],["none",0],["none",2],'
         '["max_pool_3x3",1],["avg_pool_3x3",2]],"normal_concat":[3,5],'
         '"reduce":[["conv_7x1_1x7",0],["skip_connect",1],["none",2],["sep_conv_5x5",1],'
         '["dil_sep_conv_3x3",0],["max_pool_5x5",3],["none",0],["none",4]],'
         '"reduce_concat":[2,3,4,5]},"width":8}')
RESNEXT = ('{"block_type":"res_bottleneck_block","bot_muls":[1.0,0.5,0.25],"ds":[1,2,1],'
           '"num_gs":[1,2,2],"ss":[8,1,2],"ws":[16,16,32]}')

if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.randn(8, 3, 32, 32)
    y = torch.randint(0, 10, (8,))
    for name, ctor, arch in (("darts", NetworkCIFAR, DARTS), ("resnext", AnyNetCIFAR, RESNEXT)):
        def build():
            torch.manual_seed(1)
            return ctor(json.loads(arch), 10)
        print(name, "params", sum(p.numel() for p in build().parameters()))
        print("  grad_norm %.17g" % ref.grad_norm(build(), x, y))
        print("  synflow %.17g" % ref.synflow(build(), x))
        print("  naswot %.17g" % ref.naswot(build(), x))
        print("  jacob_cov %.17g" % ref.jacob_cov(build(), x))
