#include "fit/candidates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig::detail {

/// Every combination of the options' empty choices, in a fixed order (kde before spline,
/// damping 1, 0.5, 0.3); one candidate when nothing is left to choose. A kde candidate with no
/// bandwidth uses the requested rule, Silverman's if none.
std::vector<FitOptions> candidates(const FitOptions& options) {
  std::vector<MarginalKind> marginals{MarginalKind::Kde, MarginalKind::Spline};
  std::vector<double> dampings{1.0, 0.5, 0.3};
  if (options.marginal) marginals = {*options.marginal};
  if (options.damping) dampings = {*options.damping};
  std::vector<FitOptions> list;
  for (MarginalKind marginal : marginals) {
    for (double damping : dampings) {
      FitOptions candidate = options;
      candidate.marginal = marginal;
      candidate.damping = damping;
      if (marginal == MarginalKind::Kde && !options.bandwidth) {
        candidate.bandwidth_rule = options.bandwidth_rule.value_or(BandwidthRule::Silverman);
      }
      list.push_back(candidate);
    }
  }
  return list;
}

/// The second stage: when the first stage's winner is kde and the caller left its bandwidth to
/// the fit, the same configuration with the plug-in rule, with twice Silverman's
/// normal-reference bandwidth (1.8·N^(−1/5) sd, rounded to 3 decimals so that `rbig info`
/// shows the value the fit used) and with the annealed rule. Why these three (bench_density,
/// bench/README.md): the plug-in rule wins where marginals are multimodal or sharp (ring,
/// checkerboard), the wider kernel in deep cascades of smooth densities (the 8-D mixture), where
/// each layer's estimation noise accumulates over hundreds of layers, and the annealed rule,
/// wide first and narrow later, on thin 2-D structures (two moons, the ring).
std::vector<FitOptions> bandwidth_candidates(const FitOptions& requested, const FitOptions& winner,
                                             Index rows) {
  if (winner.marginal != MarginalKind::Kde || requested.bandwidth || requested.bandwidth_rule)
    return {};
  FitOptions plugin = winner;
  plugin.bandwidth_rule = BandwidthRule::PlugIn;
  FitOptions wide = winner;
  wide.bandwidth_rule.reset();
  wide.bandwidth = std::round(1000.0 * 1.8 * std::pow(static_cast<double>(rows), -0.2)) / 1000.0;
  FitOptions annealed = winner;
  annealed.bandwidth_rule = BandwidthRule::Annealed;
  return {plugin, wide, annealed};
}

/// Why every damping with every bandwidth on the subsample: the two-stage search tries the
/// bandwidths only at the damping that won with Silverman's rule; on the ring that was damping 1
/// (ahead of 0.5 by 0.002 nats on the subsample), while 0.5 with the annealed rule is better on
/// the full-size validation rows (−0.984 against −0.990) and on the test rows (KL gap 0.027
/// against 0.051; bench/README.md, "The ring regression").
///
/// Why not all 15 when the fit chooses marginal, damping and bandwidth: the plug-in rule, undamped
/// kde with Silverman's or the wide bandwidth and the spline at damping 1 and 0.3 were never
/// finalists on the five bench_density sets large enough to screen, and these seven were a fifth
/// of a default two-moons fit and a quarter of a gmm8 one (a spline layer costs three kde layers,
/// the plug-in rule's bandwidth is the dearest to compute; bench/README.md, "Fewer screened
/// candidates"). The smaller sets are not screened and still compare them all: there the spline
/// wins on the dequantised digits (at 0.5), the plug-in rule on breast_cancer and undamped kde
/// with Silverman's bandwidth on wine. A bandwidth or rule the caller names is screened at every
/// damping; at a named damping every bandwidth but the plug-in rule is, and with a named marginal
/// the spline at every damping.
std::vector<FitOptions> screening_candidates(const FitOptions& options, Index rows) {
  const bool choose_damping = !options.damping;
  const auto screened = [&options, choose_damping](const FitOptions& candidate) {
    if (!options.marginal && choose_damping && candidate.marginal == MarginalKind::Spline)
      return *candidate.damping == 0.5;
    if (options.bandwidth || options.bandwidth_rule) return true;
    if (choose_damping && candidate.marginal == MarginalKind::Kde && *candidate.damping == 1.0)
      return candidate.bandwidth_rule == BandwidthRule::Annealed;
    return candidate.bandwidth_rule != BandwidthRule::PlugIn;
  };
  std::vector<FitOptions> list;
  for (const FitOptions& candidate : candidates(options)) {
    if (screened(candidate)) list.push_back(candidate);
    for (const FitOptions& variant : bandwidth_candidates(options, candidate, rows))
      if (screened(variant)) list.push_back(variant);
  }
  // The race (screening_race.hpp) stops a candidate that cannot beat the second best finished
  // one, so the likeliest finalists go first: the annealed kde candidates were both finalists on
  // the ring, moons and checkerboard (bench/README.md, "Racing the screened candidates"). Only
  // the cost depends on this order: the finalists are the two best scores whatever the order.
  std::stable_partition(list.begin(), list.end(), [](const FitOptions& candidate) {
    return candidate.bandwidth_rule == BandwidthRule::Annealed;
  });
  return list;
}

/// More than one configuration to compare.
bool has_choice(const FitOptions& options) {
  if (options.layers) return false;
  const std::vector<FitOptions> first_stage = candidates(options);
  return first_stage.size() > 1 || !bandwidth_candidates(options, first_stage.front(), 2).empty();
}

std::string describe(const FitOptions& options) {
  std::string text = fmt::format("{}, damping {}", to_string(*options.marginal), *options.damping);
  if (options.marginal == MarginalKind::Kde) text += ", bandwidth " + options.bandwidth_text();
  return text;
}

}  // namespace rbig::detail
