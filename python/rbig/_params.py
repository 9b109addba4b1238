"""Conversions from the Python parameters to rbig's FitOptions, shared by the estimator and the
measures. Each check names the parameter as the caller spelled it; the numeric ranges are left to
FitOptions.validate() (the library's single rule), whose messages are renamed to match."""

import numbers
import os
import warnings

import numpy as np

from . import _rbig

# Python parameter names of the FitOptions fields whose names differ, for messages.
_PYTHON_NAMES = {
    "validation": "validation_fraction",
    "layers": "n_layers",
    "seed": "random_state",
    "threads": "n_jobs",
}

#: FitOptions() as built by the library: the defaults the Python signatures show.
DEFAULTS = _rbig.FitOptions()

_MAX_SEED = 2**64 - 1


def option_error(field, reason):
    """rbig.OptionError with the library's `field: reason` message and attributes."""
    error = _rbig.OptionError(f"{field}: {reason}")
    error.field = field
    error.reason = reason
    return error


def renamed(error):
    """The library's OptionError with the Python parameter name in place of the C++ field."""
    name = _PYTHON_NAMES.get(getattr(error, "field", ""))
    if name is None:
        return error
    return option_error(name, error.reason)


def check_int(name, value, minimum=None, allow_none=False):
    """value as an int; OptionError unless it is an integer (not a bool) at least `minimum`."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        what = "an integer or None" if allow_none else "an integer"
        raise option_error(name, f"must be {what} (got {value!r})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise option_error(name, f"must be at least {minimum} (got {value})")
    return value


def check_float(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise option_error(name, f"must be a number (got {value!r})")
    return float(value)


def seed_of(random_state, name="random_state"):
    """The 64-bit seed of random_state: an int from 0 to 2**64 - 1 is the seed itself (the CLI's
    --seed), None is 0, a numpy RandomState or Generator gives one draw."""
    if random_state is None:
        return 0
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**63 - 1, dtype=np.int64))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63 - 1))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if 0 <= int(random_state) <= _MAX_SEED:
            return int(random_state)
    raise option_error(name, "must be an integer from 0 to 2**64 - 1, None, or a numpy "
                       f"RandomState or Generator (got {random_state!r})")


def threads_of(n_jobs):
    """FitOptions.threads of n_jobs: None and -1 all cores (0), k > 0 k threads, k < -1 all
    cores but |k| - 1 (joblib's convention). Threads never change a result."""
    if n_jobs is None:
        return 0
    n_jobs = check_int("n_jobs", n_jobs)
    if n_jobs == 0:
        raise option_error("n_jobs", "must not be 0 (None or -1: all cores; k > 0: k threads)")
    if n_jobs == -1:
        return 0
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return n_jobs


def set_or_rename(options, field, value):
    """options.field = value, with a library OptionError renamed to the Python parameter."""
    try:
        setattr(options, field, value)
    except _rbig.OptionError as error:
        raise renamed(error) from None


def validate(options):
    try:
        options.validate()
    except _rbig.OptionError as error:
        raise renamed(error) from None
    return options


AUTO = "auto"


def is_auto(value):
    return isinstance(value, str) and value == AUTO


def set_marginal(options, marginal):
    """options.marginal from a name; "auto" leaves the library's empty choice."""
    if is_auto(marginal):
        return
    names = _rbig.marginal_kind_names()
    if marginal not in names:
        raise option_error("marginal", f"unknown name {marginal!r} (valid: "
                           f"{', '.join(names + [AUTO])})")
    options.marginal = marginal


def set_rotation(options, rotation):
    if not isinstance(rotation, str):
        raise option_error("rotation", f"must be a name (got {rotation!r})")
    set_or_rename(options, "rotation", rotation)


def check_bool(name, value, allow_none=False):
    if value is None and allow_none:
        return None
    if not isinstance(value, (bool, np.bool_)):
        what = "True, False or None" if allow_none else "True or False"
        raise option_error(name, f"must be {what} (got {value!r})")
    return bool(value)


def set_bandwidth(options, bandwidth):
    """options.bandwidth (a number of standard deviations) or options.bandwidth_rule (a rule's
    name) as `--bandwidth` parses them; "auto" leaves both empty."""
    if is_auto(bandwidth):
        return
    if isinstance(bandwidth, str):
        if bandwidth in _rbig.bandwidth_rule_names():
            options.bandwidth_rule = bandwidth
            return
    elif isinstance(bandwidth, numbers.Real) and not isinstance(bandwidth, bool):
        options.bandwidth = float(bandwidth)
        return
    rules = ", ".join(_rbig.bandwidth_rule_names())
    raise option_error("bandwidth", "expected a number of standard deviations, "
                       f"{rules} or auto (got {bandwidth!r})")


def set_depth(options, n_layers, max_layers, tol, patience):
    options.max_layers = check_int("max_layers", max_layers)
    options.layers = check_int("n_layers", n_layers, allow_none=True)
    options.tol = check_float("tol", tol)
    options.patience = check_int("patience", patience)


def warn_unused(options, marginal, bandwidth_given, stacklevel):
    """The rbig command's warnings for options the chosen marginal does not use."""
    if options.bins is not None and marginal != "histogram":
        warnings.warn(f"bins is ignored with marginal={marginal!r}", UserWarning,
                      stacklevel=stacklevel + 1)
    if bandwidth_given and not is_auto(marginal) and marginal != "kde":
        warnings.warn(f"bandwidth is ignored with marginal={marginal!r}", UserWarning,
                      stacklevel=stacklevel + 1)


#: The defaults of `rbig entropy|tc|mi|kld` where they differ from FitOptions': kde marginals
#: with Silverman's bandwidth (the measures fit greedily: no model selection).
MEASURE_MARGINAL = "kde"
MEASURE_BANDWIDTH = "silverman"


def measure_options(marginal, rotation, radial, n_layers, max_layers, tol, patience,
                    gaussian_fallback, bins, bandwidth, random_state, n_jobs):
    """The FitOptions `rbig entropy|tc|mi|kld` builds from its flags (measure_options.cpp):
    --marginal, --rotation, --[no-]radial, --layers, --max-layers, --tol, --patience,
    --[no-]gaussian-fallback, --bins, --bandwidth and --seed (the library then fits greedily)."""
    options = _rbig.FitOptions()
    set_marginal(options, marginal)
    set_rotation(options, rotation)
    options.radial = check_bool("radial", radial)
    set_depth(options, n_layers, max_layers, tol, patience)
    options.gaussian_fallback = check_bool("gaussian_fallback", gaussian_fallback)
    if not is_auto(bins):
        options.bins = check_int("bins", bins, allow_none=True)
    set_bandwidth(options, bandwidth)
    options.seed = seed_of(random_state)
    options.threads = threads_of(n_jobs)
    validate(options)
    # As the command: its default rule (silverman) is not a choice to warn about.
    bandwidth_given = options.bandwidth is not None or \
        options.bandwidth_rule not in (None, MEASURE_BANDWIDTH)
    warn_unused(options, marginal, bandwidth_given, stacklevel=4)
    return options
