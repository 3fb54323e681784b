"""Independent reference values for tests/proxies/nbsz_proxies_test.cpp.

Transcribes the reference code of each NAS-Bench-Suite-Zero proxy (automl/NASLib zerocost
branch, naslib/predictors/.../measures/*.py, and idstcv/ZenNAS for the Zen-NAS pieces) the way
it is written there: foresight's replaced forward + identity backward hook for fisher, its
reshape_elements broadcast and sum_arr, autograd.grad for GraSP, numpy corrcoef for EPE-NAS,
forward_before_global_avg_pool for Zen. Runs on the toy network the C++ test builds (same
module order, same seeds) with Debian's python3-torch (the same libtorch .so as the C++ build).

Run: /usr/bin/python3 tests/proxies/reference_nbsz_proxies.py   (needs python3-torch, numpy)
"""
import types

import numpy as np
import torch
import torch.autograd as autograd
import torch.nn as nn
import torch.nn.functional as F


class Toy(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(4)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(4, classes)

    def forward_before_global_avg_pool(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        return self.relu2(self.bn2(self.conv2(x)))

    def forward(self, x):
        x = self.forward_before_global_avg_pool(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def layers(net):
    return [m for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def build(classes=3):
    torch.manual_seed(1)
    return Toy(classes)


def batch():
    torch.manual_seed(0)
    x = torch.randn(8, 3, 8, 8)
    y = torch.randint(0, 3, (8,))
    return x, y


def sum_arr(arr):  # predictive.py::find_measures
    total = 0.0
    for a in arr:
        total += torch.sum(a)
    return total.item()


def fisher(net, x, y):
    def conv_forward(self, inp):
        out = F.conv2d(inp, self.weight, self.bias, self.stride, self.padding, self.dilation,
                       self.groups)
        self.act = self.dummy(out)
        return self.act

    def linear_forward(self, inp):
        self.act = self.dummy(F.linear(inp, self.weight, self.bias))
        return self.act

    net.train()
    for layer in layers(net):
        layer.fisher = None
        layer.act = 0.
        layer.dummy = nn.Identity()
        fwd = conv_forward if isinstance(layer, nn.Conv2d) else linear_forward
        layer.forward = types.MethodType(fwd, layer)

        def hook_factory(layer):
            def hook(module, grad_input, grad_output):
                act = layer.act.detach()
                grad = grad_output[0].detach()
                if len(act.shape) > 2:
                    g_nk = torch.sum(act * grad, list(range(2, len(act.shape))))
                else:
                    g_nk = act * grad
                del_k = g_nk.pow(2).mean(0).mul(0.5)
                layer.fisher = del_k if layer.fisher is None else layer.fisher + del_k
                del layer.act
            return hook
        layer.dummy.register_backward_hook(hook_factory(layer))
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    per_channel = [torch.abs(l.fisher.detach()) for l in layers(net)]
    shapes = [l.weight.shape[1:] for l in layers(net)]
    # p_utils.reshape_elements: each channel's value fills a tensor of shape weight[1:]
    broadcast = [torch.stack([torch.Tensor(sh).fill_(v) for v in e], dim=0)
                 for e, sh in zip(per_channel, shapes)]
    return sum_arr(broadcast)


def plain(net, x, y):
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    return sum_arr([l.weight.grad * l.weight for l in layers(net)])


def l2_norm(net):
    return sum_arr([l.weight.norm() for l in layers(net)])


def grasp(net, x, y, T=1):
    weights = [l.weight for l in layers(net)]
    net.zero_grad()
    grad_w = list(autograd.grad(F.cross_entropy(net(x) / T, y), weights, allow_unused=True))
    grad_f = autograd.grad(F.cross_entropy(net(x) / T, y), weights, create_graph=True,
                           allow_unused=True)
    z = 0
    for gw, gf in zip(grad_w, grad_f):
        if gw is not None:
            z += (gw.data * gf).sum()
    z.backward()
    return sum_arr([-l.weight.data * l.weight.grad for l in layers(net)])


def epe_nas(net, x, y):
    net.zero_grad()
    x = x.clone().requires_grad_(True)
    out = net(x)
    out.backward(torch.ones_like(out))
    jacob = x.grad.detach().reshape(x.shape[0], -1).numpy()
    labels = [y.numpy()]
    n_classes = out.shape[-1]
    k = 1e-5
    per_class = {}
    for i, label in enumerate(labels[0]):
        if label in per_class:
            per_class[label] = np.vstack((per_class[label], jacob[i]))
        else:
            per_class[label] = jacob[i]
    scores = {}
    for c in per_class.keys():
        try:
            corrs = np.corrcoef(per_class[c])
            s = np.sum(np.log(abs(corrs) + k))
            if n_classes > 100:
                s /= len(corrs)
        except Exception:
            continue
        scores[c] = s
    score = 0
    if n_classes <= 100:
        for c in scores:
            score += np.absolute(scores[c])
    else:
        for c in scores:
            for cj in scores:
                score += np.absolute(scores[c] - scores[cj])
        score /= len(scores)
    return float(score)


def gaussian_init(net):
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.normal_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)


def zen_terms(net, shape, mixup_gamma=1e-2):
    net.train()
    with torch.no_grad():
        gaussian_init(net)
        inp = torch.randn(size=shape)
        inp2 = torch.randn(size=shape)
        mixup = inp + mixup_gamma * inp2
        out = net.forward_before_global_avg_pool(inp)
        mix_out = net.forward_before_global_avg_pool(mixup)
        score = torch.mean(torch.sum(torch.abs(out - mix_out), dim=[1, 2, 3]))
        log_bn = 0.0
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                log_bn += torch.log(torch.sqrt(torch.mean(m.running_var)))
        return float(torch.log(score)), float(log_bn)


def synflow_bn(net, x):
    net.train()
    with torch.no_grad():
        for _, t in net.double().state_dict().items():
            t.abs_()
    net.zero_grad()
    net.double()
    out = net(torch.ones([1] + list(x.shape[1:])).double())
    torch.sum(out).backward()
    return sum_arr([torch.abs(l.weight * l.weight.grad) for l in layers(net)])


def grad_norm_global(net, x, y):
    net.zero_grad()
    F.cross_entropy(net(x), y).backward()
    norm2_sum = 0
    for p in net.parameters():
        if p.grad is not None:
            norm2_sum += torch.norm(p.grad) ** 2
    return float(torch.sqrt(norm2_sum))


def naswot_gaussian(net, shape):
    # ZenNAS compute_NASWOT_score.py: Gaussian init, Gaussian input, hooks on the ReLU input
    # armed from the start, forward + backward of ones (get_batch_jacobian).
    gaussian_init(net)
    x = torch.randn(size=shape)
    n = shape[0]
    net.K = np.zeros((n, n))

    def hook(module, inp, out):
        if not module.visited_backwards:
            return
        c = (inp[0].view(n, -1) > 0).float()
        net.K = net.K + (c @ c.t()).numpy() + ((1. - c) @ (1. - c.t())).numpy()
    for m in net.modules():
        if isinstance(m, nn.ReLU):
            m.visited_backwards = True
            m.register_forward_hook(hook)
    net.zero_grad()
    x.requires_grad_(True)
    out = net(x)
    out.backward(torch.ones_like(out))
    return float(np.linalg.slogdet(net.K)[1])


if __name__ == "__main__":
    torch.set_num_threads(1)
    x, y = batch()
    print("fisher %.17g" % fisher(build(), x, y))
    print("plain %.17g" % plain(build(), x, y))
    print("l2_norm %.17g" % l2_norm(build()))
    print("grasp %.17g" % grasp(build(), x, y))
    print("epe_nas %.17g" % epe_nas(build(), x, y))
    # More than 100 logits: classes scaled by their size, singletons skipped, pairwise sum.
    many = torch.tensor([0, 0, 5, 5, 5, 110, 110, 7])
    print("epe_nas_120_classes %.17g" % epe_nas(build(120), x, many))
    log_diff, log_bn = zen_terms(build(), [64, 3, 8, 8])
    print("zen %.17g" % (log_diff + log_bn))
    print("zen_no_bn %.17g" % log_diff)
    print("synflow_bn %.17g" % synflow_bn(build(), x))
    print("grad_norm_global %.17g" % grad_norm_global(build(), x, y))
    print("naswot_gaussian %.17g" % naswot_gaussian(build(), [64, 3, 8, 8]))
