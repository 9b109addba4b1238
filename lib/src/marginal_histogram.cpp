// Histogram CDF marginal.
//
// Support: the observed range [min, max] widened by kMarginFraction of its length on each side.
// Bins: uniform over the support. Count from the data unless FitOptions::bins is set: Scott's
// width 3.49·sd·N^(−1/3) (optimal for a piecewise-constant density of near-Gaussian data, which is
// what every layer after the first sees), clamped to [kMinBins, kMaxBins].
// Regularisation: one pseudo-sample spread evenly over the B bins and the two tails, so no bin is
// empty and the pseudo-count costs at most log(1 + 1/N) nats of likelihood.
// Tail model: each tail beyond the support holds probability τ (its share of the pseudo-sample).
// There the latent value continues log-linearly (LogLinearTail in normal.hpp) from z = Φ⁻¹(τ) at
// the edge, with slope s = f(edge)/φ(Φ⁻¹(τ)) so that the density is continuous at the edge. It
// behaves like a Gaussian tail near the support and decays like exp(−L²·log²(u)/2)/u far away.

#include "marginal_histogram.hpp"

#include "normal.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

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

// condition ? a : b through integer masks: compilers turn the plain ternary on doubles into a
// branch, which mispredicts half the time when the condition is a coin flip.
inline double select(bool condition, double a, double b) {
  std::uint64_t a_bits = 0;
  std::uint64_t b_bits = 0;
  std::memcpy(&a_bits, &a, sizeof a);
  std::memcpy(&b_bits, &b, sizeof b);
  const std::uint64_t mask = std::uint64_t{0} - static_cast<std::uint64_t>(condition);
  const std::uint64_t bits = (a_bits & mask) | (b_bits & ~mask);
  double result = 0.0;
  std::memcpy(&result, &bits, sizeof result);
  return result;
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
}

std::unique_ptr<MarginalTransform> HistogramMarginal::clone() const {
  return std::make_unique<HistogramMarginal>(*this);
}

void HistogramMarginal::fit(ConstVectorRef x) {
  const Index n = x.size();
  if (n < 2) throw NumericalError(fmt::format("histogram: need at least 2 samples (got {})", n));
  const double lo = x.minCoeff();
  const double hi = x.maxCoeff();
  if (!(hi > lo)) {
    throw NumericalError(fmt::format("histogram: all {} values equal {} (constant dimension)", n, lo));
  }
  const double mean = x.mean();
  const double sd = std::sqrt((x.array() - mean).square().sum() / static_cast<double>(n - 1));
  const double margin = kMarginFraction * (hi - lo);
  const double support = (hi - lo) + 2.0 * margin;
  const int bins = requested_bins_ ? *requested_bins_ : scott_bins(support, sd, n);
  lower_edge_ = lo - margin;
  bin_width_ = support / bins;

  std::vector<double> counts(static_cast<size_t>(bins), 0.0);
  const double inv_width = 1.0 / bin_width_;
  for (Index i = 0; i < n; ++i) {
    const double t = (x[i] - lower_edge_) * inv_width;
    const int bin = std::clamp(static_cast<int>(t), 0, bins - 1);
    counts[static_cast<size_t>(bin)] += 1.0;
  }
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
  log_density_.resize(bins);
  for (size_t b = 0; b < bins; ++b) log_density_[b] = std::log(bin_mass_[b] / bin_width_);
  upper_edge_ = lower_edge_ + static_cast<double>(bins) * bin_width_;
  const double z_lower = normal_quantile(tail_mass_);
  const double z_upper = normal_quantile_upper(tail_mass_);
  // Density continuity at each edge: φ(z_edge)·s = f(edge).
  lower_tail_ = {lower_edge_, z_lower, std::exp(log_density_.front() - log_normal_pdf(z_lower)), -1.0};
  upper_tail_ = {upper_edge_, z_upper, std::exp(log_density_.back() - log_normal_pdf(z_upper)), 1.0};
}

// Inline: the per-element loops below are the hot path of every layer (no call per element).
inline HistogramMarginal::Point HistogramMarginal::map(double x) const {
  if (x < lower_edge_) return {lower_tail_.z(x), lower_tail_.log_derivative(x)};
  if (x > upper_edge_) return {upper_tail_.z(x), upper_tail_.log_derivative(x)};
  const int bins = static_cast<int>(bin_mass_.size());
  const double t = (x - lower_edge_) / bin_width_;
  const int b = std::clamp(static_cast<int>(t), 0, bins - 1);
  const size_t bin = static_cast<size_t>(b);
  const double fraction = std::clamp(t - b, 0.0, 1.0);
  // Use whichever of F and 1 − F is smaller, so Φ⁻¹ keeps full precision in both tails:
  // z = Φ⁻¹(F) or Φ⁻¹(1 − S) = −Φ⁻¹(S). Both are formed and one is selected without a branch,
  // since which half a value falls in is a coin flip the branch predictor cannot learn.
  const double cdf = cdf_at_edge_[bin] + bin_mass_[bin] * fraction;
  const double sf = sf_at_edge_[bin + 1] + bin_mass_[bin] * (1.0 - fraction);
  const bool lower = cdf <= 0.5;
  const double lower_z = normal_quantile(lower ? cdf : sf);
  const double z = lower ? lower_z : -lower_z;
  return {z, log_density_[bin] - log_normal_pdf(z)};
}

double HistogramMarginal::unmap(double z) const {
  if (z < lower_tail_.z_edge) return lower_tail_.x(z);
  if (z > upper_tail_.z_edge) return upper_tail_.x(z);
  const size_t bins = bin_mass_.size();
  if (z <= 0.0) {
    const double cdf = normal_cdf(z);
    // Last edge with cdf_at_edge ≤ cdf.
    const auto it = std::upper_bound(cdf_at_edge_.begin(), cdf_at_edge_.end(), cdf);
    const size_t bin = std::min<size_t>(static_cast<size_t>(std::max<std::ptrdiff_t>(
                                            it - cdf_at_edge_.begin() - 1, 0)),
                                        bins - 1);
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

// The element loops run in chunks of kChunk values and in passes, so that the pipeline never
// waits on a mispredicted branch: (1) locate each value's bin and the smaller of F and 1 − F
// (selects, no branches), listing the rare values outside the support and those whose Φ⁻¹ needs
// the tail formula; (2) the central AS 241 rational for every value (branch-free); (3) the tail
// formula for the listed values; (4) sign, log-derivative and the tail model outside the support.
// Every value gets exactly the arithmetic map() gives it (same operations, same order).
void HistogramMarginal::forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                                    VectorRef log_derivative) const {
  constexpr Index kChunk = 256;
  const int bins = static_cast<int>(bin_mass_.size());
  std::array<double, kChunk> smaller;      // min(F, 1 − F) as map() picks it
  std::array<double, kChunk> magnitude;    // Φ⁻¹(smaller)
  std::array<double, kChunk> log_density;  // log f of the value's bin
  std::array<bool, kChunk> lower;          // F ≤ ½
  std::array<Index, kChunk> tail_items;    // Φ⁻¹ needs its tail formula
  std::array<Index, kChunk> outside_items; // beyond the support: the tail model
  std::array<double, kChunk> outside_values;
  for (Index start = 0; start < x.size(); start += kChunk) {
    const Index count = std::min(kChunk, x.size() - start);
    Index tails = 0;
    Index outside = 0;
    for (Index i = 0; i < count; ++i) {  // pass 1
      const double v = x[start + i];
      if (v < lower_edge_ || v > upper_edge_) {  // rare: predictable
        outside_items[static_cast<size_t>(outside)] = i;
        outside_values[static_cast<size_t>(outside++)] = v;
      }
      const double t = (v - lower_edge_) / bin_width_;
      // Clamp t before the conversion (an out-of-support value would overflow int); inside the
      // support this gives map()'s bin.
      const double t_clamped = std::min(std::max(t, 0.0), static_cast<double>(bins));
      const int b = std::clamp(static_cast<int>(t_clamped), 0, bins - 1);
      const size_t bin = static_cast<size_t>(b);
      const double fraction = std::clamp(t - b, 0.0, 1.0);
      const double cdf = cdf_at_edge_[bin] + bin_mass_[bin] * fraction;
      const double sf = sf_at_edge_[bin + 1] + bin_mass_[bin] * (1.0 - fraction);
      const bool is_lower = cdf <= 0.5;
      const double p = select(is_lower, cdf, sf);
      smaller[static_cast<size_t>(i)] = p;
      lower[static_cast<size_t>(i)] = is_lower;
      log_density[static_cast<size_t>(i)] = log_density_[bin];
      tail_items[static_cast<size_t>(tails)] = i;  // kept only if the value needs the tail
      tails += as241::is_central(p) ? 0 : 1;
    }
    for (Index i = 0; i < count; ++i) {  // pass 2
      magnitude[static_cast<size_t>(i)] = as241::central(smaller[static_cast<size_t>(i)] - 0.5);
    }
    for (Index k = 0; k < tails; ++k) {  // pass 3
      const size_t i = static_cast<size_t>(tail_items[static_cast<size_t>(k)]);
      magnitude[i] = normal_quantile(smaller[i]);
    }
    for (Index i = 0; i < count; ++i) {  // pass 4
      const size_t c = static_cast<size_t>(i);
      const double value = select(lower[c], magnitude[c], -magnitude[c]);
      z[start + i] = value;
      log_derivative[start + i] = log_density[c] - log_normal_pdf(value);
    }
    for (Index k = 0; k < outside; ++k) {
      const Point p = map(outside_values[static_cast<size_t>(k)]);
      z[start + outside_items[static_cast<size_t>(k)]] = p.z;
      log_derivative[start + outside_items[static_cast<size_t>(k)]] = p.log_derivative;
    }
  }
}

void HistogramMarginal::forward(ConstVectorRef x, VectorRef z) const {
  Vector scratch(std::min<Index>(x.size(), 4096));  // log-derivatives, discarded
  for (Index start = 0; start < x.size(); start += scratch.size()) {
    const Index count = std::min(scratch.size(), x.size() - start);
    forward_with_log_derivative(x.segment(start, count), z.segment(start, count),
                                scratch.head(count));
  }
}

void HistogramMarginal::log_derivative(ConstVectorRef x, VectorRef out) const {
  Vector scratch(std::min<Index>(x.size(), 4096));  // latent values, discarded
  for (Index start = 0; start < x.size(); start += scratch.size()) {
    const Index count = std::min(scratch.size(), x.size() - start);
    forward_with_log_derivative(x.segment(start, count), scratch.head(count),
                                out.segment(start, count));
  }
}

void HistogramMarginal::inverse(ConstVectorRef z, VectorRef x) const {
  for (Index i = 0; i < z.size(); ++i) x[i] = unmap(z[i]);
}

}  // namespace rbig::detail
