#include "core/ziggurat_normal.hpp"

#include "core/math_constants.hpp"

#include <array>
#include <cmath>
#include <cstddef>

namespace rbig::detail {
namespace {

constexpr std::size_t kLayers = 256;
constexpr double kR = 3.6541528853610088;  // start of the tail for 256 layers of equal area

// Unnormalised density exp(−x²/2): the method only compares heights, so the constant cancels.
double density(double x) { return std::exp(-0.5 * x * x); }

/// x[i]: right edge of layer i (x[0] is the base layer's width V/f(R), so that the base rectangle
/// plus the tail has the area V of every layer); f[i] = density(x[i]). Computed once, with the
/// recurrence x[i+1] = f⁻¹(f(x[i]) + V/x[i]) of the paper.
struct Tables {
  std::array<double, kLayers + 1> x{};
  std::array<double, kLayers + 1> f{};
  Tables() {
    const double area = kR * density(kR) + kSqrtPi / kSqrt2 * std::erfc(kR / kSqrt2);
    x[0] = area / density(kR);
    x[1] = kR;
    for (std::size_t i = 1; i < kLayers - 1; ++i) {
      x[i + 1] = std::sqrt(-2.0 * std::log(area / x[i] + density(x[i])));
    }
    x[kLayers] = 0.0;
    for (std::size_t i = 0; i <= kLayers; ++i) f[i] = density(x[i]);
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

}  // namespace

// Marsaglia's tail algorithm: R + a with a ~ Exp(R) accepted with probability exp(−a²/2).
double ZigguratNormal::tail(bool negative) {
  double a = 0.0;
  double b = 0.0;
  do {
    a = -std::log(rng_.uniform()) / kR;
    b = -std::log(rng_.uniform());
  } while (2.0 * b < a * a);
  return negative ? -(kR + a) : kR + a;
}

double ZigguratNormal::draw() {
  const Tables& t = tables();
  for (;;) {
    const std::uint64_t bits = rng_.bits();
    const auto layer = static_cast<std::size_t>(bits & 0xFF);
    // The top 52 bits as u in (−1, 1) (never 0): (k + ½)·2⁻⁵¹ − 1, exact in double.
    const double u = (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-51 - 1.0;
    const double value = u * t.x[layer];
    if (std::abs(value) < t.x[layer + 1]) return value;  // inside the layer's inner rectangle
    if (layer == 0) return tail(u < 0.0);
    const double height = t.f[layer] + rng_.uniform() * (t.f[layer + 1] - t.f[layer]);
    if (height < density(value)) return value;
  }
}

void ZigguratNormal::fill(double* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = draw();
}

}  // namespace rbig::detail
