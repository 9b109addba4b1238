"""rbig: Rotation-Based Iterative Gaussianization, a scikit-learn estimator and information
measures over the rbig C++ engine (the same models, files and numbers as the ``rbig`` command).

    import rbig
    model = rbig.RBIG(random_state=0).fit(X)        # density model of the rows of X
    log_p = model.score_samples(X)                   # nats
    draws = model.sample(1000, random_state=1)
    model.save("x.rbig")                             # `rbig info x.rbig` reads it
    h = rbig.entropy(X)                              # nats; base=2 for bits
    e = rbig.mutual_information_estimate(X, Y)       # value, interval and the fits behind it
"""

from ._rbig import (DimensionError, Error, InputError, ModelFileError, NumericalError,
                    OptionError, __version__)
from .estimator import RBIG, load
from .measures import (EstimateFit, InfoEstimate, MeasureResult, dequantize, entropy,
                       entropy_estimate, kl_divergence, kl_divergence_estimate, mutual_information,
                       mutual_information_estimate, total_correlation, total_correlation_estimate)

__all__ = [
    "RBIG", "load", "entropy", "total_correlation", "mutual_information", "kl_divergence",
    "entropy_estimate", "total_correlation_estimate", "mutual_information_estimate",
    "kl_divergence_estimate", "MeasureResult", "InfoEstimate", "EstimateFit", "dequantize",
    "Error", "InputError", "OptionError", "DimensionError", "NumericalError", "ModelFileError",
    "__version__",
]
