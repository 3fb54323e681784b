"""Independent reference for tests/spaces/transnas_test.cpp (TransNAS-Bench-101 spaces).

A transcription, written from the paper's description and the official model code
(yawen-d/TransNASBench lib/models: net_infer/net_macro.py MacroNet(structure='backbone'),
net_infer/cell_micro.py MicroCell/ResNetBasicblock, net_ops/cell_ops.py, task_models/decoder.py
FFDecoder/SiameseDecoder/SegmentationDecoder/GenerativeDecoder, task_models/siamese.py), built
with the same seed and module order as the C++ spaces. It prints
  1. parameter and FLOP counts per task for fixed archs (FLOPs = multiply-accumulates of every
     Conv2d, ConvTranspose2d and Linear, plus one per output element of each bias; batch 1;
     counted by forward hooks), and
  2. the train-mode output sum and absolute sum of four networks (seed 1) on a seed-0 randn
     batch of 2: equal numbers in C++ mean the same weights (init order), structure and forward.
Run: /usr/bin/python3 tests/spaces/reference_transnas.py [arch ...]   (needs python3-torch)
"""
import math
import sys

import torch
import torch.nn as nn


def relu_conv_bn(c_in, c_out, k, stride, pad):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, k, stride, pad, bias=False),
                         nn.BatchNorm2d(c_out))


class Zero(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.c_in, self.c_out, self.stride = c_in, c_out, stride

    def forward(self, x):
        if self.c_in == self.c_out:
            return x[:, :, ::self.stride, ::self.stride].mul(0.0)
        n, _, h, w = x.shape
        return x.new_zeros((n, self.c_out, (h + 1) // self.stride, (w + 1) // self.stride))


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.relu = nn.ReLU()
        self.convs = nn.ModuleList([nn.Conv2d(c_in, c_out // 2, 1, stride, 0, bias=False),
                                    nn.Conv2d(c_in, c_out - c_out // 2, 1, stride, 0, bias=False)])
        self.pad = nn.ConstantPad2d((0, 1, 0, 1), 0)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = self.relu(x)
        shifted = self.pad(x)[:, :, 1:, 1:]
        return self.bn(torch.cat([self.convs[0](x), self.convs[1](shifted)], 1))


def micro_op(code, c_in, c_out, stride):
    if code == 0:
        return Zero(c_in, c_out, stride)
    if code == 1:
        return nn.Identity() if stride == 1 and c_in == c_out else FactorizedReduce(c_in, c_out, stride)
    if code == 2:
        return relu_conv_bn(c_in, c_out, 1, stride, 0)
    return relu_conv_bn(c_in, c_out, 3, stride, 1)


class MicroCell(nn.Module):
    # ops = [a, b, c, d, e, f] of "a_bc_def": edges 0->1, 0->2, 1->2, 0->3, 1->3, 2->3
    def __init__(self, ops, c_in, c_out, stride):
        super().__init__()
        self.sources = [0, 0, 1, 0, 1, 2]
        self.targets = [1, 2, 2, 3, 3, 3]
        self.edges = nn.ModuleList([
            micro_op(op, c_in, c_out, stride) if src == 0 else micro_op(op, c_out, c_out, 1)
            for op, src in zip(ops, self.sources)])

    def forward(self, x):
        nodes = [x]
        for node in (1, 2, 3):
            parts = [self.edges[i](nodes[self.sources[i]]) for i in range(6) if self.targets[i] == node]
            nodes.append(torch.stack(parts).sum(0))
        return nodes[3]


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv_a = relu_conv_bn(c_in, c_out, 3, stride, 1)
        self.conv_b = relu_conv_bn(c_out, c_out, 3, 1, 1)
        self.down = None
        if stride != 1 or c_in != c_out:
            self.down = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, 0, bias=False),
                                      nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = self.conv_b(self.conv_a(x))
        return (x if self.down is None else self.down(x)) + y


class Backbone(nn.Module):
    def __init__(self, arch):
        super().__init__()
        base, macro, cell = arch.split('-')
        base = int(base)
        ops = None if cell == 'basic' else [int(ch) for ch in cell.replace('_', '')]
        self.stem = nn.Sequential(nn.Conv2d(3, base // 2, 3, 2, 1, bias=False),
                                  nn.BatchNorm2d(base // 2), relu_conv_bn(base // 2, base, 3, 2, 1))
        layers, c = [], base
        for code in map(int, macro):
            out = c * 2 if code % 2 == 0 else c
            stride = 2 if code > 2 else 1
            make = (lambda i, o, s: BasicBlock(i, o, s)) if ops is None else \
                (lambda i, o, s: MicroCell(ops, i, o, s))
            layers.append(nn.Sequential(make(c, out, stride), make(out, out, 1)))
            c = out
        self.layers = nn.Sequential(*layers)
        self.channels = c
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        return self.layers(self.stem(x))


def conv_layer(c_in, c_out, act=True, norm=True, up=False):
    conv = (nn.ConvTranspose2d(c_in, c_out, 3, 2, 1, output_padding=1) if up
            else nn.Conv2d(c_in, c_out, 3, 1, 1))
    mods = [conv] + ([nn.BatchNorm2d(c_out)] if norm else [])
    return nn.Sequential(*mods, nn.LeakyReLU(0.2) if act else nn.Identity())


def segmentation_decoder(c, side, out_side, classes):
    ups = int(math.log2(out_side / side))
    mods = [conv_layer(c, 1024)]
    t = 1024
    for _ in range(6 - ups):
        mods.append(conv_layer(t, t // 2)); t //= 2
    for _ in range(ups - 1):
        mods.append(conv_layer(t, t // 2, up=True)); t //= 2
    mods.append(conv_layer(t, t, up=True))
    mods.append(conv_layer(t, classes, act=False, norm=False))
    return nn.Sequential(*mods)


def generative_decoder(c, side, out_side, channels=3):
    ups = int(math.log2(out_side / side))
    plan = [(c, 1024, False), (1024, 1024, False), (1024, 512, ups == 6), (512, 512, False),
            (512, 256, ups >= 5), (256, 128, False), (128, 64, ups >= 4), (64, 64, False),
            (64, 32, ups >= 3), (32, 32, False), (32, 16, True), (16, 32, False), (32, 16, True)]
    mods = [conv_layer(i, o, up=u) for i, o, u in plan]
    mods.append(nn.Sequential(nn.Conv2d(16, channels, 3, 1, 1), nn.Tanh()))
    return nn.Sequential(*mods)


class TaskNet(nn.Module):
    def __init__(self, arch, task, classes, side):
        super().__init__()
        self.task = task
        self.encoder = Backbone(arch)
        c = self.encoder.channels
        feat = side // 4 // 2 ** sum(int(d) > 2 for d in arch.split('-')[1])
        if task == 'jigsaw':
            self.decoder = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(9 * c, classes))
        elif task == 'segmentsemantic':
            self.decoder = segmentation_decoder(c, feat, side, classes)
        elif task in ('normal', 'autoencoder'):
            self.decoder = generative_decoder(c, feat, side)
        else:
            self.decoder = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes))

    def forward(self, x):
        if self.task == 'jigsaw':  # (N, 27, h, w): tile k is channels 3k..3k+2
            x = torch.cat([self.encoder(t) for t in x.split(3, dim=1)], 1)
        else:
            x = self.encoder(x)
        return self.decoder(x)


TASKS = {'class_scene': (63, 256), 'class_object': (100, 256), 'room_layout': (9, 256),
         'jigsaw': (1000, 64), 'segmentsemantic': (17, 256), 'normal': (3, 256),
         'autoencoder': (3, 256)}


def count(arch, task):
    classes, side = TASKS[task]
    net = TaskNet(arch, task, classes, side)
    macs = [0]

    def hook(m, inp, out):
        bias = out.numel() if getattr(m, 'bias', None) is not None else 0
        if isinstance(m, nn.Conv2d):
            macs[0] += out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] + bias
        elif isinstance(m, nn.ConvTranspose2d):
            macs[0] += inp[0].numel() * m.out_channels * m.kernel_size[0] * m.kernel_size[1] + bias
        elif isinstance(m, nn.Linear):
            macs[0] += out.numel() * (m.in_features + 1)
    for m in net.modules():
        m.register_forward_hook(hook)
    net.eval()
    with torch.no_grad():
        net(torch.zeros(1, 27 if task == 'jigsaw' else 3, side, side))
    return sum(p.numel() for p in net.parameters()), macs[0]


def output_sums(arch, task, classes, side, seed=1):
    """Train-mode forward of a (seed-1) network on torch.manual_seed(0) randn input."""
    torch.manual_seed(0)
    x = torch.randn(2, 27 if task == 'jigsaw' else 3, side, side)
    torch.manual_seed(seed)
    net = TaskNet(arch, task, classes, side)
    out = net(x).double()
    return out.sum().item(), out.abs().sum().item()


if __name__ == '__main__':
    for arch in sys.argv[1:] or ['64-41414-1_00_210', '64-41414-1_00_223', '64-2311-basic']:
        for task in TASKS:
            print(arch, task, *count(arch, task))
    for arch, task, classes, side in [('64-41414-3_10_213', 'class_scene', 63, 64),
                                      ('64-41414-1_02_301', 'jigsaw', 1000, 32),
                                      ('64-1234-basic', 'segmentsemantic', 17, 64),
                                      ('64-4121-basic', 'normal', 3, 64)]:
        print('{"%s", "%s", %d, %d, %.17g, %.17g},' % ((arch, task, classes, side) +
                                                     output_sums(arch, task, classes, side)))
