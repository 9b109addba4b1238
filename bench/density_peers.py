#!/usr/bin/python3
"""Peers for bench_density (issue 4): scikit-learn GaussianMixture and KernelDensity on the very
splits bench_density fitted, written by `bench_density --dump DIR`.

  /usr/bin/python3 bench/density_peers.py DIR [NAME ...]

GaussianMixture: full covariances, n_components chosen by BIC on the training split from
{1, 2, 3, 5, 8, 12, 20, 30} (capped at n_train / 10), 3 initialisations, seed 0.
KernelDensity: Gaussian kernel on the rows as given, bandwidth chosen by 3-fold cross-validated
log-likelihood on the training split (at most 5,000 rows used for the search, to bound its cost)
over 16 values log-spaced in [0.02, 2]·sqrt(mean column variance), then refitted on all training
rows. Prints one markdown row per model: mean held-out log-likelihood (nats per sample and per
dimension), the choice made, fit seconds and, where DIR has NAME_test_logp.csv, the KL gap.
"""
import os
import sys
import time

import numpy as np
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KernelDensity

NAMES = ["ring", "moons", "banana", "funnel", "checkerboard", "gmm8", "gmm16", "faithful", "wine",
         "breast_cancer", "digits"]


def load(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def gmm(train):
    best = None
    for k in [1, 2, 3, 5, 8, 12, 20, 30]:
        if k > max(1, train.shape[0] // 10):
            break
        model = GaussianMixture(k, covariance_type="full", n_init=3, random_state=0,
                                reg_covar=1e-6).fit(train)
        bic = model.bic(train)
        if best is None or bic < best[0]:
            best = (bic, k, model)
    return best[2], f"{best[1]} components (BIC)"


def kde(train):
    scale = np.sqrt(train.var(axis=0).mean())
    rng = np.random.default_rng(0)
    search_rows = train if train.shape[0] <= 5000 else train[rng.choice(train.shape[0], 5000,
                                                                         replace=False)]
    grid = GridSearchCV(KernelDensity(kernel="gaussian"),
                        {"bandwidth": scale * np.logspace(np.log10(0.02), np.log10(2.0), 16)},
                        cv=3)
    grid.fit(search_rows)
    bandwidth = grid.best_params_["bandwidth"]
    return KernelDensity(kernel="gaussian", bandwidth=bandwidth).fit(train), \
        f"bandwidth {bandwidth:.3g} (3-fold CV)"


def main():
    folder = sys.argv[1]
    names = sys.argv[2:] or NAMES
    print("| data | D | peer | test log p (nats) | per dim | choice | fit s | KL gap |")
    print("|---|---:|---|---:|---:|---|---:|---:|")
    for name in names:
        train_path = os.path.join(folder, f"{name}_train.csv")
        if not os.path.exists(train_path):
            continue
        train = load(train_path)
        test = load(os.path.join(folder, f"{name}_test.csv"))
        truth_path = os.path.join(folder, f"{name}_test_logp.csv")
        truth = load(truth_path).ravel() if os.path.exists(truth_path) else None
        dims = train.shape[1]
        for label, fit in [("sklearn GMM", gmm), ("sklearn KDE", kde)]:
            start = time.time()
            model, choice = fit(train)
            seconds = time.time() - start
            log_p = model.score_samples(test)
            mean = float(np.mean(log_p))
            gap = f"{float(np.mean(truth)) - mean:.3f}" if truth is not None else ""
            print(f"| {name} | {dims} | {label} | {mean:.3f} | {mean / dims:.3f} | {choice} | "
                  f"{seconds:.1f} | {gap} |", flush=True)


if __name__ == "__main__":
    main()
