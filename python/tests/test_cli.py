"""The Python package and the rbig command agree: the same model bytes from the same data,
options and seed; each reads the other's model files; the same log-densities, latent values,
draws and information measures, to the last bit (CSV and JSON carry round-trip precision)."""

import json
import subprocess

import numpy as np
import pytest

import rbig
from rbig import RBIG

from conftest import DATA_DIR, read_csv


def run(cli, *args):
    done = subprocess.run([cli, *map(str, args)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def read_output(path, header=True):
    return np.loadtxt(path, delimiter=",", skiprows=1 if header else 0, dtype=np.float64,
                      ndmin=2)


# The same fit, spelled for the CLI and for Python.
CASES = {
    "histogram": (["--marginal", "histogram", "--damping", "1", "--validation", "0",
                   "--seed", "3"],
                  dict(marginal="histogram", damping=1.0, validation_fraction=0.0,
                       random_state=3)),
    "random-kde-layers": (["--marginal", "kde", "--rotation", "random", "--layers", "12",
                           "--bandwidth", "0.4", "--seed", "9"],
                          dict(marginal="kde", rotation="random", n_layers=12, bandwidth=0.4,
                               random_state=9)),
    "default": ([], dict()),  # model selection: ten candidate fits
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_model_bytes_and_scores(tmp_path, cli, case):
    cli_args, params = CASES[case]
    data = DATA_DIR / "faithful.csv"
    cli_model = tmp_path / "cli.rbig"
    run(cli, "fit", data, "-o", cli_model, "-q", "--threads", 1, *cli_args)
    x = read_csv("faithful.csv")
    model = RBIG(**params, n_jobs=1).fit(x)
    assert model.to_bytes() == cli_model.read_bytes()

    run(cli, "score", cli_model, data, "-o", tmp_path / "logp.csv")
    np.testing.assert_array_equal(model.score_samples(x), read_output(tmp_path / "logp.csv")[:, 0])
    run(cli, "transform", cli_model, data, "-o", tmp_path / "z.csv")
    np.testing.assert_array_equal(model.transform(x), read_output(tmp_path / "z.csv"))
    run(cli, "sample", cli_model, "-n", 300, "--seed", 7, "-o", tmp_path / "s.csv")
    np.testing.assert_array_equal(model.sample(300, random_state=7),
                                  read_output(tmp_path / "s.csv", header=False))


def test_cli_model_loads_in_python(tmp_path, cli, wine):
    path = tmp_path / "wine.rbig"
    run(cli, "fit", DATA_DIR / "wine.csv", "-o", path, "-q", "--marginal", "histogram",
        "--damping", "1", "--validation", "0", "--rotation", "random", "--seed", 3,
        "--threads", 1)
    model = rbig.load(path)
    info = json.loads(run(cli, "info", path, "--json"))
    assert model.n_features_in_ == info["dims"] == 13
    assert model.n_layers_ == info["layers"]
    np.testing.assert_array_equal(model.layer_information_, info["info_reduction"])
    assert model.stop_reason_ == info["stop"]
    assert model.get_params()["rotation"] == "random"
    run(cli, "score", path, DATA_DIR / "wine.csv", "-o", tmp_path / "logp.csv")
    np.testing.assert_array_equal(model.score_samples(wine),
                                  read_output(tmp_path / "logp.csv")[:, 0])


def test_python_model_loads_in_cli(tmp_path, cli, faithful):
    model = RBIG(random_state=0, n_jobs=1).fit(faithful)
    path = tmp_path / "py.rbig"
    model.save(path)
    info = json.loads(run(cli, "info", path, "--json"))
    assert info["dims"] == 2 and info["layers"] == model.n_layers_
    assert info["options"]["marginal"] == model.marginal_
    assert info["options"]["damping"] == model.damping_
    assert info["total_correlation"] == model.total_correlation_
    assert info["validation_log_prob"] == list(model.validation_curve_)
    out = json.loads(run(cli, "score", path, DATA_DIR / "faithful.csv", "--json"))
    assert out["mean_log_prob"] == model.score(faithful)


def cli_measure(cli, *args):
    return json.loads(run(cli, *args, "--json"))


def test_entropy_and_tc_equal_the_cli(cli, wine):
    assert rbig.entropy(wine) == cli_measure(cli, "entropy", DATA_DIR / "wine.csv")["entropy"]
    out = cli_measure(cli, "tc", DATA_DIR / "wine.csv", "--bits", "--seed", 4, "--max-layers",
                      50, "--rotation", "random")
    ours = rbig.total_correlation(wine, base=2, random_state=4, max_layers=50, rotation="random")
    assert ours == out["total_correlation"] and out["unit"] == "bits"


def test_bootstrap_equals_the_cli(cli):
    iris = read_csv("iris.csv")
    out = cli_measure(cli, "tc", DATA_DIR / "iris.csv", "--bootstrap", 3, "--seed", 2)
    ours = rbig.total_correlation(iris, n_bootstrap=3, random_state=2)
    assert (ours.value, ours.ci_low, ours.ci_high) == \
        (out["total_correlation"], out["ci_low"], out["ci_high"])


def test_mutual_information_equals_the_cli(cli):
    quakes = read_csv("quakes.csv")
    out = cli_measure(cli, "mi", DATA_DIR / "quakes.csv", "--x", "1", "--y", "2")  # from 1
    assert rbig.mutual_information(quakes[:, [0]], quakes[:, [1]]) == out["mutual_information"]
    out = cli_measure(cli, "mi", DATA_DIR / "quakes.csv", "--x", "lat", "--y", "long", "--z",
                      "depth")
    assert rbig.mutual_information(quakes[:, [0]], quakes[:, [1]], quakes[:, [2]]) == \
        out["conditional_mutual_information"]


def test_kl_divergence_equals_the_cli(tmp_path, cli):
    rng = np.random.default_rng(5)
    p = rng.normal(size=(400, 2))
    q = rng.normal(size=(500, 2)) * [1.0, 1.5] + 0.3
    for name, rows in (("p.csv", p), ("q.csv", q)):
        np.savetxt(tmp_path / name, rows, delimiter=",", fmt="%.17g", header="a,b", comments="")
    out = cli_measure(cli, "kld", tmp_path / "p.csv", tmp_path / "q.csv")
    assert rbig.kl_divergence(p, q) == out["kl_divergence"]
