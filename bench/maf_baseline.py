#!/usr/bin/python3
"""A masked autoregressive flow (MAF, Papamakarios et al. 2017) as our own neural baseline for
bench_density (issue 20), on the very splits bench_density fitted (`bench_density --dump DIR`).
Bench only, not run in CI; needs Debian's python3-torch (CPU).

  /usr/bin/python3 bench/maf_baseline.py DIR [NAME ...] [--layers 10] [--hidden 128] [--batch 256]
                                         [--lr 1e-3] [--schedule cosine] [--patience 50]
                                         [--max-seconds 120] [--max-epochs 0] [--seed 0]

BLAS: Debian's torch does its matrix products in whatever libblas.so.3 the alternatives system
points at; with the reference BLAS (package libblas3) one Adam step of the 5×128 flow takes
37–60 ms instead of ~6 ms, and a wall-clock budget buys a tenth of the epochs. The script times
a 256×128 @ 128×128 float32 product on one thread at start and warns on stderr when it takes
more than 0.5 ms (reference BLAS: ~2.4 ms; OpenBLAS: ~0.1 ms). Fix, as root:
`apt-get install -y libopenblas0-serial` (its libblas.so.3 then wins the alternative;
`update-alternatives --display libblas.so.3-x86_64-linux-gnu` shows which one is used).

Model: the training columns standardised (mean and sd of the training split; the log-density is
corrected by −Σ log sd), then `--layers` affine MADE layers (two hidden layers of `--hidden`
units, ReLU; each outputs a shift and a log-scale, the log-scale bounded by 5·tanh(·/5)), the
variable order reversed between layers, base N(0, I).

Training: the last 10% of the training rows (the split is already shuffled) are validation rows;
the test rows are used for nothing but the final score. Adam (`--lr`, batch `--batch`, weight
decay 1e-6), one thread, the training rows reshuffled every epoch. Learning-rate `--schedule`:
  cosine   (default) lr·(1 + cos(π·p))/2 at every step, p the fraction of the budget used: the
           larger of elapsed/`--max-seconds` and epochs/`--max-epochs` (when that is > 0), so
           the rate reaches 0 when the budget runs out;
  plateau  halved after 10 epochs without a better validation score (torch's
           ReduceLROnPlateau), never below lr/1000;
  constant the rate `--lr` throughout.
After each epoch the mean validation log-likelihood is computed and the best weights kept (the
model scored is the best epoch's). Training stops when the budget (`--max-seconds` of training,
and `--max-epochs` when > 0) is used up or after `--patience` epochs without a better validation
score; with the cosine, patience applies only in the second half of the budget (rate ≤ lr/2):
before that, a stall at a high rate says little about what the annealed rate will reach. The
defaults (10 layers, cosine) were chosen on validation scores only, in a 60-s pilot on ring,
checkerboard and gmm8 (bench/README.md, "Our MAF with a real BLAS").

Prints one markdown row per set: mean held-out log-likelihood (nats per sample and per
dimension), the best validation log-likelihood (nats per sample, original units), epochs run /
best epoch, training seconds and, where DIR has NAME_test_logp.csv, the KL gap (mean true log p −
mean model log p over the test rows) ± the standard error of the mean per-row difference. Every
test log p is checked finite.
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


def check_blas():
    """Warns on stderr when one thread's 256×128 @ 128×128 float32 product is slow (> 0.5 ms):
    the sign of the reference BLAS behind Debian's torch."""
    a, b = torch.randn(256, 128), torch.randn(128, 128)
    for _ in range(20):
        a @ b
    times = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(20):
            a @ b
        times.append((time.perf_counter() - start) / 20)
    ms = 1e3 * min(times)
    if ms > 0.5:
        print(f"warning: a 256x128 @ 128x128 float32 matmul takes {ms:.2f} ms on one thread "
              "(OpenBLAS: ~0.1 ms); Debian's torch uses whatever libblas.so.3 the alternatives "
              "system provides, here probably the reference BLAS, and the MAF will get a tenth "
              "of its epochs. Fix: apt-get install -y libopenblas0-serial", file=sys.stderr)
    return ms


def train(train_rows, opts):
    """Fits a MAF on the first 90% of `train_rows`, choosing the epoch on the last 10%."""
    seed, lr, max_seconds, max_epochs = (opts["--seed"], opts["--lr"], opts["--max-seconds"],
                                         opts["--max-epochs"])
    torch.manual_seed(seed)
    n_val = max(1, train_rows.shape[0] // 10)
    fit = torch.as_tensor(train_rows[:-n_val], dtype=torch.float32)
    val = torch.as_tensor(train_rows[-n_val:], dtype=torch.float32)
    model = Maf(train_rows.shape[1], opts["--layers"], opts["--hidden"], seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-6)
    plateau = None
    if opts["--schedule"] == "plateau":
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimiser, mode="max", factor=0.5, patience=10, min_lr=lr / 1000)
    elif opts["--schedule"] not in ("cosine", "constant"):
        sys.exit(f"unknown --schedule {opts['--schedule']} (cosine, plateau or constant)")
    best = (-math.inf, 0, None)
    start = time.monotonic()
    epoch = 0
    generator = torch.Generator().manual_seed(seed)

    def used():  # fraction of the budget used, in seconds or epochs
        return max((time.monotonic() - start) / max_seconds,
                   epoch / max_epochs if max_epochs > 0 else 0.0)

    def patient():  # with the cosine, patience applies once the rate is below lr/2
        return (epoch - best[1] < opts["--patience"]
                or (opts["--schedule"] == "cosine" and used() < 0.5))

    while used() < 1.0 and patient():
        model.train()
        for idx in torch.randperm(fit.shape[0], generator=generator).split(opts["--batch"]):
            if opts["--schedule"] == "cosine":
                for group in optimiser.param_groups:
                    group["lr"] = 0.5 * lr * (1.0 + math.cos(math.pi * min(used(), 1.0)))
            loss = -model.log_prob(fit[idx]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            if time.monotonic() - start >= max_seconds:
                break
        epoch += 1
        model.eval()
        score = float(mean_log_prob(model, val).mean())
        if plateau is not None:
            plateau.step(score)
        if score > best[0]:
            best = (score, epoch, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    return model, epoch, best[1], best[0], time.monotonic() - start


def main():
    args = sys.argv[1:]
    options = {"--layers": 10, "--hidden": 128, "--batch": 256, "--lr": 1e-3,
               "--schedule": "cosine", "--patience": 50, "--max-seconds": 120.0, "--max-epochs": 0,
               "--seed": 0}
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
    ms = check_blas()
    print(f"<!-- one-thread 256x128 @ 128x128 matmul: {ms:.3f} ms; "
          f"{' '.join(f'{k} {v}' for k, v in options.items())} -->")
    print("| data | D | peer | test log p (nats) | per dim | val log p | epochs (best) | fit s "
          "| KL gap |")
    print("|---|---:|---|---:|---:|---:|---|---:|---:|")
    for name in names:
        train_path = os.path.join(folder, f"{name}_train.csv")
        if not os.path.exists(train_path):
            continue
        train_rows = load(train_path)
        test = load(os.path.join(folder, f"{name}_test.csv"))
        truth_path = os.path.join(folder, f"{name}_test_logp.csv")
        truth = load(truth_path).ravel() if os.path.exists(truth_path) else None
        mean, sd = train_rows.mean(axis=0), train_rows.std(axis=0, ddof=1)
        model, epochs, best_epoch, val_score, seconds = train((train_rows - mean) / sd, options)
        test_std = torch.as_tensor((test - mean) / sd, dtype=torch.float32)
        log_p = mean_log_prob(model, test_std).double().numpy() - np.log(sd).sum()
        if not np.all(np.isfinite(log_p)):
            sys.exit(f"{name}: {np.sum(~np.isfinite(log_p))} test rows have no finite log p")
        dims = train_rows.shape[1]
        avg = float(np.mean(log_p))
        gap = ""
        if truth is not None:  # ± the standard error of the mean per-row difference
            diff = truth - log_p
            se = float(np.std(diff, ddof=1)) / math.sqrt(len(diff))
            gap = f"{float(np.mean(diff)):.4f} ± {se:.4f}"
        label = f"MAF {options['--layers']}x{options['--hidden']} {options['--schedule']}"
        val_log_p = val_score - np.log(sd).sum()
        print(f"| {name} | {dims} | {label} | {avg:.3f} | {avg / dims:.3f} | {val_log_p:.4f} | "
              f"{epochs} ({best_epoch}) | {seconds:.1f} | {gap} |", flush=True)


if __name__ == "__main__":
    main()
