"""RBIG with the sliced rotation and radial layers (their mathematics: inverse, normalisation),
and with a work file (same model bytes, files removed)."""

import os

import numpy as np
import pytest
from sklearn.base import clone

import rbig
from rbig import RBIG

from conftest import FAST


@pytest.fixture(scope="module")
def banana():
    """A curved 2-D density: x2 = x1^2 / 2 + noise."""
    rng = np.random.default_rng(5)
    a = rng.normal(size=1500)
    return np.column_stack([a, 0.5 * a ** 2 + 0.5 * rng.normal(size=1500)])


@pytest.fixture(scope="module")
def sliced(banana):
    return RBIG(**{**FAST, "max_layers": 8}, rotation="sliced", random_state=2).fit(banana)


def grid_mass(model, low, high, points):
    """The trapezoid rule of exp(log p) on a square grid of points x points over [low, high]^2."""
    axis = np.linspace(low, high, points)
    xx, yy = np.meshgrid(axis, axis, indexing="ij")
    density = np.exp(model.score_samples(np.column_stack([xx.ravel(), yy.ravel()])))
    return np.trapz(np.trapz(density.reshape(points, points), axis, axis=1), axis)


def test_sliced_model_inverts(sliced, banana):
    assert sliced.n_layers_ >= 2 and sliced.get_params()["rotation"] == "sliced"
    back = sliced.inverse_transform(sliced.transform(banana))
    np.testing.assert_allclose(back, banana, rtol=1e-9, atol=1e-9)


def test_sliced_density_integrates_to_one_in_2d(sliced):
    # The data lie in [-4, 4] x [-2, 9]; the square [-12, 16]^2 leaves tails below the tolerance.
    assert grid_mass(sliced, -12.0, 16.0, 561) == pytest.approx(1.0, abs=5e-3)


@pytest.fixture(scope="module")
def radial_t():
    """A 2-D Student-t (nu = 3): elliptical, the case radial layers are for."""
    rng = np.random.default_rng(6)
    return np.sqrt(3.0 / rng.chisquare(3, size=(1500, 1))) * rng.normal(size=(1500, 2))


def test_radial_model_inverts_and_integrates_to_one(radial_t):
    model = RBIG(**FAST, radial=True, random_state=1).fit(radial_t)
    assert model.get_params()["radial"] is True
    back = model.inverse_transform(model.transform(radial_t))
    np.testing.assert_allclose(back, radial_t, rtol=1e-9, atol=1e-9)
    # Heavy tails: the t's own mass outside radius 40 is (1 + 40^2 / 3)^(-3/2) < 1e-4. The grid
    # read 0.9979 on [-30, 30]^2, [-40, 40]^2 and [-100, 100]^2 alike (step 0.2).
    assert grid_mass(model, -40.0, 40.0, 401) == pytest.approx(1.0, abs=1e-2)


def test_radial_parameter_round_trips(radial_t, tmp_path):
    model = RBIG(**FAST, radial=True, random_state=1).fit(radial_t)
    path = tmp_path / "radial.rbig"
    model.save(path)
    loaded = rbig.load(path)
    assert loaded.get_params()["radial"] is True
    np.testing.assert_array_equal(loaded.score_samples(radial_t), model.score_samples(radial_t))
    assert clone(model).get_params()["radial"] is True
    with pytest.raises(rbig.OptionError, match="radial: must be True or False"):
        RBIG(radial=1).fit(radial_t)


def test_work_file_gives_the_same_model_bytes(banana, tmp_path):
    work = tmp_path / "fit"
    params = dict(FAST, random_state=4)
    in_memory = RBIG(**params).fit(banana)
    mapped = RBIG(**params, work_file=work).fit(banana)
    assert mapped.to_bytes() == in_memory.to_bytes()
    assert os.listdir(tmp_path) == []  # every work_file.* removed after the fit
    assert mapped.get_params()["work_file"] == work
    assert rbig.RBIG.from_bytes(mapped.to_bytes()).get_params()["work_file"] is None
    # The default fit (validation split, model selection) also keeps its matrices there.
    default = RBIG(n_jobs=1, max_layers=20, work_file=str(work)).fit(banana)
    assert default.to_bytes() == RBIG(n_jobs=1, max_layers=20).fit(banana).to_bytes()


def test_work_file_errors(banana, tmp_path):
    with pytest.raises(rbig.OptionError, match="work_file: is not supported with radial"):
        RBIG(**FAST, radial=True, work_file=tmp_path / "w").fit(banana)
    with pytest.raises(rbig.OptionError, match="work_file: must be a path or None"):
        RBIG(**FAST, work_file=3).fit(banana)
    other = tmp_path / "w.work"
    other.write_text("not a work file")
    with pytest.raises(rbig.Error, match="w.work"):
        RBIG(**FAST, work_file=tmp_path / "w").fit(banana)
    assert other.read_text() == "not a work file"


@pytest.fixture(scope="module")
def board():
    """1,500 rows uniform on the 8 dark unit squares of a 4x4 board on [-2, 2]^2: hard edges, the
    case tree layers are for."""
    rng = np.random.default_rng(7)
    cells = np.array([(i, j) for i in range(4) for j in range(4) if (i + j) % 2 == 0])
    return cells[rng.integers(0, 8, size=1500)] - 2.0 + rng.uniform(size=(1500, 2))


def test_tree_model_inverts_and_integrates_to_one(board):
    model = RBIG(**FAST, tree=True, random_state=3).fit(board)
    assert "tree" in model.layer_kinds_ and model.get_params()["tree"] is True
    back = model.inverse_transform(model.transform(board))
    np.testing.assert_allclose(back, board, rtol=1e-9, atol=1e-9)
    assert grid_mass(model, -8.0, 8.0, 801) == pytest.approx(1.0, abs=1e-2)


@pytest.fixture(scope="module")
def two_blobs():
    """Two well separated 2-D Gaussians: the family a mixture first layer fits exactly."""
    rng = np.random.default_rng(8)
    side = rng.integers(0, 2, size=(2000, 1))
    return np.where(side == 1, 3.0, -3.0) + rng.normal(size=(2000, 2)) * [1.0, 0.4]


def test_mixture_first_layer_is_kept_inverts_and_integrates_to_one(two_blobs, tmp_path):
    params = dict(marginal="kde", damping=1.0, max_layers=20, n_jobs=1, random_state=2)
    model = RBIG(**params, mixture=True).fit(two_blobs)
    assert model.layer_kinds_[0] == "mixture"
    assert list(model.layer_kinds_[1:]) == ["marginal"] * (model.n_layers_ - 1)
    back = model.inverse_transform(model.transform(two_blobs))
    np.testing.assert_allclose(back, two_blobs, rtol=1e-9, atol=1e-9)
    assert grid_mass(model, -12.0, 12.0, 481) == pytest.approx(1.0, abs=5e-3)
    # It was kept because the held-out rows score higher with it; on fresh rows too.
    fresh = np.random.default_rng(9)
    side = fresh.integers(0, 2, size=(2000, 1))
    test = np.where(side == 1, 3.0, -3.0) + fresh.normal(size=(2000, 2)) * [1.0, 0.4]
    without = RBIG(**params, mixture=False).fit(two_blobs)
    assert "mixture" not in without.layer_kinds_
    assert model.score(test) > without.score(test)
    # The default (None) offers it on the same held-out rows, so it makes the same decision.
    assert RBIG(**params).fit(two_blobs).to_bytes() == model.to_bytes()
    path = tmp_path / "mixture.rbig"
    model.save(path)
    loaded = rbig.load(path)
    assert loaded.get_params()["mixture"] is True and loaded.layer_kinds_[0] == "mixture"
    np.testing.assert_array_equal(loaded.score_samples(test), model.score_samples(test))


def test_mixture_needs_held_out_rows(two_blobs):
    with pytest.raises(rbig.OptionError, match="mixture"):
        RBIG(**FAST, mixture=True).fit(two_blobs)
    # The default offers it only where rows are held out: not here, and not with n_layers.
    for params in (FAST, {**FAST, "validation_fraction": 0.1, "n_layers": 3}):
        model = RBIG(**params).fit(two_blobs)
        assert "mixture" not in model.layer_kinds_
        assert rbig.RBIG.from_bytes(model.to_bytes()).get_params()["mixture"] is False
    with pytest.raises(rbig.OptionError, match="mixture: must be True, False or None"):
        RBIG(mixture="yes").fit(two_blobs)
    with pytest.raises(rbig.OptionError, match="tree: must be True or False"):
        RBIG(tree="yes").fit(two_blobs)


@pytest.fixture(scope="module")
def funnel():
    """1,500 rows of Neal's funnel, v ~ N(0, 1.5^2), x | v ~ N(0, e^v): conditionally Gaussian with
    a scale that depends on v, the case coupling layers are for."""
    rng = np.random.default_rng(10)
    v = 1.5 * rng.normal(size=1500)
    return np.column_stack([v, np.exp(0.5 * v) * rng.normal(size=1500)])


def test_coupling_model_inverts_integrates_to_one_and_says_what_it_did(funnel, tmp_path):
    params = dict(marginal="kde", damping=0.5, mixture=False, max_layers=30, n_jobs=1,
                  random_state=4)
    model = RBIG(**params, coupling=True).fit(funnel)
    assert "coupling" in model.layer_kinds_ and model.get_params()["coupling"] is True
    back = model.inverse_transform(model.transform(funnel))
    np.testing.assert_allclose(back, funnel, rtol=1e-9, atol=1e-9)
    assert grid_mass(model, -12.0, 12.0, 601) == pytest.approx(1.0, abs=1e-2)
    never = RBIG(**params, coupling=False).fit(funnel)
    assert "coupling" not in never.layer_kinds_ and never.get_params()["coupling"] is False
    # The default (None) tries the challenger; the model's bytes say whether it kept it.
    chosen = RBIG(**params).fit(funnel)
    assert chosen.get_params()["coupling"] is None
    kept = rbig.RBIG.from_bytes(chosen.to_bytes()).get_params()["coupling"]
    assert kept in (True, False) and kept == ("coupling" in chosen.layer_kinds_)
    path = tmp_path / "coupling.rbig"
    model.save(path)
    assert rbig.load(path).get_params()["coupling"] is True
    with pytest.raises(rbig.OptionError, match="coupling: must be True, False or None"):
        RBIG(**params, coupling="yes").fit(funnel)
