"""Shared fixtures. The tests import the built package (PYTHONPATH=<build>/python, set by ctest)
and find the rbig command through RBIG_CLI (tests that need it are skipped without it)."""

import os
import pathlib
import shutil

import numpy as np
import pytest

DATA_DIR = pathlib.Path(os.environ.get("RBIG_DATA_DIR",
                                       pathlib.Path(__file__).resolve().parents[2] / "data"))

# Small, fast settings: explicit histogram marginals, no damping, no validation split (the
# default's model selection fits 9 candidates, or 15 quarter-size ones from 8,000 training rows),
# few layers, one thread: on small data a thread team only waits at its barriers when the two
# cores are busy with other tests (measured: a 272-row default fit 0.04 s on one thread, up to
# 1.7 s on two under load; same result).
FAST = dict(marginal="histogram", damping=1.0, validation_fraction=0.0, max_layers=10, n_jobs=1)


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("RBIG_CLI") or shutil.which("rbig")
    if not path or not os.path.exists(path):
        pytest.skip("the rbig command is not built (RBIG_CLI unset): build target rbig_cli")
    return path


def read_csv(name):
    """A bundled CSV (header row, comma separated) as float64: the same doubles the rbig command
    reads (both parse decimal text correctly rounded)."""
    return np.loadtxt(DATA_DIR / name, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)


@pytest.fixture(scope="session")
def wine():
    return read_csv("wine.csv")


@pytest.fixture(scope="session")
def faithful():
    return read_csv("faithful.csv")


@pytest.fixture(scope="session")
def cubed():
    """A correlated, non-Gaussian 3-D sample."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2000, 3)) @ np.array([[1.0, 0.5, 0.2], [0.0, 1.0, 0.4], [0.0, 0.0, 1.0]])
    return x ** 3 + 0.1 * x
