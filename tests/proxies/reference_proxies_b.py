"""Independent reference values for tests/proxies/proxies_b_test.cpp (zico, zico_paper,
tenas_ntk, swap, meco, az_*).

Each function transcribes its proxy's reference code (named in the proxy's header comment) and
runs it on the three-block toy network the C++ test builds, with the same seeds and module
order, using Debian's python3-torch (the same libtorch .so as the C++ build).

Run: /usr/bin/python3 tests/proxies/reference_proxies_b.py   (needs python3-torch, numpy)
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Toy(nn.Module):
    """conv-bn-relu x 3 (the last with stride 2), global pool, linear; each block is a cell."""

    def __init__(self):
        super().__init__()
        self.cell1 = nn.Sequential(nn.Conv2d(3, 4, 3, 1, 1, bias=False), nn.BatchNorm2d(4), nn.ReLU())
        self.cell2 = nn.Sequential(nn.Conv2d(4, 4, 3, 1, 1, bias=False), nn.BatchNorm2d(4), nn.ReLU())
        self.cell3 = nn.Sequential(nn.Conv2d(4, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.fc = nn.Linear(8, 3)

    def cells(self, x):
        features = []
        for cell in (self.cell1, self.cell2, self.cell3):
            x = cell(x)
            features.append(x)
        return features

    def forward(self, x):
        x = self.cells(x)[-1]
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def build():
    torch.manual_seed(1)
    return Toy()


def batch():
    torch.manual_seed(0)
    x = torch.randn(8, 3, 8, 8)
    y = torch.randint(0, 3, (8,))
    return x, y


# ---- ZiCo: SLDGroup/ZiCo ZeroShotProxy/compute_zico.py, one batch split in two halves ----
def zico(net, x, y, paper=False):
    grads = {}
    net.train()
    n = x.shape[0]
    for sp in range(2):
        if paper and sp == 1:
            net.zero_grad()
        out = net(x[sp * n // 2:(sp + 1) * n // 2])
        F.cross_entropy(out, y[sp * n // 2:(sp + 1) * n // 2]).backward()
        for name, mod in net.named_modules():
            if isinstance(mod, (nn.Conv2d, nn.Linear)):
                grads.setdefault(name, []).append(mod.weight.grad.data.reshape(-1).numpy().copy())
    total = 0.0
    for name, g in grads.items():
        g = np.array(g)
        std = np.std(np.abs(g) if paper else g, axis=0)
        nz = np.nonzero(std)[0]
        mean_abs = np.mean(np.abs(g), axis=0)
        s = np.sum(mean_abs[nz] / std[nz])
        if s != 0:
            total += np.log(s)
    return float(total)


# ---- TE-NAS NTK: VITA-Group/TENAS lib/procedures/ntk.py get_ntk_n, train mode ----
def tenas_ntk(net, x):
    net.train()
    net.zero_grad()
    logit = net(x.clone())
    grads = []
    for i in range(len(x)):
        logit[i:i + 1].backward(torch.ones_like(logit[i:i + 1]), retain_graph=True)
        g = [W.grad.view(-1).detach().clone() for name, W in net.named_parameters()
             if 'weight' in name and W.grad is not None]
        grads.append(torch.cat(g, -1))
        net.zero_grad()
    grads = torch.stack(grads, 0)
    ntk = torch.einsum('nc,mc->nm', [grads, grads])
    eigenvalues, _ = torch.symeig(ntk)
    return (eigenvalues[-1] / eigenvalues[0]).item()


# ---- SWAP: pym1024/SWAP src/metrics/swap.py + correlation.py (32 gaussian re-inits) ----
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


def swap(net, x, repeats=32):
    feats = []
    def hook(module, inp, out):
        if len(inp[0].size()) == 4:
            feats.append(out.detach())
    for m in net.modules():
        if isinstance(m, nn.ReLU):
            m.register_forward_hook(hook)
    scores = []
    for _ in range(repeats):
        gaussian_init(net)
        feats.clear()
        with torch.no_grad():
            net(x)
        a = torch.sign(torch.cat([f.view(x.size(0), -1) for f in feats], 1)).T
        scores.append(torch.unique(a, dim=0).size(0))
    return float(np.mean(scores))


# ---- MeCo: HamsterMimi/MeCo correlation/NAS_Bench_201.py get_score ----
def meco(net, x):
    results = []
    def hook(module, inp, out):
        fea = out[0].clone().detach()
        n = fea.shape[0]
        fea = fea.reshape(n, -1)
        corr = torch.corrcoef(fea)
        corr[torch.isnan(corr)] = 0
        corr[torch.isinf(corr)] = 0
        results.append(torch.min(torch.real(torch.linalg.eig(corr)[0])))
    # The reference hooks every module; the C++ taps see conv/linear, ReLU and cell outputs, so
    # batch norms (and the whole net, whose logits add 0) are left out here too.
    for name, m in net.named_modules():
        if isinstance(m, (nn.Conv2d, nn.Linear, nn.ReLU, nn.Sequential)):
            m.register_forward_hook(hook)
    with torch.no_grad():
        net(x)
    r = torch.tensor(results)
    r = r[torch.logical_not(torch.isnan(r))]
    r = r[torch.logical_not(torch.isinf(r))]
    return torch.sum(r).item()


# ---- AZ-NAS: cvlab-yonsei/AZ-NAS NB201/ZeroShotProxy/compute_az_nas_score.py ----
def kaiming_fanin(m):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


def az_nas(net, resolution=8, batch_size=64):
    net.train()
    net.apply(kaiming_fanin)
    # tss_general.ipynb scores az_nas on random inputs (trainloader=None).
    x = torch.randn(size=[batch_size, 3, resolution, resolution])
    feats = net.cells(x)
    for f in feats:
        f.retain_grad()
    ent = []
    for f in feats:
        feat = f.detach().clone()
        b, c, h, w = feat.size()
        feat = feat.permute(0, 2, 3, 1).contiguous().view(b * h * w, c)
        feat = feat - feat.mean(dim=0, keepdim=True)
        sigma = torch.mm(feat.transpose(1, 0), feat) / feat.size(0)
        s = torch.linalg.eigvalsh(sigma)
        p = s / s.sum()
        ent.append(((-p) * torch.log(p + 1e-8)).sum().item())
    ent = np.array(ent)
    # zcbench starts every reader of its shared AZ-NAS pass from the proxy seed (0 in the
    # tests) before the trainability probes; the reference goes on with the stream.
    torch.manual_seed(0)
    scores = []
    for i in reversed(range(1, len(feats))):
        f_out, f_in = feats[i], feats[i - 1]
        g_out = (torch.bernoulli(torch.ones_like(f_out) * 0.5) - 0.5) * 2
        g_in = torch.autograd.grad(outputs=f_out, inputs=f_in, grad_outputs=g_out,
                                   retain_graph=False)[0]
        if g_out.size() == g_in.size() and torch.all(g_in == g_out):
            scores.append(-np.inf)
            continue
        if g_out.size(2) != g_in.size(2) or g_out.size(3) != g_in.size(3):
            g_in = nn.PixelUnshuffle(int(g_in.size(2) / g_out.size(2)))(g_in)
        bo, co, ho, wo = g_out.size()
        bi, ci, hi, wi = g_in.size()
        g_out = g_out.permute(0, 2, 3, 1).contiguous().view(bo * ho * wo, co)
        g_in = g_in.permute(0, 2, 3, 1).contiguous().view(bi * hi * wi, ci)
        mat = torch.mm(g_in.transpose(1, 0), g_out) / (bo * ho * wo)
        if mat.size(0) < mat.size(1):
            mat = mat.transpose(0, 1)
        s = torch.linalg.svdvals(mat)
        scores.append(-s.max().item() - 1 / (s.max().item() + 1e-6) + 2)
    return {"expressivity": float(np.sum(ent)),
            "progressivity": float(np.min(ent[1:] - ent[:-1])),
            "trainability": float(np.mean(scores))}


# ---- GradSign: cmu-catalyst/GradSign zero-cost-nas-code/.../measures/grad_conflict.py ----
def gradsign(net, x, y):
    batch_grad = []
    for i in range(x.shape[0]):
        net.zero_grad()
        F.cross_entropy(net.forward(x[[i]]), y[[i]]).backward()
        flat = [l.weight.grad.data.numpy().flatten() if l.weight.grad is not None
                else torch.zeros_like(l.weight).numpy().flatten()
                for l in net.modules() if isinstance(l, (nn.Conv2d, nn.Linear))]
        batch_grad.append(np.concatenate(flat))
    code = abs(np.sign(np.stack(batch_grad)).sum(axis=0))
    return float(np.nansum(code))


if __name__ == "__main__":
    torch.set_num_threads(1)
    x, y = batch()
    print("zico %.17g" % zico(build(), x, y))
    print("zico_paper %.17g" % zico(build(), x, y, paper=True))
    print("tenas_ntk %.17g" % tenas_ntk(build(), x))
    print("swap %.17g" % swap(build(), x))
    print("meco %.17g" % meco(build(), x))
    print("gradsign %.17g" % gradsign(build(), x, y))
    for key, value in az_nas(build()).items():
        print("az_%s %.17g" % (key, value))
