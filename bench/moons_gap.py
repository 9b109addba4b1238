#!/usr/bin/python3
"""Where a model of two moons loses likelihood: the KL gap split by distance from the arcs.

Usage (Debian's python3 with numpy; files from `bench_density --dump DIR`):
  rbig fit DIR/moons_train.csv -o moons.rbig
  rbig score moons.rbig DIR/moons_test.csv -o moons_model_logp.csv
  /usr/bin/python3 bench/moons_gap.py DIR/moons_test.csv DIR/moons_test_logp.csv \\
      moons_model_logp.csv

The gap of a test row is true log p − model log p; the table gives its mean and its share of the
total gap for rows grouped by their distance from the nearer moon's arc (the moons are the arcs
(cos t, sin t) and (1 − cos t, 0.5 − sin t), t in [0, π], plus N(0, 0.1²) noise, as in
bench/density.cpp) and by their position t along it. A model that is too smooth across the arc
is too low near it and too high far from it; one whose ridge wanders is too low at 1–2 noise
standard deviations and too high beyond.
"""
import sys

import numpy as np

import gap_table


def main(test_csv, true_logp_csv, model_logp_csv):
    x, gap = gap_table.load(test_csv, true_logp_csv, model_logp_csv)
    t = np.linspace(0.0, np.pi, 2001)
    arcs = np.concatenate([np.stack([np.cos(t), np.sin(t)], 1),
                           np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], 1)])
    position = np.concatenate([t, t])
    squared = ((x[:, None, :] - arcs[None, :, :]) ** 2).sum(-1)
    nearest = squared.argmin(1)
    distance = np.sqrt(squared[np.arange(len(x)), nearest])
    along = position[nearest]
    print("| distance from the arc | rows | mean gap | share of the total gap |")
    print("|---|---:|---:|---:|")
    for low, high in [(0, .05), (.05, .1), (.1, .15), (.15, .2), (.2, .3), (.3, np.inf)]:
        rows = (distance >= low) & (distance < high)
        print(gap_table.row(f"[{low}, {high})", rows, gap))
    print("| position t along the arc | rows | mean gap | share of the total gap |")
    print("|---|---:|---:|---:|")
    for low, high in [(0, .3), (.3, 1.), (1., 2.1), (2.1, 2.85), (2.85, np.pi + 1e-9)]:
        rows = (along >= low) & (along < high)
        print(gap_table.row(f"[{low:.2f}, {high:.2f})", rows, gap))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
