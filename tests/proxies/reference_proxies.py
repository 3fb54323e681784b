"""Independent reference values for tests/proxies/proxies_test.cpp.

Re-implements each proxy the way its reference code does it (foresight's mask trick for snip,
`linearize` for synflow, numpy corrcoef + eig for jacob_cov, forward hooks on nn.ReLU for
NASWOT) on the toy network the C++ test builds, with the same seeds and module order, using
Debian's python3-torch (the same libtorch .so as the C++ build).

Run: /usr/bin/python3 tests/proxies/reference_proxies.py   (needs python3-torch, python3-numpy)
"""
import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Toy(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(4)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        x = self.relu2(self.bn2(self.conv2(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def layers(net):
    return [m for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def build():
    torch.manual_seed(1)
    return Toy()


def batch():
    torch.manual_seed(0)
    x = torch.randn(8, 3, 8, 8)
    y = torch.randint(0, 3, (8,))
    return x, y


def grad_norm(net, x, y):
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    return sum(l.weight.grad.norm().item() for l in layers(net))


def snip(net, x, y):
    # foresight snip.py: a ones mask multiplied into each weight; score from the mask's grad.
    masks = []
    for l in layers(net):
        l.weight_mask = nn.Parameter(torch.ones_like(l.weight))
        l.weight.requires_grad = False
        masks.append(l)
    def conv_fwd(self, x):
        return F.conv2d(x, self.weight * self.weight_mask, self.bias, self.stride,
                        self.padding, self.dilation, self.groups)
    def lin_fwd(self, x):
        return F.linear(x, self.weight * self.weight_mask, self.bias)
    for l in masks:
        l.forward = (conv_fwd if isinstance(l, nn.Conv2d) else lin_fwd).__get__(l)
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    # foresight: score = |d L / d mask| (= |dL/dW * W| at mask = 1)
    return sum(torch.abs(l.weight_mask.grad).sum().item() for l in masks)


def synflow(net, x):
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.forward = (lambda self, inp: inp).__get__(m)
    with torch.no_grad():
        for _, t in net.state_dict().items():
            t.abs_()
    net.zero_grad()
    net.double()
    out = net(torch.ones([1] + list(x.shape[1:])).double())
    torch.sum(out).backward()
    return sum(torch.abs(l.weight * l.weight.grad).sum().item() for l in layers(net))


def jacob_cov(net, x):
    net.zero_grad()
    x = x.clone().requires_grad_(True)
    y = net(x)
    y.backward(torch.ones_like(y))
    j = x.grad.detach().reshape(x.shape[0], -1).numpy()
    v, _ = np.linalg.eig(np.corrcoef(j))
    k = 1e-5
    return float(-np.sum(np.log(v + k) + 1.0 / (v + k)).real)


def naswot(net, x):
    n = x.shape[0]
    K = np.zeros((n, n))
    def hook(module, inp, out):
        c = (inp[0].view(n, -1) > 0).float()
        nonlocal K
        K = K + (c @ c.t()).numpy() + ((1.0 - c) @ (1.0 - c).t()).numpy()
    for m in net.modules():
        if 'ReLU' in str(type(m)):
            m.register_forward_hook(hook)
    with torch.no_grad():
        net(x)
    return float(np.linalg.slogdet(K)[1])


if __name__ == "__main__":
    torch.set_num_threads(1)
    x, y = batch()
    print("params", sum(p.numel() for p in build().parameters()))
    print("grad_norm %.17g" % grad_norm(build(), x, y))
    print("snip %.17g" % snip(build(), x, y))
    print("synflow %.17g" % synflow(build(), x))
    print("jacob_cov %.17g" % jacob_cov(build(), x))
    print("naswot %.17g" % naswot(build(), x))
