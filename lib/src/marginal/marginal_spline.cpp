// Monotone cubic spline marginal.
//
// Knots: the sample minimum, K − 1 quantiles at the regular levels P_k = k/K, and the maximum,
// with K = clamp(round(√N), 20, 500) and at most N − 1: each interval then holds about √N
// points, which balances the interpolant's bias against the quantiles' noise (an O(N^(1/2))
// knot count, as for a frequency polygon's bins). The quantiles are read from a fine histogram
// refined where the data is dense (stats/refined_histogram.hpp: bins of at most N/1,024 values,
// a few counting passes, O(N)), not from a sort: under MPI its counts are what the processes
// exchange, ≤ ~4 kB a column whatever N, where the exact quantiles' rounds and gathers cost
// 2.8–9.1 MB a layer at D = 100 (issue 18 asks ≤ 1 MB). One process reads the same histogram, so
// the model is the same for every process count. Each knot's level is off the exact quantile's by
// a fraction of a bin's mass (≤ 1/1,024, and ≤ 1 value below N = 1,024), far below the knots'
// spacing 1/K. Tied quantiles collapse to one knot, which keeps the higher level (the tie's mass
// goes to the interval that ends at it).
//
// Interpolant: PCHIP (F. N. Fritsch & R. E. Carlson, "Monotone piecewise cubic interpolation",
// SIAM J. Numer. Anal. 17, 1980), with the slopes of F. N. Fritsch & J. Butland, "A method for
// constructing local monotone piecewise cubic interpolants", SIAM J. Sci. Stat. Comput. 5, 1984
// (weighted harmonic mean of the neighbouring secants; the shape-preserving three-point formula
// at the ends), as in SciPy's PchipInterpolator and MATLAB's pchip, then bounded to
// [kMinEndSlope·s, 2·s] at the ends and ≤ 2·min(adjacent secants) inside. Fritsch–Carlson need
// slope/secant ≤ 3 for a monotone cubic; at 3 on both ends of a cell (a sparse interval between
// dense ones) P' touches 0 mid-cell, where the density would drop to the floor and the inverse
// become ill-conditioned; with ratios ≤ 2, P' ≥ s·min(2t, 2(1 − t), 6t(1 − t)) > 0 inside every
// cell. An end slope of 0 (the three-point formula goes negative when the outermost interval is
// much sparser than the next) would put the density at the floor at the extreme sample and make
// the tail slope tiny, so it is kept at a tenth of the end secant. P is C¹: the density P' is
// continuous.
//
// Tails: the knots end at the sample minimum and maximum, and a new draw falls below the
// minimum (or above the maximum) of N exchangeable draws with probability exactly 1/(N + 1); so
// each tail holds τ = 1/(N + 1), and F(x_0) = τ is the expected CDF level of the minimum. (With a
// smaller τ, such as the histogram's share of one pseudo-sample, the tail is so steep that a
// held-out point just beyond the training range costs tens of nats per layer; measured on the
// 16-D mixture of bench/density.) Beyond the ends the latent value continues with LinearLogTail
// (normal.hpp) from z = Φ⁻¹(τ), slope tail_slope() (the density is continuous there unless
// that slope is below the map's mean slope over the knots).
// Floor: half a pseudo-sample spread uniformly over [x_0, x_K], so no interval has zero slope and
// F is strictly increasing.
//
// Inverse: the cell by binary search on F (or 1 − F) at the knots, then safeguarded Newton on
// the cell's cubic: Newton steps kept inside a shrinking bracket, bisection when a step would
// leave it, until the step is below 1e-15 of the cell (a few ulps of x) or 100 iterations.

#include "marginal/marginal_spline.hpp"
#include "stats/refined_histogram.hpp"
#include "fit/row_alignment.hpp"

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"

#include "stats/moments.hpp"

#include "stats/normal.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace rbig::detail {
namespace {

constexpr double kSplineFloorShare = 0.5;  // pseudo-samples spread uniformly over [x_0, x_K]
constexpr double kSplineTailShare = 1.0;   // each tail: P(new draw < minimum) = 1/(N + 1)
constexpr Index kMinIntervals = 20;
constexpr Index kMaxIntervals = 500;
constexpr double kNewtonTolerance = 1e-15;  // in units of the cell width
constexpr int kNewtonIterations = 100;
constexpr double kMaxSlopeRatio = 2.0;  // slope ≤ 2 × adjacent secants (see above)
constexpr double kMinEndSlope = 0.1;    // end slope ≥ 0.1 × end secant

// Cubic Hermite basis on t ∈ [0, 1]: value = p0 + h·(d0·h10 + d1·h11) + Δp·h01.
struct Hermite {
  double h01, h10, h11;  // basis values
  double g01, g10, g11;  // their derivatives in t
};
inline Hermite hermite(double t) {
  const double t2 = t * t;
  const double t3 = t2 * t;
  return {3.0 * t2 - 2.0 * t3, t3 - 2.0 * t2 + t,        t3 - t2,
          6.0 * t - 6.0 * t2,  3.0 * t2 - 4.0 * t + 1.0, 3.0 * t2 - 2.0 * t};
}

}  // namespace

SplineMarginal::SplineMarginal(std::vector<double> knots, std::vector<double> levels,
                               double tail_mass, double floor_mass, double training_entropy)
    : knots_(std::move(knots)),
      levels_(std::move(levels)),
      tail_mass_(tail_mass),
      floor_mass_(floor_mass),
      training_entropy_(training_entropy) {
  bool ok = knots_.size() >= 2 && knots_.size() == levels_.size() && levels_.front() == 0.0 &&
            levels_.back() == 1.0 && tail_mass_ > 0.0 && floor_mass_ > 0.0 &&
            2.0 * tail_mass_ + floor_mass_ < 1.0 && std::isfinite(training_entropy_);
  for (size_t k = 0; ok && k < knots_.size(); ++k) {
    ok = std::isfinite(knots_[k]) && std::isfinite(levels_[k]) &&
         (k == 0 || (knots_[k] > knots_[k - 1] && levels_[k] > levels_[k - 1]));
  }
  if (!ok) throw NumericalError("spline marginal: invalid parameters");
  rebuild();
}

std::unique_ptr<MarginalTransform> SplineMarginal::clone() const {
  return std::make_unique<SplineMarginal>(*this);
}

void SplineMarginal::fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                                      const Reducer& reducer) {
  const Index n = total_rows(x.size(), reducer);
  training_moments_ = {moments.mean, moments.sd};
  const double nd = static_cast<double>(n);
  const Index intervals =
      std::min<Index>(n - 1, std::clamp<Index>(static_cast<Index>(std::lround(std::sqrt(nd))),
                                               kMinIntervals, kMaxIntervals));
  std::vector<double> levels(static_cast<size_t>(intervals) + 1);
  for (Index k = 0; k <= intervals; ++k) {
    levels[static_cast<size_t>(k)] =
        k == intervals ? 1.0 : static_cast<double>(k) / static_cast<double>(intervals);
  }
  const std::vector<double> quantile =
      histogram_quantiles(refined_histogram(x, n, moments.min, moments.max, reducer), levels, n);
  knots_.clear();
  levels_.clear();
  for (Index k = 0; k <= intervals; ++k) {
    const double level = levels[static_cast<size_t>(k)];
    // The ends are the sample's extremes; the histogram's quantiles in between.
    const double knot = k == 0           ? moments.min
                        : k == intervals ? moments.max
                                         : quantile[static_cast<size_t>(k)];
    if (!knots_.empty() && !(knot > knots_.back())) {
      // Tied quantile: the previous knot takes this level (never the first, which stays at 0).
      if (knots_.size() > 1) levels_.back() = level;
      continue;
    }
    knots_.push_back(knot);
    levels_.push_back(level);
  }
  levels_.back() = 1.0;  // the maximum is the last knot (it exceeds the first, the minimum)
  const double total = nd + 1.0;
  tail_mass_ = kSplineTailShare / total;
  floor_mass_ = kSplineFloorShare / total;
  rebuild();
  // Unit by unit in row order, in one process too: the same bits as any split among
  // participants.
  training_entropy_ = entropy_of(x, reducer);
}

double SplineMarginal::entropy_of(ConstVectorRef x, const Reducer& reducer) const {
  // The same sum over all participants' rows, each value's cell found by bisection; summed by
  // units (row_alignment.hpp), so the same bits however the rows are split.
  const size_t last_cell = knots_.size() - 2;
  const ExactSum entropy =
      sum_by_units(x.size(), sum_unit_rows(total_rows(x.size(), reducer)), [&](Index i) {
        const double v = x[i];
        const auto above = std::upper_bound(knots_.begin() + 1, knots_.end(), v);
        const size_t k = std::min(last_cell, static_cast<size_t>(above - (knots_.begin() + 1)));
        const double t = std::clamp((v - knots_[k]) / (knots_[k + 1] - knots_[k]), 0.0, 1.0);
        return -std::log(density_in({k, t}));
      });
  return mean_over_rows(entropy, x.size(), reducer);
}

void SplineMarginal::rebuild() {
  const size_t m = knots_.size();  // knots; m − 1 cells
  std::vector<double> width(m - 1);
  std::vector<double> secant(m - 1);
  for (size_t k = 0; k + 1 < m; ++k) {
    width[k] = knots_[k + 1] - knots_[k];
    secant[k] = (levels_[k + 1] - levels_[k]) / width[k];
  }
  slopes_.assign(m, 0.0);
  if (m == 2) {  // one cell: linear
    slopes_[0] = slopes_[1] = secant[0];
  } else {
    // Fritsch–Butland interior slopes: all secants are positive, so the weighted harmonic mean
    // is positive, at least the smaller secant and at most 3× it; then capped at 2× it.
    for (size_t k = 1; k + 1 < m; ++k) {
      const double w1 = 2.0 * width[k] + width[k - 1];
      const double w2 = width[k] + 2.0 * width[k - 1];
      const double harmonic = (w1 + w2) / (w1 / secant[k - 1] + w2 / secant[k]);
      slopes_[k] = std::min(harmonic, kMaxSlopeRatio * std::min(secant[k - 1], secant[k]));
    }
    // Ends: the non-centred three-point formula, kept in [kMinEndSlope, 2] × the end secant.
    const auto end_slope = [](double h0, double h1, double s0, double s1) {
      const double d = ((2.0 * h0 + h1) * s0 - h0 * s1) / (h0 + h1);
      return std::clamp(d, kMinEndSlope * s0, kMaxSlopeRatio * s0);
    };
    slopes_[0] = end_slope(width[0], width[1], secant[0], secant[1]);
    slopes_[m - 1] = end_slope(width[m - 2], width[m - 3], secant[m - 2], secant[m - 3]);
  }
  upper_levels_.assign(m, 0.0);  // 1 − P_k by a backward sum, exact near the top
  for (size_t k = m - 1; k-- > 0;)
    upper_levels_[k] = upper_levels_[k + 1] + (levels_[k + 1] - levels_[k]);
  spline_weight_ = 1.0 - 2.0 * tail_mass_ - floor_mass_;
  const double range = knots_.back() - knots_.front();
  floor_density_ = floor_mass_ / range;
  cdf_at_knot_.resize(m);
  sf_at_knot_.resize(m);
  for (size_t k = 0; k < m; ++k) {
    cdf_at_knot_[k] =
        tail_mass_ + spline_weight_ * levels_[k] + floor_density_ * (knots_[k] - knots_.front());
    sf_at_knot_[k] = tail_mass_ + spline_weight_ * upper_levels_[k] +
                     floor_density_ * (knots_.back() - knots_[k]);
  }
  const double z_lower = normal_quantile(tail_mass_);
  const double z_upper = normal_quantile_upper(tail_mass_);
  const double f_lower = density_in({0, 0.0});
  const double f_upper = density_in({m - 2, 1.0});
  const double mean_slope = (z_upper - z_lower) / (knots_.back() - knots_.front());
  lower_tail_ = {knots_.front(), z_lower, tail_slope(std::log(f_lower), z_lower, mean_slope), -1.0};
  upper_tail_ = {knots_.back(), z_upper, tail_slope(std::log(f_upper), z_upper, mean_slope), 1.0};
}

SplineMarginal::Cell SplineMarginal::locate(double x) const {
  // Last knot ≤ x, as a cell index in [0, cells − 1].
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), x);
  const size_t k = std::min<size_t>(
      static_cast<size_t>(std::max<std::ptrdiff_t>(it - knots_.begin() - 1, 0)), knots_.size() - 2);
  const double t = std::clamp((x - knots_[k]) / (knots_[k + 1] - knots_[k]), 0.0, 1.0);
  return {k, t};
}

double SplineMarginal::density_in(const Cell& cell) const {
  const size_t k = cell.k;
  const double h = knots_[k + 1] - knots_[k];
  const Hermite b = hermite(cell.t);
  // dP/dx = (h·(d0·h10' + d1·h11') + ΔP·h01')/h; clamp the rounding of a zero minimum.
  const double dp =
      (h * (slopes_[k] * b.g10 + slopes_[k + 1] * b.g11) + (levels_[k + 1] - levels_[k]) * b.g01) /
      h;
  return spline_weight_ * std::max(dp, 0.0) + floor_density_;
}

double SplineMarginal::cdf_in(const Cell& cell) const {
  const size_t k = cell.k;
  const double h = knots_[k + 1] - knots_[k];
  const Hermite b = hermite(cell.t);
  const double increment =
      h * (slopes_[k] * b.h10 + slopes_[k + 1] * b.h11) + (levels_[k + 1] - levels_[k]) * b.h01;
  return cdf_at_knot_[k] + spline_weight_ * increment + floor_density_ * cell.t * h;
}

double SplineMarginal::sf_in(const Cell& cell) const {
  const size_t k = cell.k;
  const double h = knots_[k + 1] - knots_[k];
  // The mass from x to x_{k+1}: the same cubic read backwards from the right knot, s = 1 − t
  // (the slopes swap ends), so 1 − F never subtracts two numbers close to 1.
  const Hermite b = hermite(1.0 - cell.t);
  const double remainder =
      h * (slopes_[k + 1] * b.h10 + slopes_[k] * b.h11) + (levels_[k + 1] - levels_[k]) * b.h01;
  return sf_at_knot_[k + 1] + spline_weight_ * remainder + floor_density_ * (1.0 - cell.t) * h;
}

SplineMarginal::Point SplineMarginal::map(double x, bool with_log_derivative) const {
  if (x < knots_.front()) return {lower_tail_.z(x), lower_tail_.log_derivative(x)};
  if (x > knots_.back()) return {upper_tail_.z(x), upper_tail_.log_derivative(x)};
  const Cell cell = locate(x);
  const double cdf = cdf_in(cell);
  // The smaller of F and 1 − F keeps Φ⁻¹ at full precision in both tails.
  const double z = cdf <= 0.5 ? normal_quantile(cdf) : -normal_quantile(sf_in(cell));
  return {z, with_log_derivative ? std::log(density_in(cell)) - log_normal_pdf(z) : 0.0};
}

double SplineMarginal::unmap(double z) const {
  if (z < lower_tail_.z_edge) return lower_tail_.x(z);
  if (z > upper_tail_.z_edge) return upper_tail_.x(z);
  const size_t cells = knots_.size() - 1;
  const bool lower = z <= 0.0;
  size_t k = 0;
  double target = 0.0;  // F(x) for z ≤ 0, else 1 − F(x)
  if (lower) {
    target = normal_cdf(z);
    const auto it = std::upper_bound(cdf_at_knot_.begin(), cdf_at_knot_.end(), target);
    k = std::min<size_t>(
        static_cast<size_t>(std::max<std::ptrdiff_t>(it - cdf_at_knot_.begin() - 1, 0)), cells - 1);
    target = std::clamp(target, cdf_at_knot_[k], cdf_at_knot_[k + 1]);
  } else {
    target = normal_cdf(-z);
    const auto it =
        std::lower_bound(sf_at_knot_.begin(), sf_at_knot_.end(), target, std::greater<>());
    k = std::clamp<size_t>(static_cast<size_t>(it - sf_at_knot_.begin()), 1, cells) - 1;
    target = std::clamp(target, sf_at_knot_[k + 1], sf_at_knot_[k]);
  }
  const double h = knots_[k + 1] - knots_[k];
  // g(t) increasing in t, g = 0 at the solution: F − target, or target − (1 − F).
  const auto g = [&](double t) { return lower ? cdf_in({k, t}) - target : target - sf_in({k, t}); };
  double low = 0.0;
  double high = 1.0;
  // Start from the linear interpolation of the target between the cell's ends.
  const double span =
      lower ? cdf_at_knot_[k + 1] - cdf_at_knot_[k] : sf_at_knot_[k] - sf_at_knot_[k + 1];
  double t = std::clamp(
      lower ? (target - cdf_at_knot_[k]) / span : (sf_at_knot_[k] - target) / span, 0.0, 1.0);
  for (int iteration = 0; iteration < kNewtonIterations; ++iteration) {
    const double value = g(t);
    if (value == 0.0) break;
    if (value < 0.0) {
      low = t;
    } else {
      high = t;
    }
    const double derivative = density_in({k, t}) * h;  // dg/dt > 0
    double next = t - value / derivative;
    if (!(next > low && next < high)) next = 0.5 * (low + high);  // keep inside the bracket
    const double change = std::abs(next - t);
    t = next;
    if (change <= kNewtonTolerance || high - low <= kNewtonTolerance) break;
  }
  return knots_[k] + t * h;
}

// Payload: u32 knots | f64 tail mass | f64 floor mass | f64 training entropy | knots × f64 knot |
// knots × f64 CDF level.
void SplineMarginal::write(ByteWriter& out) const {
  out.put(static_cast<std::uint32_t>(knots_.size()));
  out.put(tail_mass_);
  out.put(floor_mass_);
  out.put(training_entropy_);
  for (double knot : knots_) out.put(knot);
  for (double level : levels_) out.put(level);
}

MarginalType spline_marginal_type() {
  return {
      3, "spline",
      [](ByteReader& in) -> std::unique_ptr<MarginalTransform> {
        const auto knots = in.get<std::uint32_t>();
        const auto tail_mass = in.get<double>();
        const auto floor_mass = in.get<double>();
        const auto entropy = in.get<double>();
        // Checked before allocating: positions and levels, two doubles per knot.
        if (knots < 2 || knots > in.remaining() / (2 * sizeof(double))) {
          throw ModelFileError(fmt::format("{}: invalid spline knot count {}", in.path(), knots));
        }
        std::vector<double> positions = read_doubles(in, knots, 2, "spline knot count");
        std::vector<double> levels = read_doubles(in, knots, 2, "spline knot count");
        return std::make_unique<SplineMarginal>(std::move(positions), std::move(levels), tail_mass,
                                                floor_mass, entropy);
      },
      MarginalKind::Spline};
}

}  // namespace rbig::detail
