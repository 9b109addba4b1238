#pragma once
// log Σ_k exp(a_k) without overflow, for one row: the Rosenblatt map's conditional weights
// (mixture_map.cpp). Blocks of rows (EM, the held-out score) use component_block.hpp.

#include <Eigen/Core>

#include <cmath>

namespace rbig::detail {

/// log Σ exp(a) of a row or column of log-weights; ±inf or NaN when the largest entry is.
template <class Derived>
double log_sum_exp(const Eigen::DenseBase<Derived>& a) {
  const double top = a.maxCoeff();
  if (!std::isfinite(top)) return top;
  return top + std::log((a.derived().array() - top).exp().sum());
}

}  // namespace rbig::detail
