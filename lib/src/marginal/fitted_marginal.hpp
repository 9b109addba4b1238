#pragma once
// What the fitting loop reads from a marginal it has just fitted, beyond the public map: the
// sample's entropy and moments, which every built-in fit computes anyway (so the loop needs no
// pass of its own for its information bookkeeping and its Gaussian fallback).

#include <rbig/marginal.hpp>

#include <limits>
#include <vector>

namespace rbig::detail {

struct SampleMoments {
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
};

class FittedMarginal : public MarginalTransform {
 public:
  /// Differential entropy of the fitted sample in nats, by resubstitution: −mean log f̂(x_i).
  virtual double training_entropy() const = 0;
  /// Mean and standard deviation (divisor N − 1) of the sample passed to fit(). NaN where
  /// unknown: a histogram, kde or spline map read from a model file.
  virtual SampleMoments training_moments() const = 0;
  /// Increasing points between which the map inside its support is smooth (its grid nodes, bin
  /// edges or knots): the cells of a tabulated inverse (InverseTable). Empty: smooth throughout.
  virtual std::vector<double> breakpoints() const { return {}; }
};

}  // namespace rbig::detail
