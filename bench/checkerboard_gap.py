#!/usr/bin/python3
"""Where a model of the checkerboard loses likelihood: the KL gap split by distance from the edges.

Usage (Debian's python3 with numpy; files from `bench_density --dump DIR`):
  rbig fit DIR/checkerboard_train.csv -o checkerboard.rbig
  rbig score checkerboard.rbig DIR/checkerboard_test.csv -o checkerboard_model_logp.csv
  /usr/bin/python3 bench/checkerboard_gap.py DIR/checkerboard_test.csv \\
      DIR/checkerboard_test_logp.csv checkerboard_model_logp.csv

The gap of a test row is true log p − model log p. The board is the 8 dark unit squares of a 4×4
board on [−2, 2]² (bench/density.cpp). Rows farther than 0.2 from the outer boundary are grouped
by their distance from the nearest inner grid line (x or y in {−1, 0, 1}), the rest by their
distance from the outer boundary. A smooth model loses near the edges, where it blurs the step.
"""
import sys

import numpy as np

import gap_table


def main(test_csv, true_logp_csv, model_logp_csv):
    x, gap = gap_table.load(test_csv, true_logp_csv, model_logp_csv)
    line = np.round(x)
    inner = np.where(np.abs(line) < 2, np.abs(x - line), np.inf).min(1)
    outer = (2.0 - np.abs(x)).min(1)
    print("| region | distance | rows | mean gap | share of the total gap |")
    print("|---|---|---:|---:|---:|")
    for low, high in [(0, .05), (.05, .1), (.1, .2), (.2, np.inf)]:
        rows = (inner >= low) & (inner < high) & (outer >= 0.2)
        print(gap_table.row(f"inner edges | [{low}, {high})", rows, gap))
    print(gap_table.row("outer boundary | [0, 0.2)", outer < 0.2, gap))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
