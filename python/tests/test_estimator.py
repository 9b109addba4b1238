"""RBIG as a density model and an invertible map: round trips, normalisation, fitted attributes,
pickling, model selection through GridSearchCV, threads, Ctrl-C."""

import copy
import os
import pickle
import signal
import threading
import time

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

import rbig
from rbig import RBIG

from conftest import FAST


@pytest.fixture(scope="module")
def fitted(cubed):
    return RBIG(**FAST, random_state=3).fit(cubed)


def test_inverse_transform_undoes_transform(fitted, cubed):
    z = fitted.transform(cubed)
    assert z.shape == cubed.shape
    # The same bound the C++ tests hold inside the data (README, "What the tests establish").
    back = fitted.inverse_transform(z)
    np.testing.assert_allclose(back, cubed, rtol=1e-9, atol=1e-9 * np.abs(cubed).max())


def test_latent_coordinates_are_standard_normal(fitted, cubed):
    z = fitted.transform(cubed)
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=0.1)
    np.testing.assert_allclose(np.cov(z, rowvar=False), np.eye(3), atol=0.15)


def test_density_integrates_to_one_in_1d():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(-2.0, 0.5, 1500), rng.normal(1.0, 1.0, 1500)])[:, None]
    model = RBIG(**FAST, random_state=0).fit(x)
    # The trapezoid rule on a fine grid well past the data; the tails hold the rest (< 1e-6).
    grid = np.linspace(-12.0, 14.0, 200001)[:, None]
    mass = np.trapz(np.exp(model.score_samples(grid)), grid[:, 0])
    assert abs(mass - 1.0) < 1e-3


def test_score_is_mean_log_density(fitted, cubed):
    assert fitted.score(cubed) == pytest.approx(np.mean(fitted.score_samples(cubed)), rel=1e-13)


def test_fitted_attributes(fitted, cubed):
    assert fitted.n_features_in_ == 3
    assert fitted.n_layers_ == len(fitted.layer_information_) >= 1
    assert fitted.total_correlation_ == pytest.approx(fitted.layer_information_.sum(), rel=1e-12)
    assert fitted.stop_reason_ in ("converged", "max_layers")
    assert fitted.validation_curve_ is None  # validation_fraction=0: no held-out rows
    assert (fitted.marginal_, fitted.damping_, fitted.bandwidth_) == ("histogram", 1.0, None)
    assert fitted.n_samples_fit_ == len(cubed)
    assert list(fitted.get_feature_names_out()) == ["rbig0", "rbig1", "rbig2"]


def test_default_fit_chooses_on_validation_rows(faithful):
    model = RBIG(random_state=0, n_jobs=1).fit(faithful)
    assert model.marginal_ in ("kde", "spline")
    assert model.damping_ in (1.0, 0.5, 0.3)
    assert model.validation_curve_.shape == (model.n_layers_,)
    assert np.isfinite(model.validation_curve_).all()
    assert "chosen on the validation rows" in model.stop_message_


def test_explicit_validation_rows(cubed):
    model = RBIG(marginal="histogram", damping=1.0, random_state=0, n_jobs=1)
    model.fit(cubed[:1500], validation_data=cubed[1500:])
    assert model.n_samples_fit_ == 1500
    best = int(np.argmax(model.validation_curve_))
    assert best == model.n_layers_ - 1  # the kept depth is the best held-out score
    assert model.validation_curve_[best] == pytest.approx(model.score(cubed[1500:]), rel=1e-12)


def test_sample_shape_seed_and_fit(fitted):
    a = fitted.sample(2000, random_state=11)
    assert a.shape == (2000, 3) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, fitted.sample(2000, random_state=11))
    assert not np.array_equal(a, fitted.sample(2000, random_state=12))
    assert fitted.sample().shape == (1, 3)
    assert fitted.sample(0).shape == (0, 3)


def test_same_seed_same_model_bytes(cubed):
    a = RBIG(**FAST, rotation="random", random_state=5).fit(cubed).to_bytes()
    b = RBIG(**FAST, rotation="random", random_state=5).fit(cubed).to_bytes()
    c = RBIG(**FAST, rotation="random", random_state=6).fit(cubed).to_bytes()
    assert a == b and a != c


def test_threads_never_change_a_result(cubed):
    one = RBIG(**{**FAST, "n_jobs": 1}).fit(cubed)
    two = RBIG(**{**FAST, "n_jobs": 2}).fit(cubed)
    assert one.to_bytes() == two.to_bytes()
    np.testing.assert_array_equal(one.score_samples(cubed), two.score_samples(cubed))
    np.testing.assert_array_equal(one.sample(500, random_state=1), two.sample(500, random_state=1))


@pytest.mark.parametrize("copier", [lambda m: pickle.loads(pickle.dumps(m)), copy.deepcopy],
                         ids=["pickle", "deepcopy"])
def test_copies_give_identical_results(fitted, cubed, copier):
    other = copier(fitted)
    assert other is not fitted and other._model is not fitted._model
    assert other.to_bytes() == fitted.to_bytes()
    np.testing.assert_array_equal(other.score_samples(cubed), fitted.score_samples(cubed))
    np.testing.assert_array_equal(other.transform(cubed), fitted.transform(cubed))
    np.testing.assert_array_equal(other.sample(100, random_state=4),
                                  fitted.sample(100, random_state=4))
    assert other.get_params() == fitted.get_params()
    assert other.n_layers_ == fitted.n_layers_


def test_clone_is_unfitted_with_same_params(fitted):
    twin = clone(fitted)
    assert twin.get_params() == fitted.get_params()
    assert not hasattr(twin, "_model") and not hasattr(twin, "n_layers_")


def test_save_and_load(tmp_path, fitted, cubed):
    path = tmp_path / "cubed.rbig"
    fitted.save(path)
    loaded = rbig.load(path)
    assert loaded.to_bytes() == fitted.to_bytes() == path.read_bytes()
    np.testing.assert_array_equal(loaded.score_samples(cubed), fitted.score_samples(cubed))
    assert loaded.get_params()["marginal"] == "histogram"
    assert loaded.n_features_in_ == 3 and loaded.n_layers_ == fitted.n_layers_


def test_grid_search_over_damping_by_log_likelihood(cubed):
    search = GridSearchCV(
        RBIG(marginal="histogram", validation_fraction=0.0, max_layers=30, random_state=0,
             n_jobs=1),
        {"damping": [0.3, 1.0]}, cv=3)
    search.fit(cubed)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all()
    assert search.best_params_["damping"] == [0.3, 1.0][int(np.argmax(scores))]
    # The score is the held-out mean log-likelihood: refit on the first split by hand.
    train_rows, test_rows = next(KFold(3).split(cubed))
    train, test = cubed[train_rows], cubed[test_rows]
    by_hand = RBIG(marginal="histogram", validation_fraction=0.0, max_layers=30, random_state=0,
                   damping=search.best_params_["damping"], n_jobs=1).fit(train)
    assert search.cv_results_["split0_test_score"][int(np.argmax(scores))] == \
        pytest.approx(by_hand.score(test), rel=1e-12)


def test_ctrl_c_interrupts_a_fit_and_keeps_the_estimator(cubed):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    big = np.random.default_rng(0).normal(size=(200000, 8)) ** 3
    model = RBIG(marginal="histogram", damping=0.3, validation_fraction=0.0, n_layers=100000,
                 n_jobs=1)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            model.fit(big)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 10.0  # stopped after a layer or so, not at 100,000
    assert not hasattr(model, "n_features_in_") and not hasattr(model, "_model")
    model.set_params(n_layers=2).fit(cubed)  # the same object fits normally afterwards
    assert model.n_layers_ == 2


def test_gil_is_released_during_fit(cubed):
    # Another Python thread runs while a fit computes.
    big = np.random.default_rng(0).normal(size=(100000, 5)) ** 3
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    # 100 layers: about 0.23 s here, some 215 ticks if the GIL is free and none if it is held.
    model = RBIG(marginal="histogram", damping=1.0, validation_fraction=0.0, n_layers=100,
                 n_jobs=1)
    ticker.start()
    try:
        before = len(ticks)
        model.fit(big)
        during = len(ticks) - before
    finally:
        stop.set()
        ticker.join()
    assert during > 20


def test_float64_fortran_input_is_not_copied(cubed):
    from rbig import _rbig
    fortran = np.asfortranarray(cubed)
    assert _rbig._data_address(fortran) == fortran.ctypes.data
    # Other layouts and types are converted once, not refused.
    assert _rbig._data_address(np.ascontiguousarray(cubed)) != cubed.ctypes.data
    model = RBIG(**FAST).fit(fortran)
    for variant in (np.ascontiguousarray(cubed), cubed.astype(np.float32), cubed.tolist()):
        np.testing.assert_allclose(model.score_samples(variant),
                                   model.score_samples(np.asarray(variant, dtype=np.float64)))
