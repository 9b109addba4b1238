#pragma once
// A Gaussian mixture's per-component log-densities on a block of rows, column by column: EM's
// E-step (mixture_em.cpp) and the held-out score of the component sweep (MixtureMap::log_density).
// Every operation runs down a contiguous column of a block of rows, so Eigen vectorizes it. Row by
// row, a triangular solve per component (at D = 2 mostly call overhead) and a scalar exp at stride
// N, twice per entry, were 54 % of the instructions of a default fit on bench_density's funnel
// (D = 2, up to 128 components; bench/README.md, "The mixture sweep's E-step").

#include <rbig/types.hpp>

#include <Eigen/Core>

namespace rbig::detail {

/// `constant` − ½ |L⁻¹(x − μ)|² for each row x of `rows` into `out`: log π N(x; μ, L Lᵀ) when
/// constant = log π − log|L| − D log √(2π). L⁻¹ by forward substitution a column at a time. eps:
/// scratch space, resized to rows × D.
inline void component_terms(
    ConstMatrixRef rows, const Eigen::Ref<const Eigen::RowVectorXd, 0, Eigen::InnerStride<>>& mean,
    const Matrix& lower, double constant, Matrix& eps, Eigen::Ref<Vector> out) {
  eps = rows.rowwise() - mean;
  for (Index j = 0; j < rows.cols(); ++j) {
    for (Index k = 0; k < j; ++k) eps.col(j) -= lower(j, k) * eps.col(k);
    eps.col(j) /= lower(j, j);
  }
  out = (constant - 0.5 * eps.rowwise().squaredNorm().array()).matrix();
}

/// log Σ_k exp(terms(i, k)) of each row i into `log_sum`, and (with `normalise`) each row of
/// `terms` replaced by its exp normalised to sum 1 (EM's responsibilities), exp once per entry. A
/// row whose largest entry is ±inf or NaN gets that entry as its sum (−inf for a row too far
/// from every component, as a row at a time did), and entries that are not finite.
inline void log_sum_exp_rows(Eigen::Ref<Matrix> terms, Eigen::Ref<Vector> log_sum, bool normalise) {
  const Vector top = terms.rowwise().maxCoeff();
  Vector sum = Vector::Zero(terms.rows());
  for (Index c = 0; c < terms.cols(); ++c) {
    terms.col(c) = (terms.col(c) - top).array().exp().matrix();
    sum += terms.col(c);
  }
  log_sum = top.array().isFinite().select(top.array() + sum.array().log(), top.array());
  if (!normalise) return;
  const Vector inverse = sum.cwiseInverse();
  for (Index c = 0; c < terms.cols(); ++c) terms.col(c).array() *= inverse.array();
}

}  // namespace rbig::detail
