"""The small sets behind bench/README.md "The mixture layer by default" (the K cap): a Gaussian
mixture of K random components in D dimensions (gmm<D>k<K>) or a noisy 3-D helix, N training rows
and 20,000 test rows, printing the test rows' mean true log p (nan for the helix).

    /usr/bin/python3 bench/mixture_cap_sets.py gmm8k5 900    # writes /tmp/mixdef/gmm8k5_900_{train,test}.csv
"""
import os, sys

import numpy as np
from scipy.stats import multivariate_normal
from scipy.special import logsumexp

def gmm(rng, n, d, k):
    prng = np.random.default_rng(100 + d * 10 + k)
    means = 2.0 * prng.normal(size=(k, d))
    covs = []
    for _ in range(k):
        a = prng.normal(size=(d, d)) / np.sqrt(d)
        covs.append(a @ a.T * 0.5 + 0.1 * np.eye(d))
    comp = rng.integers(0, k, size=n)
    x = np.empty((n, d))
    for c in range(k):
        idx = comp == c
        x[idx] = rng.multivariate_normal(means[c], covs[c], size=idx.sum())
    def logp(y):
        return logsumexp([multivariate_normal(means[c], covs[c]).logpdf(y) for c in range(k)], axis=0) - np.log(k)
    return x, logp

def helix(rng, n, d=3, k=None):
    # a noisy helix in 3-D: t uniform, (cos t, sin t, t/3) + 0.1 N(0, I); no closed form: logp None
    t = rng.uniform(0, 4 * np.pi, size=n)
    x = np.column_stack([np.cos(t), np.sin(t), t / 3]) + 0.1 * rng.normal(size=(n, 3))
    return x, None

name, n = sys.argv[1], int(sys.argv[2])
os.makedirs("/tmp/mixdef", exist_ok=True)
rng = np.random.default_rng(n)
test_rng = np.random.default_rng(999)
if name.startswith("gmm"):
    d, k = map(int, name[3:].split("k"))
    x, logp = gmm(rng, n, d, k)
    t, _ = gmm(test_rng, 20000, d, k)
else:
    x, logp = helix(rng, n)
    t, _ = helix(test_rng, 20000)
np.savetxt(f"/tmp/mixdef/{name}_{n}_train.csv", x, fmt="%.17g", delimiter=",")
np.savetxt(f"/tmp/mixdef/{name}_{n}_test.csv", t, fmt="%.17g", delimiter=",")
if logp is not None:
    print(np.mean(logp(t)))
else:
    print("nan")
