
#include "marginal/marginal_damped.hpp"

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace rbig::detail {
namespace {

// Doubles ordered as integers: key(a) < key(b) ⇔ a < b, adjacent doubles have adjacent keys.
std::int64_t ordered_key(double x) {
  std::int64_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  return bits >= 0 ? bits : std::numeric_limits<std::int64_t>::min() - bits;
}

double from_ordered_key(std::int64_t key) {
  const std::int64_t bits = key >= 0 ? key : std::numeric_limits<std::int64_t>::min() - key;
  double x = 0.0;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// hi ≥ lo: their difference fits in 64 unsigned bits even when the signed one would overflow.
std::uint64_t width(std::int64_t lo, std::int64_t hi) {
  return static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
}

std::int64_t midpoint(std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(width(lo, hi) / 2);
}

// Each cell of the fitted map's grid is split in this many for the table: its Hermite start is
// then close enough that most values settle after one Newton step.
constexpr int kTableSubdivisions = 2;
constexpr Index kSmoothMapNodes = 65;

}  // namespace

DampedMarginal::DampedMarginal(std::unique_ptr<FittedMarginal> fitted, GaussianMarginal gaussian,
                               double strength)
    : fitted_(std::move(fitted)), gaussian_(gaussian), strength_(strength) {
  if (!(strength_ > 0.0 && strength_ <= 1.0)) {
    throw NumericalError("damped marginal: strength must be in (0, 1]");
  }
}

DampedMarginal::DampedMarginal(const DampedMarginal& other)
    // clone() keeps the dynamic type, a FittedMarginal: the downcast cannot fail.
    : fitted_(static_cast<FittedMarginal*>(other.fitted_->clone().release())),
      gaussian_(other.gaussian_),
      strength_(other.strength_) {}

std::unique_ptr<MarginalTransform> DampedMarginal::clone() const {
  return std::make_unique<DampedMarginal>(*this);
}

void DampedMarginal::fit(ConstVectorRef x) {
  fitted_->fit(x);
  gaussian_.fit(x);
}

void DampedMarginal::forward(ConstVectorRef x, VectorRef z) const {
  // Without the log-derivatives (transform and inverse need none): the same z, in fewer steps.
  const Index n = x.size();
  Vector g(n), s(n);
  fitted_->forward(x, g);
  gaussian_.forward(x, s);
  for (Index i = 0; i < n; ++i) z[i] = strength_ * g[i] + (1.0 - strength_) * s[i];
}

void DampedMarginal::log_derivative(ConstVectorRef x, VectorRef out) const {
  Vector z(x.size());
  forward_with_log_derivative(x, z, out);
}

void DampedMarginal::forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                                 VectorRef log_derivative) const {
  const Index n = x.size();
  Vector g(n), g_log(n), s(n), s_log(n);
  fitted_->forward_with_log_derivative(x, g, g_log);
  gaussian_.forward_with_log_derivative(x, s, s_log);
  const double log_strength = std::log(strength_);
  const double log_rest =
      strength_ < 1.0 ? std::log1p(-strength_) : -std::numeric_limits<double>::infinity();
  for (Index i = 0; i < n; ++i) {
    z[i] = strength_ * g[i] + (1.0 - strength_) * s[i];
    // log(α·g' + (1 − α)·s'), computed from the two log-derivatives without overflow.
    const double a = log_strength + g_log[i];
    const double b = log_rest + s_log[i];
    const double top = std::max(a, b);
    log_derivative[i] = top + std::log1p(std::exp(std::min(a, b) - top));
  }
}

void DampedMarginal::inverse(ConstVectorRef z, VectorRef x) const {
  // z may alias x: the table leaves x[i] of every target it returns unwritten, so z[i] is still
  // that target when the fallback reads it (no copy of z needed).
  const std::vector<Index> rest = inverse_table().invert(
      z, x, [this](ConstVectorRef at, VectorRef value) { forward(at, value); }, map_with_slope());
  if (rest.empty()) return;
  const Index n = static_cast<Index>(rest.size());
  Vector rest_target(n), rest_x(n);
  for (Index k = 0; k < n; ++k) rest_target[k] = z[rest[static_cast<size_t>(k)]];
  bisect_inverse(rest_target, rest_x);
  for (Index k = 0; k < n; ++k) x[rest[static_cast<size_t>(k)]] = rest_x[k];
}

MapWithSlope DampedMarginal::map_with_slope() const {
  // The z of forward(); the slope α·g' + (1 − α)·s' directly, without the log-sum-exp that
  // forward_with_log_derivative needs against overflow (Newton only needs a few digits of it).
  return [this](ConstVectorRef at, VectorRef value, VectorRef slope) {
    const Index n = at.size();
    Vector g(n), g_log(n), s(n), s_log(n);
    fitted_->forward_with_log_derivative(at, g, g_log);
    gaussian_.forward_with_log_derivative(at, s, s_log);
    const double core_log_slope = -std::log(gaussian_.sd());  // s' = 1/sd inside its core
    const double core_slope = 1.0 / gaussian_.sd();
    for (Index i = 0; i < n; ++i) {
      value[i] = strength_ * g[i] + (1.0 - strength_) * s[i];
      const double s_slope = s_log[i] == core_log_slope ? core_slope : std::exp(s_log[i]);
      slope[i] = strength_ * std::exp(g_log[i]) + (1.0 - strength_) * s_slope;
    }
  };
}

const InverseTable& DampedMarginal::inverse_table() const {
  std::call_once(table_built_, [this] {
    std::vector<double> nodes = fitted_->breakpoints();
    if (nodes.size() < 2) {  // smooth inside (gaussian): nodes at its latent values −8…8
      const Vector latent = Vector::LinSpaced(kSmoothMapNodes, -8.0, 8.0);
      Vector at(kSmoothMapNodes);
      fitted_->inverse(latent, at);
      nodes.assign(at.data(), at.data() + at.size());
    }
    table_ = std::make_unique<InverseTable>(nodes, kTableSubdivisions, map_with_slope());
  });
  return *table_;
}

void DampedMarginal::bisect_inverse(ConstVectorRef target, VectorRef x) const {
  const Index n = target.size();
  Vector from_fitted(n), from_gaussian(n);
  fitted_->inverse(target, from_fitted);
  gaussian_.inverse(target, from_gaussian);
  // h(x) = α·g(x) + (1 − α)·s(x) is increasing; at g⁻¹(z) and s⁻¹(z) it lies on opposite sides
  // of z (each term is on its own side), so the two points bracket the solution.
  std::vector<std::int64_t> lo(static_cast<size_t>(n)), hi(static_cast<size_t>(n));
  // A bracket end beyond double range (z near the image of ±DBL_MAX) is clamped to it: the
  // solution is finite there, and the search must stay among finite numbers. A NaN end makes
  // an empty bracket at NaN (the result passes NaN on; the key arithmetic needs lo ≤ hi).
  constexpr double kMax = std::numeric_limits<double>::max();
  for (Index i = 0; i < n; ++i) {
    const bool nan = std::isnan(from_fitted[i]) || std::isnan(from_gaussian[i]);
    const double a = nan ? std::numeric_limits<double>::quiet_NaN()
                         : std::clamp(std::min(from_fitted[i], from_gaussian[i]), -kMax, kMax);
    const double b = nan ? a : std::clamp(std::max(from_fitted[i], from_gaussian[i]), -kMax, kMax);
    lo[static_cast<size_t>(i)] = ordered_key(a);
    hi[static_cast<size_t>(i)] = ordered_key(b);
  }
  Vector middle(n), value(n);
  for (int step = 0; step < 64; ++step) {
    for (Index i = 0; i < n; ++i) {
      middle[i] =
          from_ordered_key(midpoint(lo[static_cast<size_t>(i)], hi[static_cast<size_t>(i)]));
    }
    forward(middle, value);
    bool done = true;
    for (Index i = 0; i < n; ++i) {
      const auto u = static_cast<size_t>(i);
      if (width(lo[u], hi[u]) <= 1) continue;
      done = false;
      if (value[i] < target[i])
        lo[u] = ordered_key(middle[i]);
      else
        hi[u] = ordered_key(middle[i]);
    }
    if (done) break;
  }
  for (Index i = 0; i < n; ++i) {
    // Of the two final neighbours, the one whose image is closer to the target.
    const double a = from_ordered_key(lo[static_cast<size_t>(i)]);
    const double b = from_ordered_key(hi[static_cast<size_t>(i)]);
    middle[i] = a;
    value[i] = b;
  }
  Vector image_a(n), image_b(n);
  forward(middle, image_a);
  forward(value, image_b);
  for (Index i = 0; i < n; ++i) {
    x[i] =
        std::abs(image_a[i] - target[i]) <= std::abs(image_b[i] - target[i]) ? middle[i] : value[i];
  }
}

const FittedMarginal& DampedMarginal::fitted() const { return *fitted_; }

// Payload: f64 strength | f64 mean | f64 sd, then the fitted map g with its type.
void DampedMarginal::write(ByteWriter& out) const {
  out.put(strength_);
  out.put(gaussian_.mean());
  out.put(gaussian_.sd());
  write_marginal(out, *fitted_);
}

MarginalType damped_marginal_type() {
  return {255,
          "damped",
          [](ByteReader& in) -> std::unique_ptr<MarginalTransform> {
            const auto strength = in.get<double>();
            const auto mean = in.get<double>();
            const auto sd = in.get<double>();
            std::unique_ptr<MarginalTransform> read = read_marginal(in);
            auto* fitted = dynamic_cast<FittedMarginal*>(read.get());
            if (fitted == nullptr || dynamic_cast<DampedMarginal*>(fitted) != nullptr) {
              throw ModelFileError(
                  fmt::format("{}: a damped marginal blends a {} map (expected "
                              "histogram, gaussian, kde or spline)",
                              in.path(), read->type_name()));
            }
            read.release();
            return std::make_unique<DampedMarginal>(std::unique_ptr<FittedMarginal>(fitted),
                                                    GaussianMarginal(mean, sd), strength);
          },
          {}};
}

}  // namespace rbig::detail
