"""Fit time from Python against the rbig command, on the same data and options.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_fit.py --cli build/apps/rbig

Data: N x D (default 100,000 x 10) rows of a cubed correlated Gaussian, seeded, written once as
CSV (17 significant digits, so both sides fit the very same doubles). Options: 20 layers of
histogram marginals, no damping, no validation split (`--marginal histogram --damping 1
--layers 20 --validation 0`), the same threads on both sides (--threads; default all cores).

CLI time: the fit alone, as `rbig fit --json` reports it ("seconds": after the CSV is read,
before the model is written). Python time: RBIG(...).fit(X) as a caller sees it, including the
input checks and the one conversion of a C-ordered array to Fortran order; also for an X already
float64 in Fortran order (no conversion). Each is the median of --repeats runs, alternating, so
that a neighbour's load hits both alike. The models are checked to be byte-identical.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import rbig

OPTIONS_CLI = ["--marginal", "histogram", "--damping", "1", "--layers", "20", "--validation", "0"]
OPTIONS_PY = dict(marginal="histogram", damping=1.0, n_layers=20, validation_fraction=0.0)


def make_data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(d, d)) / np.sqrt(d) + np.eye(d)
    x = rng.normal(size=(n, d)) @ mixing
    return x ** 3 + x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default="build/apps/rbig", help="the rbig command")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0,
                        help="threads on both sides (0: all cores, the default of both)")
    args = parser.parse_args()
    if not os.path.exists(args.cli):
        sys.exit(f"bench_fit: {args.cli} not found (cmake --build <build> --target rbig_cli)")

    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        csv = folder / "data.csv"
        x = make_data(args.rows, args.dims)
        np.savetxt(csv, x, delimiter=",", fmt="%.17g",
                   header=",".join(f"x{i}" for i in range(args.dims)), comments="")
        x = np.loadtxt(csv, delimiter=",", skiprows=1)  # C order, as most arrays are
        x_fortran = np.asfortranarray(x)

        n_jobs = None if args.threads == 0 else args.threads
        cli_seconds, cli_wall, py_seconds, py_fortran_seconds = [], [], [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            done = subprocess.run([args.cli, "fit", str(csv), "-o", str(folder / "cli.rbig"),
                                   "-q", "--json", "--threads", str(args.threads),
                                   *OPTIONS_CLI],
                                  capture_output=True, text=True, check=True)
            cli_wall.append(time.perf_counter() - start)
            cli_seconds.append(json.loads(done.stdout)["seconds"])

            start = time.perf_counter()
            model = rbig.RBIG(**OPTIONS_PY, n_jobs=n_jobs).fit(x)
            py_seconds.append(time.perf_counter() - start)

            start = time.perf_counter()
            rbig.RBIG(**OPTIONS_PY, n_jobs=n_jobs).fit(x_fortran)
            py_fortran_seconds.append(time.perf_counter() - start)

        same = model.to_bytes() == (folder / "cli.rbig").read_bytes()

    cli, py, py_f = (statistics.median(v) for v in (cli_seconds, py_seconds, py_fortran_seconds))
    threads = "all" if args.threads == 0 else args.threads
    print(f"data {args.rows} x {args.dims}, 20 histogram layers, {args.repeats} runs each "
          f"(median, min-max), threads: {threads} of {os.cpu_count()} cores")
    print(f"  CLI fit (--json seconds)       {cli:.3f} s  ({min(cli_seconds):.3f}-"
          f"{max(cli_seconds):.3f}); whole process with the CSV read "
          f"{statistics.median(cli_wall):.3f} s")
    print(f"  Python fit, C-ordered X        {py:.3f} s  ({min(py_seconds):.3f}-"
          f"{max(py_seconds):.3f})  ratio to CLI {py / cli:.3f}")
    print(f"  Python fit, Fortran-ordered X  {py_f:.3f} s  ({min(py_fortran_seconds):.3f}-"
          f"{max(py_fortran_seconds):.3f})  ratio to CLI {py_f / cli:.3f}")
    print(f"  model bytes identical to the CLI's: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
