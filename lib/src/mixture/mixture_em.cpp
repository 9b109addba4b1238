// MixtureMap::fit: EM for a full-covariance Gaussian mixture (Dempster, Laird & Rubin 1977).
//
// Seeding: k-means++ (Arthur & Vassilvitskii 2007) on the standardized columns, drawn from the
// stream MixtureSeeding + K of the seed, then `kmeans_iterations` Lloyd steps; EM starts from the
// hard assignments. Each covariance gets `regularization` × the column's variance on its diagonal
// (1e-6 by default, as scikit-learn's reg_covar but scale-free), so that no component collapses
// onto a few rows or a plateau of repeated values. EM stops when the mean training log-likelihood
// gains less than `tolerance` nats per row (1e-5) or after `max_iterations` (200). A component
// left with less than one row's responsibility is dropped. MixtureMap::refine runs the same EM
// from given parameters (a warm start: a smaller mixture's components split, or the sweep's
// choice on more rows).
//
// Determinism: rows are processed in blocks whose results do not depend on the block split, and
// every sum over rows is a matrix product or an ordered loop on one thread, so the fit is the same
// for any thread count.

#include <rbig/mixture.hpp>

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>

#include "core/parallel.hpp"
#include "core/random_streams.hpp"
#include "core/rng.hpp"
#include "mixture/component_block.hpp"
#include "mixture/row_blocks.hpp"
#include "stats/normal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace rbig {
namespace {

/// k-means++ centres (rows of xs, standardized data) refined by Lloyd steps.
Matrix seed_centres(const Matrix& xs, Index k, std::uint64_t seed, int iterations, int threads) {
  const Index n = xs.rows();
  detail::Rng rng(detail::derive_seed(seed, detail::stream_id(detail::RandomStream::MixtureSeeding,
                                                              static_cast<std::uint64_t>(k))));
  Matrix centres(k, xs.cols());
  const auto pick = [&](double u) {
    return std::min(n - 1, static_cast<Index>(u * static_cast<double>(n)));
  };
  centres.row(0) = xs.row(pick(rng.uniform()));
  Vector nearest = (xs.rowwise() - centres.row(0)).rowwise().squaredNorm();
  for (Index c = 1; c < k; ++c) {
    const double total = nearest.sum();
    Index chosen = pick(rng.uniform());
    if (total > 0.0) {
      const double target = rng.uniform() * total;
      double running = 0.0;
      for (chosen = 0; chosen < n - 1; ++chosen) {
        running += nearest[chosen];
        if (running >= target) break;
      }
    }
    centres.row(c) = xs.row(chosen);
    nearest = nearest.cwiseMin((xs.rowwise() - centres.row(c)).rowwise().squaredNorm());
  }
  std::vector<Index> label(static_cast<size_t>(n));
  for (int it = 0; it < iterations; ++it) {
    detail::for_row_blocks(n, threads, [&](Index begin, Index end) {
      for (Index i = begin; i < end; ++i) {
        Index best = 0;
        (centres.rowwise() - xs.row(i)).rowwise().squaredNorm().minCoeff(&best);
        label[static_cast<size_t>(i)] = best;
      }
    });
    Matrix sums = Matrix::Zero(k, xs.cols());
    Vector counts = Vector::Zero(k);
    for (Index i = 0; i < n; ++i) {
      sums.row(label[static_cast<size_t>(i)]) += xs.row(i);
      counts[label[static_cast<size_t>(i)]] += 1.0;
    }
    for (Index c = 0; c < k; ++c)
      if (counts[c] > 0.0) centres.row(c) = sums.row(c) / counts[c];
  }
  return centres;
}

struct Parameters {
  Vector weights;
  Matrix means;
  std::vector<Matrix> covariances;
};

/// Columns up to which weighted_scatter takes dot products rather than a matrix product.
constexpr Index kDotProductDims = 4;

/// Σ_i w_i c_i c_iᵀ over the rows c_i of `centred`, weights w (a component's column of the
/// responsibilities). With few columns as the D(D+1)/2 dot products down contiguous columns:
/// Eigen's matrix product packs both operands first, which was three quarters of the M-step's
/// time at D = 2 (the funnel's sweep up to 128 components).
/// The dot products are of c_j with w ∘ c_k, formed on the fly: no N×D weighted copy.
Matrix weighted_scatter(const Matrix& centred, const Eigen::Ref<const Vector>& w) {
  const Index dims = centred.cols();
  if (dims > kDotProductDims) {
    return centred.transpose() * (centred.array().colwise() * w.array()).matrix();
  }
  Matrix scatter(dims, dims);
  for (Index j = 0; j < dims; ++j)
    for (Index k = 0; k <= j; ++k)
      scatter(j, k) = scatter(k, j) =
          (centred.col(j).array() * (centred.col(k).array() * w.array())).sum();
  return scatter;
}

/// M-step: the parameters maximising the expected log-likelihood under responsibilities r
/// (N×K), components with less than one row's worth dropped.
Parameters maximise(ConstMatrixRef x, const Matrix& r, const Vector& ridge, int threads) {
  const Vector mass = r.colwise().sum().transpose();
  std::vector<Index> kept;
  for (Index c = 0; c < r.cols(); ++c)
    if (mass[c] >= 1.0) kept.push_back(c);
  const Index k = static_cast<Index>(kept.size());
  Parameters p{Vector(k), Matrix(k, x.cols()), std::vector<Matrix>(static_cast<size_t>(k))};
  double total = 0.0;
  for (Index c = 0; c < k; ++c) total += mass[kept[static_cast<size_t>(c)]];
  detail::parallel_for(k, threads, [&](Index c) {
    const Index from = kept[static_cast<size_t>(c)];
    const Vector mean = (x.transpose() * r.col(from)) / mass[from];
    const Matrix centred = x.rowwise() - mean.transpose();
    Matrix cov = weighted_scatter(centred, r.col(from));
    cov /= mass[from];
    cov = 0.5 * (cov + cov.transpose()).eval();
    cov.diagonal() += ridge;
    p.means.row(c) = mean.transpose();
    p.covariances[static_cast<size_t>(c)] = std::move(cov);
  });
  for (Index c = 0; c < k; ++c) p.weights[c] = mass[kept[static_cast<size_t>(c)]] / total;
  return p;
}

/// A component's Cholesky factor L (Σ = L Lᵀ) and log π − log|L| − D log √(2π): the terms of
/// its log π N(x; μ, Σ) that do not depend on the row.
struct Factor {
  Matrix lower;
  double constant;
};

std::vector<Factor> factor(const Parameters& p) {
  std::vector<Factor> factors;
  factors.reserve(static_cast<size_t>(p.means.rows()));
  for (Index c = 0; c < p.means.rows(); ++c) {
    Eigen::LLT<Matrix> llt(p.covariances[static_cast<size_t>(c)]);
    if (llt.info() != Eigen::Success)
      throw NumericalError("mixture fit: a component's covariance is not positive definite");
    Matrix lower = llt.matrixL();
    const double constant = std::log(p.weights[c]) - lower.diagonal().array().log().sum() -
                            static_cast<double>(p.means.cols()) * detail::kLogSqrt2Pi;
    factors.push_back({std::move(lower), constant});
  }
  return factors;
}

/// The E-step: each row's responsibilities (N×K) and its log-density under p (`log_density`),
/// by blocks of rows (component_block.hpp).
Matrix responsibilities(ConstMatrixRef x, const Parameters& p, int threads, Vector& log_density) {
  const std::vector<Factor> factors = factor(p);
  Matrix joint(x.rows(), p.means.rows());
  log_density.resize(x.rows());
  detail::for_row_blocks(x.rows(), threads, [&](Index begin, Index end) {
    const Index rows = end - begin;
    Matrix eps;
    for (Index c = 0; c < p.means.rows(); ++c) {
      const Factor& f = factors[static_cast<size_t>(c)];
      detail::component_terms(x.middleRows(begin, rows), p.means.row(c), f.lower, f.constant, eps,
                              joint.col(c).segment(begin, rows));
    }
    detail::log_sum_exp_rows(joint.middleRows(begin, rows), log_density.segment(begin, rows), true);
  });
  return joint;
}

/// Each column's ridge, settings.regularization × its variance (1 for a constant column), and
/// the columns' mean and that unit variance, for the seeding's standardization.
struct ColumnScale {
  Vector mean, unit, ridge;
};

ColumnScale column_scale(ConstMatrixRef x, const MixtureSettings& settings) {
  const Index n = x.rows();
  ColumnScale s;
  s.mean = x.colwise().mean().transpose();
  const Vector variance =
      ((x.rowwise() - s.mean.transpose()).colwise().squaredNorm() / static_cast<double>(n))
          .transpose();
  s.unit = variance.unaryExpr([](double v) { return v > 0.0 ? v : 1.0; });
  s.ridge = settings.regularization * s.unit;
  return s;
}

void check_rows(ConstMatrixRef x) {
  if (x.rows() < 2 || x.cols() < 1 || !x.allFinite())
    throw InputError("mixture fit", 0, 0, "needs at least 2 rows of finite values");
}

/// EM iterations from p until the mean log-likelihood gains less than settings.tolerance.
Parameters run_em(ConstMatrixRef x, Parameters p, const Vector& ridge,
                  const MixtureSettings& settings) {
  const Index n = x.rows();
  const int threads = settings.threads;
  double previous = -std::numeric_limits<double>::infinity();
  for (int it = 0; it < settings.max_iterations; ++it) {
    throw_if_cancelled();
    Vector row_log_density;
    const Matrix joint = responsibilities(x, p, threads, row_log_density);
    const double mean_log_likelihood = row_log_density.sum() / static_cast<double>(n);
    if (!std::isfinite(mean_log_likelihood))
      throw NumericalError("mixture fit: the log-likelihood is not finite");
    p = maximise(x, joint, ridge, threads);
    if (mean_log_likelihood - previous < settings.tolerance) break;
    previous = mean_log_likelihood;
  }
  return p;
}

}  // namespace

MixtureMap MixtureMap::fit(ConstMatrixRef x, int components, std::uint64_t seed,
                           const MixtureSettings& settings) {
  const Index n = x.rows();
  if (components < 1 || static_cast<Index>(components) > n)
    throw OptionError(fmt::format(
        "mixture fit: {} components for {} rows (need 1 to the row count)", components, n));
  check_rows(x);
  const int threads = settings.threads;
  const ColumnScale scale = column_scale(x, settings);
  const Matrix xs = (x.rowwise() - scale.mean.transpose()).array().rowwise() /
                    scale.unit.transpose().array().sqrt();
  const Matrix centres = seed_centres(xs, components, seed, settings.kmeans_iterations, threads);
  Matrix r = Matrix::Zero(n, components);
  detail::for_row_blocks(n, threads, [&](Index begin, Index end) {
    for (Index i = begin; i < end; ++i) {
      Index best = 0;
      (centres.rowwise() - xs.row(i)).rowwise().squaredNorm().minCoeff(&best);
      r(i, best) = 1.0;
    }
  });
  Parameters p = run_em(x, maximise(x, r, scale.ridge, threads), scale.ridge, settings);
  return MixtureMap(std::move(p.weights), std::move(p.means), std::move(p.covariances));
}

MixtureMap MixtureMap::refine(ConstMatrixRef x, const MixtureMap& start,
                              const MixtureSettings& settings) {
  check_rows(x);
  if (x.cols() != start.dims())
    throw DimensionError(fmt::format("mixture fit: {} columns for a {}-dimensional mixture",
                                     x.cols(), start.dims()));
  const ColumnScale scale = column_scale(x, settings);
  Parameters p = run_em(x, Parameters{start.weights(), start.means(), start.covariances()},
                        scale.ridge, settings);
  return MixtureMap(std::move(p.weights), std::move(p.means), std::move(p.covariances));
}

}  // namespace rbig
