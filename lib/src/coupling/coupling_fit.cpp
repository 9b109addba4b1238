// Fitting a coupling destructor (coupling.hpp) to the rows of x, columns roughly N(0, 1).
//
// One ordered pair (target d, conditioner c): the conditional model z_d | z_c ~ N(m(z_c),
// exp(2·s(z_c))) with m and s linear in the knots' tent functions φ_k(z_c)
// (coupling/knot_grid.hpp), fitted by penalized maximum likelihood: minimise over the knot values a
// (of m) and b (of s)
//   Σ_i [s_i + ½·(z_i − m_i)²·exp(−2·s_i)] + ½·aᵀPa + ½·bᵀPb,   P = ρ·D₂ᵀD₂ + ε·I,
// D₂ the second differences of the knot values (ρ = settings.smoothness, in rows) and ε a weak
// pull towards m = 0, s = 0 (the N(0, 1) the marginal maps aimed at) for knots without rows. The
// objective is convex in a for fixed b (weighted least squares, exact) and in b for fixed a
// (Fisher scoring: the expected Hessian 2·Σ φφᵀ + P, which needs no step control); kIterations
// alternations. So a knot without rows takes the linear extrapolation of its neighbours, and a
// sparse one is smoothed towards them.
//
// Gain: G = Σ_i [½ z_i² − ½ z_i'² − s_i] nats, the training log-likelihood gain of the mapped
// column under N(0, 1). On independent columns 2G is about χ² with the fit's effective degrees of
// freedom f = tr((H − P)·H⁻¹) summed over the two solves (H their penalized Hessians), and the best
// of M = D·(D − 1) pairs beats f/2 + √(f·t) + t, t = log M + kSignificance, with a chance of about
// e^−kSignificance (Laurent & Massart 2000's χ² tail bound). A pair counts only by its gain
// beyond that level. Pairs are taken best first while their target and conditioner are free (a
// target is neither another pair's target nor any conditioner), which keeps the map triangular.
//
// Cost: one pass over N rows per conditioner to locate the rows on the grid, kIterations·2 passes
// per pair (one exp per row and iteration). Beyond kFullFitsPerColumn·D ordered pairs (D > 3),
// every pair is ranked first by a one-pass screen (the fit with no penalty on the conditional
// moments of each knot's rows) and only the best kFullFitsPerColumn·D are fitted: at most D/2
// pairs are kept, and fitting all 56 of gmm8 in every layer made the default fit's coupling
// challenger cost 4× the rest of the fit (bench/README.md, "The coupling challenger").

#include <rbig/coupling.hpp>

#include <rbig/error.hpp>

#include "coupling/knot_grid.hpp"
#include "coupling/windowed_affine.hpp"

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rbig {
namespace {

constexpr int kIterations = 12;
constexpr double kSignificance = 3.0;
/// ε of the penalty, in rows.
constexpr double kRidge = 0.5;
/// A fitted log-scale is kept within ±kMaxFitLogScale (the stored maximum is 30).
constexpr double kMaxFitLogScale = 10.0;
constexpr size_t kFullFitsPerColumn = 2;

struct RowKnots {
  std::vector<Index> left;
  std::vector<double> weight;
};

RowKnots locate_rows(ConstVectorRef column, const detail::KnotGrid& grid) {
  RowKnots out{std::vector<Index>(static_cast<size_t>(column.size())),
               std::vector<double>(static_cast<size_t>(column.size()))};
  for (Index i = 0; i < column.size(); ++i)
    grid.locate(column[i], out.left[static_cast<size_t>(i)], out.weight[static_cast<size_t>(i)]);
  return out;
}

Matrix penalty(int knots, double smoothness) {
  Matrix d2 = Matrix::Zero(std::max(knots - 2, 0), knots);
  for (Index k = 0; k + 2 < knots; ++k) {
    d2(k, k) = 1.0;
    d2(k, k + 1) = -2.0;
    d2(k, k + 2) = 1.0;
  }
  return smoothness * d2.transpose() * d2 + kRidge * Matrix::Identity(knots, knots);
}

/// Adds w·φφᵀ of a row at (left, weight) to h.
void add_outer(Matrix& h, Index left, double weight, double w) {
  const double l = 1.0 - weight;
  h(left, left) += w * l * l;
  h(left, left + 1) += w * l * weight;
  h(left + 1, left) += w * l * weight;
  h(left + 1, left + 1) += w * weight * weight;
}

struct PairFit {
  Index target = 0;
  Index conditioner = 0;
  Vector shift, log_scale;
  double gain = 0.0;       // nats, summed over rows
  double threshold = 0.0;  // nats: what independent columns would reach
};

PairFit fit_pair(ConstVectorRef z, const RowKnots& at, const Matrix& p, int knots, double window,
                 double log_m) {
  const Index n = z.size();
  Vector a = Vector::Zero(knots);
  Vector b = Vector::Zero(knots);
  Vector omega(n);  // exp(−2·s(z_c)) per row, for both solves of an iteration
  double df = 0.0;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    const bool last = iteration + 1 == kIterations;
    // m given s: weighted least squares.
    Matrix h = p;
    Vector rhs = Vector::Zero(knots);
    for (Index i = 0; i < n; ++i) {
      const Index k = at.left[static_cast<size_t>(i)];
      const double w = at.weight[static_cast<size_t>(i)];
      omega[i] = std::exp(-2.0 * detail::KnotGrid::at(b, k, w));
      add_outer(h, k, w, omega[i]);
      rhs[k] += omega[i] * (1.0 - w) * z[i];
      rhs[k + 1] += omega[i] * w * z[i];
    }
    const Eigen::LDLT<Matrix> mean_solve(h);
    a = mean_solve.solve(rhs);
    if (last) df = knots - (mean_solve.solve(p)).trace();
    // s given m: one Fisher scoring step.
    Matrix hs = p;
    Vector gradient = p * b;
    for (Index i = 0; i < n; ++i) {
      const Index k = at.left[static_cast<size_t>(i)];
      const double w = at.weight[static_cast<size_t>(i)];
      const double r = z[i] - detail::KnotGrid::at(a, k, w);
      const double q = r * r * omega[i];
      add_outer(hs, k, w, 2.0);
      gradient[k] += (1.0 - w) * (1.0 - q);
      gradient[k + 1] += w * (1.0 - q);
    }
    const Eigen::LDLT<Matrix> scale_solve(hs);
    b -= scale_solve.solve(gradient);
    b = b.cwiseMax(-kMaxFitLogScale).cwiseMin(kMaxFitLogScale);
    if (last) df += knots - (scale_solve.solve(p)).trace();
  }
  double gain = 0.0;
  for (Index i = 0; i < n; ++i) {
    const Index k = at.left[static_cast<size_t>(i)];
    const double w = at.weight[static_cast<size_t>(i)];
    double log_det = 0.0;
    const double out = detail::windowed_affine(z[i], detail::KnotGrid::at(a, k, w),
                                               detail::KnotGrid::at(b, k, w), window, log_det);
    gain += 0.5 * z[i] * z[i] - 0.5 * out * out + log_det;
  }
  const double t = log_m + kSignificance;
  PairFit fit;
  fit.shift = std::move(a);
  fit.log_scale = std::move(b);
  fit.gain = gain;
  fit.threshold = 0.5 * df + std::sqrt(std::max(df, 0.0) * t) + t;
  return fit;
}

/// The one-pass screen: Σ_k n_k·[½(μ_k² + v_k) − ½ − ½·log v_k] from the tent-weighted moments
/// of each knot's rows, a few pseudo-rows of N(0, 1) added to each.
double screen_gain(ConstVectorRef z, const RowKnots& at, int knots) {
  constexpr double kPrior = 5.0;
  Vector n = Vector::Constant(knots, kPrior);
  Vector sum = Vector::Zero(knots);
  Vector square = Vector::Constant(knots, kPrior);
  for (Index i = 0; i < z.size(); ++i) {
    const Index k = at.left[static_cast<size_t>(i)];
    const double w = at.weight[static_cast<size_t>(i)];
    n[k] += 1.0 - w;
    n[k + 1] += w;
    sum[k] += (1.0 - w) * z[i];
    sum[k + 1] += w * z[i];
    square[k] += (1.0 - w) * z[i] * z[i];
    square[k + 1] += w * z[i] * z[i];
  }
  double gain = 0.0;
  for (Index k = 0; k < knots; ++k) {
    const double mean = sum[k] / n[k];
    const double variance = std::max(square[k] / n[k] - mean * mean, 1e-12);
    gain += (n[k] - kPrior) * 0.5 * (square[k] / n[k] - 1.0 - std::log(variance));
  }
  return gain;
}

}  // namespace

CouplingMap CouplingMap::fit(ConstMatrixRef x, const CouplingSettings& settings) {
  if (settings.knots < 3 || !(settings.range > 0.0) || !(settings.smoothness >= 0.0))
    throw OptionError(fmt::format("coupling: knots {} (≥ 3), range {} (> 0), smoothness {} (≥ 0)",
                                  settings.knots, settings.range, settings.smoothness));
  if (x.rows() < 2 || x.cols() < 2 || !x.allFinite())
    throw OptionError(
        fmt::format("coupling: needs at least 2 finite rows of 2 or more columns "
                    "(got {} × {})",
                    x.rows(), x.cols()));
  const Index dims = x.cols();
  const detail::KnotGrid grid{settings.knots, settings.range};
  std::vector<RowKnots> located;
  located.reserve(static_cast<size_t>(dims));
  for (Index c = 0; c < dims; ++c) located.push_back(locate_rows(x.col(c), grid));

  std::vector<std::pair<Index, Index>> candidates;  // (target, conditioner)
  for (Index d = 0; d < dims; ++d)
    for (Index c = 0; c < dims; ++c)
      if (c != d) candidates.emplace_back(d, c);
  const double log_m = std::log(static_cast<double>(candidates.size()));
  const size_t full_fits = kFullFitsPerColumn * static_cast<size_t>(dims);
  if (candidates.size() > full_fits) {
    std::vector<double> screen(candidates.size());
    for (size_t j = 0; j < candidates.size(); ++j)
      screen[j] = screen_gain(x.col(candidates[j].first),
                              located[static_cast<size_t>(candidates[j].second)], settings.knots);
    std::vector<size_t> order(candidates.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t l, size_t r) { return screen[l] > screen[r]; });
    std::vector<std::pair<Index, Index>> kept;
    for (size_t j = 0; j < full_fits; ++j) kept.push_back(candidates[order[j]]);
    candidates = std::move(kept);
  }

  const Matrix p = penalty(settings.knots, settings.smoothness);
  std::vector<PairFit> fits;
  for (const auto& [d, c] : candidates) {
    PairFit fit = fit_pair(x.col(d), located[static_cast<size_t>(c)], p, settings.knots,
                           settings.range, log_m);
    if (!(fit.gain > fit.threshold)) continue;
    fit.target = d;
    fit.conditioner = c;
    fits.push_back(std::move(fit));
  }
  std::stable_sort(fits.begin(), fits.end(), [](const PairFit& l, const PairFit& r) {
    return l.gain - l.threshold > r.gain - r.threshold;
  });
  std::vector<int> role(static_cast<size_t>(dims), 0);  // 1 target, 2 conditioner
  std::vector<CouplingPair> pairs;
  double gain = 0.0;
  for (PairFit& fit : fits) {
    int& target = role[static_cast<size_t>(fit.target)];
    int& conditioner = role[static_cast<size_t>(fit.conditioner)];
    if (target != 0 || conditioner == 1) continue;
    target = 1;
    conditioner = 2;
    gain += fit.gain - fit.threshold;
    pairs.push_back(CouplingPair{static_cast<std::int32_t>(fit.target),
                                 static_cast<std::int32_t>(fit.conditioner), std::move(fit.shift),
                                 std::move(fit.log_scale)});
  }
  // Apply in column order of the targets: the same map whatever the gains' ties.
  std::sort(pairs.begin(), pairs.end(),
            [](const CouplingPair& l, const CouplingPair& r) { return l.target < r.target; });
  return CouplingMap(dims, settings.knots, settings.range, std::move(pairs),
                     gain / static_cast<double>(x.rows()));
}

}  // namespace rbig
