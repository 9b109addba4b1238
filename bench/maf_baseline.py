#!/usr/bin/python3
"""A masked autoregressive flow (MAF, Papamakarios et al. 2017) as our own neural baseline for
bench_density (issue 20), on the very splits bench_density fitted (`bench_density --dump DIR`).
Bench only, not run in CI; needs Debian's python3-torch (CPU).

  /usr/bin/python3 bench/maf_baseline.py DIR [NAME ...] [--layers 5] [--hidden 128]
                                         [--max-seconds 120] [--seed 0]

Model: the training columns standardised (mean and sd of the training split; the log-density is
corrected by −Σ log sd), then `--layers` affine MADE layers (two hidden layers of `--hidden`
units, ReLU; each outputs a shift and a log-scale, the log-scale bounded by 5·tanh(·/5)), the
variable order reversed between layers, base N(0, I). Training: the last 10% of the training rows
(the split is already shuffled) are validation rows; Adam (lr 1e-3, batch 256, weight decay 1e-6),
one thread; after each epoch the mean validation log-likelihood is computed and the best weights
kept; training stops after 20 epochs without improvement or after `--max-seconds` of training.
Prints one markdown row per set: mean held-out log-likelihood (nats per sample and per dimension),
epochs run / best epoch, training seconds and, where DIR has NAME_test_logp.csv, the KL gap
(mean true log p − mean model log p over the test rows). Every test log p is checked finite.
"""
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

NAMES = ["ring", "moons", "banana", "funnel", "checkerboard", "gmm8", "gmm16", "faithful", "wine",
         "breast_cancer", "digits"]


class MaskedLinear(nn.Linear):
    def __init__(self, n_in, n_out, mask):
        super().__init__(n_in, n_out)
        self.register_buffer("mask", torch.as_tensor(mask, dtype=torch.float32))

    def forward(self, x):
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


class Made(nn.Module):
    """x → (shift, log-scale) with output d depending only on inputs before d in `order`."""

    def __init__(self, dims, hidden, order, rng):
        super().__init__()
        degree_in = np.empty(dims, dtype=int)
        degree_in[order] = np.arange(dims)  # position of each variable in the order
        degree_h1 = rng.integers(0, max(dims - 1, 1), size=hidden)  # in [0, D−2]
        degree_h2 = rng.integers(0, max(dims - 1, 1), size=hidden)  # in [0, D−2]
        mask1 = (degree_h1[:, None] >= degree_in[None, :])
        mask2 = (degree_h2[:, None] >= degree_h1[None, :])
        mask3 = (degree_in[:, None] > degree_h2[None, :])
        self.net = nn.Sequential(
            MaskedLinear(dims, hidden, mask1), nn.ReLU(),
            MaskedLinear(hidden, hidden, mask2), nn.ReLU())
        self.shift = MaskedLinear(hidden, dims, mask3)
        self.log_scale = MaskedLinear(hidden, dims, mask3)
        for layer in (self.shift, self.log_scale):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        h = self.net(x)
        return self.shift(h), 5.0 * torch.tanh(self.log_scale(h) / 5.0)


class Maf(nn.Module):
    def __init__(self, dims, layers, hidden, seed):
        super().__init__()
        rng = np.random.default_rng(seed)
        orders = [np.arange(dims) if k % 2 == 0 else np.arange(dims)[::-1] for k in range(layers)]
        self.mades = nn.ModuleList(Made(dims, hidden, o, rng) for o in orders)
        self.dims = dims

    def log_prob(self, x):
        log_det = torch.zeros(x.shape[0], dtype=x.dtype)
        for made in self.mades:
            shift, log_scale = made(x)
            x = (x - shift) * torch.exp(-log_scale)  # u = (x − μ(x_<d)) / σ(x_<d)
            log_det = log_det - log_scale.sum(dim=1)
        base = -0.5 * (x * x).sum(dim=1) - 0.5 * self.dims * math.log(2.0 * math.pi)
        return base + log_det


def load(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def mean_log_prob(model, x, batch=4096):
    with torch.no_grad():
        return torch.cat([model.log_prob(x[i:i + batch]) for i in range(0, x.shape[0], batch)])


def train(train_rows, layers, hidden, max_seconds, seed):
    torch.manual_seed(seed)
    n_val = max(1, train_rows.shape[0] // 10)
    fit = torch.as_tensor(train_rows[:-n_val], dtype=torch.float32)
    val = torch.as_tensor(train_rows[-n_val:], dtype=torch.float32)
    model = Maf(train_rows.shape[1], layers, hidden, seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-6)
    best = (-math.inf, 0, None)
    start = time.time()
    epoch = 0
    generator = torch.Generator().manual_seed(seed)
    while time.time() - start < max_seconds and epoch - best[1] < 20:
        epoch += 1
        model.train()
        for idx in torch.randperm(fit.shape[0], generator=generator).split(256):
            loss = -model.log_prob(fit[idx]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            if time.time() - start >= max_seconds:
                break
        model.eval()
        score = float(mean_log_prob(model, val).mean())
        if score > best[0]:
            best = (score, epoch, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    return model, epoch, best[1], time.time() - start


def main():
    args = sys.argv[1:]
    options = {"--layers": 5, "--hidden": 128, "--max-seconds": 120.0, "--seed": 0}
    positional = []
    i = 0
    while i < len(args):
        if args[i] in options:
            options[args[i]] = type(options[args[i]])(args[i + 1])
            i += 2
        else:
            positional.append(args[i])
            i += 1
    if not positional:
        sys.exit(__doc__)
    folder, names = positional[0], positional[1:] or NAMES
    torch.set_num_threads(1)
    print("| data | D | peer | test log p (nats) | per dim | epochs (best) | fit s | KL gap |")
    print("|---|---:|---|---:|---:|---|---:|---:|")
    for name in names:
        train_path = os.path.join(folder, f"{name}_train.csv")
        if not os.path.exists(train_path):
            continue
        train_rows = load(train_path)
        test = load(os.path.join(folder, f"{name}_test.csv"))
        truth_path = os.path.join(folder, f"{name}_test_logp.csv")
        truth = load(truth_path).ravel() if os.path.exists(truth_path) else None
        mean, sd = train_rows.mean(axis=0), train_rows.std(axis=0, ddof=1)
        model, epochs, best_epoch, seconds = train(
            (train_rows - mean) / sd, options["--layers"], options["--hidden"],
            options["--max-seconds"], options["--seed"])
        test_std = torch.as_tensor((test - mean) / sd, dtype=torch.float32)
        log_p = mean_log_prob(model, test_std).double().numpy() - np.log(sd).sum()
        if not np.all(np.isfinite(log_p)):
            sys.exit(f"{name}: {np.sum(~np.isfinite(log_p))} test rows have no finite log p")
        dims = train_rows.shape[1]
        avg = float(np.mean(log_p))
        gap = f"{float(np.mean(truth)) - avg:.4f}" if truth is not None else ""
        label = f"MAF {options['--layers']}x{options['--hidden']}"
        print(f"| {name} | {dims} | {label} | {avg:.3f} | {avg / dims:.3f} | "
              f"{epochs} ({best_epoch}) | {seconds:.1f} | {gap} |", flush=True)


if __name__ == "__main__":
    main()
