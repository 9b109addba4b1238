"""Conversions from the Python parameters to rbig's FitOptions, shared by the estimator and the
measures. Each check names the parameter as the caller spelled it; the numeric ranges are left to
FitOptions.validate() (the library's single rule), whose messages are renamed to match."""

import numbers
import os

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


def measure_options(rotation, max_layers, tol, bins, random_state, n_jobs):
    """The FitOptions `rbig entropy|tc|mi|kld` builds from its flags: the defaults with
    --rotation, --max-layers, --tol, --bins and --seed (the library then fits greedily)."""
    options = _rbig.FitOptions()
    if not isinstance(rotation, str):
        raise option_error("rotation", f"must be a name (got {rotation!r})")
    options.rotation = rotation
    options.max_layers = check_int("max_layers", max_layers)
    options.tol = check_float("tol", tol)
    options.bins = check_int("bins", bins, allow_none=True)
    options.seed = seed_of(random_state)
    options.threads = threads_of(n_jobs)
    return validate(options)
