#!/usr/bin/python3
"""Independent reference values for tests/results/statistics_test.cpp.

Run with Debian's python3-scipy (scipy 1.10.1, numpy 1.24.2):
    apt-get install -y python3-scipy && /usr/bin/python3 statistics_reference.py

It re-implements, from their published definitions, the bootstrap resampling of
zcb::bootstrap() (splitmix64 -> xoshiro256**, unbiased rejection draw) and computes the
correlations with scipy.stats, the quantiles with numpy (type 7 = "linear") and the BCa levels
with scipy.stats.norm, so the C++ code is checked against code it shares nothing with.
"""
import warnings

import numpy as np
from scipy import stats

M64 = (1 << 64) - 1


def splitmix64_stream(seed):
    while True:
        seed = (seed + 0x9E3779B97F4A7C15) & M64
        z = seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Xoshiro256:
    def __init__(self, state):
        self.s = list(state)

    @classmethod
    def seeded(cls, seed):
        stream = splitmix64_stream(seed)
        return cls([next(stream) for _ in range(4)])

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, bound):
        threshold = (1 << 64) % bound
        while True:
            r = self.next()
            if r >= threshold:
                return r % bound


# Published test vectors: splitmix64 from 0, and xoshiro256** from state {1, 2, 3, 4}.
assert next(splitmix64_stream(0)) == 0xE220A8397B1DCDAF
x = Xoshiro256([1, 2, 3, 4])
assert [x.next() for _ in range(4)] == [11520, 0, 1509978240, 1215971899390074240]


def resample_indices(seed, n, samples):
    rng = Xoshiro256.seeded(seed)
    return [[rng.below(n) for _ in range(n)] for _ in range(samples)]


def spearman(a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return stats.spearmanr(a, b).statistic


def bootstrap(statistic, x, y, seed, samples, confidence, method):
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    estimate = statistic(x, y)
    values = []
    n_nan = 0
    for idx in resample_indices(seed, n, samples):
        v = statistic(x[idx], y[idx])
        if np.isnan(v):
            n_nan += 1
        else:
            values.append(v)
    values = np.sort(values)
    alpha = (1 - confidence) / 2
    if method == "percentile":
        levels = [alpha, 1 - alpha]
    else:
        share = (np.sum(values < estimate) + 0.5 * np.sum(values == estimate)) / len(values)
        z0 = stats.norm.ppf(share)
        jack = [statistic(np.delete(x, i), np.delete(y, i)) for i in range(n)]
        jack = np.array([v for v in jack if not np.isnan(v)])
        d = jack.mean() - jack
        a = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
        levels = []
        for level in (alpha, 1 - alpha):
            z = z0 + stats.norm.ppf(level)
            levels.append(stats.norm.cdf(z0 + z / (1 - a * z)))
    lo, hi = np.quantile(values, levels, method="linear")
    return estimate, lo, hi, n_nan


print("first resample, seed 42, n 10:", resample_indices(42, 10, 1)[0])
print("second resample, seed 42, n 10:", resample_indices(42, 10, 2)[1])

X = [0.5, -1.0, 2.0, 2.0, 7.5, 0.5, 3.0, -1.0, 4.0, 6.0, 1.0, 2.5]
Y = [1.0, 2.0, 3.0, 4.0, 8.0, 1.0, 5.0, 0.0, 4.0, 9.0, 3.0, 2.0]
for method in ("percentile", "bca"):
    r = bootstrap(spearman, X, Y, seed=7, samples=200, confidence=0.9, method=method)
    print(method, ", ".join(repr(float(v)) for v in r))

# Resamples of a mostly constant x are often constant too: NaN Spearman, counted and left out.
X2 = [1.0, 1.0, 1.0, 1.0, 2.0, 3.0]
Y2 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
for method in ("percentile", "bca"):
    r = bootstrap(spearman, X2, Y2, seed=3, samples=300, confidence=0.8, method=method)
    print("with NaN", method, ", ".join(repr(float(v)) for v in r))

# BCa with ties at the estimate (a discrete statistic: the maximum of x is hit by ~63% of the
# resamples; they count half) and with a NaN jackknife value (leaving out the single 2 makes x
# constant; that value is skipped).
X3 = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
r = bootstrap(lambda a, b: float(np.max(a)), X3, X3, seed=1, samples=100, confidence=0.9,
              method="bca")
print("max bca", ", ".join(repr(float(v)) for v in r))
X4 = [1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0]
Y4 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
r = bootstrap(spearman, X4, Y4, seed=2, samples=200, confidence=0.9, method="bca")
print("jackknife NaN bca", ", ".join(repr(float(v)) for v in r))

# Paired bootstrap of a difference (paired_difference): two proxies' scores A and B against the
# same truth T; each resample draws the same indices for both. Bootstrapping the statistic of
# the index vector reproduces that: its resamples and jackknife samples are index sets.
A = [0.5, -1.0, 2.0, 2.0, 7.5, 0.5, 3.0, -1.0, 4.0, 6.0, 1.0, 2.5]
B = [2.0, 1.0, 1.0, 5.0, 6.0, 0.0, 2.0, 3.0, 3.0, 9.0, 2.0, 1.0]
T = [1.0, 2.0, 3.0, 4.0, 8.0, 1.0, 5.0, 0.0, 4.0, 9.0, 3.0, 2.0]
A, B, T = (np.asarray(v, float) for v in (A, B, T))


def difference(ix, _):
    ix = ix.astype(int)
    return spearman(A[ix], T[ix]) - spearman(B[ix], T[ix])


index = np.arange(len(T), dtype=float)
for method in ("percentile", "bca"):
    r = bootstrap(difference, index, index, seed=7, samples=200, confidence=0.9, method=method)
    print("paired", method, ", ".join(repr(float(v)) for v in r))
d = np.array([difference(np.asarray(idx, float), None)
              for idx in resample_indices(7, len(T), 200)])
d = d[~np.isnan(d)]
print("paired share a better", repr(float((np.sum(d > 0) + 0.5 * np.sum(d == 0)) / len(d))))
