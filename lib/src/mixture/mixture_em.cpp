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
#include "mixture/log_sum_exp.hpp"
#include "mixture/row_blocks.hpp"
#include "stats/normal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

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
    Matrix cov = centred.transpose() * (centred.array().colwise() * r.col(from).array()).matrix();
    cov /= mass[from];
    cov = 0.5 * (cov + cov.transpose()).eval();
    cov.diagonal() += ridge;
    p.means.row(c) = mean.transpose();
    p.covariances[static_cast<size_t>(c)] = std::move(cov);
  });
  for (Index c = 0; c < k; ++c) p.weights[c] = mass[kept[static_cast<size_t>(c)]] / total;
  return p;
}

/// E-step: each row's log π_k N(x; μ_k, Σ_k) (N×K).
Matrix log_joint(ConstMatrixRef x, const Parameters& p, int threads) {
  const Index k = p.means.rows();
  Matrix out(x.rows(), k);
  detail::parallel_for(k, threads, [&](Index c) {
    Eigen::LLT<Matrix> llt(p.covariances[static_cast<size_t>(c)]);
    if (llt.info() != Eigen::Success)
      throw NumericalError("mixture fit: a component's covariance is not positive definite");
    const Matrix l = llt.matrixL();
    const Matrix centred = (x.rowwise() - p.means.row(c)).transpose();
    const Matrix eps = l.triangularView<Eigen::Lower>().solve(centred);
    const double constant = std::log(p.weights[c]) - l.diagonal().array().log().sum() -
                            static_cast<double>(x.cols()) * detail::kLogSqrt2Pi;
    out.col(c) = (constant - 0.5 * eps.colwise().squaredNorm().array()).transpose();
  });
  return out;
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
    Matrix joint = log_joint(x, p, threads);
    Vector row_log_density(n);
    detail::for_row_blocks(n, threads, [&](Index begin, Index end) {
      for (Index i = begin; i < end; ++i) {
        const double total = detail::log_sum_exp(joint.row(i));
        row_log_density[i] = total;
        joint.row(i) = (joint.row(i).array() - total).exp();
      }
    });
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
