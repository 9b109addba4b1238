"""The 10-D sets behind bench/README.md "The default fit's cost, mixture first": two moons pairs, a noisy
ring pair and four independent Gaussian columns (structure in three 2-D blocks, Gaussian
elsewhere), N training rows and 20,000 test rows from the same generator, written with 17
significant digits. The test rows do not depend on N.

    /usr/bin/python3 bench/big_default_sets.py 100000   # writes /tmp/big10/big10_100000.csv, big10_test.csv
"""
import os, sys

import numpy as np
from sklearn.datasets import make_moons

def sample(n, seed):
    rng = np.random.default_rng(seed)
    m1, _ = make_moons(n, noise=0.05, random_state=seed)
    m2, _ = make_moons(n, noise=0.1, random_state=seed + 1)
    t = rng.uniform(0, 2 * np.pi, size=n)
    ring = np.column_stack([np.cos(t), np.sin(t)]) * 2.0 + 0.1 * rng.normal(size=(n, 2))
    gauss = rng.normal(size=(n, 4)) * np.array([1.0, 0.5, 2.0, 3.0])
    return np.column_stack([m1, ring, m2 @ np.array([[0.6, -0.8], [0.8, 0.6]]), gauss])

n = int(sys.argv[1])
folder = sys.argv[2] if len(sys.argv) > 2 else "/tmp/big10"
os.makedirs(folder, exist_ok=True)
np.savetxt(f"{folder}/big10_{n}.csv", sample(n, n), fmt="%.17g", delimiter=",")
test = f"{folder}/big10_test.csv"
if not os.path.exists(test):
    np.savetxt(test, sample(20000, 7), fmt="%.17g", delimiter=",")
