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
    "radial": (["--marginal", "kde", "--radial", "--damping", "1", "--validation", "0",
                "--max-layers", "20", "--seed", "5"],
               dict(marginal="kde", radial=True, damping=1.0, validation_fraction=0.0,
                    max_layers=20, random_state=5)),
    "sliced": (["--marginal", "histogram", "--rotation", "sliced", "--layers", "6",
                "--no-gaussian-fallback", "--seed", "2"],
               dict(marginal="histogram", rotation="sliced", n_layers=6,
                    gaussian_fallback=False, random_state=2)),
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


def without_command(out):
    return {key: value for key, value in out.items() if key not in ("command", "schema")}


# The measures' fit options, spelled for the CLI and for Python.
MEASURE_CASES = {
    "radial": (["--radial"], dict(radial=True)),
    "sliced": (["--rotation", "sliced", "--max-layers", "12"],
               dict(rotation="sliced", max_layers=12)),
    "histogram-layers": (["--marginal", "histogram", "--bins", "25", "--layers", "3",
                          "--no-gaussian-fallback", "--seed", "6"],
                         dict(marginal="histogram", bins=25, n_layers=3,
                              gaussian_fallback=False, random_state=6)),
    "kde-rule": (["--bandwidth", "plugin", "--tol", "0.01", "--patience", "2"],
                 dict(bandwidth="plugin", tol=0.01, patience=2)),
}


@pytest.fixture(scope="module")
def elliptical(tmp_path_factory):
    """600 rows of a 4-D Student-t (nu = 3; radial layers are kept on it) and their CSV."""
    rng = np.random.default_rng(8)
    x = np.sqrt(3.0 / rng.chisquare(3, size=(600, 1))) * rng.normal(size=(600, 4))
    x[:, 1] += 0.5 * x[:, 0]
    path = tmp_path_factory.mktemp("elliptical") / "t.csv"
    np.savetxt(path, x, delimiter=",", fmt="%.17g", header="a,b,c,d", comments="")
    return x, path


@pytest.mark.parametrize("case", sorted(MEASURE_CASES))
def test_estimates_and_their_fits_equal_the_cli_json(cli, elliptical, case):
    # Every number of --json, the fits' per-layer information included, to the last bit.
    cli_args, params = MEASURE_CASES[case]
    x, path = elliptical
    tc = cli_measure(cli, "tc", path, *cli_args, "--threads", 1, "--bits")
    ours = rbig.total_correlation_estimate(x, base=2, n_jobs=1, **params)
    assert ours.to_dict() == without_command(tc)
    mi = cli_measure(cli, "mi", path, "--x", "1,2", "--y", "3-4", *cli_args, "--threads", 1)
    ours = rbig.mutual_information_estimate(x[:, :2], x[:, 2:], n_jobs=1, **params)
    assert ours.to_dict() == without_command(mi)
    if params.get("radial"):
        assert any(fit.radial_layers > 0 for fit in ours.fits)


def test_entropy_and_kl_estimates_equal_the_cli_json(cli, elliptical, tmp_path):
    x, path = elliptical
    out = cli_measure(cli, "entropy", path, "--radial", "--rotation", "sliced", "--threads", 1)
    assert rbig.entropy_estimate(x, radial=True, rotation="sliced", n_jobs=1).to_dict() == \
        without_command(out)
    q = tmp_path / "q.csv"
    np.savetxt(q, x[300:] * 1.2, delimiter=",", fmt="%.17g", header="a,b,c,d", comments="")
    p = tmp_path / "p.csv"
    np.savetxt(p, x[:300], delimiter=",", fmt="%.17g", header="a,b,c,d", comments="")
    out = cli_measure(cli, "kld", p, q, "--radial", "--bootstrap", 2, "--threads", 1)
    ours = rbig.kl_divergence_estimate(x[:300], x[300:] * 1.2, radial=True, n_bootstrap=2,
                                       n_jobs=1)
    assert ours.to_dict() == without_command(out)
