"""The KL gap per test row of a `bench_density --dump` set, and the rows of the tables that split
it by region: shared by checkerboard_gap.py and moons_gap.py (imported from beside them)."""
import numpy as np


def load(test_csv, true_logp_csv, model_logp_csv):
    """The test rows and their gap, true log p − model log p; prints the row count and mean gap."""
    x = np.loadtxt(test_csv, delimiter=",", skiprows=1)
    gap = np.loadtxt(true_logp_csv, skiprows=1) - np.loadtxt(model_logp_csv, skiprows=1)
    print(f"rows {len(x)}, mean gap {gap.mean():.4f} nats")
    return x, gap


def row(label, rows, gap):
    """A table row: label, then the count of the selected rows, their mean gap and their share of
    the total gap (their summed gap over all rows)."""
    return (f"| {label} | {rows.sum()} | {gap[rows].mean():.3f} | "
            f"{gap[rows].sum() / len(gap):.4f} |")
