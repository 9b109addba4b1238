"""Information-theory measures by multidimensional Gaussianization (Laparra et al. 2020), the
same estimators and the same numbers as ``rbig entropy|tc|mi|kld`` for the same data, options
and seed: each function builds the options those commands build from their flags (marginal,
rotation, radial, n_layers = --layers, max_layers, tol, patience, gaussian_fallback, bins,
bandwidth, random_state = --seed) and the library fits greedily on every row.

``entropy`` and the others return a float (a MeasureResult with ``n_bootstrap``);
``entropy_estimate`` and the others return an InfoEstimate: the value, its interval and the fits
behind it, as ``--json`` prints them."""

import dataclasses
import inspect
import math
import numbers
from typing import NamedTuple, Optional, Tuple

import numpy as np
from sklearn.utils.validation import check_array

from . import _rbig
from ._params import (DEFAULTS, MEASURE_BANDWIDTH, MEASURE_MARGINAL, check_int, measure_options,
                      option_error, seed_of)


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


@dataclasses.dataclass(frozen=True, eq=False)
class EstimateFit:
    """One model fit behind an estimate (``rbig::EstimateFit``), in the estimate's unit."""

    role: str  # "x" (tc), "unmixed x" (entropy), "x", "y", "x,y" (mi), "q", ... (kld)
    weight: float  # the estimate holds weight * total_correlation: +1, -1, or 0 (a map only)
    n: int  # rows fitted
    dims: int  # columns fitted
    layers: int
    radial_layers: int  # of layers, how many are radial
    stop: str  # why the fit stopped: "converged", "max_layers", ...
    stop_message: str
    total_correlation: float
    info_reduction: np.ndarray  # per layer; sums to total_correlation

    def to_dict(self):
        out = dataclasses.asdict(self)
        out["info_reduction"] = self.info_reduction.tolist()
        return out


@dataclasses.dataclass(frozen=True, eq=False)
class InfoEstimate:
    """An estimate with the fits behind it (``rbig::InfoEstimate``):
    value = sum(fit.weight * fit.total_correlation for fit in fits) + other_terms.
    ci_low and ci_high are None without a bootstrap. ``to_dict()`` gives the object
    ``rbig <command> --json`` prints (without its "command" key)."""

    measure: str  # "entropy", "total_correlation", "mutual_information", ...
    value: float
    unit: str
    n: int  # rows (of P for kl_divergence)
    dims: int  # columns (all blocks together for mutual information)
    other_terms: float  # the part not read from layers (see rbig::InfoEstimate::other)
    fits: Tuple[EstimateFit, ...]
    ci_low: Optional[float] = None
    ci_high: Optional[float] = None
    n_bootstrap: int = 0
    confidence_level: float = 0.95
    n_q: Optional[int] = None  # rows of Q, kl_divergence only

    @property
    def layers(self):
        """Layers of all fits together."""
        return sum(fit.layers for fit in self.fits)

    def __float__(self):
        return float(self.value)

    def to_dict(self):
        out = {self.measure: self.value, "unit": self.unit, "n": self.n, "dims": self.dims,
               "layers": self.layers, "other_terms": self.other_terms,
               "fits": [fit.to_dict() for fit in self.fits]}
        if self.n_q is not None:
            out["n_q"] = self.n_q
        if self.n_bootstrap:
            out.update(ci_low=self.ci_low, ci_high=self.ci_high, bootstrap=self.n_bootstrap)
        return out


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


def _parameters(*, base=math.e, n_bootstrap=0, confidence_level=0.95, random_state=0,
                marginal=MEASURE_MARGINAL, rotation=DEFAULTS.rotation, radial=DEFAULTS.radial,
                n_layers=None, max_layers=DEFAULTS.max_layers, tol=DEFAULTS.tol,
                patience=DEFAULTS.patience, gaussian_fallback=DEFAULTS.gaussian_fallback,
                bins=None, bandwidth=MEASURE_BANDWIDTH, n_jobs=None):
    """The keyword parameters every measure takes, with their defaults (one place)."""
    return dict(locals())


def _estimate(measure, kernel, arrays, shape, params):
    """Runs kernel (an _rbig function) with the options params describe: an InfoEstimate."""
    unit = _unit(params["base"])
    n_bootstrap = check_int("n_bootstrap", params["n_bootstrap"], minimum=0)
    options = measure_options(
        params["marginal"], params["rotation"], params["radial"], params["n_layers"],
        params["max_layers"], params["tol"], params["patience"], params["gaussian_fallback"],
        params["bins"], params["bandwidth"], params["random_state"], params["n_jobs"])
    raw = kernel(*arrays, options=options, resamples=n_bootstrap,
                 level=params["confidence_level"])
    scale = 1.0 / math.log(params["base"])
    fits = tuple(
        EstimateFit(fit["role"], fit["weight"], fit["n"], fit["dims"], fit["layers"],
                    fit["radial_layers"], fit["stop"], fit["stop_message"],
                    fit["total_correlation"] * scale,
                    np.array([v * scale for v in fit["info_reduction"]], dtype=np.float64))
        for fit in raw["fits"])
    low, high = raw["ci_low"], raw["ci_high"]
    return InfoEstimate(measure, raw["value"] * scale, unit, shape[0], shape[1],
                        raw["other_terms"] * scale, fits,
                        None if low is None else low * scale,
                        None if high is None else high * scale, n_bootstrap,
                        params["confidence_level"])


def _value(estimate):
    """What entropy() and the others return: the value, or a MeasureResult with an interval."""
    if not estimate.n_bootstrap:
        return estimate.value
    return MeasureResult(estimate.value, estimate.ci_low, estimate.ci_high, estimate.unit,
                         estimate.n_bootstrap, estimate.confidence_level)


def _params_of(function, options):
    try:
        return _parameters(**options)
    except TypeError as error:
        raise TypeError(str(error).replace("_parameters()", f"{function}()")) from None


def _signed(function, arrays):
    """function's signature for help() and inspect: the data arrays, then the parameters."""
    defaults = _parameters()
    positional = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    default=None if name == "Z" else inspect.Parameter.empty)
                  for name in arrays]
    keywords = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=value)
                for name, value in defaults.items()]
    function.__signature__ = inspect.Signature(positional + keywords)
    return function


def entropy_estimate(X, **options):
    params = _params_of("entropy_estimate", options)
    x = _array(X, "X")
    return _estimate("entropy", _rbig.entropy, [x], x.shape, params)


def total_correlation_estimate(X, **options):
    params = _params_of("total_correlation_estimate", options)
    x = _array(X, "X")
    return _estimate("total_correlation", _rbig.total_correlation, [x], x.shape, params)


def mutual_information_estimate(X, Y, Z=None, **options):
    params = _params_of("mutual_information_estimate", options)
    arrays = [_array(X, "X"), _array(Y, "Y"), None if Z is None else _array(Z, "Z")]
    measure = "mutual_information" if Z is None else "conditional_mutual_information"
    shape = (arrays[0].shape[0], sum(a.shape[1] for a in arrays if a is not None))
    return _estimate(measure, _rbig.mutual_information, arrays, shape, params)


def kl_divergence_estimate(P, Q, **options):
    params = _params_of("kl_divergence_estimate", options)
    p, q = _array(P, "P"), _array(Q, "Q")
    estimate = _estimate("kl_divergence", _rbig.kl_divergence, [p, q], p.shape, params)
    return dataclasses.replace(estimate, n_q=q.shape[0])


def entropy(X, **options):
    return _value(entropy_estimate(X, **options))


def total_correlation(X, **options):
    return _value(total_correlation_estimate(X, **options))


def mutual_information(X, Y, Z=None, **options):
    return _value(mutual_information_estimate(X, Y, Z, **options))


def kl_divergence(P, Q, **options):
    return _value(kl_divergence_estimate(P, Q, **options))


_COMMON_DOC = """
    base : float, default=math.e
        Logarithm base of the result: e (nats), 2 (bits), any other > 0.
    n_bootstrap : int, default=0
        With B > 0 (at least 2), also an interval from B half-samples of the rows drawn without
        replacement (``rbig::subsample_interval``, as ``--bootstrap B``), each refitting the
        models on half the rows.
    confidence_level : float, default=0.95
        Of the bootstrap interval.
    random_state : int or None, default=0
        The seed (``--seed``) of the fits, rank scores and bootstrap resamples; None means 0.
    marginal : str, default="kde"
        ``--marginal``: histogram, gaussian, kde or spline.
    rotation : str, default="pca"
        ``--rotation``: pca, random, ica, pursuit or sliced.
    radial : bool, default=False
        ``--[no-]radial``: offer each layer a radial Gaussianization (dependence through a
        shared scale, e.g. a multivariate Student-t); mutual information then estimates
        T(X,Y) - T(X) - T(Y).
    n_layers : int or None, default=None
        ``--layers``: exactly this many layers per fit (None: depth by the information rule).
    max_layers, tol, patience, gaussian_fallback :
        As in RBIG and ``rbig fit`` (the information stopping rule).
    bins : int or None, default=None
        ``--bins``: histogram marginal only (a warning otherwise); None: Scott's rule.
    bandwidth : float or str, default="silverman"
        ``--bandwidth``: kde marginal only; standard deviations, or silverman, plugin, annealed.
    n_jobs : int or None, default=None
        Threads (None, -1: all cores); never changes the result.

    Errors: rbig.InputError (a ValueError) for fewer than 10 rows, values that are not finite,
    a constant column; rbig.DimensionError for operands that do not match; rbig.OptionError for
    a bad parameter (TypeError for an unknown one).
"""

_VALUE_RETURNS = """
    Returns
    -------
    float, or MeasureResult(value, ci_low, ci_high, unit, n_bootstrap, confidence_level) when
    n_bootstrap > 0. ``{name}_estimate`` takes the same parameters and also returns the fits.
"""

_ESTIMATE_RETURNS = """
    Returns
    -------
    InfoEstimate: value, unit, n, dims, other_terms, fits (EstimateFit: role, weight, n, dims,
    layers, radial_layers, stop, stop_message, total_correlation, info_reduction), ci_low and
    ci_high (None without n_bootstrap), layers; value = sum of weight * total_correlation over
    the fits + other_terms.
"""

_SUMMARIES = {
    "entropy": ("X", """Differential entropy H(X) of the rows of X (n_samples, n_features), as
    ``rbig entropy``: H = sum_d H(Z_d) - T(Z) - log|det W| after a linear unmixing Z = W X.
"""),
    "total_correlation": ("X", """Total correlation T(X) = sum_d H(X_d) - H(X) of the rows of X,
    as ``rbig tc``: the information Gaussianization removes, summed over layers.
"""),
    "mutual_information": ("X Y Z", """Mutual information I(X;Y) between the columns of X and of
    Y (the same samples: equal row counts), as ``rbig mi``; with Z, the conditional I(X;Y|Z) by
    the chain rule (``rbig mi --z``). Bootstrap resamples rows of [X Y (Z)] jointly.
"""),
    "kl_divergence": ("P Q", """KL(P||Q) from samples of P and Q (same columns), as
    ``rbig kld``: the non-Gaussianity of P's rows in the latent space of a model fitted on Q.
    Bootstrap resamples P and Q independently.
"""),
}

for _name, (_arrays, _summary) in _SUMMARIES.items():
    for _function, _returns in ((globals()[_name], _VALUE_RETURNS),
                                (globals()[_name + "_estimate"], _ESTIMATE_RETURNS)):
        _function.__doc__ = _summary + _COMMON_DOC + _returns.format(name=_name)
        _signed(_function, _arrays.split())


def dequantize(X, random_state=0):
    """X plus independent noise uniform on +-1/2 step of each column's grid step (the smallest
    gap between its distinct values), for tied or integer data before a density fit (Theis et
    al. 2016); seeded, so the same X and seed give the same values. (``rbig fit --dequantize``
    seeds the noise of its one input file the same way.)"""
    return _rbig.dequantize(_array(X, "X"), seed_of(random_state))


__all__ = ["MeasureResult", "EstimateFit", "InfoEstimate", "entropy", "total_correlation",
           "mutual_information", "kl_divergence", "entropy_estimate",
           "total_correlation_estimate", "mutual_information_estimate", "kl_divergence_estimate",
           "dequantize"]
