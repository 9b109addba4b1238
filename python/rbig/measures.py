"""Information-theory measures by multidimensional Gaussianization (Laparra et al. 2020), the
same estimators and the same numbers as ``rbig entropy|tc|mi|kld`` for the same data, options
and seed: each function builds the options those commands build from their flags (rotation,
max_layers, tol, bins, random_state = --seed) and the library fits greedily on every row."""

import math
import numbers
from typing import NamedTuple

import numpy as np
from sklearn.utils.validation import check_array

from . import _rbig
from ._params import DEFAULTS, check_int, measure_options, option_error, seed_of


class MeasureResult(NamedTuple):
    """An estimate with its half-sampling interval (``n_bootstrap > 0``)."""

    value: float
    ci_low: float
    ci_high: float
    unit: str
    n_bootstrap: int
    confidence_level: float

    def __float__(self):
        return float(self.value)


def _unit(base):
    if isinstance(base, bool) or not isinstance(base, numbers.Real) or \
            not (math.isfinite(base) and base > 0 and base != 1):
        raise option_error("base", f"must be a finite number > 0 other than 1 (got {base!r})")
    if base == math.e:
        return "nats"
    if base == 2:
        return "bits"
    if base == 10:
        return "hartleys"
    return f"log base {base:g} units"


def _array(X, name):
    # One conversion to float64 in Fortran order; a float64 Fortran array passes uncopied.
    return check_array(X, dtype=np.float64, order="F", input_name=name)


def _result(raw, base, n_bootstrap, confidence_level):
    value, low, high = raw
    scale = 1.0 / math.log(base)
    if not n_bootstrap:
        return value * scale
    return MeasureResult(value * scale, low * scale, high * scale, _unit(base), n_bootstrap,
                         confidence_level)


def _run(function, arrays, base, n_bootstrap, confidence_level, random_state, rotation,
         max_layers, tol, bins, n_jobs):
    _unit(base)
    n_bootstrap = check_int("n_bootstrap", n_bootstrap, minimum=0)
    options = measure_options(rotation, max_layers, tol, bins, random_state, n_jobs)
    raw = function(*arrays, options=options, resamples=n_bootstrap, level=confidence_level)
    return _result(raw, base, n_bootstrap, confidence_level)


_COMMON_DOC = """
    base : float, default=math.e
        Logarithm base of the result: e (nats), 2 (bits), any other > 0.
    n_bootstrap : int, default=0
        With B > 0 (at least 2), also an interval from B half-samples of the rows drawn without
        replacement (``rbig::subsample_interval``, as ``--bootstrap B``), each refitting the
        models on half the rows, and a MeasureResult instead of a float.
    confidence_level : float, default=0.95
        Of the bootstrap interval.
    random_state : int or None, default=0
        The seed (``--seed``) of the fits and of the bootstrap resamples; None means 0.
    rotation, max_layers, tol, bins :
        As in RBIG and ``rbig fit``; the marginals are kde (bins is then unused, as in the CLI).
    n_jobs : int or None, default=None
        Threads (None, -1: all cores); never changes the result.

    Returns
    -------
    float, or MeasureResult(value, ci_low, ci_high, unit, n_bootstrap, confidence_level) when
    n_bootstrap > 0. Errors: rbig.InputError (a ValueError) for fewer than 10 rows, values that
    are not finite, a constant column; rbig.DimensionError for operands that do not match.
"""


def entropy(X, *, base=math.e, n_bootstrap=0, confidence_level=0.95, random_state=0,
            rotation=DEFAULTS.rotation, max_layers=DEFAULTS.max_layers, tol=DEFAULTS.tol,
            bins=None, n_jobs=None):
    return _run(_rbig.entropy, [_array(X, "X")], base, n_bootstrap, confidence_level,
                random_state, rotation, max_layers, tol, bins, n_jobs)


entropy.__doc__ = """Differential entropy H(X) of the rows of X (n_samples, n_features), as
    ``rbig entropy``: H = sum_d H(Z_d) - T(Z) - log|det W| after a linear unmixing Z = W X.
""" + _COMMON_DOC


def total_correlation(X, *, base=math.e, n_bootstrap=0, confidence_level=0.95, random_state=0,
                      rotation=DEFAULTS.rotation, max_layers=DEFAULTS.max_layers,
                      tol=DEFAULTS.tol, bins=None, n_jobs=None):
    return _run(_rbig.total_correlation, [_array(X, "X")], base, n_bootstrap, confidence_level,
                random_state, rotation, max_layers, tol, bins, n_jobs)


total_correlation.__doc__ = """Total correlation T(X) = sum_d H(X_d) - H(X) of the rows of X, as
    ``rbig tc``: the information Gaussianization removes, summed over layers.
""" + _COMMON_DOC


def mutual_information(X, Y, Z=None, *, base=math.e, n_bootstrap=0, confidence_level=0.95,
                       random_state=0, rotation=DEFAULTS.rotation,
                       max_layers=DEFAULTS.max_layers, tol=DEFAULTS.tol, bins=None,
                       n_jobs=None):
    arrays = [_array(X, "X"), _array(Y, "Y"), None if Z is None else _array(Z, "Z")]
    return _run(_rbig.mutual_information, arrays, base, n_bootstrap, confidence_level,
                random_state, rotation, max_layers, tol, bins, n_jobs)


mutual_information.__doc__ = """Mutual information I(X;Y) between the columns of X and of Y (the
    same samples: equal row counts), as ``rbig mi``; with Z, the conditional I(X;Y|Z) by the
    chain rule (``rbig mi --z``). Bootstrap resamples rows of [X Y (Z)] jointly.
""" + _COMMON_DOC


def kl_divergence(P, Q, *, base=math.e, n_bootstrap=0, confidence_level=0.95, random_state=0,
                  rotation=DEFAULTS.rotation, max_layers=DEFAULTS.max_layers, tol=DEFAULTS.tol,
                  bins=None, n_jobs=None):
    return _run(_rbig.kl_divergence, [_array(P, "P"), _array(Q, "Q")], base, n_bootstrap,
                confidence_level, random_state, rotation, max_layers, tol, bins, n_jobs)


kl_divergence.__doc__ = """KL(P||Q) from samples of P and Q (same columns), as ``rbig kld``: the
    non-Gaussianity of P's rows in the latent space of a model fitted on Q. Bootstrap resamples
    P and Q independently.
""" + _COMMON_DOC


def dequantize(X, random_state=0):
    """X plus independent noise uniform on +-1/2 step of each column's grid step (the smallest
    gap between its distinct values), for tied or integer data before a density fit (Theis et
    al. 2016); seeded, so the same X and seed give the same values. (``rbig fit --dequantize``
    seeds the noise of its one input file the same way.)"""
    return _rbig.dequantize(_array(X, "X"), seed_of(random_state))


__all__ = ["MeasureResult", "entropy", "total_correlation", "mutual_information",
           "kl_divergence", "dequantize"]
