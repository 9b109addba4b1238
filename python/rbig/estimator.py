"""RBIG: the scikit-learn estimator over rbig's C++ engine."""

import os

import numpy as np
from sklearn.base import (BaseEstimator, ClassNamePrefixFeaturesOutMixin, DensityMixin,
                          TransformerMixin)
from sklearn.utils.validation import check_array, check_is_fitted

from . import _rbig
from ._params import (AUTO, DEFAULTS, check_bool, check_float, check_int, is_auto, option_error,
                      renamed, seed_of, set_bandwidth, set_depth, set_marginal, set_rotation,
                      threads_of, validate, warn_unused)

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # the estimator's own method before 1.6
    def _validate_data(estimator, X, **check_params):
        return estimator._validate_data(X, **check_params)

class RBIG(ClassNamePrefixFeaturesOutMixin, TransformerMixin, DensityMixin, BaseEstimator):
    """Rotation-Based Iterative Gaussianization: a density model and an invertible map to N(0, I).

    A cascade of layers, each mapping every dimension to a standard normal by its own 1-D map and
    then rotating; log p(x) is the exact change of variables. The defaults are those of the C++
    library and the `rbig fit` command (one place: ``rbig::FitOptions``), and the same data,
    parameters and ``random_state`` give the same model, byte for byte, as
    ``rbig fit --seed <random_state>``.

    >>> import numpy as np, rbig
    >>> X = np.random.default_rng(0).normal(size=(1000, 3)) ** 3
    >>> model = rbig.RBIG(random_state=0).fit(X)
    >>> model.score(X)                  # mean log-density, nats
    >>> Z = model.transform(X)          # latent coordinates, about N(0, I)
    >>> X_new = model.sample(500, random_state=1)

    Parameters
    ----------
    marginal : {"auto", "histogram", "kde", "spline", "gaussian"}, default="auto"
        The 1-D map of each layer. "auto": kde or spline, chosen on the validation rows.
    rotation : {"pca", "random", "ica", "pursuit", "sliced"}, default="pca"
        The rotation after each marginal step.
    max_layers : int, default=500
        Upper bound on the number of layers.
    n_layers : int or None, default=None
        Fit exactly this many layers on all rows (no early stop, no validation split; then
        ``max_layers``, ``tol``, ``patience`` and ``validation_fraction`` are unused).
    damping : "auto" or float in (0, 1], default="auto"
        Strength of each marginal step (a blend with the Gaussian map); "auto": 1, 0.5 or 0.3,
        chosen on the validation rows.
    validation_fraction : float in [0, 1), default=0.1
        Rows held out (at seeded positions) to choose the depth and the "auto" choices by
        held-out log-likelihood; the chosen model is then refitted on all rows. 0: the depth is
        chosen by the information rule (``tol``, ``patience``).
    validation_patience : int, default=20
        Layers without a better held-out log-likelihood before a validated fit stops.
    tol : float, default=1e-3
        Nats: a layer removing less information than this (plus the estimator's noise) is small.
    patience : int, default=3
        Stop after this many small layers in a row (without validation).
    gaussian_fallback : bool, default=True
        Use the Gaussian map for a column already Gaussian within the estimator's noise.
    radial : bool, default=False
        Offer each layer a radial Gaussianization (Lyu & Simoncelli 2009), kept instead of the
        marginal step where it gains more training log-likelihood (elliptical structure, e.g.
        dependence through a shared scale); ``rbig fit --radial``.
    tree : bool, default=False
        Offer each layer a density-tree destructor (Inouye & Ravikumar 2018: piecewise-constant
        density on axis-aligned cells), kept where its splits gain more than structureless data
        would (hard edges, e.g. a checkerboard); ``rbig fit --tree``. Not with work_file.
    coupling : bool or None, default=None
        Conditional affine destructors (each of some coordinates shifted and scaled by smooth
        functions of another, fitted in closed form), kept in a layer where they gain more than
        independent columns would (funnels). None: the model selection fits its chosen
        configuration once more with them and keeps that model when its held-out score is
        better (with 1,000 training rows or more and no tree). True: offered to every
        candidate's layers, ``rbig fit --coupling``. False: never, ``rbig fit --no-coupling``.
        Not True with tree.
    mixture : bool or None, default=None
        The Gaussian-mixture first layer (full covariances, EM; its number of components chosen
        on the held-out rows), kept when the whole model's held-out log-likelihood improves
        (mixtures and smooth low-dimensional densities). None: offered whenever rows are held
        out (validation_fraction > 0 without n_layers, or validation_data), silently not
        otherwise. True: required, ``rbig fit --mixture`` (OptionError without held-out rows).
        False: never, ``rbig fit --no-mixture``. A loaded model (:func:`rbig.load`) says what
        its fit did: mixture=True exactly when ``layer_kinds_[0]`` is "mixture", else False.
    bins : int or None, default=None
        Histogram bins per dimension; None: Scott's rule. Histogram marginal only.
    bandwidth : "auto", "silverman", "plugin", "annealed" or float, default="auto"
        kde bandwidth in standard deviations of each column, or a rule; "auto": Silverman's rule,
        then the other rules tried on the validation rows. kde marginal only.
    random_state : int, numpy RandomState or Generator, or None, default=None
        Seeds the validation split, random rotations and the calibration of the information
        estimate. An int from 0 to 2**64 - 1 is the seed itself (``rbig fit --seed``); None means
        seed 0, so that fits are reproducible by default (unlike most scikit-learn estimators);
        a RandomState or Generator gives one draw.
    n_jobs : int or None, default=None
        Worker threads of the fit and of every later evaluation. None or -1: all cores (like the
        rbig command; scikit-learn's usual None = 1 is not followed, since the number of threads
        never changes a result); k > 0: k threads; k < -1: all cores but |k| - 1.
    work_file : path or None, default=None
        For data larger than memory (``rbig fit --work-file``): the fit keeps its N x D work
        matrices in memory-mapped files named work_file + ".work", ".train", ... (removed when
        the fit ends; a stale one is replaced, any other existing file refused). Never changes
        the model (same bytes). Not with radial or tree (OptionError). X itself is still the
        caller's array in memory.

    Attributes
    ----------
    n_layers_ : int
        Layers in the fitted cascade.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X was a pandas DataFrame with string column names.
    layer_information_ : ndarray of shape (n_layers_,)
        Total correlation (nats) each layer removed; they sum to ``total_correlation_``.
    layer_kinds_ : ndarray of str, shape (n_layers_,)
        What each layer is: "marginal" (1-D maps and a rotation), "radial", "tree" (marginal
        maps, then a density tree), "coupling" (marginal maps, then a conditional affine
        destructor) or "mixture" (a Gaussian-mixture destructor).
    total_correlation_ : float
        Nats: the information all layers removed, an estimate of the data's total correlation.
    stop_reason_ : str
        "converged", "max_layers", "validation" or "observer"; ``stop_message_`` says more.
    validation_curve_ : ndarray of shape (n_layers_,) or None
        Mean held-out log-likelihood after each layer; None when the fit held out no rows.
    marginal_, damping_, bandwidth_ : the choices the fit made ("auto" resolved); bandwidth_ is
        None unless marginal_ is "kde".
    n_samples_fit_ : int
        Rows the final model was fitted on.
    """

    def __init__(self, marginal=AUTO, rotation=DEFAULTS.rotation, max_layers=DEFAULTS.max_layers,
                 n_layers=None, damping=AUTO, validation_fraction=DEFAULTS.validation,
                 validation_patience=DEFAULTS.validation_patience, tol=DEFAULTS.tol,
                 patience=DEFAULTS.patience, gaussian_fallback=DEFAULTS.gaussian_fallback,
                 radial=DEFAULTS.radial, tree=DEFAULTS.tree, coupling=DEFAULTS.coupling,
                 mixture=DEFAULTS.mixture, bins=None, bandwidth=AUTO, random_state=None, n_jobs=None, work_file=None):
        self.marginal = marginal
        self.rotation = rotation
        self.max_layers = max_layers
        self.n_layers = n_layers
        self.damping = damping
        self.validation_fraction = validation_fraction
        self.validation_patience = validation_patience
        self.tol = tol
        self.patience = patience
        self.gaussian_fallback = gaussian_fallback
        self.radial = radial
        self.tree = tree
        self.coupling = coupling
        self.mixture = mixture
        self.bins = bins
        self.bandwidth = bandwidth
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.work_file = work_file

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, X, y=None, validation_data=None):
        """Fits the model to the rows of X (n_samples, n_features).

        y is ignored. validation_data (rows with the same columns), if given, chooses the depth
        and the "auto" choices instead of ``validation_fraction`` (``rbig fit
        --validation-file``); the model is then fitted on X alone. On any error, and on Ctrl-C
        (KeyboardInterrupt), the estimator is left exactly as it was before the call.
        """
        before = dict(self.__dict__)
        try:
            return self._fit(X, validation_data)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(before)
            raise

    def _fit(self, X, validation_data):
        options = self._fit_options()
        X = _validate_data(self, X, reset=True, dtype=np.float64, order="F",
                           ensure_min_samples=2)
        validation = None
        if validation_data is not None:
            validation = check_array(validation_data, dtype=np.float64, order="F",
                                     input_name="validation_data")
            if validation.shape[1] != X.shape[1]:
                raise ValueError(f"validation_data has {validation.shape[1]} features, but X has "
                                 f"{X.shape[1]}")
        try:
            model = _rbig.Model.fit(X, options, validation)
        except _rbig.InputError as error:
            raise self._with_feature_name(error) from None
        except _rbig.OptionError as error:
            raise renamed(error) from None
        self._set_fitted(model)
        return self

    def _fit_options(self):
        """The FitOptions these parameters describe; OptionError naming a bad parameter."""
        options = _rbig.FitOptions()
        set_marginal(options, self.marginal)
        set_rotation(options, self.rotation)
        set_depth(options, self.n_layers, self.max_layers, self.tol, self.patience)
        if not is_auto(self.damping):
            if isinstance(self.damping, str):
                raise option_error("damping", f'expected a number or "auto" (got {self.damping!r})')
            options.damping = check_float("damping", self.damping)
        options.validation = check_float("validation_fraction", self.validation_fraction)
        options.validation_patience = check_int("validation_patience", self.validation_patience)
        options.gaussian_fallback = check_bool("gaussian_fallback", self.gaussian_fallback)
        options.radial = check_bool("radial", self.radial)
        options.tree = check_bool("tree", self.tree)
        options.coupling = check_bool("coupling", self.coupling, allow_none=True)
        options.mixture = check_bool("mixture", self.mixture, allow_none=True)
        if not is_auto(self.bins):
            options.bins = check_int("bins", self.bins, allow_none=True)
        set_bandwidth(options, self.bandwidth)
        options.seed = seed_of(self.random_state)
        options.threads = threads_of(self.n_jobs)
        options.work_file = _work_file(self.work_file)
        validate(options)
        bandwidth_given = options.bandwidth is not None or options.bandwidth_rule is not None
        warn_unused(options, self.marginal, bandwidth_given, stacklevel=4)
        return options

    def _with_feature_name(self, error):
        """The library names a whole bad column by number; name it as in the DataFrame too,
        as the rbig command names it as in the CSV header."""
        names = getattr(self, "feature_names_in_", None)
        if error.line != 0 or error.column == 0 or names is None:
            return error
        column = error.column
        renamed_error = _rbig.InputError(
            f'{error.path}: column {column} ("{names[column - 1]}") {error.reason}')
        for attribute in ("path", "line", "column", "reason"):
            setattr(renamed_error, attribute, getattr(error, attribute))
        return renamed_error

    def _set_fitted(self, model):
        report = model.report
        used = model.options
        self._model = model
        self.n_layers_ = len(report["info_reduction"])
        self.layer_information_ = np.asarray(report["info_reduction"], dtype=np.float64)
        self.layer_kinds_ = np.asarray(report["layer_kinds"], dtype=object)
        self.total_correlation_ = float(report["total_correlation"])
        self.stop_reason_ = report["stop"]
        self.stop_message_ = report["message"]
        curve = report["validation_log_prob"]
        self.validation_curve_ = (None if all(v is None for v in curve) else
                                  np.array([np.nan if v is None else v for v in curve]))
        self.marginal_ = used.marginal
        self.damping_ = used.damping
        self.bandwidth_ = used.bandwidth_text() if used.marginal == "kde" else None
        self.n_samples_fit_ = int(report["n_samples"])

    def __sklearn_is_fitted__(self):
        return hasattr(self, "_model")

    @property
    def _n_features_out(self):
        """Latent coordinates: one per input feature (get_feature_names_out: rbig0, rbig1...)."""
        return self.n_features_in_

    def _fitted_model(self):
        check_is_fitted(self)
        # n_jobs may have been changed with set_params since the fit; it never changes a result.
        self._model.threads = threads_of(self.n_jobs)
        return self._model

    # -- evaluation --------------------------------------------------------------------------

    def score_samples(self, X):
        """Log-density of each row of X, in nats: ndarray of shape (n_samples,)."""
        model = self._fitted_model()
        X = _validate_data(self, X, reset=False, dtype=np.float64, order="F")
        return model.log_prob(X)

    def score(self, X, y=None):
        """Mean log-density of the rows of X, nats (the average log-likelihood, a score that
        grows with the fit: GridSearchCV maximises it). y is ignored."""
        model = self._fitted_model()
        X = _validate_data(self, X, reset=False, dtype=np.float64, order="F")
        return model.mean_log_prob(X)

    def transform(self, X):
        """Latent coordinates G(X), about N(0, I): ndarray of shape (n_samples, n_features)."""
        model = self._fitted_model()
        X = _validate_data(self, X, reset=False, dtype=np.float64, order="F")
        return model.transform(X)

    def inverse_transform(self, X):
        """Data-space rows G⁻¹(X) of latent rows X (shape (n_samples, n_features))."""
        model = self._fitted_model()
        Z = check_array(X, dtype=np.float64, order="F")
        return model.inverse(Z)

    def sample(self, n_samples=1, random_state=None):
        """n_samples new rows drawn from the model: ndarray (n_samples, n_features).

        random_state: an int from 0 to 2**64 - 1 is the seed (``rbig sample --seed``: the same
        draws); None draws a seed from numpy's global random state (as KernelDensity.sample
        does), a RandomState or Generator gives one draw.
        """
        model = self._fitted_model()
        n_samples = check_int("n_samples", n_samples, minimum=0)
        if random_state is None:
            seed = int(np.random.randint(0, 2**63 - 1, dtype=np.int64))
        else:
            seed = seed_of(random_state)
        return model.sample(n_samples, seed)

    # -- files and pickling -----------------------------------------------------------------

    def save(self, path):
        """Writes the model file (the format of ``rbig fit -o``; ``rbig info`` reads it)
        atomically. OSError if it cannot be written."""
        check_is_fitted(self)
        self._model.save(os.fspath(path))

    def to_bytes(self):
        """The model file's bytes."""
        check_is_fitted(self)
        return self._model.to_bytes()

    @classmethod
    def from_bytes(cls, data, name="model bytes"):
        """The fitted estimator of a model file's bytes (see :func:`rbig.load`)."""
        return cls._of_model(_rbig.Model.from_bytes(bytes(data), name))

    @classmethod
    def _of_model(cls, model):
        """A fitted estimator whose parameters are the options the model was fitted with (so
        the "auto" choices appear as the values chosen)."""
        used = model.options
        if used.bandwidth is not None:
            bandwidth = used.bandwidth
        else:
            bandwidth = used.bandwidth_rule if used.bandwidth_rule is not None else AUTO
        estimator = cls(
            marginal=used.marginal if used.marginal is not None else AUTO,
            rotation=used.rotation, max_layers=used.max_layers, n_layers=used.layers,
            damping=used.damping if used.damping is not None else AUTO,
            validation_fraction=used.validation, validation_patience=used.validation_patience,
            tol=used.tol, patience=used.patience, gaussian_fallback=used.gaussian_fallback,
            radial=used.radial, tree=used.tree, coupling=used.coupling, mixture=used.mixture,
            bins=used.bins,
            bandwidth=bandwidth, random_state=used.seed)
        estimator._set_fitted(model)
        estimator.n_features_in_ = model.dims
        return estimator

    def __getstate__(self):
        # pickle, copy.deepcopy: the model travels as its model-file bytes (checksummed).
        state = dict(super().__getstate__())
        if "_model" in state:
            state["_model"] = state["_model"].to_bytes()
        return state

    def __setstate__(self, state):
        state = dict(state)
        if isinstance(state.get("_model"), bytes):
            state["_model"] = _rbig.Model.from_bytes(state["_model"], "pickled RBIG model")
        super().__setstate__(state)

    def _more_tags(self):
        return {"preserves_dtype": [np.float64]}


def _work_file(path):
    """FitOptions.work_file of a path-like, or None for no work file."""
    if path is None:
        return None
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise option_error("work_file", f"must be a path or None (got {path!r})")
    return os.fsdecode(os.fspath(path))


def load(path):
    """The fitted RBIG estimator of a model file (written by RBIG.save or ``rbig fit -o``).

    OSError (FileNotFoundError, PermissionError, ...) if the file cannot be read;
    rbig.ModelFileError (a ValueError) naming the file if its content is not a valid model.
    """
    with open(path, "rb") as file:
        data = file.read()
    return RBIG.from_bytes(data, os.fsdecode(path))
