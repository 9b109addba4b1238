// Bandwidth rules of the kde marginal.
//
// Plug-in rule (Wand & Jones 1995, §3.6.1, eq. 3.7 and the two-stage recipe after it): the
// AMISE-optimal bandwidth of a Gaussian kernel is h = [R(K) / (μ₂² ψ₄ N)]^(1/5), R(K) = 1/(2√π),
// μ₂ = 1, ψ₄ = ∫ f''² the roughness of the density. ψ₄ is estimated by the kernel functional
// ψ̂₄(g₂) = N⁻² Σ_i Σ_j φ_g₂⁽⁴⁾(x_i − x_j), whose bandwidth g₂ needs ψ₆, estimated by ψ̂₆(g₁),
// whose bandwidth g₁ needs ψ₈, taken from a normal density of the robust spread. Silverman's
// rule assumes the normal roughness ψ₄ = 3/(8√π σ⁵) directly: it oversmooths multimodal
// marginals (the first layers of two moons or a ring), while the plug-in rule sees their larger
// roughness and gives them a smaller h, and on near-Gaussian columns (every later layer) it
// gives about 1.06·σ·N^(−1/5).
//
// The double sums are binned (Wand & Jones, appendix D): the sample is linearly binned onto a
// grid of spacing σ/64 (at most kMaxNodes nodes, coarser when the sample spans more than 16
// spreads; one spanning so many spreads that the spacing would exceed σ/16 keeps Silverman's
// rule) and the sum runs over node pairs within 8g,
// O(N + G·8g/Δ). The kernel derivative beyond 8g is below 1e-11 of its peak.

#include "core/math_constants.hpp"
#include "fit/binned_counts.hpp"
#include "marginal/kde_bandwidth.hpp"
#include "marginal/kde_grid_passes.hpp"
#include "marginal/marginal_kde.hpp"
#include "stats/order_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rbig::detail {
namespace {

constexpr double kNodesPerSpread = 64.0;
// The kde's own grid cap (marginal_kde.hpp): a distributed fit sums these counts too, and 8,192
// doubles per column would let a D = 100 layer send up to 6.5 MB (heavy-tailed columns).
constexpr Index kMaxNodes = kKdeMaxNodes;
constexpr double kMinNodesPerSpread = 16.0;  // coarser than this: Silverman's rule instead
constexpr double kFunctionalReach = 8.0;     // in units of g

// φ⁽⁴⁾ and φ⁽⁶⁾ of the standard normal density: Hermite polynomials times φ.
double normal_pdf_d4(double t) {
  const double t2 = t * t;
  return (t2 * t2 - 6.0 * t2 + 3.0) * kInvSqrt2Pi * std::exp(-0.5 * t2);
}
double normal_pdf_d6(double t) {
  const double t2 = t * t;
  return (((t2 - 15.0) * t2 + 45.0) * t2 - 15.0) * kInvSqrt2Pi * std::exp(-0.5 * t2);
}

// Linearly binned counts on nodes lower + j·step (sum N).
struct Binned {
  double step = 0.0;
  std::vector<double> counts;
};

// Nodes lower + j·step, j = 0…nodes−1; x·scale is binned (scale a power of two, so exact).
Binned bin_linearly(ConstVectorRef x, double scale, double lower, double step, Index nodes) {
  Binned binned;
  binned.step = step;
  binned.counts.assign(static_cast<size_t>(nodes), 0.0);
  for (Index i = 0; i < x.size(); ++i) {
    const double t = (x[i] * scale - lower) / step;
    const Index j = std::clamp(static_cast<Index>(std::clamp(t, 0.0, static_cast<double>(nodes))),
                               Index{0}, nodes - 2);
    const double w = binning_weight(std::clamp(t - static_cast<double>(j), 0.0, 1.0));
    binned.counts[static_cast<size_t>(j)] += 1.0 - w;
    binned.counts[static_cast<size_t>(j) + 1] += w;
  }
  return binned;
}

// ψ̂_r(g) = N⁻² Σ_j Σ_k c_j c_k φ_g⁽ʳ⁾((j − k)Δ), φ_g⁽ʳ⁾(u) = g^(−r−1) φ⁽ʳ⁾(u/g).
template <class Derivative>
double binned_functional(const Binned& binned, double n, double g, int order,
                         const Derivative& derivative) {
  const auto nodes = static_cast<Index>(binned.counts.size());
  const Index reach =
      std::min<Index>(nodes - 1, static_cast<Index>(std::ceil(kFunctionalReach * g / binned.step)));
  std::vector<double> weights(static_cast<size_t>(reach) + 1);
  for (Index m = 0; m <= reach; ++m) {
    weights[static_cast<size_t>(m)] = derivative(static_cast<double>(m) * binned.step / g);
  }
  const std::vector<double>& c = binned.counts;
  double total = 0.0;
  for (Index j = 0; j < nodes; ++j) {
    const double cj = c[static_cast<size_t>(j)];
    if (cj == 0.0) continue;
    double inner = 0.5 * cj * weights[0];  // the pair (j, j) once: doubled below
    const Index last = std::min(nodes - 1, j + reach);
    for (Index k = j + 1; k <= last; ++k)
      inner += c[static_cast<size_t>(k)] * weights[static_cast<size_t>(k - j)];
    total += 2.0 * cj * inner;
  }
  return total / (n * n * std::pow(g, order + 1));
}

}  // namespace

double robust_spread(ConstVectorRef x, double sd) {
  const auto [lowest, highest] = std::minmax_element(x.data(), x.data() + x.size());
  ColumnMoments moments;
  moments.min = *lowest;
  moments.max = *highest;
  moments.sd = sd;
  return robust_spread(x, moments, LocalReducer());
}

// The quartiles by counting selection (order_statistics.hpp) rather than std::nth_element on a
// copy: the same order statistics, so the same bits, but two streaming passes over the column
// instead of a partition whose unpredictable branches took a third of a default kde fit's cycles.
double robust_spread(ConstVectorRef x, const ColumnMoments& moments, const Reducer& reducer) {
  const std::vector<double> q =
      quantiles(x, {0.75, 0.25}, total_rows(x.size(), reducer), moments.min, moments.max, reducer);
  const double iqr = q[0] - q[1];
  return iqr > 0.0 ? std::min(moments.sd, iqr / 1.34) : moments.sd;
}

double silverman_bandwidth(double spread, Index n) {
  return 0.9 * spread * std::pow(static_cast<double>(n), -0.2);
}

double annealed_bandwidth(int layer, Index n) {
  const double t = static_cast<double>(std::min(layer, kAnnealedLayers)) / kAnnealedLayers;
  return kAnnealedStart * std::pow(kAnnealedEnd / kAnnealedStart, t) *
         std::pow(static_cast<double>(n), -0.2);
}

double plugin_bandwidth(ConstVectorRef x, double min, double max, double spread,
                        const Reducer& reducer) {
  const Index rows = total_rows(x.size(), reducer);
  const double n = static_cast<double>(rows);
  // In units where the spread lies in [1, 2) (a power-of-two scale: no rounding, so the rule is
  // exactly scale-equivariant and no power below over- or underflows for columns of 1e±300).
  const double scale = std::ldexp(1.0, -std::clamp(std::ilogb(spread), -1022, 1022));
  const double s = spread * scale;
  const double lower = min * scale;
  const double width = max * scale - lower;
  const double wanted_nodes = std::ceil(width / (s / kNodesPerSpread)) + 1.0;
  const Index nodes =
      static_cast<Index>(std::clamp(wanted_nodes, 2.0, static_cast<double>(kMaxNodes)));
  const double step = width / static_cast<double>(nodes - 1);
  // A range of more than ~500 spreads (far outliers) leaves the grid too coarse for the pilot
  // bandwidths (about s/4 and more): the functionals would be meaningless, so keep Silverman's.
  if (!std::isfinite(width) || !(step <= s / kMinNodesPerSpread))
    return silverman_bandwidth(spread, rows);
  Binned binned = bin_linearly(x, scale, lower, step, nodes);
  sum_binned_counts(binned.counts, reducer);
  // Stage 0: ψ₈ of a normal density with this spread.
  const double psi8 = 105.0 / (32.0 * kSqrtPi * std::pow(s, 9));
  // Stage 1: g₁ = [−2φ⁽⁶⁾(0) / (ψ₈ N)]^(1/9), φ⁽⁶⁾(0) = −15/√(2π); then ψ̂₆(g₁) < 0.
  const double g1 = std::pow(30.0 * kInvSqrt2Pi / (psi8 * n), 1.0 / 9.0);
  const double psi6 = binned_functional(binned, n, g1, 6, normal_pdf_d6);
  // Stage 2: g₂ = [−2φ⁽⁴⁾(0) / (ψ₆ N)]^(1/7), φ⁽⁴⁾(0) = 3/√(2π); then ψ̂₄(g₂) > 0.
  if (!(psi6 < 0.0)) return silverman_bandwidth(spread, rows);
  const double g2 = std::pow(-6.0 * kInvSqrt2Pi / (psi6 * n), 1.0 / 7.0);
  const double psi4 = binned_functional(binned, n, g2, 4, normal_pdf_d4);
  if (!(psi4 > 0.0) || !std::isfinite(psi4)) return silverman_bandwidth(spread, rows);
  return std::pow(1.0 / (2.0 * kSqrtPi * psi4 * n), 0.2) / scale;
}

}  // namespace rbig::detail
