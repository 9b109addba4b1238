#pragma once
// The marginals whose fit starts from the sample's column moments (range, mean, standard
// deviation): histogram, kde, spline and gaussian. The fitting loop already has those moments
// for every layer after the first (summed while the previous layer's rotation wrote the column,
// layer_passes.cpp), so it passes them in and the fit skips a pass over the column. The public
// MarginalTransform::fit(x) computes them itself.

#include "marginal/fitted_marginal.hpp"

#include "fit/reducer.hpp"
#include "stats/moments.hpp"

#include <memory>

namespace rbig::detail {

class MarginalFromMoments : public FittedMarginal {
 public:
  /// Computes the moments of x (one pass, fit_moments), then fits.
  void fit(ConstVectorRef x) final {
    fit_with_moments(x, fit_moments(x, type_name()), LocalReducer());
  }

  /// Fits to x given `known`, its moments computed elsewhere, without a pass of its own for them.
  /// Contract: known.min and known.max are exactly the smallest and largest value of x (they
  /// bound the support); known.mean and known.sd are those of x up to rounding (a different
  /// summation order than column_moments(x)). The result is the map fit(x) would give had
  /// column_moments(x) returned `known`: with known == column_moments(x), exactly fit(x).
  /// Throws NumericalError as fit(x) does (fewer than 2 values, or known.max == known.min).
  void fit(ConstVectorRef x, const ColumnMoments& known) {
    check_fit_moments(x.size(), known, type_name());
    fit_with_moments(x, known, LocalReducer());
  }

  /// The fit to the column whose rows are x here and the other participants' x elsewhere
  /// (reducer.hpp): `known` are the moments of all of them (merge_moments), and every count, sum
  /// and order statistic the fit needs is taken over all rows. Called collectively. With a
  /// local reducer, exactly fit(x, known).
  void fit(ConstVectorRef x, const ColumnMoments& known, const Reducer& reducer) {
    check_fit_moments(total_rows(x.size(), reducer), known, type_name());
    fit_with_moments(x, known, reducer);
  }

 protected:
  /// The fit proper, given checked moments of x (of all participants' rows: see above).
  virtual void fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                                const Reducer& reducer) = 0;
};

/// make_marginal (marginal.cpp) for callers that use the known-moments fit.
std::unique_ptr<MarginalFromMoments> make_marginal_from_moments(MarginalKind kind,
                                                                const FitOptions& options);

}  // namespace rbig::detail
