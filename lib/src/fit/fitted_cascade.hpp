#pragma once
// The fit's internal interface: what fitting one configuration produces and the entry points the
// model selection (model_selection.cpp) composes. Model::fit is the public face.

#include <rbig/model.hpp>

#include "fit/reducer.hpp"

#include <vector>

namespace rbig::detail {

/// The layers, options and report of one fit, before they become a Model.
struct FittedCascade {
  Index dims = 0;
  std::vector<Layer> layers;
  FitOptions options;
  FitReport report;
  /// Components of the mixture first layer (mixture_step.hpp); 0 without one. A refit on all
  /// rows keeps that mixture and refits the cascade after it (refit_after_mixture).
  int mixture_components = 0;

  Model to_model() &&;
};

/// Fits `options` (marginal and damping set) to x; with validation rows, the depth is the one
/// with the best mean held-out log-likelihood (unless options.layers is set). Statistics summed
/// over rows go through `reducer` (reducer.hpp). validation: null for none.
FittedCascade fit_cascade(ConstMatrixRef x, const ConstMatrixRef* validation,
                          const FitOptions& options, const FitObserver& observer,
                          const Reducer& reducer);

}  // namespace rbig::detail
