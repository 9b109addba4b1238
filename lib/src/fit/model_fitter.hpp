#pragma once
/// The fit of one configuration of the cascade (model_fit.cpp); Model::fit (model_select.cpp)
/// splits off validation rows and chooses among configurations with it.

#include <rbig/model.hpp>

namespace rbig {

namespace detail {
/// Throws InputError for data no fit can use: no columns, fewer than 2 rows, a value that is not
/// finite, a constant column, or no more rows than columns.
void check_training_data(ConstMatrixRef x);
}  // namespace detail

class ModelFitter {
 public:
  /// Fits `options` (marginal and damping set) to x; with validation rows, the depth is the one
  /// with the best mean held-out log-likelihood (unless options.layers is set).
  static Model run(ConstMatrixRef x, const Matrix* validation, const FitOptions& options,
                   const FitObserver& observer);
  /// Fits every combination of the empty choices of `options` (see FitOptions::validation) with
  /// these validation rows and keeps the one with the best held-out log-likelihood.
  static Model select(ConstMatrixRef x, const Matrix& validation, const FitOptions& options,
                      const FitObserver& observer);
  /// Fits the configuration and depth that `chosen` found on held-out rows again on all rows x
  /// (the held-out ones included); the report keeps chosen's validation curve and stop reason.
  static Model refit(ConstMatrixRef x, const Model& chosen, const FitObserver& observer);
};

}  // namespace rbig
