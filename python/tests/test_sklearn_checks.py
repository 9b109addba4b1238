"""scikit-learn's own estimator checks (check_estimator) on RBIG with fast settings."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from rbig import RBIG

from conftest import FAST

# Checks that cannot apply to this estimator, with the reason; none at present. (A check named
# here is skipped, so that a new scikit-learn check that does not apply is stated, not hidden.)
NOT_APPLICABLE = {}


@parametrize_with_checks([RBIG(**FAST)])
def test_sklearn_check(estimator, check):
    name = getattr(check, "func", check).__name__
    if name in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[name])
    check(estimator)


# Checks scikit-learn runs on its own estimators but check_estimator (1.2) does not: run them
# too where they apply, and say why where they do not.
_EXTRA = ["check_n_features_in_after_fitting", "check_get_feature_names_out_error",
          "check_transformer_get_feature_names_out", "check_set_output_transform"]
_EXTRA_NOT_APPLICABLE = {
    "check_dataframe_column_names_consistency": "needs pandas",
    "check_transformer_get_feature_names_out_pandas": "needs pandas",
    "check_set_output_transform_pandas": "needs pandas",
    "check_param_validation": "RBIG checks its parameters when fit starts, with the library's "
                              "rule and message (FitOptions::validate, the one place they live), "
                              "not with scikit-learn's private _parameter_constraints",
}


@pytest.mark.parametrize("name", _EXTRA + sorted(_EXTRA_NOT_APPLICABLE))
def test_sklearn_extra_check(name):
    import sklearn.utils.estimator_checks as checks
    if name in _EXTRA_NOT_APPLICABLE:
        reason = _EXTRA_NOT_APPLICABLE[name]
        if reason == "needs pandas":
            pytest.importorskip("pandas", reason="pandas is not installed")
        else:
            pytest.skip(reason)
    check = getattr(checks, name, None)
    if check is None:
        pytest.skip(f"this scikit-learn has no {name}")
    check("RBIG", RBIG(**FAST))
