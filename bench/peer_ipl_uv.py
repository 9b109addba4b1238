"""rbig against the Python RBIG of IPL-UV (github.com/IPL-UV/rbig), one thread each, one run.

    git clone https://github.com/IPL-UV/rbig /tmp/ipl-uv-rbig    # outside this repository
    apt-get install python3-statsmodels python3-astropy python3-tqdm
    PYTHONPATH=build/python /usr/bin/python3 bench/peer_ipl_uv.py --peer /tmp/ipl-uv-rbig \
        --cli build/apps/rbig

The peer imports `picard` (ICA), which Debian does not package: a stub module in a temporary
folder stands in for it (only the peer's ICA rotation would need it; PCA is used here).

For each case (N x D, 20 layers of histogram marginals and PCA; the last case with rbig's default
kde marginal against the peer's histogram) the table gives, each the median of --repeats runs:
- peer: `RBIG(max_layers=20, zero_tolerance=1000).fit(X)` in this process (after X is loaded);
- python: `rbig.RBIG(..., n_layers=20, n_jobs=1).fit(X)` in this process, X a C-ordered array;
- cli csv / cli npy: the whole `rbig fit` process (reading the file, fitting, writing the model),
  `--threads 1`, timed from outside.
With --cpu, every figure is CPU seconds (user + system; for the CLI those of the child process)
instead of wall seconds: on a machine shared with other jobs the ratios then stay meaningful.
Data: a cubed correlated Gaussian, seeded. BLAS and OpenMP are limited to one thread on both
sides (environment variables set before numpy is imported).
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import pathlib  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

RBIG_OPTIONS = {"histogram": ["--marginal", "histogram", "--damping", "1", "--layers", "20",
                              "--validation", "0", "--threads", "1"],
                "kde": ["--marginal", "kde", "--damping", "1", "--layers", "20",
                        "--validation", "0", "--threads", "1"]}
CASES = [(100_000, 10, "histogram"), (10_000, 100, "histogram"), (100_000, 10, "kde")]


def make_data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(d, d)) / np.sqrt(d) + np.eye(d)
    x = rng.normal(size=(n, d)) @ mixing
    return x ** 3 + x


def import_peer(peer_path, stub_folder):
    stub = pathlib.Path(stub_folder) / "picard"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(
        "class Picard:\n    def __init__(self, *a, **k):\n"
        "        raise ImportError('picard is not packaged in Debian')\n")
    sys.path[:0] = [str(peer_path), str(stub_folder)]
    import importlib
    peer = importlib.import_module("rbig")  # the peer's package, named rbig too
    del sys.path[:2]
    for name in [m for m in sys.modules if m == "rbig" or m.startswith("rbig.")]:
        del sys.modules[name]  # so that ours can be imported under the same name next
    return peer


def timed(function):
    """Seconds of `function()`: wall time, or with --cpu the CPU time (user + system) of this
    process and of the children it waited for, which other jobs on a shared machine disturb far
    less (every run here is single-threaded, so CPU time is the work done)."""
    if not CPU_TIME:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start
    before = cpu_seconds()
    function()
    return cpu_seconds() - before


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


CPU_TIME = False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", required=True, help="a checkout of IPL-UV/rbig")
    parser.add_argument("--cli", default="build/apps/rbig")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-repeats", type=int, default=1, help="the peer takes minutes")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU seconds instead of wall seconds (for a loaded machine)")
    parser.add_argument("--only", type=int, help="run only case K (1-based) of CASES")
    args = parser.parse_args()
    global CPU_TIME
    CPU_TIME = args.cpu

    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        peer = import_peer(args.peer, folder / "stub")
        import rbig as ours  # noqa: E402  (ours, from PYTHONPATH)
        assert not hasattr(ours, "FlowModel"), "imported the peer twice"
        print("| N × D | marginal | peer in-process | rbig Python | rbig CLI (CSV) | "
              "rbig CLI (.npy) | peer / Python | peer / CLI csv |")
        print("|---|---|---|---|---|---|---|---|")
        for n, d, marginal in CASES if args.only is None else [CASES[args.only - 1]]:
            x = make_data(n, d)
            csv, npy, model = folder / "x.csv", folder / "x.npy", folder / "m.rbig"
            np.savetxt(csv, x, delimiter=",", fmt="%.17g")
            np.save(npy, x)
            python_options = dict(marginal=marginal, damping=1.0, n_layers=20,
                                  validation_fraction=0.0, n_jobs=1)
            cli = lambda path: subprocess.run(  # noqa: E731
                [args.cli, "fit", str(path), "-o", str(model), "-q", *RBIG_OPTIONS[marginal]],
                check=True, stdout=subprocess.DEVNULL)
            runs = {"python": [], "csv": [], "npy": []}
            for _ in range(args.repeats):
                runs["python"].append(timed(lambda: ours.RBIG(**python_options).fit(x)))
                runs["csv"].append(timed(lambda: cli(csv)))
                runs["npy"].append(timed(lambda: cli(npy)))
            peer_times = [timed(lambda: peer.RBIG(max_layers=20, zero_tolerance=1000).fit(x))
                          for _ in range(args.peer_repeats)]
            med = {k: statistics.median(v) for k, v in runs.items()}
            p = statistics.median(peer_times)
            print(f"| {n:,} × {d} | {marginal} (peer: histogram) | {p:.2f} s | "
                  f"{med['python']:.3f} s | {med['csv']:.3f} s | {med['npy']:.3f} s | "
                  f"{p / med['python']:.0f}× | {p / med['csv']:.0f}× |", flush=True)


if __name__ == "__main__":
    main()
