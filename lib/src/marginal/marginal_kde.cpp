// Gaussian kernel density estimate marginal.
//
// Estimate: f̂(x) = (1/N)·Σ_i φ((x − x_i)/h)/h. Bandwidth (kde_bandwidth.cpp), by
// FitOptions::bandwidth_rule: Silverman's rule of thumb h = 0.9·min(sd, IQR/1.34)·N^(−1/5)
// (B. W. Silverman, "Density Estimation for Statistics and Data Analysis", 1986, eq. 3.31), or
// the Sheather–Jones direct plug-in rule, which estimates the density's roughness from the data.
// FitOptions::bandwidth replaces either by h = bandwidth·sd (relative, so one value suits every
// column and layer).
//
// Fit in O(N + G·K): the sample is binned linearly onto G uniform nodes spanning
// [min − 4h, max + 4h] (each point splits its unit weight between its two neighbouring nodes in
// proportion to proximity; M. C. Jones & H. W. Lotwick, "Remark AS R50", Applied Statistics 33,
// 1984; Wand & Jones, "Kernel Smoothing", 1995, appendix D), then convolved directly with the
// Gaussian kernel sampled at the node spacing and truncated at ±5h (K = 2·⌈5h/step⌉ + 1 weights;
// the kernel beyond 5h holds 6e-7 of its mass), and the result is renormalised so that its
// piecewise-linear interpolant integrates to one: no mass is lost to truncation or the grid ends.
// The node spacing is h/4 (error of the binned estimate O(step²/h²) relative), with G clamped to
// [kMinNodes, kMaxNodes]: heavy outliers widen the spacing rather than the memory of the model.
//
// Density used for the map: linear between nodes, so F is piecewise quadratic, its derivative is
// exactly the density reported, and F(x) = p is solved in closed form per cell (the stable root
// of the quadratic; no iteration, the inverse is exact up to rounding).
//
// Regularisation and tails, as for the histogram: one pseudo-sample, half spread uniformly over
// the grid (a density floor, so F is strictly increasing even between far-apart clusters where
// the kernel sum underflows) and a quarter for each tail beyond the grid (mass τ = ¼/(N + 1)).
// Beyond the grid the latent value continues with LinearLogTail (normal.hpp) from z = Φ⁻¹(τ),
// slope tail_slope(): f(edge)/φ(Φ⁻¹(τ)) (a continuous density) unless the density floor makes
// that smaller than the map's mean slope over the grid or than 1/(0.9·sd) of the estimate
// (rebuild(): this bound keeps draws through hundreds of layers finite; model format 5).

#include "marginal/marginal_kde.hpp"

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"

#include "marginal/kde_bandwidth.hpp"
#include "marginal/kde_grid_passes.hpp"
#include "fit/binned_counts.hpp"
#include "fit/row_alignment.hpp"
#include "core/isa_dispatch.hpp"
#include "stats/moments.hpp"

#include "stats/normal.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>

namespace rbig::detail {
namespace {

constexpr double kSupportBandwidths = 4.0;  // grid reaches this many h beyond the data
constexpr double kKernelBandwidths = 5.0;   // kernel truncation
constexpr double kNodesPerBandwidth = 4.0;  // target spacing h/4
constexpr Index kMinNodes = 64;
constexpr Index kMaxNodes = kKdeMaxNodes;
constexpr double kKdeFloorShare = 0.5;     // of the one pseudo-sample: uniform floor
constexpr double kKdeTailShare = 0.25;     // of the one pseudo-sample: each tail
constexpr double kTailSpreadFactor = 0.9;  // beyond the grid: 1/s ≤ 0.9·sd (KdeTails::Spread)
// The batched loops index cells with int (kde_grid_passes.hpp).
constexpr size_t kMaxStoredNodes = static_cast<size_t>(std::numeric_limits<int>::max());

}  // namespace

KdeMarginal::KdeMarginal(double lower_node, double step, std::vector<double> density,
                         double tail_mass, double training_entropy, KdeTails tails)
    : tails_(tails),
      lower_node_(lower_node),
      step_(step),
      density_(std::move(density)),
      tail_mass_(tail_mass),
      training_entropy_(training_entropy) {
  const bool density_ok = std::all_of(density_.begin(), density_.end(),
                                      [](double f) { return std::isfinite(f) && f > 0.0; });
  if (!std::isfinite(lower_node_) || !std::isfinite(step_) || !(step_ > 0.0) ||
      density_.size() < 2 || density_.size() > kMaxStoredNodes || !density_ok ||
      !(tail_mass_ > 0.0) || !(tail_mass_ < 0.5) || !std::isfinite(training_entropy_)) {
    throw NumericalError("kde marginal: invalid parameters");
  }
  rebuild();
  const double total = cdf_at_node_.back() + tail_mass_;
  if (!(std::abs(total - 1.0) < 1e-6)) {
    throw NumericalError(fmt::format("kde marginal: total probability {} is not 1", total));
  }
}

std::unique_ptr<MarginalTransform> KdeMarginal::clone() const {
  return std::make_unique<KdeMarginal>(*this);
}

void KdeMarginal::fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                                   const Reducer& reducer) {
  const Index n = total_rows(x.size(), reducer);
  training_moments_ = {moments.mean, moments.sd};
  const double lo = moments.min;
  const double hi = moments.max;
  const double nd = static_cast<double>(n);
  const double sd = moments.sd;
  if (requested_bandwidth_) {
    bandwidth_ = *requested_bandwidth_ * sd;
  } else {
    const double spread = robust_spread(x, moments, reducer);
    // Annealed: the fitting loop passes each layer's bandwidth; a kde fitted outside it (the
    // fallback test's calibration, the entropy probe of damped layers) uses Silverman's rule.
    bandwidth_ = rule_ == BandwidthRule::PlugIn ? plugin_bandwidth(x, lo, hi, spread, reducer)
                                                : silverman_bandwidth(spread, n);
  }
  // sd > 0 here (hi > lo), but sd·0.9·N^(−1/5) can still be tiny against the range: the node
  // clamp below then bounds the grid, and the kernel is at least one node wide.
  const double h = bandwidth_;
  const double a = lo - kSupportBandwidths * h;
  const double b = hi + kSupportBandwidths * h;
  const double wanted = std::ceil((b - a) / (h / kNodesPerBandwidth)) + 1.0;
  const Index nodes = static_cast<Index>(
      std::clamp(wanted, static_cast<double>(kMinNodes), static_cast<double>(kMaxNodes)));
  const double step = (b - a) / static_cast<double>(nodes - 1);
  const size_t g = static_cast<size_t>(nodes);

  // Linear binning: weight 1 − w to node j and w to node j + 1, t = j + w.
  const KdeGrid grid{a, step, static_cast<int>(nodes - 2)};
  std::vector<double> counts(g, 0.0);
  bin_linearly(x, grid, counts.data());
  sum_binned_counts(counts, reducer);

  // Kernel weights at multiples of the spacing (unnormalised: the total is normalised below).
  const Index reach = std::min<Index>(
      nodes - 1, std::max<Index>(1, static_cast<Index>(std::ceil(kKernelBandwidths * h / step))));
  std::vector<double> kernel(static_cast<size_t>(reach) + 1);
  for (Index m = 0; m <= reach; ++m) {
    const double u = static_cast<double>(m) * step / h;
    kernel[static_cast<size_t>(m)] = std::exp(-0.5 * u * u);
  }

  // Direct convolution; density of the binned estimate at each node (per unit length).
  std::vector<double> smooth(g, 0.0);
  for (Index j = 0; j < nodes; ++j) {
    const double c = counts[static_cast<size_t>(j)];
    if (c == 0.0) continue;
    const Index first = std::max<Index>(0, j - reach);
    const Index last = std::min<Index>(nodes - 1, j + reach);
    for (Index k = first; k <= last; ++k) {
      smooth[static_cast<size_t>(k)] += c * kernel[static_cast<size_t>(std::abs(k - j))];
    }
  }
  // Normalise the piecewise-linear interpolant (trapezoid mass) to one, then mix in the floor:
  // f = (N·f_kde + kKdeFloorShare·U)/(N + 1), U uniform on the grid; each tail gets τ.
  double trapezoid = 0.0;
  for (size_t j = 0; j + 1 < g; ++j) trapezoid += 0.5 * step * (smooth[j] + smooth[j + 1]);
  const double total = nd + 1.0;
  const double floor = kKdeFloorShare / (total * (b - a));
  density_.resize(g);
  for (size_t j = 0; j < g; ++j) density_[j] = nd / total * smooth[j] / trapezoid + floor;
  tail_mass_ = kKdeTailShare / total;
  lower_node_ = a;
  step_ = step;
  rebuild();

  // Resubstitution entropy −(1/N)·Σ_i log f̂(x_i), f̂ the density of the applied map: O(N).
  training_entropy_ =
      mean_over_rows(negative_log_likelihood(x, grid, density_.data(),
                                             sum_unit_rows(total_rows(x.size(), reducer))),
                     x.size(), reducer);
}

void KdeMarginal::rebuild() {
  const size_t g = density_.size();
  cell_mass_.resize(g - 1);
  for (size_t j = 0; j + 1 < g; ++j) cell_mass_[j] = 0.5 * step_ * (density_[j] + density_[j + 1]);
  cdf_at_node_.assign(g, tail_mass_);
  sf_at_node_.assign(g, tail_mass_);
  for (size_t j = 0; j + 1 < g; ++j) cdf_at_node_[j + 1] = cdf_at_node_[j] + cell_mass_[j];
  for (size_t j = g - 1; j-- > 0;) sf_at_node_[j] = sf_at_node_[j + 1] + cell_mass_[j];
  upper_node_ = lower_node_ + static_cast<double>(g - 1) * step_;
  const double z_lower = normal_quantile(tail_mass_);
  const double z_upper = normal_quantile_upper(tail_mass_);
  double slope_floor = (z_upper - z_lower) / (upper_node_ - lower_node_);  // the mean slope
  if (tails_ == KdeTails::Spread) {
    // The grid ends 4h past the data, where the map has reached only z = Φ⁻¹(1 − τ): the inverse
    // puts a latent value just past that 4h or more beyond the data, an outward shift that a
    // draw in the tails of successive layers collects again and again; with wide kernels and
    // hundreds of (damped) layers it grew geometrically and overflowed. A slope of at least
    // 1/(0.9·sd) beyond the grid makes the inverse there contract against the Gaussian map of the
    // same spread, so repeated tails reach a fixed point instead (README.md, "Tail model").
    double mean = 0.0;
    for (size_t j = 0; j + 1 < g; ++j) mean += cell_mass_[j] * (static_cast<double>(j) + 0.5);
    const double inside = cdf_at_node_.back() - tail_mass_;
    mean /= inside;
    double variance = 0.0;  // of the cell midpoints, in units of the spacing
    for (size_t j = 0; j + 1 < g; ++j) {
      const double offset = static_cast<double>(j) + 0.5 - mean;
      variance += cell_mass_[j] * offset * offset;
    }
    const double sd = std::sqrt(variance / inside) * step_;
    if (sd > 0.0) slope_floor = std::max(slope_floor, 1.0 / (kTailSpreadFactor * sd));
  }
  lower_tail_ = {lower_node_, z_lower, tail_slope(std::log(density_.front()), z_lower, slope_floor),
                 -1.0};
  upper_tail_ = {upper_node_, z_upper, tail_slope(std::log(density_.back()), z_upper, slope_floor),
                 1.0};
}

std::vector<double> KdeMarginal::breakpoints() const {
  std::vector<double> nodes(density_.size());
  for (size_t j = 0; j < nodes.size(); ++j) nodes[j] = lower_node_ + static_cast<double>(j) * step_;
  nodes.back() = upper_node_;
  return nodes;
}

KdeMarginal::Point KdeMarginal::map(double x, bool with_log_derivative) const {
  // NaN (from an earlier layer's overflow in a damaged model) takes the tail and stays NaN, which
  // the model's finiteness check reports; the grid index below must never see it.
  if (!(x >= lower_node_)) return {lower_tail_.z(x), lower_tail_.log_derivative(x)};
  if (x > upper_node_) return {upper_tail_.z(x), upper_tail_.log_derivative(x)};
  const Index last_cell = static_cast<Index>(density_.size()) - 2;
  const double t = (x - lower_node_) / step_;
  const Index j = std::clamp(static_cast<Index>(t), Index{0}, last_cell);
  const double u = std::clamp(t - static_cast<double>(j), 0.0, 1.0);
  const size_t c = static_cast<size_t>(j);
  const double f_left = density_[c];
  const double f_right = density_[c + 1];
  const double f = f_left + (f_right - f_left) * u;
  // Mass of the cell left and right of x, each the product of positive factors (trapezoids of
  // the linear density), so neither suffers cancellation: F = C_j + δ·u·(f_j + f)/2,
  // 1 − F = S_{j+1} + δ·(1 − u)·(f + f_{j+1})/2.
  const double cdf = cdf_at_node_[c] + step_ * u * 0.5 * (f_left + f);
  const double sf = sf_at_node_[c + 1] + step_ * (1.0 - u) * 0.5 * (f + f_right);
  // The smaller of F and 1 − F keeps Φ⁻¹ at full precision in both tails.
  const double z = cdf <= 0.5 ? normal_quantile(cdf) : -normal_quantile(sf);
  return {z, with_log_derivative ? std::log(f) - log_normal_pdf(z) : 0.0};
}

// The batched map: per chunk of kKdeChunk values, (1) each value's cell and fraction
// (locate_cells, vectorised); (2) the density at both ends of its cell and the CDF and survival
// function at them (a gather); (3) F, 1 − F, the smaller of them as map() chooses it and the
// central AS 241 rational, written straight to the output (vectorised); (4) the list of values
// that need more: beyond the grid (or NaN), or whose Φ⁻¹ needs the tail formula; (5) those:
// map() itself beyond the grid, else the tail formula in steps (r = √(−log p), then its rational
// function, vectorised). In the centre z = ±central(p − ½), exactly map()'s ±Φ⁻¹(p), as the
// rational is odd; in the tails z = ∓tail_magnitude(p), as in normal_quantile.
template <bool kWithLogDerivative>
RBIG_ALWAYS_INLINE void KdeMarginal::forward_loop(const double* x_data, double* z_data, Index n,
                                                  double* log_derivative) const {
  alignas(64) double input[kKdeChunk];  // a copy: z may be the same memory as x (in place)
  alignas(64) int cell[kKdeChunk];
  alignas(64) double fraction[kKdeChunk];
  alignas(64) double left[kKdeChunk];   // f_j
  alignas(64) double right[kKdeChunk];  // f_{j+1}
  alignas(64) double below[kKdeChunk];  // C_j
  alignas(64) double above[kKdeChunk];  // S_{j+1}
  alignas(64) double density[kKdeChunk];
  alignas(64) double smaller[kKdeChunk];  // p: F where F ≤ ½, else 1 − F
  alignas(64) double sign[kKdeChunk];     // +1 where p is F, −1 where it is 1 − F
  alignas(64) double beyond[kKdeChunk];   // not ≤ 0 for the values that need pass 5
  int listed[kKdeChunk];
  int odd[kKdeChunk];  // values map() maps
  alignas(64) double radius[kKdeChunk];
  alignas(64) double magnitude[kKdeChunk];
  const KdeGrid grid{lower_node_, step_, static_cast<int>(density_.size()) - 2};
  const double* f = density_.data();
  const double* cdf_at = cdf_at_node_.data();
  const double* sf_at = sf_at_node_.data();
  const double step = step_;
  const double lower = lower_node_;
  const double upper = upper_node_;
  for (Index start = 0; start < n; start += kKdeChunk) {
    const int count = static_cast<int>(std::min<Index>(kKdeChunk, n - start));
    double* out = z_data + start;
    double* out_log_derivative = kWithLogDerivative ? log_derivative + start : nullptr;
    std::copy(x_data + start, x_data + start + count, input);
    locate_cells(input, count, grid, cell, fraction);  // pass 1
    for (int i = 0; i < count; ++i) {                  // pass 2
      left[i] = f[cell[i]];
      right[i] = f[cell[i] + 1];
      below[i] = cdf_at[cell[i]];
      above[i] = sf_at[cell[i] + 1];
    }
    for (int i = 0; i < count; ++i) {  // pass 3: map()'s arithmetic
      const double u = fraction[i];
      const double value = left[i] + (right[i] - left[i]) * u;
      const double cdf = below[i] + step * u * 0.5 * (left[i] + value);
      const double sf = above[i] + step * (1.0 - u) * 0.5 * (value + right[i]);
      const bool lower_half = cdf <= 0.5;
      const double p = lower_half ? cdf : sf;
      const double s = lower_half ? 1.0 : -1.0;
      const double z = s * as241::central(p - 0.5);
      out[i] = z;
      if (kWithLogDerivative) density[i] = value;
      smaller[i] = p;
      sign[i] = s;
      // NaN first, so that std::max keeps it: a NaN input is listed.
      beyond[i] = std::max(std::max(lower - input[i], input[i] - upper), std::abs(p - 0.5) - 0.425);
    }
    int listed_count = 0;
    for (int i = 0; i < count; ++i) {  // pass 4
      listed[listed_count] = i;
      listed_count += beyond[i] <= 0.0 ? 0 : 1;
    }
    // Pass 5. Values beyond the grid go to `odd` (rare, so the branch is predictable), and
    // map() gives them their result last, overwriting what the other steps wrote.
    int tails = 0;
    int odd_count = 0;
    for (int k = 0; k < listed_count; ++k) {
      const int i = listed[k];
      // p > ½ off the centre cannot come from F ≤ ½ nor from 1 − F < ½: map() decides.
      if (!(input[i] >= lower) || input[i] > upper || smaller[i] > 0.5) {
        odd[odd_count++] = i;
      } else {
        listed[tails++] = i;
      }
    }
    for (int k = 0; k < tails; ++k) radius[k] = as241::tail_radius(smaller[listed[k]]);
    for (int k = 0; k < tails; ++k) magnitude[k] = as241::tail_near(radius[k]);
    for (int k = 0; k < tails; ++k) {
      const int i = listed[k];
      // r > 5 only for p < 1.4e-11: rare, so the branch is predictable.
      const double m = radius[k] <= 5.0 ? magnitude[k] : as241::tail_far(radius[k]);
      out[i] = -sign[i] * m;
    }
    if (kWithLogDerivative) {
      for (int i = 0; i < count; ++i) {
        out_log_derivative[i] = std::log(density[i]) - log_normal_pdf(out[i]);
      }
    }
    for (int k = 0; k < odd_count; ++k) {
      const int i = odd[k];
      const Point point = map(input[i], kWithLogDerivative);
      out[i] = point.z;
      if (kWithLogDerivative) out_log_derivative[i] = point.log_derivative;
    }
  }
}

template <bool kWithLogDerivative>
void KdeMarginal::forward_batch(ConstVectorRef x, VectorRef z, double* log_derivative) const {
  assert(x.innerStride() == 1 && z.innerStride() == 1 && z.size() == x.size());
  run_with_best_isa<&KdeMarginal::forward_loop<kWithLogDerivative>>(this, x.data(), z.data(),
                                                                    x.size(), log_derivative);
}

void KdeMarginal::forward(ConstVectorRef x, VectorRef z) const {
  forward_batch<false>(x, z, nullptr);
}

void KdeMarginal::forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                              VectorRef log_derivative) const {
  forward_batch<true>(x, z, log_derivative.data());
}

void KdeMarginal::log_derivative(ConstVectorRef x, VectorRef out) const {
  Vector scratch(std::min<Index>(x.size(), 4096));  // latent values, discarded
  for (Index start = 0; start < x.size(); start += scratch.size()) {
    const Index count = std::min(scratch.size(), x.size() - start);
    forward_batch<true>(x.segment(start, count), scratch.head(count), out.data() + start);
  }
}

double KdeMarginal::unmap(double z) const {
  if (z < lower_tail_.z_edge) return lower_tail_.x(z);
  if (z > upper_tail_.z_edge) return upper_tail_.x(z);
  const size_t cells = cell_mass_.size();
  if (z <= 0.0) {
    const double p = normal_cdf(z);
    // Last node with C_j ≤ p, as a cell index.
    const auto it = std::upper_bound(cdf_at_node_.begin(), cdf_at_node_.end(), p);
    const size_t j = std::min<size_t>(
        static_cast<size_t>(std::max<std::ptrdiff_t>(it - cdf_at_node_.begin() - 1, 0)), cells - 1);
    // Solve δ·(f_j·u + d·u²/2) = r for u ∈ [0, 1], d = f_{j+1} − f_j, by the root form
    // u = 2r/(δf_j + √((δf_j)² + 2δdr)), which has no cancellation for either sign of d (the
    // discriminant is ≥ (δf_{j+1})² ≥ 0 when r ≤ the cell mass).
    const double r = std::clamp(p - cdf_at_node_[j], 0.0, cell_mass_[j]);
    const double df = step_ * density_[j];
    const double dd = step_ * (density_[j + 1] - density_[j]);
    const double u = 2.0 * r / (df + std::sqrt(std::max(df * df + 2.0 * dd * r, 0.0)));
    return lower_node_ + (static_cast<double>(j) + std::clamp(u, 0.0, 1.0)) * step_;
  }
  const double q = normal_cdf(-z);
  // First node e with S_e ≤ q (S decreases); the point lies in cell e − 1.
  const auto it = std::lower_bound(sf_at_node_.begin(), sf_at_node_.end(), q, std::greater<>());
  const size_t e = std::clamp<size_t>(static_cast<size_t>(it - sf_at_node_.begin()), 1, cells);
  const size_t j = e - 1;
  // Mirror image: the mass right of x is δ·(f_{j+1}·v − d·v²/2) = r with v = 1 − u.
  const double r = std::clamp(q - sf_at_node_[j + 1], 0.0, cell_mass_[j]);
  const double df = step_ * density_[j + 1];
  const double dd = step_ * (density_[j + 1] - density_[j]);
  const double v = 2.0 * r / (df + std::sqrt(std::max(df * df - 2.0 * dd * r, 0.0)));
  return lower_node_ + (static_cast<double>(j + 1) - std::clamp(v, 0.0, 1.0)) * step_;
}

// Payload: f64 first grid node | f64 node spacing | u32 nodes | f64 tail mass |
// f64 training entropy | nodes × f64 density.
void KdeMarginal::write(ByteWriter& out) const {
  out.put(lower_node_);
  out.put(step_);
  out.put(static_cast<std::uint32_t>(density_.size()));
  out.put(tail_mass_);
  out.put(training_entropy_);
  for (double f : density_) out.put(f);
}

MarginalType kde_marginal_type() {
  return {2, "kde",
          [](ByteReader& in) -> std::unique_ptr<MarginalTransform> {
            const auto lower_node = in.get<double>();
            const auto step = in.get<double>();
            const auto nodes = in.get<std::uint32_t>();
            const auto tail_mass = in.get<double>();
            const auto entropy = in.get<double>();
            std::vector<double> density = read_doubles(in, nodes, 2, "kde grid size");
            // Files of versions 3 and 4 keep the tails they were fitted with (KdeTails).
            const std::uint32_t version = in.format_version();
            const KdeTails tails =
                version == 3 || version == 4 ? KdeTails::MeanSlope : KdeTails::Spread;
            return std::make_unique<KdeMarginal>(lower_node, step, std::move(density), tail_mass,
                                                 entropy, tails);
          },
          MarginalKind::Kde};
}

}  // namespace rbig::detail
