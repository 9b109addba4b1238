// Sliced-Wasserstein rotation: K orthonormal directions that maximise the summed squared
// 2-Wasserstein distance between the projected marginals and N(0, 1), in the spirit of GIS/SINF
// (Dai & Seljak 2021), completed to an orthogonal matrix.
//
// Why this score: the next marginal step Gaussianizes each rotated column, and it removes most
// where a column is least Gaussian. W₂²(p, N(0,1)) of a sample is the mean squared difference
// between its sorted values and the Gaussian quantiles, cheap to evaluate (one sort per
// direction), and its gradient with respect to a direction w is 2·E[(p − z_rank(p))·x]: each row
// pulled towards the quantile of its rank. With K = D, Σ_k E[p_k²] is the same for every
// rotation, so the ascent only trades shape: it prefers the most non-Gaussian directions (and,
// on Gaussian data, the principal axes, where Σ_k sd_k is least).
//
// The ascent starts from the PCA axes (so the chosen directions never score below them; Haar
// candidates rarely beat them beyond 2-D, bench/README.md "Pursuit rotations") and moves along
// the Stiefel manifold: a step along the Riemannian gradient, retracted by a QR decomposition,
// kept only if the score rises (else the step is halved). Fixed iteration count and rows: the
// result depends on the data and the seed only, never on the thread count.

#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "rotation/radix_order.hpp"
#include "rotation/rotation_tuning.hpp"
#include "rotation/row_signs.hpp"
#include "stats/normal.hpp"

#include <Eigen/QR>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace rbig {
namespace {

using detail::kSlicedDirections;
using detail::kSlicedIterations;
using detail::kSlicedRows;

/// Rows chosen by a hash of the seed and the row index (detail::hash_keeps, as the fit's
/// screening), each with probability kSlicedRows / N, in row order; all rows when there are few.
Matrix hashed_subsample(ConstMatrixRef y, std::uint64_t seed) {
  const Index n = y.rows();
  if (n <= kSlicedRows) return y;
  const double fraction = static_cast<double>(kSlicedRows) / static_cast<double>(n);
  std::vector<Index> rows;
  for (Index i = 0; i < n; ++i) {
    if (detail::hash_keeps(seed, static_cast<std::uint64_t>(i), fraction)) rows.push_back(i);
  }
  if (rows.size() < 2) rows = {0, n - 1};
  Matrix sample(static_cast<Index>(rows.size()), y.cols());
  for (Index r = 0; r < sample.rows(); ++r) sample.row(r) = y.row(rows[static_cast<size_t>(r)]);
  return sample;
}

/// Orthonormal Q of the QR decomposition of a, with the signs that make R's diagonal positive:
/// the retraction onto the Stiefel manifold (unique, so deterministic).
Matrix qr_orthonormal(const Matrix& a) {
  const Eigen::HouseholderQR<Matrix> qr(a);
  Matrix q = qr.householderQ() * Matrix::Identity(a.rows(), a.cols());
  for (Index c = 0; c < a.cols(); ++c) {
    if (qr.matrixQR()(c, c) < 0.0) q.col(c) *= -1.0;
  }
  return q;
}

struct SlicedScore {
  double value = 0.0;  // Σ_k W₂²(S·w_k, N(0,1))
  Matrix gradient;     // its gradient with respect to W (D×K)
};

/// The summed W₂² of the columns of S·W against the Gaussian quantiles, and its gradient.
SlicedScore sliced_score(const Matrix& sample, const Matrix& directions, const Vector& quantiles,
                         int threads) {
  const Index m = sample.rows();
  Matrix residual = sample * directions;  // projections, then p − z_rank(p) in place
  std::vector<double> per_direction(static_cast<size_t>(directions.cols()));
  detail::parallel_for(directions.cols(), threads, [&](Index k) {
    std::vector<Index> order;  // ties by row: the same ranks whatever the thread count
    std::vector<std::uint64_t> keys;
    std::vector<Index> scratch;
    detail::radix_order(residual.col(k), order, keys, scratch);
    double sum = 0.0;
    for (Index rank = 0; rank < m; ++rank) {
      const Index row = order[static_cast<size_t>(rank)];
      residual(row, k) -= quantiles(rank);
      sum += residual(row, k) * residual(row, k);
    }
    per_direction[static_cast<size_t>(k)] = sum / static_cast<double>(m);
  });
  SlicedScore score;
  for (double v : per_direction) score.value += v;  // in direction order
  score.gradient = (2.0 / static_cast<double>(m)) * (sample.transpose() * residual);
  return score;
}

/// The PCA axes of the sample as columns (by decreasing variance).
Matrix principal_directions(const Matrix& sample) {
  return Rotation::pca(sample).matrix().transpose();
}

/// An orthonormal basis of the complement of the columns of w (D×K, K < D), ordered by the
/// decreasing variance of the sample along it: the rest of the rotation still decorrelates.
Matrix principal_complement(const Matrix& sample, const Matrix& w) {
  const Index dims = w.rows();
  // The last D − K columns of a full Q of w's QR decomposition span the complement of w.
  const Eigen::HouseholderQR<Matrix> qr(w);
  const Matrix q = qr.householderQ();
  const Matrix basis = q.rightCols(dims - w.cols());
  const Matrix projected = sample * basis;
  return basis * principal_directions(projected);
}

}  // namespace

Rotation Rotation::sliced(ConstMatrixRef y, std::uint64_t seed, int threads) {
  const Index n = y.rows();
  const Index dims = y.cols();
  if (n < 2) throw NumericalError(fmt::format("sliced: need at least 2 rows (got {})", n));
  const Matrix sample = hashed_subsample(y, seed);
  const Index m = sample.rows();
  Vector quantiles(m);
  for (Index i = 0; i < m; ++i) {
    quantiles(i) = detail::normal_quantile((static_cast<double>(i) + 0.5) / static_cast<double>(m));
  }
  const Index k = std::min<Index>(dims, kSlicedDirections);
  Matrix w = principal_directions(sample).leftCols(k);
  SlicedScore current = sliced_score(sample, w, quantiles, threads);
  double step = 0.5;  // radians, roughly: the step's Frobenius norm
  for (int iteration = 0; iteration < kSlicedIterations; ++iteration) {
    // Riemannian gradient on the Stiefel manifold (embedded metric): G − W·sym(WᵀG).
    const Matrix wg = w.transpose() * current.gradient;
    const Matrix tangent = current.gradient - w * (0.5 * (wg + wg.transpose()));
    const double norm = tangent.norm();
    if (!(norm > 1e-12)) break;
    const Matrix trial = qr_orthonormal(w + (step / norm) * tangent);
    SlicedScore next = sliced_score(sample, trial, quantiles, threads);
    if (next.value > current.value) {
      w = trial;
      current = std::move(next);
      step = std::min(1.0, 1.5 * step);
    } else {
      step *= 0.5;
    }
  }
  Matrix directions(dims, dims);
  if (k < dims) {
    directions << w, principal_complement(sample, w);
  } else {
    directions = w;
  }
  // Rows of R are the directions.
  Matrix r = directions.transpose();
  detail::make_largest_entries_positive(r);
  return Rotation(RotationKind::Sliced, std::move(r));
}

}  // namespace rbig
