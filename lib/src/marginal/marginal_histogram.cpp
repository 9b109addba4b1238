// Histogram CDF marginal.
//
// Support: the observed range [min, max] widened by kMarginFraction of its length on each side.
// Bins: uniform over the support. Count from the data unless FitOptions::bins is set: Scott's
// width 3.49·sd·N^(−1/3) (optimal for a piecewise-constant density of near-Gaussian data, which is
// what every layer after the first sees), clamped to [kMinBins, kMaxBins].
// Regularisation: one pseudo-sample spread evenly over the B bins and the two tails, so no bin is
// empty and the pseudo-count costs at most log(1 + 1/N) nats of likelihood.
// Tail model: each tail beyond the support holds probability τ (its share of the pseudo-sample).
// There the latent value continues with LinearLogTail (normal.hpp) from z = Φ⁻¹(τ) at the edge,
// with slope tail_slope(): s = f(edge)/φ(Φ⁻¹(τ)) (a continuous density) unless that is below the
// map's mean slope over the support. It is a Gaussian tail near the support and decays like
// exp(−L²·log²(u)/2)/u far away.

#include "marginal/marginal_histogram.hpp"

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"

#include "core/isa_dispatch.hpp"
#include "stats/moments.hpp"
#include "stats/normal.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace rbig::detail {
namespace {

constexpr double kMarginFraction = 0.1;
constexpr int kMinBins = 10;
constexpr int kMaxBins = 1000;
constexpr double kPseudoSamples = 1.0;

int scott_bins(double support_width, double sd, Index n) {
  const double width = 3.49 * sd * std::pow(static_cast<double>(n), -1.0 / 3.0);
  const double bins = std::ceil(support_width / width);
  return static_cast<int>(std::clamp(bins, double{kMinBins}, double{kMaxBins}));
}

// The bin of a value at t = (x − lower edge) / bin width (computed as a product with the inverse
// width everywhere): ⌊t⌋ inside the support, the first or last bin beyond it. t is clamped before
// the conversion, which would overflow int far outside; (0 < t ? t : 0) also sends NaN to bin 0.
inline int bin_index(double t, double last_bin) {
  return static_cast<int>(std::min(0.0 < t ? t : 0.0, last_bin));
}

// The smaller of F and 1 − F, so that Φ⁻¹ keeps full precision in both tails: z = Φ⁻¹(F) or
// Φ⁻¹(1 − S) = −Φ⁻¹(S); q is the same choice as an offset from ½, F − ½ or −(S − ½), so that
// z = Φ⁻¹(½ + q) in the central region. Shared by map() and the batch loop (same bits). Written
// with a min and a sign (sf − cdf is zero only when they are equal) rather than a condition,
// since the compiler vectorises these but not a select under a floating-point comparison.
struct Smaller {
  double p;
  double q;
};
inline Smaller smaller_of(double cdf, double sf) {
  const double p = sf < cdf ? sf : cdf;
  return {p, std::copysign(1.0, sf - cdf) * (p - 0.5)};
}

}  // namespace

HistogramMarginal::HistogramMarginal(double lower_edge, double bin_width,
                                     std::vector<double> bin_mass, double tail_mass,
                                     double training_entropy)
    : lower_edge_(lower_edge),
      bin_width_(bin_width),
      bin_mass_(std::move(bin_mass)),
      tail_mass_(tail_mass),
      training_entropy_(training_entropy) {
  const bool masses_ok = std::all_of(bin_mass_.begin(), bin_mass_.end(),
                                     [](double m) { return std::isfinite(m) && m > 0.0; });
  if (!std::isfinite(lower_edge_) || !std::isfinite(bin_width_) || !(bin_width_ > 0.0) ||
      bin_mass_.empty() || !masses_ok || !(tail_mass_ > 0.0) || !(tail_mass_ < 0.5) ||
      !std::isfinite(training_entropy_)) {
    throw NumericalError("histogram marginal: invalid parameters");
  }
  rebuild();
  // Each field can be valid while together they describe no density: masses that do not sum to
  // one, or a support or density beyond double range.
  const double total = cdf_at_edge_.back() + tail_mass_;
  if (!(std::abs(total - 1.0) < 1e-9)) {
    throw NumericalError(
        fmt::format("histogram marginal: bin and tail masses sum to {} instead of 1", total));
  }
  const bool densities_ok = std::all_of(table_.begin(), table_.end(), [](const BinEntry& bin) {
    return std::isfinite(bin.log_density);
  });
  if (!std::isfinite(upper_edge_) || !densities_ok) {
    throw NumericalError("histogram marginal: support or density beyond double range");
  }
}

std::unique_ptr<MarginalTransform> HistogramMarginal::clone() const {
  return std::make_unique<HistogramMarginal>(*this);
}

void HistogramMarginal::fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                                         const Reducer& reducer) {
  const Index n = total_rows(x.size(), reducer);
  const double lo = moments.min;
  const double hi = moments.max;
  const double sd = moments.sd;
  training_moments_ = {moments.mean, sd};
  const double margin = kMarginFraction * (hi - lo);
  const double support = (hi - lo) + 2.0 * margin;
  const int bins = requested_bins_ ? *requested_bins_ : scott_bins(support, sd, n);
  lower_edge_ = lo - margin;
  bin_width_ = support / bins;

  // Counts in kCopies interleaved histograms, merged at the end: when many values share a bin
  // (most of them, for peaked data), one histogram would make each increment wait for the last.
  // 32-bit counts keep the copies in L1; each copy counts a quarter of the rows (< 2³² unless N
  // exceeds 1.7e10).
  constexpr int kCopies = 4;
  const auto stride = static_cast<size_t>(bins);
  std::vector<std::uint32_t> copies(kCopies * stride, 0);
  const double inv_width = 1.0 / bin_width_;  // as rebuild() sets inv_bin_width_
  const double* data = x.data();
  for (Index i = 0; i < x.size(); ++i) {
    const auto bin =
        static_cast<size_t>(bin_index((data[i] - lower_edge_) * inv_width, bins - 1.0));
    ++copies[static_cast<size_t>(i % kCopies) * stride + bin];
  }
  std::vector<double> counts(stride, 0.0);
  for (size_t b = 0; b < stride; ++b) {
    for (size_t c = 0; c < kCopies; ++c) counts[b] += static_cast<double>(copies[c * stride + b]);
  }
  sum_counts(counts, n, reducer);  // integers: the same sum in any order
  const double pseudo = kPseudoSamples / (bins + 2);
  const double total = static_cast<double>(n) + kPseudoSamples;
  bin_mass_.resize(counts.size());
  for (size_t b = 0; b < counts.size(); ++b) bin_mass_[b] = (counts[b] + pseudo) / total;
  tail_mass_ = pseudo / total;

  // Resubstitution entropy −(1/N)·Σ_i log f̂(x_i), grouped by bin.
  double entropy = 0.0;
  for (size_t b = 0; b < counts.size(); ++b) {
    if (counts[b] > 0.0) entropy -= counts[b] * std::log(bin_mass_[b] / bin_width_);
  }
  training_entropy_ = entropy / static_cast<double>(n);
  rebuild();
}

void HistogramMarginal::rebuild() {
  const size_t bins = bin_mass_.size();
  cdf_at_edge_.assign(bins + 1, tail_mass_);
  sf_at_edge_.assign(bins + 1, tail_mass_);
  for (size_t b = 0; b < bins; ++b) cdf_at_edge_[b + 1] = cdf_at_edge_[b] + bin_mass_[b];
  for (size_t b = bins; b-- > 0;) sf_at_edge_[b] = sf_at_edge_[b + 1] + bin_mass_[b];
  table_.resize(bins);
  for (size_t b = 0; b < bins; ++b) {
    table_[b] = {cdf_at_edge_[b], sf_at_edge_[b + 1], bin_mass_[b],
                 std::log(bin_mass_[b] / bin_width_)};
  }
  inv_bin_width_ = 1.0 / bin_width_;
  last_bin_ = static_cast<double>(bins - 1);
  upper_edge_ = lower_edge_ + static_cast<double>(bins) * bin_width_;
  const double z_lower = normal_quantile(tail_mass_);
  const double z_upper = normal_quantile_upper(tail_mass_);
  const double mean_slope = (z_upper - z_lower) / (upper_edge_ - lower_edge_);
  lower_tail_ = {lower_edge_, z_lower, tail_slope(table_.front().log_density, z_lower, mean_slope),
                 -1.0};
  upper_tail_ = {upper_edge_, z_upper, tail_slope(table_.back().log_density, z_upper, mean_slope),
                 1.0};
}

// Inline: the per-element loops below are the hot path of every layer (no call per element).
inline HistogramMarginal::Position HistogramMarginal::position(double x) const {
  const double t = (x - lower_edge_) * inv_bin_width_;
  const int bin = bin_index(t, last_bin_);
  // t − bin ≥ 0 inside the support; the upper clamp catches rounding at the upper edge (and
  // std::min keeps a NaN, so that a NaN value maps to NaN).
  return {bin, std::min(t - bin, 1.0)};
}

inline HistogramMarginal::Located HistogramMarginal::locate(double x) const {
  const Position at = position(x);
  const BinEntry& bin = table_[static_cast<size_t>(at.bin)];
  const Smaller s = smaller_of(bin.cdf(at.fraction), bin.sf(at.fraction));
  return {s.p, s.q, bin.log_density};
}

// In the central region z = central(q) whichever of F and 1 − F was taken, since the AS 241
// rational is odd in q: −central(S − ½) = central(½ − S) exactly. Beyond it p < 0.075 and
// Φ⁻¹(p) = −tail_magnitude(p); the sign of q tells the side (q < 0: F was taken, z < 0).
inline HistogramMarginal::Point HistogramMarginal::map(double x) const {
  if (x < lower_edge_) return {lower_tail_.z(x), lower_tail_.log_derivative(x)};
  if (x > upper_edge_) return {upper_tail_.z(x), upper_tail_.log_derivative(x)};
  const Located at = locate(x);
  const double z = std::abs(at.q) <= 0.425 ? as241::central(at.q)
                                           : std::copysign(as241::tail_magnitude(at.p), at.q);
  return {z, at.log_density - log_normal_pdf(z)};
}

double HistogramMarginal::unmap(double z) const {
  if (z < lower_tail_.z_edge) return lower_tail_.x(z);
  if (z > upper_tail_.z_edge) return upper_tail_.x(z);
  const size_t bins = bin_mass_.size();
  if (z <= 0.0) {
    const double cdf = normal_cdf(z);
    // Last edge with cdf_at_edge ≤ cdf.
    const auto it = std::upper_bound(cdf_at_edge_.begin(), cdf_at_edge_.end(), cdf);
    const size_t bin = std::min<size_t>(
        static_cast<size_t>(std::max<std::ptrdiff_t>(it - cdf_at_edge_.begin() - 1, 0)), bins - 1);
    const double fraction = std::clamp((cdf - cdf_at_edge_[bin]) / bin_mass_[bin], 0.0, 1.0);
    return lower_edge_ + (static_cast<double>(bin) + fraction) * bin_width_;
  }
  const double sf = normal_cdf(-z);
  // sf_at_edge_ decreases: first edge e with sf_at_edge[e] ≤ sf; the point lies in bin e − 1.
  const auto it = std::lower_bound(sf_at_edge_.begin(), sf_at_edge_.end(), sf, std::greater<>());
  const size_t edge = std::clamp<size_t>(static_cast<size_t>(it - sf_at_edge_.begin()), 1, bins);
  const size_t bin = edge - 1;
  const double fraction = std::clamp((sf - sf_at_edge_[edge]) / bin_mass_[bin], 0.0, 1.0);
  return lower_edge_ + (static_cast<double>(edge) - fraction) * bin_width_;
}

// The element loops run in chunks of kChunk values and in short passes, so that the pipeline
// never waits on a mispredicted branch or on one long dependency chain, and most passes vectorise:
// (1) each value's bin and fraction (vectorised); (2) F and 1 − F from the bin table (a gather,
// scalar); (3) the smaller of the two and the central AS 241 rational and log-derivative for
// every value, written straight to the output (vectorised); (4) the list of values that need
// more: those beyond the support (tail model) and those whose Φ⁻¹ needs the tail formula (about
// 15% of a Gaussian sample); (5) the listed values, overwriting pass 3's result: map() for the
// rare ones beyond the support, and for the others the tail formula in steps, r = √(−log p) for
// all of them, then its rational function for all of them (vectorised). Every value gets
// exactly the arithmetic map() gives it.
template <bool kWithLogDerivative>
RBIG_ALWAYS_INLINE void HistogramMarginal::forward_loop(const double* x_data, double* z_data,
                                                        Index n, double* log_derivative) const {
  constexpr int kChunk = 256;
  alignas(64) double input[kChunk];  // a copy: z may be the same memory as x (in-place calls)
  alignas(64) int bin[kChunk];
  alignas(64) double fraction[kChunk];
  alignas(64) double cdf[kChunk];
  alignas(64) double sf[kChunk];
  alignas(64) double log_density[kChunk];  // of the value's bin
  alignas(64) double offset[kChunk];       // Located::q
  alignas(64) double smaller[kChunk];      // Located::p
  alignas(64) double beyond[kChunk];       // > 0 for the values that need pass 5
  int listed[kChunk];                      // values for pass 5
  alignas(64) double radius[kChunk];       // pass 5: r = √(−log p) of the k-th tail value
  alignas(64) double magnitude[kChunk];    // pass 5: its |z|
  const BinEntry* table = table_.data();
  for (Index start = 0; start < n; start += kChunk) {
    const int count = static_cast<int>(std::min<Index>(kChunk, n - start));
    const double* in = x_data + start;
    double* out = z_data + start;
    double* out_log_derivative = kWithLogDerivative ? log_derivative + start : nullptr;
    for (int i = 0; i < count; ++i) {  // pass 1
      input[i] = in[i];
      const Position at = position(input[i]);
      bin[i] = at.bin;
      fraction[i] = at.fraction;
    }
    for (int i = 0; i < count; ++i) {  // pass 2
      const BinEntry& entry = table[bin[i]];
      cdf[i] = entry.cdf(fraction[i]);
      sf[i] = entry.sf(fraction[i]);
      if (kWithLogDerivative) log_density[i] = entry.log_density;
    }
    for (int i = 0; i < count; ++i) {  // pass 3
      const Smaller s = smaller_of(cdf[i], sf[i]);
      offset[i] = s.q;
      smaller[i] = s.p;
      const double value = as241::central(s.q);
      out[i] = value;
      if (kWithLogDerivative) out_log_derivative[i] = log_density[i] - log_normal_pdf(value);
      // Positive exactly when |q| > 0.425 (the tail formula) or the value lies beyond the
      // support (a − b > 0 ⇔ a > b in floating point). Maxima rather than comparisons, so
      // that the loop vectorises.
      beyond[i] =
          std::max(std::abs(s.q) - 0.425, std::max(lower_edge_ - input[i], input[i] - upper_edge_));
    }
    int listed_count = 0;
    for (int i = 0; i < count; ++i) {  // pass 4
      listed[listed_count] = i;        // kept only if the value needs pass 5
      listed_count += beyond[i] > 0.0 ? 1 : 0;
    }
    // Pass 5. Values beyond the support leave the list (rare, so the branch is predictable).
    int tails = 0;
    for (int k = 0; k < listed_count; ++k) {
      const int i = listed[k];
      if (input[i] < lower_edge_ || input[i] > upper_edge_) {
        const Point p = map(input[i]);
        out[i] = p.z;
        if (kWithLogDerivative) out_log_derivative[i] = p.log_derivative;
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
      const double value = std::copysign(m, offset[i]);
      out[i] = value;
      if (kWithLogDerivative) out_log_derivative[i] = log_density[i] - log_normal_pdf(value);
    }
  }
}

template <bool kWithLogDerivative>
void HistogramMarginal::forward_batch(ConstVectorRef x, VectorRef z, double* log_derivative) const {
  assert(x.innerStride() == 1 && z.innerStride() == 1 && z.size() == x.size());
  run_with_best_isa<&HistogramMarginal::forward_loop<kWithLogDerivative>>(this, x.data(), z.data(),
                                                                          x.size(), log_derivative);
}

void HistogramMarginal::forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                                    VectorRef log_derivative) const {
  forward_batch<true>(x, z, log_derivative.data());
}

void HistogramMarginal::forward(ConstVectorRef x, VectorRef z) const {
  forward_batch<false>(x, z, nullptr);
}

void HistogramMarginal::log_derivative(ConstVectorRef x, VectorRef out) const {
  Vector scratch(std::min<Index>(x.size(), 4096));  // latent values, discarded
  for (Index start = 0; start < x.size(); start += scratch.size()) {
    const Index count = std::min(scratch.size(), x.size() - start);
    forward_batch<true>(x.segment(start, count), scratch.head(count), out.data() + start);
  }
}

std::vector<double> HistogramMarginal::breakpoints() const {
  std::vector<double> edges(bin_mass_.size() + 1);
  for (size_t e = 0; e < edges.size(); ++e) {
    edges[e] = lower_edge_ + static_cast<double>(e) * bin_width_;
  }
  edges.back() = upper_edge_;
  return edges;
}

void HistogramMarginal::inverse(ConstVectorRef z, VectorRef x) const {
  for (Index i = 0; i < z.size(); ++i) x[i] = unmap(z[i]);
}

// Payload: f64 lower edge | f64 bin width | u32 bins | f64 tail mass | f64 training entropy |
// bins × f64 bin mass.
void HistogramMarginal::write(ByteWriter& out) const {
  out.put(lower_edge_);
  out.put(bin_width_);
  out.put(static_cast<std::uint32_t>(bin_mass_.size()));
  out.put(tail_mass_);
  out.put(training_entropy_);
  for (double mass : bin_mass_) out.put(mass);
}

MarginalType histogram_marginal_type() {
  return {0, "histogram",
          [](ByteReader& in) -> std::unique_ptr<MarginalTransform> {
            const auto lower_edge = in.get<double>();
            const auto bin_width = in.get<double>();
            const auto bins = in.get<std::uint32_t>();
            const auto tail_mass = in.get<double>();
            const auto entropy = in.get<double>();
            std::vector<double> mass = read_doubles(in, bins, 1, "histogram bin count");
            return std::make_unique<HistogramMarginal>(lower_edge, bin_width, std::move(mass),
                                                       tail_mass, entropy);
          },
          MarginalKind::Histogram};
}

}  // namespace rbig::detail
