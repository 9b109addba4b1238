#include "core/ziggurat_normal.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using rbig::detail::ZigguratNormal;

// The calibration's Gaussian draws (core/ziggurat_normal.hpp) against the normal law itself:
// moments within five standard errors, the Kolmogorov–Smirnov distance below its 0.1 % level
// (√N·D < 1.95), and the share beyond the tail start R within five binomial standard errors.

namespace {

constexpr std::int64_t kN = 200000;
constexpr double kTailStart = 3.6541528853610088;

std::vector<double> draws(std::uint64_t seed) {
  std::vector<double> out(static_cast<size_t>(kN));
  ZigguratNormal(seed).fill(out.data(), kN);
  return out;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("ziggurat normal: the same seed gives the same draws, another seed others") {
  const std::vector<double> a = draws(7);
  CHECK(a == draws(7));
  CHECK(a != draws(8));
}

TEST_CASE("ziggurat normal: moments, KS distance and tail share of a standard normal") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    std::vector<double> x = draws(seed);
    const double n = static_cast<double>(kN);
    double mean = 0.0;
    for (double v : x) mean += v;
    mean /= n;
    double variance = 0.0;
    double fourth = 0.0;
    std::int64_t beyond_tail = 0;
    for (double v : x) {
      variance += (v - mean) * (v - mean);
      fourth += v * v * v * v;
      beyond_tail += std::abs(v) > kTailStart ? 1 : 0;
    }
    variance /= n - 1.0;
    fourth /= n;
    CHECK(std::abs(mean) < 5.0 / std::sqrt(n));
    CHECK(std::abs(variance - 1.0) < 5.0 * std::sqrt(2.0 / n));
    CHECK(std::abs(fourth - 3.0) < 5.0 * std::sqrt(96.0 / n));  // Var(X⁴) = 105 − 9
    const double tail = std::erfc(kTailStart / std::sqrt(2.0));
    CHECK(std::abs(static_cast<double>(beyond_tail) - n * tail) < 5.0 * std::sqrt(n * tail));

    std::sort(x.begin(), x.end());
    double distance = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
      const double f = normal_cdf(x[i]);
      distance = std::max({distance, std::abs(f - static_cast<double>(i) / n),
                           std::abs(f - static_cast<double>(i + 1) / n)});
    }
    CHECK(std::sqrt(n) * distance < 1.95);
  }
}
