"""Does `--threads 2` stay no slower than `--threads 1` while other work keeps the cores busy?

    /usr/bin/python3 bench/threads_under_load.py --cli build/apps/rbig

For each load (0, 1 and 2 busy loops: Python processes spinning `while True: pass`) and each
case (N x D of bench/peer_ipl_uv.py's cubed correlated Gaussian, --layers histogram + PCA layers,
damping 1, no validation), `rbig fit` runs in rounds, each round once per configuration in turn:
- 1T: `--threads 1`;
- 2T: `--threads 2` (the pool leaves its helper out while no core is idle for it);
- 2T always: `--threads 2` with RBIG_LOAD_AWARE=0 (the helper joins whatever the load);
- 1T again: `--threads 1` a second time, the noise floor: how far two runs of the same thing
  fall apart under the same load.
With --default the fits use rbig's default options instead (the selection among configurations
on held-out rows, the mixture's K sweep, the refit), and --csv FILE (repeatable) fits existing
files (e.g. bench_density's splits, `bench_density --dump DIR`) instead of the generated cases.
Each round runs them in a shuffled order (seeded), so that no configuration always follows the
same one. The time is the fit's own `seconds` (--json: the fit, without reading the CSV). Loaded
runs vary by tens of percent from run to run, so the table gives medians, and for the ratios the
median and quartiles of the per-round ratio to 1T.
"""

import argparse
import json
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from peer_ipl_uv import make_data  # noqa: E402

CONFIGS = {"1T": ({}, "1"), "2T": ({}, "2"), "2T always": ({"RBIG_LOAD_AWARE": "0"}, "2"),
           "1T again": ({}, "1")}


def fit_seconds(cli, data, options, config, model):
    extra_env, threads = CONFIGS[config]
    command = [cli, "fit", str(data), "-o", str(model), *options, "--threads", threads, "--json",
               "-q"]
    env = dict(os.environ, **extra_env)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["seconds"]


def start_busy_loops(count):
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    time.sleep(0.5)  # let them reach the cores before the first fit
    return loops


def quartiles(values):
    if len(values) < 2:
        return f"{values[0]:.2f}"
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return f"{q2:.2f} ({q1:.2f}–{q3:.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True, help="the rbig program")
    parser.add_argument("--layers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--loads", default="0,1,2", help="busy loops, comma-separated")
    parser.add_argument("--cases", default="100000x10,10000x100", help="NxD, comma-separated")
    parser.add_argument("--csv", action="append", default=[], help="fit this file (repeatable)")
    parser.add_argument("--default", action="store_true", help="rbig's default fit options")
    args = parser.parse_args()
    options = [] if args.default else ["--marginal", "histogram", "--damping", "1",
                                       "--validation", "0", "--layers", str(args.layers)]

    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        files = {pathlib.Path(f).stem: pathlib.Path(f) for f in args.csv}
        for case in [] if args.csv else args.cases.split(","):
            n, d = (int(part) for part in case.split("x"))
            files[case] = scratch / f"{case}.csv"
            np.savetxt(files[case], make_data(n, d), delimiter=",", fmt="%.10g")
        model = scratch / "model.rbig"

        fits = "default fits" if args.default else f"{args.layers} histogram layers"
        print(f"{fits}, {args.rounds} rounds; seconds are medians, ratios the median "
              "(quartiles) of the per-round ratio\n")
        print("| case | busy loops | 1T s | 2T s | 2T always s | 2T / 1T | 2T always / 1T | "
              "1T again / 1T |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        order = random.Random(16)
        for load in (int(part) for part in args.loads.split(",")):
            loops = start_busy_loops(load)
            try:
                for case, data in files.items():
                    seconds = {config: [] for config in CONFIGS}
                    for _ in range(args.rounds):
                        for config in order.sample(list(CONFIGS), len(CONFIGS)):
                            seconds[config].append(
                                fit_seconds(args.cli, data, options, config, model))
                    ratio = {config: [a / b for a, b in zip(seconds[config], seconds["1T"])]
                             for config in CONFIGS}
                    medians = [f"{statistics.median(seconds[c]):.3f}" for c in list(CONFIGS)[:3]]
                    ratios = [quartiles(ratio[c]) for c in list(CONFIGS)[1:]]
                    print(f"| {case.replace('x', ' × ')} | {load} | {' | '.join(medians)} | "
                          f"{' | '.join(ratios)} |", flush=True)
            finally:
                for loop in loops:
                    loop.kill()
                    loop.wait()


if __name__ == "__main__":
    main()
