// The Gaussian-mixture destructor as a map (mixture.hpp): its parameters' checks, the Rosenblatt
// transform row by row, its inverse by a bracketed Newton iteration, and the far tail (|z| > 30).

#include <rbig/mixture.hpp>

#include <rbig/error.hpp>

#include "mixture/component_block.hpp"
#include "mixture/log_normal_cdf.hpp"
#include "mixture/log_sum_exp.hpp"
#include "mixture/row_blocks.hpp"
#include "marginal/tail_model.hpp"
#include "core/check.hpp"
#include "stats/normal.hpp"

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

namespace rbig {
namespace {

/// Beyond |z| = kTailZ a coordinate leaves the mixture for the tail model every marginal shares
/// (marginal/tail_model.hpp): linear in x for 8 more latent units, then logarithmic, from the point
/// x_T where the conditional reaches ±kTailZ, with slope 1/σ (far_tail). So every finite x
/// has a finite z and log-derivative (the mixture's own z grows like x/σ, which overflows near
/// ±DBL_MAX and makes log f − log φ(z) a difference of two terms of order z²), and back. Φ(−30) is
/// 5e-198: no data point and no draw is affected.
constexpr double kTailZ = 30.0;
/// The standardized coordinates ε, for the log-weights and the later conditionals' means, are
/// clamped to ±kWeightClamp (ε² < 1e300).
constexpr double kWeightClamp = 1e150;
/// solve_linear's start when none is given: the moment-matched normal's quantile.
constexpr double kNoStart = std::numeric_limits<double>::infinity();
/// The forward map sums in plain probabilities while the smaller tail and the density stay above
/// this (forward_linear): a share lost to underflow is then below 1e-300, far under their last bit.
constexpr double kLinearTail = 1e-250;
/// The inverse's Newton iteration skips a component whose conditional weight is below this
/// fraction of the target tail Φ(−|z|): all such components together move that tail by less than
/// K·1e-18 of itself, far inside the round trip's 1e-9.
constexpr double kNegligibleWeight = 1e-18;
/// The first coordinate's quantiles, tabulated at this many z evenly spaced in [−kTableZ, kTableZ]
/// (spacing 1/16), start its Newton iteration (Hermite interpolation, error ~1e-8): two steps
/// instead of ~7 from the moment-matched normal. The first coordinate's conditional is the
/// mixture's marginal, the same for every row, so one table serves them all.
constexpr int kTableNodes = 257;
constexpr double kTableZ = 8.0;

/// One evaluation of an increasing h for bracketed_root: its value, the step to its root and
/// whether the point after that step is the root to the iteration's tolerance.
struct RootStep {
  double h = 0.0;
  double step = 0.0;
  bool converged = false;
};

/// The root of an increasing h from `start` inside [lo, hi]: each evaluation (t → RootStep)
/// shrinks the bracket and proposes a step, bisection replaces a step that leaves the bracket,
/// and the iteration ends after a converged step (no evaluation at the point returned) or when
/// the bracket is 4 ulp wide.
template <class Evaluate>
double bracketed_root(const Evaluate& evaluate, double start, double lo, double hi) {
  constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
  double x = start;
  for (int i = 0; i < 200; ++i) {
    const RootStep s = evaluate(x);
    if (s.h == 0.0) break;
    (s.h > 0.0 ? hi : lo) = x;
    double next = x + s.step;
    const bool inside = next > lo && next < hi;
    if (!inside) next = 0.5 * (lo + hi);
    x = next;
    if ((inside && s.converged) || hi - lo <= 4.0 * kEpsilon * std::max(1.0, std::abs(x))) break;
  }
  return x;
}

/// A conditional's tail T (F below the median, S above), its density f and f's first three
/// derivatives at one point, summed over the active components.
struct TailSums {
  double tail = 0.0, density = 0.0, slope = 0.0, curvature = 0.0, third = 0.0;
};

/// solve_linear stops when the error left after a step is estimated below this fraction of
/// max(1, |x|) (a few ulp: the round trip keeps its ~1e-13).
constexpr double kRootTolerance = 1e-15;
/// Above this |a·u| (series_step) the tail is too curved for the series: a plain Newton step.
constexpr double kSeriesReach = 0.1;

/// The step to the root of h = ±(log T − target) at t from h and its first four derivatives:
/// with u = −h/h′, a = h″/(2h′), b = h‴/(6h′) and c = h⁗/(24h′), the inverse series
/// u − a·u² + (2a² − b)·u³, whose leading error term (5a³ − 5ab + c)·u⁴ is at most 11κ³u⁴ for
/// κ = max(|a|, √|b|, ∛|c|). Where |a·u| > kSeriesReach a Newton step u (error ~κu²).
RootStep series_step(const TailSums& s, bool lower, double target, double t) {
  const double sign = lower ? 1.0 : -1.0;
  const double r1 = s.density / s.tail;  // an underflowed tail: NaNs, and the bracket decides
  const double r2 = s.slope / s.tail;
  const double r3 = s.curvature / s.tail;
  const double r4 = s.third / s.tail;
  const double h1 = r1;
  const double h2 = r2 - sign * r1 * r1;
  const double h3 = r3 - 3.0 * sign * r1 * r2 + 2.0 * r1 * r1 * r1;
  const double h4 = r4 - 4.0 * sign * r1 * r3 - 3.0 * sign * r2 * r2 + 12.0 * r1 * r1 * r2 -
                    6.0 * sign * r1 * r1 * r1 * r1;
  RootStep out;
  out.h = sign * (std::log(s.tail) - target);
  const double u = -out.h / h1;
  const double a = h2 / (2.0 * h1);
  const double b = h3 / (6.0 * h1);
  const double c = h4 / (24.0 * h1);
  const double kappa_cubed =  // κ³, without a cube root
      std::max({std::abs(a * a * a), std::abs(b) * std::sqrt(std::abs(b)), std::abs(c)});
  const double tolerance = kRootTolerance * std::max(1.0, std::abs(t));
  if (std::abs(a * u) <= kSeriesReach) {
    out.step = u * (1.0 - a * u + (2.0 * a * a - b) * u * u);
    const double u2 = u * u;
    out.converged = 11.0 * kappa_cubed * u2 * u2 <= tolerance;
  } else {
    out.step = u;
    out.converged = 2.0 * std::cbrt(kappa_cubed) * u * u <= tolerance;
  }
  return out;
}

/// log f(t + δ) from the sums at t by its third-order Taylor series (error of order (δ/σ)⁴);
/// NaN where δ is too long for it.
double log_density_near(const TailSums& s, double delta) {
  const double l1 = s.slope / s.density;
  if (!(std::abs(l1 * delta) <= 1e-3)) return std::numeric_limits<double>::quiet_NaN();
  const double r2 = s.curvature / s.density;
  const double l2 = r2 - l1 * l1;
  const double l3 = s.third / s.density - 3.0 * r2 * l1 + 2.0 * l1 * l1 * l1;
  return std::log(s.density) + delta * (l1 + delta * (0.5 * l2 + delta * l3 / 6.0));
}

}  // namespace

/// One row's state: each component's standardized coordinates so far, its running log-weight
/// log π_k + log N(x_<d), and the conditional mean and scale of the coordinate at hand.
struct MixtureMap::Row {
  explicit Row(Index k, Index d) : eps(k, d), log_weight(k), mean(k), scale(k), terms(k) {
    active.reserve(static_cast<size_t>(k));
  }
  Matrix eps;  // K×D
  Vector log_weight, mean, scale, terms;
  std::vector<Index> active;    // the components solve_linear sums over
  double log_derivative = 0.0;  // log ∂z_d/∂x_d of the last coordinate forward_coordinate mapped
};

/// x_j = F₁⁻¹(Φ(z_j)) and dx/dz there at the nodes z_j (kTableNodes): built once, on the first
/// inverse, and shared by the map's copies (its parameters never change).
struct MixtureMap::FirstQuantiles {
  std::once_flag built;
  std::vector<double> x, slope;
};

MixtureMap::MixtureMap(Vector weights, Matrix means, std::vector<Matrix> covariances)
    : weights_(std::move(weights)),
      means_(std::move(means)),
      covariances_(std::move(covariances)),
      first_quantiles_(std::make_shared<FirstQuantiles>()) {
  const Index k = means_.rows();
  const Index dims = means_.cols();
  if (k < 1 || dims < 1) throw DimensionError("mixture: no components or no dimensions");
  if (weights_.size() != k || static_cast<Index>(covariances_.size()) != k)
    throw DimensionError(fmt::format("mixture: {} weights and {} covariances for {} means",
                                     weights_.size(), covariances_.size(), k));
  if (!(weights_.array() > 0.0).all() || !weights_.allFinite() ||
      !(std::abs(weights_.sum() - 1.0) <= 1e-9))
    throw OptionError("mixture: the weights must be positive and sum to 1");
  if (!means_.allFinite()) throw OptionError("mixture: a mean is not finite");
  log_weights_ = weights_.array().log();
  log_scale_.resize(k, dims);
  for (Index c = 0; c < k; ++c) {
    const Matrix& s = covariances_[static_cast<size_t>(c)];
    if (s.rows() != dims || s.cols() != dims)
      throw DimensionError(fmt::format("mixture: component {}'s covariance is {}×{}, not {}×{}",
                                       c + 1, s.rows(), s.cols(), dims, dims));
    if (!s.allFinite() || !s.isApprox(s.transpose(), 0.0))
      throw OptionError(
          fmt::format("mixture: component {}'s covariance is not finite and symmetric", c + 1));
    Eigen::LLT<Matrix> llt(s);
    Matrix l = llt.matrixL();
    if (llt.info() != Eigen::Success || !l.allFinite() || !(l.diagonal().array() > 0.0).all())
      throw OptionError(
          fmt::format("mixture: component {}'s covariance is not positive definite", c + 1));
    log_scale_.row(c) = l.diagonal().array().log().transpose();
    if (!log_scale_.row(c).allFinite())
      throw OptionError(fmt::format("mixture: component {}'s covariance is degenerate", c + 1));
    cholesky_.push_back(std::move(l));
  }
}

void MixtureMap::condition(Row& row, Index d) const {
  for (Index c = 0; c < components(); ++c) {
    const Matrix& l = cholesky_[static_cast<size_t>(c)];
    double mean = means_(c, d);
    for (Index j = 0; j < d; ++j) mean += l(d, j) * row.eps(c, j);
    row.mean[c] = mean;
    row.scale[c] = l(d, d);
  }
}

void MixtureMap::advance(Row& row, Index d, double x) const {
  for (Index c = 0; c < components(); ++c) {
    // Clamped for the later conditionals' means too: near ±DBL_MAX, x/σ overflows.
    const double eps = std::clamp((x - row.mean[c]) / row.scale[c], -kWeightClamp, kWeightClamp);
    row.eps(c, d) = eps;
    row.log_weight[c] += detail::log_normal_pdf(eps) - log_scale_(c, d);
  }
  // Relative to the largest: far out they all reach ~−1e300, where their differences and the
  // log-sum-exp's log K would be lost to rounding (every conditional cdf then read log 1 = 0).
  row.log_weight.array() -= row.log_weight.maxCoeff();
}

// The tail model beyond the conditional's ±kTailZ on the side `direction` (±1): from x_T, where
// the conditional reaches it, with slope 1/σ of the component whose own quantile there is the
// farthest out (the one that dominates that tail: the mixture's slope tends to it). Not the slope
// of the conditional at x_T: after earlier coordinates near ±DBL_MAX the conditional's spread can
// be below the spacing of doubles at x_T, so that its density there is not resolved, and the
// forward map and the inverse could then take different slopes.
detail::LinearLogTail MixtureMap::far_tail(Row& row, Index d, double direction) const {
  const double z_edge = direction * kTailZ;
  Index outermost = 0;
  for (Index c = 1; c < components(); ++c) {
    if (direction * (row.mean[c] + row.scale[c] * z_edge) >
        direction * (row.mean[outermost] + row.scale[outermost] * z_edge))
      outermost = c;
  }
  const double edge = solve_coordinate(row, d, z_edge);
  return {edge, z_edge, 1.0 / row.scale[outermost], direction};
}

// ±1 when x lies beyond every component's own quantile at ±kTailZ (then the conditional is beyond
// ±kTailZ too), else 0. Only where the plain-probability sums failed: there the log-space ones
// could meet terms whose squares overflow.
double MixtureMap::beyond_every_component(const Row& row, double x) const {
  double below = std::numeric_limits<double>::infinity();
  double above = -below;
  for (Index c = 0; c < components(); ++c) {
    below = std::min(below, row.mean[c] - kTailZ * row.scale[c]);
    above = std::max(above, row.mean[c] + kTailZ * row.scale[c]);
  }
  return x < below ? -1.0 : x > above ? 1.0 : 0.0;
}

// Returns z_d for x_d = x given the row's earlier coordinates; row.log_derivative ← log ∂z_d/∂x_d.
double MixtureMap::forward_coordinate(Row& row, Index d, double x) const {
  condition(row, d);
  double z = 0.0;
  double& log_derivative = row.log_derivative;
  double far_side = 0.0;  // ±1 where x is in the far tail
  if (!forward_linear(row, x, z, log_derivative)) {
    far_side = beyond_every_component(row, x);
    if (far_side == 0.0) forward_logarithmic(row, d, x, z, log_derivative);
  }
  if (far_side == 0.0 && std::abs(z) > kTailZ) far_side = z > 0.0 ? 1.0 : -1.0;
  if (far_side != 0.0) {
    const detail::LinearLogTail tail = far_tail(row, d, far_side);
    z = tail.z(x);
    log_derivative = tail.log_derivative(x);
  }
  advance(row, d, x);
  return z;
}

// z_d and log ∂z_d/∂x_d in log space (log Φ, log-sum-exp): where forward_linear's plain sums
// underflowed, x not beyond every component (beyond_every_component).
void MixtureMap::forward_logarithmic(Row& row, Index d, double x, double& z,
                                     double& log_derivative) const {
  const double total = detail::log_sum_exp(row.log_weight);
  for (Index c = 0; c < components(); ++c)
    row.terms[c] = row.log_weight[c] + detail::log_normal_cdf((x - row.mean[c]) / row.scale[c]);
  const double log_cdf = detail::log_sum_exp(row.terms) - total;
  for (Index c = 0; c < components(); ++c)
    row.terms[c] = row.log_weight[c] + detail::log_normal_cdf((row.mean[c] - x) / row.scale[c]);
  const double log_sf = detail::log_sum_exp(row.terms) - total;
  const double log_pdf = log_conditional_density(row, d, total, x);
  z = log_cdf < log_sf ? detail::normal_quantile_from_log(log_cdf)
                       : -detail::normal_quantile_from_log(log_sf);
  log_derivative = log_pdf - detail::log_normal_pdf(z);
}

// z_d in plain probabilities, as solve_linear sums them: each component's smaller tail from one
// erfc, its weight and density from one exponential each (the log path takes two log-cdfs and
// three log-sum-exps per component, ~3× the time). Each side of the conditional cdf adds tails and
// complements of at least ½, so the smaller side keeps its relative precision. Returns false, and
// leaves the log path to decide, when that side or the density falls below kLinearTail: there a
// component's share may have underflowed.
bool MixtureMap::forward_linear(Row& row, double x, double& z, double& log_derivative) const {
  const double top = row.log_weight.maxCoeff();
  double weights = 0.0;
  double lower = 0.0;  // Σ w_c F_c(x), w_c unnormalised
  double upper = 0.0;  // Σ w_c (1 − F_c(x))
  double density = 0.0;
  for (Index c = 0; c < components(); ++c) {
    const double weight = std::exp(row.log_weight[c] - top);
    const double eps = (x - row.mean[c]) / row.scale[c];
    const double tail = 0.5 * std::erfc(std::abs(eps) * M_SQRT1_2);
    weights += weight;
    lower += weight * (eps < 0.0 ? tail : 1.0 - tail);
    upper += weight * (eps < 0.0 ? 1.0 - tail : tail);
    density += weight * std::exp(detail::log_normal_pdf(eps)) / row.scale[c];
  }
  lower /= weights;
  upper /= weights;
  density /= weights;
  if (!(std::min(lower, upper) >= kLinearTail) || !(density >= kLinearTail) ||
      !std::isfinite(density))
    return false;
  z = lower < upper ? detail::normal_quantile(lower) : -detail::normal_quantile(upper);
  log_derivative = std::log(density) - detail::log_normal_pdf(z);
  return true;
}

// x_d with F(x_d | x_<d) = Φ(z) given the row's earlier coordinates (the far tail beyond
// |z| = kTailZ); row.log_derivative ← the forward map's log ∂z_d/∂x_d at that x_d (for the
// inverse's log-determinant).
double MixtureMap::inverse_coordinate(Row& row, Index d, double z) const {
  condition(row, d);
  if (!(std::abs(z) > kTailZ)) return solve_coordinate(row, d, z);
  const detail::LinearLogTail tail = far_tail(row, d, z > 0.0 ? 1.0 : -1.0);
  const double x = tail.x(z);
  row.log_derivative = tail.log_derivative(x);
  return x;
}

// The root of F(x | x_<d) = Φ(z) for |z| ≤ kTailZ (condition(row, d) done); row.log_derivative
// ← log ∂z_d/∂x_d there.
double MixtureMap::solve_coordinate(Row& row, Index d, double z) const {
  // The root lies between the components' own quantiles at z: below all of them every
  // conditional cdf is below Φ(z), above all of them every one is above it.
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (Index c = 0; c < components(); ++c) {
    const double q = row.mean[c] + row.scale[c] * z;
    lo = std::min(lo, q);
    hi = std::max(hi, q);
  }
  const double total = detail::log_sum_exp(row.log_weight);
  if (!(lo < hi)) {
    row.log_derivative = log_conditional_density(row, d, total, hi) - detail::log_normal_pdf(z);
    return hi;
  }
  const double x = solve_linear(row, total, z, lo, hi, d == 0 ? table_start(z) : kNoStart);
  if (std::isfinite(row.log_derivative)) return x;
  row.log_derivative = log_conditional_density(row, d, total, x) - detail::log_normal_pdf(z);
  return x;
}

// The first coordinate's start from the table (kNoStart outside it or before it is built).
double MixtureMap::table_start(double z) const {
  const FirstQuantiles& table = *first_quantiles_;
  if (table.x.empty() || !(std::abs(z) < kTableZ)) return kNoStart;
  const double step = 2.0 * kTableZ / (kTableNodes - 1);
  const double position = (z + kTableZ) / step;
  const auto j = std::min(static_cast<size_t>(position), static_cast<size_t>(kTableNodes - 2));
  const double t = position - static_cast<double>(j);
  // Cubic Hermite on the nodes' values and slopes.
  const double t2 = t * t;
  const double t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * table.x[j] + (t3 - 2 * t2 + t) * step * table.slope[j] +
         (-2 * t3 + 3 * t2) * table.x[j + 1] + (t3 - t2) * step * table.slope[j + 1];
}

void MixtureMap::build_first_quantiles() const {
  FirstQuantiles& table = *first_quantiles_;
  std::vector<double> x(kTableNodes), slope(kTableNodes);
  Row row(components(), dims());
  const double step = 2.0 * kTableZ / (kTableNodes - 1);
  for (int j = 0; j < kTableNodes; ++j) {
    row.log_weight = log_weights_;
    x[static_cast<size_t>(j)] = inverse_coordinate(row, 0, -kTableZ + step * j);
    slope[static_cast<size_t>(j)] = std::exp(-row.log_derivative);
  }
  table.x = std::move(x);
  table.slope = std::move(slope);
}

// log f(x_d | x_<d), as forward_coordinate computes it.
double MixtureMap::log_conditional_density(Row& row, Index d, double total, double x) const {
  for (Index c = 0; c < components(); ++c) {
    const double eps = std::clamp((x - row.mean[c]) / row.scale[c], -kWeightClamp, kWeightClamp);
    row.terms[c] = row.log_weight[c] + detail::log_normal_pdf(eps) - log_scale_(c, d);
  }
  return detail::log_sum_exp(row.terms) - total;
}

// The root of the increasing h(x) = log F(x) − log Φ(z) below the median (log Φ(−z) − log S(x)
// above it, each in its own small tail, so that both keep their relative precision; in logs,
// because F itself is nearly exponential in the tails and Newton on it would creep). For |z| ≤
// kTailZ the target Φ(−|z|) > 1e-198 and every term that can matter is a normal double, so F is
// summed from the components' weights as plain numbers: one logarithm per step instead of one per
// component and the log-sum-exp's exponentials. Each evaluation also sums the density's first three
// derivatives (nearly free beside the erfc and exp), so each step is of fourth order
// (series_step) and the iteration stops without evaluating at the point it returns. It starts at
// `start`, else at the quantile of the normal with the conditional's mean and variance.
double MixtureMap::solve_linear(Row& row, double total, double z, double lo, double hi,
                                double start) const {
  Vector& weight = row.terms;
  const bool lower = z <= 0.0;
  const double target_tail = detail::normal_cdf(lower ? z : -z);
  const double target = std::log(target_tail);
  row.active.clear();
  double mean = 0.0;
  double second = 0.0;
  for (Index c = 0; c < components(); ++c) {
    weight[c] = std::exp(row.log_weight[c] - total);
    if (weight[c] < kNegligibleWeight * target_tail) continue;
    row.active.push_back(c);
    mean += weight[c] * row.mean[c];
    second += weight[c] * (row.mean[c] * row.mean[c] + row.scale[c] * row.scale[c]);
  }
  if (start == kNoStart) start = mean + std::sqrt(std::max(second - mean * mean, 0.0)) * z;
  // Earlier coordinates near ±DBL_MAX put the conditional means near it too: the moments overflow.
  if (!std::isfinite(start)) start = 0.5 * lo + 0.5 * hi;
  TailSums sums;
  double last = 0.0;  // where `sums` were taken
  const auto evaluate = [&](double t) {
    sums = TailSums();
    for (const Index c : row.active) {
      const double eps = (t - row.mean[c]) / row.scale[c];
      const double inverse_scale = 1.0 / row.scale[c];
      const double density = weight[c] * std::exp(detail::log_normal_pdf(eps)) * inverse_scale;
      sums.tail += weight[c] * 0.5 * std::erfc((lower ? -eps : eps) * M_SQRT1_2);
      sums.density += density;
      sums.slope -= density * eps * inverse_scale;
      const double inverse_scale2 = inverse_scale * inverse_scale;
      sums.curvature += density * (eps * eps - 1.0) * inverse_scale2;
      sums.third -= density * eps * (eps * eps - 3.0) * inverse_scale2 * inverse_scale;
    }
    last = t;
    return series_step(sums, lower, target, t);
  };
  const double x = bracketed_root(evaluate, std::clamp(start, lo, hi), lo, hi);
  // The forward map's log-derivative at x from the last evaluation's Taylor series (x is within
  // a converged step of it), in plain numbers where the density is a normal double (else the
  // caller's log-space sum: the flag is a NaN).
  row.log_derivative = sums.density >= kLinearTail && std::isfinite(sums.density)
                           ? log_density_near(sums, x - last) - detail::log_normal_pdf(z)
                           : std::numeric_limits<double>::quiet_NaN();
  return x;
}

void MixtureMap::forward(MatrixRef x, VectorRef log_det) const {
  detail::check_map_shape("mixture", "forward", x.cols(), x.rows(), log_det.size(), dims());
  detail::for_row_blocks(x.rows(), 0, [&](Index begin, Index end) {
    Row row(components(), dims());
    for (Index i = begin; i < end; ++i) {
      row.log_weight = log_weights_;
      double sum = 0.0;
      for (Index d = 0; d < dims(); ++d) {
        x(i, d) = forward_coordinate(row, d, x(i, d));
        sum += row.log_derivative;
      }
      log_det[i] += sum;
    }
  });
}

void MixtureMap::inverse(MatrixRef z, VectorRef log_det) const {
  detail::check_map_shape("mixture", "inverse", z.cols(), z.rows(), log_det.size(), dims());
  std::call_once(first_quantiles_->built, [this] { build_first_quantiles(); });
  detail::for_row_blocks(z.rows(), 0, [&](Index begin, Index end) {
    Row row(components(), dims());
    for (Index i = begin; i < end; ++i) {
      row.log_weight = log_weights_;
      double sum = 0.0;  // the forward log-determinant at the point returned
      for (Index d = 0; d < dims(); ++d) {
        const double x = inverse_coordinate(row, d, z(i, d));
        sum += row.log_derivative;
        advance(row, d, x);
        z(i, d) = x;
      }
      log_det[i] -= sum;
    }
  });
}

Vector MixtureMap::log_density(ConstMatrixRef x) const {
  if (x.cols() != dims())
    throw DimensionError(fmt::format("mixture log-density: {} columns for a {}-dimensional mixture",
                                     x.cols(), dims()));
  Vector out(x.rows());
  detail::for_row_blocks(x.rows(), 0, [&](Index begin, Index end) {
    const Index rows = end - begin;
    Matrix terms(rows, components());
    Matrix eps;
    for (Index c = 0; c < components(); ++c) {
      const double constant = log_weights_[c] - log_scale_.row(c).sum() -
                              static_cast<double>(dims()) * detail::kLogSqrt2Pi;
      detail::component_terms(x.middleRows(begin, rows), means_.row(c),
                              cholesky_[static_cast<size_t>(c)], constant, eps, terms.col(c));
    }
    detail::log_sum_exp_rows(terms, out.segment(begin, rows), false);
  });
  return out;
}

}  // namespace rbig
