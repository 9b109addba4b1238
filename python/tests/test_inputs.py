"""Bad inputs and bad parameters raise clear exceptions (ValueError for data and options, OSError
for files), with the library's messages where the library finds the problem."""

import numpy as np
import pytest

import rbig
from rbig import RBIG

from conftest import FAST


@pytest.fixture(scope="module")
def fitted(cubed):
    return RBIG(**FAST).fit(cubed)


@pytest.mark.parametrize("bad, message", [
    (np.nan, "Input X contains NaN"),
    (np.inf, "Input X contains infinity"),
])
def test_non_finite_values(cubed, fitted, bad, message):
    x = cubed.copy()
    x[5, 1] = bad
    for call in (RBIG(**FAST).fit, fitted.score_samples, fitted.transform, fitted.score):
        with pytest.raises(ValueError, match=message):
            call(x)


def test_one_dimensional_arrays(fitted):
    for call in (RBIG(**FAST).fit, fitted.score_samples, fitted.transform,
                 fitted.inverse_transform):
        with pytest.raises(ValueError, match="Expected 2D array, got 1D array instead"):
            call(np.arange(10.0))


def test_wrong_number_of_columns(fitted):
    with pytest.raises(ValueError, match="X has 2 features, but RBIG is expecting 3 features"):
        fitted.score_samples(np.ones((5, 2)))
    with pytest.raises(rbig.DimensionError, match="Z has 4 columns, the model has 3 dimensions"):
        fitted.inverse_transform(np.ones((5, 4)))


def test_wrong_dtypes(cubed):
    with pytest.raises(ValueError, match="could not convert string to float"):
        RBIG(**FAST).fit(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(ValueError, match="Complex data not supported"):
        RBIG(**FAST).fit(cubed + 1j)
    # Integers, float32, lists and booleans are converted once, not refused.
    ints = np.random.default_rng(0).integers(0, 50, size=(300, 2))
    assert np.isfinite(RBIG(**FAST).fit(ints).score_samples(ints)).all()
    assert RBIG(**FAST).fit(cubed.astype(np.float32)).n_features_in_ == 3


def test_library_data_errors_keep_their_message():
    x = np.random.default_rng(0).normal(size=(50, 3))
    x[:, 2] = 5.0
    with pytest.raises(rbig.InputError, match=r"training data: column 3 is constant") as caught:
        RBIG(**FAST).fit(x)
    assert isinstance(caught.value, ValueError)
    assert (caught.value.column, caught.value.line) == (3, 0)
    with pytest.raises(rbig.InputError, match=r"need more rows than columns"):
        RBIG(**FAST).fit(np.random.default_rng(0).normal(size=(4, 6)))
    with pytest.raises(ValueError, match="1 sample"):
        RBIG(**FAST).fit(np.ones((1, 2)))


def test_failed_fit_leaves_the_estimator_as_it_was(cubed):
    model = RBIG(**FAST).fit(cubed)
    before = model.to_bytes()
    bad = cubed[:, :2].copy()
    bad[:, 1] = 1.0
    with pytest.raises(rbig.InputError):
        model.fit(bad)
    assert model.n_features_in_ == 3 and model.to_bytes() == before
    with pytest.raises(ValueError):
        RBIG(**FAST).score_samples(cubed)  # NotFittedError is a ValueError


@pytest.mark.parametrize("params, message", [
    (dict(marginal="wavelet"),
     "marginal: unknown name 'wavelet' \\(valid: histogram, gaussian, kde, spline, auto\\)"),
    (dict(rotation="qr"), 'rotation: unknown name "qr" \\(valid: pca, random, ica, pursuit, sliced\\)'),
    (dict(damping=1.5), r"damping: must be in \(0, 1\] \(got 1.5\)"),
    (dict(damping="strong"), 'damping: expected a number or "auto"'),
    (dict(validation_fraction=1.0), r"validation_fraction: must be a fraction in \[0, 1\)"),
    (dict(n_layers=0), r"n_layers: must be between 1 and 100000 \(got 0\)"),
    (dict(max_layers=2.5), r"max_layers: must be an integer \(got 2.5\)"),
    (dict(bins=1), r"bins: must be between 2 and 100000 \(got 1\)"),
    (dict(bandwidth="wide"), "bandwidth: expected a number of standard deviations, silverman, "
                             "plugin, annealed or auto"),
    (dict(bandwidth=-1.0), r"bandwidth: must be in \(0, 100\] standard deviations"),
    (dict(random_state=-1), "random_state: must be an integer from 0 to 2\\*\\*64 - 1"),
    (dict(n_jobs=0), "n_jobs: must not be 0"),
    (dict(gaussian_fallback="yes"), "gaussian_fallback: must be True or False"),
])
def test_bad_parameters_name_the_parameter(cubed, params, message):
    with pytest.raises(rbig.OptionError, match=message) as caught:
        RBIG(**{**FAST, **params}).fit(cubed)
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == message.split(":")[0]


def test_ignored_options_warn_like_the_cli(cubed):
    with pytest.warns(UserWarning, match="bins is ignored with marginal='kde'"):
        RBIG(marginal="kde", bins=20, damping=1.0, validation_fraction=0, max_layers=2).fit(cubed)


def test_sample_arguments(fitted):
    with pytest.raises(ValueError, match=r"n_samples: must be at least 0 \(got -1\)"):
        fitted.sample(-1)
    with pytest.raises(ValueError, match="n_samples: must be an integer"):
        fitted.sample(2.5)


def test_model_files(tmp_path, fitted):
    with pytest.raises(FileNotFoundError):
        rbig.load(tmp_path / "missing.rbig")
    with pytest.raises(IsADirectoryError):
        rbig.load(tmp_path)
    junk = tmp_path / "junk.rbig"
    junk.write_bytes(b"not a model at all, just some bytes")
    with pytest.raises(rbig.ModelFileError,
                       match=f"{junk}: not an rbig model file \\(wrong magic bytes\\)") as caught:
        rbig.load(junk)
    assert isinstance(caught.value, ValueError)
    good = tmp_path / "good.rbig"
    fitted.save(good)
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped = tmp_path / "flipped.rbig"
    flipped.write_bytes(bytes(data))
    with pytest.raises(rbig.ModelFileError, match="checksum mismatch"):
        rbig.load(flipped)
    truncated = tmp_path / "truncated.rbig"
    truncated.write_bytes(good.read_bytes()[:40])
    with pytest.raises(rbig.ModelFileError, match="truncated"):
        rbig.load(truncated)
    with pytest.raises(OSError, match="cannot"):
        fitted.save(tmp_path / "no" / "such" / "folder" / "m.rbig")


class _Frame:
    """The part of a pandas DataFrame scikit-learn reads feature names from (pandas itself is
    not a dependency): string column names beside the values."""

    def __init__(self, values, columns):
        self.values = np.asarray(values)
        self.columns = list(columns)
        self.shape = self.values.shape

    def __array__(self, dtype=None):
        return self.values if dtype is None else self.values.astype(dtype)

    def __len__(self):
        return len(self.values)


def test_feature_names_from_a_frame(cubed):
    model = RBIG(**FAST).fit(_Frame(cubed, ["a", "b", "c"]))
    assert list(model.feature_names_in_) == ["a", "b", "c"]
    x = cubed.copy()
    x[:, 1] = 2.0
    with pytest.raises(rbig.InputError,
                       match=r'training data: column 2 \("b"\) is constant') as caught:
        RBIG(**FAST).fit(_Frame(x, ["a", "b", "c"]))
    assert (caught.value.column, caught.value.path) == (2, "training data")
