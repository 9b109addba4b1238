// m-spacing entropy of one column. Why m-spacing: it needs no bandwidth or bin width (so it is
// equivariant under scaling: Ĥ(a·x) = Ĥ(x) + log|a| exactly), costs one O(N log N) sort, is
// consistent for any density, and with the digamma term it is exactly unbiased for uniform data;
// its remaining bias on smooth densities comes from the tails and grows with m/N. m = N^¼ (not
// the common √N) was chosen by measurement, 200 replicates (bias, RMSE in nats):
//   N = 10⁴, N(0,1):  m = 100: −0.034, 0.035;  m = 21: −0.011, 0.013;  m = 10: −0.005, 0.009
//   N = 10⁴, Exp(1):  m = 100: −0.019, 0.022;  m = 21: −0.005, 0.012;  m = 10: −0.004, 0.011
//   N = 10³, N(0,1):  m = 32:  −0.074, 0.077;  m = 10: −0.036, 0.043;  m = 6:  −0.023, 0.032
// (uniform: unbiased for every m, RMSE ≤ 0.008). With √N the Gaussian bias alone, summed over
// D marginals, broke the 3% entropy target at D = 2.

#include "core/math_constants.hpp"
#include "stats/entropy_1d.hpp"

#include "core/rng.hpp"

#include <boost/math/special_functions/digamma.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace rbig::detail {

double sample_variance(ConstVectorRef x) {
  const double mean = x.mean();
  return (x.array() - mean).square().sum() / static_cast<double>(x.size() - 1);
}

double entropy_m_spacing(ConstVectorRef x) {
  const Index n = x.size();
  std::vector<double> sorted(x.data(), x.data() + n);
  std::sort(sorted.begin(), sorted.end());
  const Index m = std::clamp<Index>(
      static_cast<Index>(std::lround(std::pow(static_cast<double>(n), 0.25))), 1, n - 1);
  // Tied values would give log 0: a spacing is floored at a tiny fraction of the range, so
  // discrete-looking data reads as a very low (not infinite) entropy.
  const double range = sorted.back() - sorted.front();
  const double floor = std::max(range, std::numeric_limits<double>::min()) * 1e-12;
  double sum = 0.0;
  for (Index i = 0; i + m < n; ++i) {
    const double spacing = sorted[static_cast<size_t>(i + m)] - sorted[static_cast<size_t>(i)];
    sum += std::log(std::max(spacing, floor));
  }
  return sum / static_cast<double>(n - m) + boost::math::digamma(static_cast<double>(n) + 1.0) -
         boost::math::digamma(static_cast<double>(m));
}

double m_spacing_gaussian_bias(Index n, std::uint64_t seed, int replicates) {
  double total = 0.0;
  Vector sample(n);
  for (int r = 0; r < replicates; ++r) {
    Rng rng(derive_seed(seed, static_cast<std::uint64_t>(r)));
    for (Index i = 0; i < n; ++i) sample[i] = rng.normal();
    total += 0.5 * std::log(kTwoPiE * sample_variance(sample)) - entropy_m_spacing(sample);
  }
  return total / replicates;
}

}  // namespace rbig::detail
