#pragma once
// The marginal kinds and estimator settings that the contract tests (tests/test_marginal.cpp)
// run through: a new kind or setting joins every contract by being added here.

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include "marginal/marginal_from_moments.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rbig::test {

/// Every MarginalKind.
inline constexpr MarginalKind kMarginalKinds[] = {MarginalKind::Histogram, MarginalKind::Gaussian,
                                                  MarginalKind::Kde, MarginalKind::Spline};

/// One estimator setting of a kind: its options (`marginal` set) and a name for failure reports,
/// in CLI words ("kde --bandwidth 0.5").
struct MarginalVariant {
  std::string name;
  FitOptions options;
};

/// The default of `kind`, then each setting that builds its map differently: a fixed histogram
/// bin count (7), a fixed kde bandwidth (0.5 sd) and the kde plug-in bandwidth rule.
std::vector<MarginalVariant> marginal_variants(MarginalKind kind);
/// marginal_variants of every kind, in kMarginalKinds order.
std::vector<MarginalVariant> all_marginal_variants();

/// A marginal of kind *options.marginal built with `options`, fitted to x. The type the fitting
/// loop sees, so tests can read its training entropy and moments too.
std::unique_ptr<detail::MarginalFromMoments> fitted_marginal(const FitOptions& options,
                                                             ConstVectorRef x);
/// The same at the kind's default settings.
std::unique_ptr<detail::MarginalFromMoments> fitted_marginal(MarginalKind kind, ConstVectorRef x);

}  // namespace rbig::test
