"""The information measures: known answers, bootstrap results, units and argument checks."""

import math

import numpy as np
import pytest

import rbig


@pytest.fixture(scope="module")
def gaussian():
    # A 3-D Gaussian with known entropy and total correlation.
    cov = np.array([[1.0, 0.6, 0.3], [0.6, 1.0, 0.5], [0.3, 0.5, 1.0]])
    x = np.random.default_rng(2).multivariate_normal(np.zeros(3), cov, size=5000)
    return x, cov


def test_gaussian_known_answers(gaussian):
    x, cov = gaussian
    h_true = 0.5 * math.log((2 * math.pi * math.e) ** 3 * np.linalg.det(cov))
    t_true = -0.5 * math.log(np.linalg.det(cov))
    assert rbig.entropy(x) == pytest.approx(h_true, abs=0.05)
    assert rbig.total_correlation(x) == pytest.approx(t_true, rel=0.1)
    i_true = -0.5 * math.log(np.linalg.det(cov) / np.linalg.det(cov[1:, 1:]))
    assert rbig.mutual_information(x[:, :1], x[:, 1:]) == pytest.approx(i_true, abs=0.03)


def test_bits_are_nats_over_ln2(gaussian):
    x, _ = gaussian
    assert rbig.entropy(x, base=2) == pytest.approx(rbig.entropy(x) / math.log(2), rel=1e-15)


def test_bootstrap_result(gaussian):
    x, _ = gaussian
    result = rbig.total_correlation(x[:1000], n_bootstrap=4, base=2)
    assert isinstance(result, rbig.MeasureResult)
    assert result.unit == "bits" and result.n_bootstrap == 4
    assert result.ci_low <= result.ci_high
    assert float(result) == result.value == rbig.total_correlation(x[:1000], base=2)


def test_conditional_and_kl(gaussian):
    x, _ = gaussian
    cmi = rbig.mutual_information(x[:, :1], x[:, 1:2], x[:, 2:])
    assert np.isfinite(cmi)
    same = rbig.kl_divergence(x[:2500], x[2500:])
    shifted = rbig.kl_divergence(x[:2500] + 1.0, x[2500:])
    assert same < 0.05 < shifted


def test_measure_errors(gaussian):
    x, _ = gaussian
    with pytest.raises(rbig.DimensionError, match="X has 100 rows but Y has 99 rows"):
        rbig.mutual_information(x[:100, :1], x[:99, 1:])
    with pytest.raises(rbig.DimensionError, match="P has 3 columns but Q has 2 columns"):
        rbig.kl_divergence(x, x[:, :2])
    with pytest.raises(rbig.InputError, match="at least 10 rows"):
        rbig.entropy(x[:5])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        rbig.entropy(np.full((20, 2), np.nan))
    with pytest.raises(rbig.OptionError, match="base: must be a finite number > 0 other than 1"):
        rbig.entropy(x, base=1)
    with pytest.raises(rbig.OptionError, match="bootstrap: resamples must be at least 2"):
        rbig.entropy(x[:200], n_bootstrap=1)
    with pytest.raises(rbig.OptionError, match="tol: must be a finite number >= 0"):
        rbig.entropy(x, tol=-1.0)


def test_degenerate_columns(gaussian):
    # A shared column or an affine copy: T and I are +inf exactly (as the CLI prints them);
    # a constant column is refused by every measure, naming it.
    x, _ = gaussian
    x = x[:500]
    with_copy = np.c_[x, 2.0 * x[:, 0] + 1.0]
    assert rbig.total_correlation(with_copy) == math.inf
    assert rbig.mutual_information(x[:, :2], x[:, 1:]) == math.inf
    estimate = rbig.mutual_information_estimate(x[:, :2], x[:, 1:])
    assert estimate.value == math.inf and estimate.fits == ()
    assert estimate.to_dict()["mutual_information"] == math.inf
    with pytest.raises(rbig.InputError, match="linearly dependent"):
        rbig.entropy(with_copy)
    constant = np.c_[x, np.full(len(x), 4.0)]
    for measure in (rbig.total_correlation, rbig.entropy):
        with pytest.raises(rbig.InputError, match="column 4 of x is constant"):
            measure(constant)
    with pytest.raises(rbig.InputError, match="column 3 of y is constant"):
        rbig.mutual_information(x[:, :1], constant[:, 1:])


def test_dequantize_breaks_ties_reproducibly():
    counts = np.random.default_rng(0).integers(0, 5, size=(100, 2)).astype(float)
    a = rbig.dequantize(counts, random_state=3)
    assert np.array_equal(a, rbig.dequantize(counts, random_state=3))
    assert np.abs(a - counts).max() <= 0.5
    assert len(np.unique(a[:, 0])) == 100
