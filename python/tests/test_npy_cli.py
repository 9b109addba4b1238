"""The rbig command reads and writes NumPy's .npy files as NumPy itself writes and reads them:
every format version, float64 and float32, C and Fortran order, either byte order. Each .npy
result equals the CSV route's to the last bit (CSV carries round-trip precision)."""

import subprocess

import numpy as np
import pytest

from conftest import DATA_DIR, read_csv

HIST = ["--marginal", "histogram", "--damping", "1", "--validation", "0", "--seed", "3"]


def run(cli, *args, ok=True):
    done = subprocess.run([cli, *map(str, args)], capture_output=True, text=True, check=False)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def save(path, array, version):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


@pytest.fixture(scope="module")
def model(cli, tmp_path_factory):
    path = tmp_path_factory.mktemp("npy") / "faithful.rbig"
    run(cli, "fit", DATA_DIR / "faithful.csv", "-o", path, *HIST)
    return path


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
@pytest.mark.parametrize("dtype", ["<f8", ">f8", "<f4"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_transform_of_npy_input_equals_csv_input(cli, model, tmp_path, version, dtype, order):
    x = read_csv("faithful.csv")
    if dtype.endswith("f4"):
        x = x.astype(np.float32).astype(np.float64)  # the values a float32 file holds
    np.savetxt(tmp_path / "x.csv", x, delimiter=",", fmt="%.17g")
    save(tmp_path / "x.npy", np.asarray(x, dtype=dtype, order=order), version)
    run(cli, "transform", model, tmp_path / "x.csv", "-o", tmp_path / "z.csv")
    run(cli, "transform", model, tmp_path / "x.npy", "-o", tmp_path / "z.npy")
    # x.csv has no header, so neither has z.csv.
    z_csv = np.loadtxt(tmp_path / "z.csv", delimiter=",", ndmin=2)
    z_npy = np.load(tmp_path / "z.npy")
    assert z_npy.dtype == np.float64 and z_npy.shape == x.shape
    np.testing.assert_array_equal(z_npy, z_csv)


def test_fit_on_npy_gives_the_csv_model(cli, tmp_path):
    x = read_csv("faithful.csv")
    np.save(tmp_path / "x.npy", x)
    run(cli, "fit", tmp_path / "x.npy", "-o", tmp_path / "a.rbig", *HIST)
    run(cli, "fit", DATA_DIR / "faithful.csv", "-o", tmp_path / "b.rbig", *HIST)
    assert (tmp_path / "a.rbig").read_bytes() == (tmp_path / "b.rbig").read_bytes()


def test_score_writes_a_vector_and_sample_a_matrix(cli, model, tmp_path):
    x = read_csv("faithful.csv")
    np.save(tmp_path / "x.npy", x)
    run(cli, "score", model, tmp_path / "x.npy", "-o", tmp_path / "logp.npy")
    run(cli, "score", model, DATA_DIR / "faithful.csv", "-o", tmp_path / "logp.csv")
    logp = np.load(tmp_path / "logp.npy")
    assert logp.shape == (len(x),)
    np.testing.assert_array_equal(logp, np.loadtxt(tmp_path / "logp.csv", skiprows=1))
    run(cli, "sample", model, "-n", 50, "--seed", 4, "-o", tmp_path / "s.npy")
    run(cli, "sample", model, "-n", 50, "--seed", 4, "-o", tmp_path / "s.csv")
    np.testing.assert_array_equal(np.load(tmp_path / "s.npy"),
                                  np.loadtxt(tmp_path / "s.csv", delimiter=","))  # no header
    # And back: inverse of the latent .npy gives the data again.
    run(cli, "transform", model, tmp_path / "x.npy", "-o", tmp_path / "z.npy")
    run(cli, "inverse", model, tmp_path / "z.npy", "-o", tmp_path / "back.npy")
    np.testing.assert_allclose(np.load(tmp_path / "back.npy"), x, rtol=1e-9)


def test_npy_on_standard_input_is_recognised_by_its_magic(cli, model, tmp_path):
    x = read_csv("faithful.csv")
    np.save(tmp_path / "x.npy", x)
    with open(tmp_path / "x.npy", "rb") as f:
        done = subprocess.run([cli, "score", str(model), "-", "--json"], stdin=f,
                              capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    with_file = run(cli, "score", model, tmp_path / "x.npy", "--json").stdout
    assert done.stdout.decode() == with_file


def test_bad_npy_files_are_clear_errors_and_write_nothing(cli, model, tmp_path):
    np.save(tmp_path / "c.npy", np.zeros((3, 2), dtype=np.complex128))
    np.save(tmp_path / "nan.npy", np.array([[1.0, 2.0], [np.nan, 3.0]]))
    good = tmp_path / "good.npy"
    np.save(good, read_csv("faithful.csv"))
    (tmp_path / "short.npy").write_bytes(good.read_bytes()[:-5])
    cases = {"c.npy": "unsupported 'descr' \"<c16\"",
             "nan.npy": "row 2, column 1 (byte 144): expected a finite number, got nan",
             "short.npy": "the file ends early"}
    for name, message in cases.items():
        done = run(cli, "score", model, tmp_path / name, "-o", tmp_path / "out.npy", ok=False)
        assert done.returncode == 1
        assert f"{tmp_path / name}: " in done.stderr and message in done.stderr, done.stderr
        assert not (tmp_path / "out.npy").exists()
    # --drop-missing drops the NaN row, as it does for CSV.
    done = run(cli, "score", model, tmp_path / "nan.npy", "--drop-missing", "--json")
    assert '"n":1' in done.stdout
    assert "dropped 1 of 2 rows" in done.stderr
