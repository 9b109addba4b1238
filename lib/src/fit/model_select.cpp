// Model::fit: the validation split and the choice of configuration on it.
//
// With validation rows and an empty marginal, damping or kde bandwidth, each candidate
// configuration is fitted on the same training rows, its depth chosen on the same validation
// rows, and the candidate with the best mean held-out log-likelihood (at its best depth) is
// kept; ties keep the earlier candidate. Two stages: marginal × damping first (kde with
// Silverman's bandwidth), then, for a kde winner, two other bandwidths at its damping
// (bandwidth_candidates below): 8 fits instead of the 18 of the full product. The candidates (marginal ∈ {kde, spline}, damping ∈ {1, 0.5, 0.3}) are the ones
// that won on held-out data in bench_density (bench/README.md): damped kde on most sets (0.5 on
// the ring and moons, 0.3 on both mixtures and three real sets), undamped kde on the
// checkerboard, the spline on the dequantised digits, whose marginals are plateaus that its
// quantile knots follow.
//
// When the held-out rows were split off the training data (FitOptions::validation), the chosen
// configuration is then fitted again, at the chosen depth, on all the rows: the held-out rows
// are data too. On bench_density this gained 0.03 nats on the mixtures, 0.17 on wine, 0.53 on
// breast_cancer and 1.1 on digits, and lost 0.015 on the ring (bench/README.md). An explicit
// validation set (Model::fit(x, validation, …)) is not merged into the training rows.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "fit/model_fitter.hpp"
#include "core/rng.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace rbig {
namespace {

constexpr std::uint64_t kValidationStream = 2'000'000;

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
  if (winner.marginal != MarginalKind::Kde || requested.bandwidth || requested.bandwidth_rule) return {};
  FitOptions plugin = winner;
  plugin.bandwidth_rule = BandwidthRule::PlugIn;
  FitOptions wide = winner;
  wide.bandwidth_rule.reset();
  wide.bandwidth = std::round(1000.0 * 1.8 * std::pow(static_cast<double>(rows), -0.2)) / 1000.0;
  FitOptions annealed = winner;
  annealed.bandwidth_rule = BandwidthRule::Annealed;
  return {plugin, wide, annealed};
}

std::string describe(const FitOptions& options) {
  std::string text = fmt::format("{}, damping {}", to_string(*options.marginal), *options.damping);
  if (options.marginal == MarginalKind::Kde) text += ", bandwidth " + options.bandwidth_text();
  return text;
}

}  // namespace

Model ModelFitter::select(ConstMatrixRef x, const Matrix& validation, const FitOptions& options,
                          const FitObserver& observer) {
  if (options.layers) return ModelFitter::run(x, &validation, candidates(options).front(), observer);
  std::optional<Model> best;
  double best_score = 0.0;
  std::string scores;
  int fitted = 0;
  // Fits one candidate and keeps it if it is the best so far (ties keep the earlier one).
  // Returns false when the caller's observer stopped the fit: that model is then *best.
  const auto consider = [&](const FitOptions& candidate) {
    Model model = ModelFitter::run(x, &validation, candidate, observer);
    ++fitted;
    if (model.report().stop == FitReport::Stop::Observer) {
      best.emplace(std::move(model));
      return false;
    }
    // The kept depth is the best one, so the last kept layer carries the best held-out score.
    const double score = *model.report().layers.back().validation_log_prob;
    scores += fmt::format("{}{} {:.6g}", scores.empty() ? "" : "; ", describe(candidate), score);
    if (!best || score > best_score) {
      best_score = score;
      best.emplace(std::move(model));
    }
    return true;
  };
  for (const FitOptions& candidate : candidates(options)) {
    if (!consider(candidate)) return std::move(*best);
  }
  for (const FitOptions& candidate : bandwidth_candidates(options, best->options(), x.rows())) {
    if (!consider(candidate)) return std::move(*best);
  }
  if (fitted > 1) {
    best->report_.message += fmt::format(" ({} chosen on the validation rows among: {})",
                                         describe(best->options()), scores);
  }
  return std::move(*best);
}

Model Model::fit(ConstMatrixRef x, const FitOptions& options, const FitObserver& observer) {
  options.validate();
  if (!options.holds_out()) return ModelFitter::run(x, nullptr, options.greedy(), observer);
  detail::check_training_data(x);  // before the split, so that messages count rows of x
  // Hold out round(f·N) rows at seeded random positions; the rest keep their order.
  const Index n = x.rows();
  const auto held_out = static_cast<Index>(std::llround(options.validation * static_cast<double>(n)));
  if (held_out < 1 || n - held_out < 2) {
    throw InputError("training data", 0, 0,
                     fmt::format("validation {} of {} rows leaves {} for validation and {} for "
                                 "fitting (need at least 1 and 2; validation 0 chooses the "
                                 "depth without held-out rows)",
                                 options.validation, n, held_out, n - held_out));
  }
  std::vector<Index> order(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  detail::Rng rng(detail::derive_seed(options.seed, kValidationStream));
  for (size_t i = order.size() - 1; i > 0; --i) {
    const auto j = std::min(i, static_cast<size_t>(rng.uniform() * static_cast<double>(i + 1)));
    std::swap(order[i], order[j]);
  }
  std::vector<bool> is_held_out(static_cast<size_t>(n), false);
  for (Index i = 0; i < held_out; ++i) is_held_out[static_cast<size_t>(order[static_cast<size_t>(i)])] = true;
  Matrix train(n - held_out, x.cols());
  Matrix validation(held_out, x.cols());
  for (Index i = 0, t = 0, v = 0; i < n; ++i) {
    if (is_held_out[static_cast<size_t>(i)]) validation.row(v++) = x.row(i);
    else train.row(t++) = x.row(i);
  }
  Model chosen = ModelFitter::select(train, validation, options, observer);
  if (chosen.report().stop == FitReport::Stop::Observer) return chosen;  // the caller said stop
  return ModelFitter::refit(x, chosen, observer);
}

Model ModelFitter::refit(ConstMatrixRef x, const Model& chosen, const FitObserver& observer) {
  FitOptions exact = chosen.options();
  exact.layers = static_cast<int>(chosen.layers().size());
  Model model = ModelFitter::run(x, nullptr, exact, observer);
  if (model.report().stop == FitReport::Stop::Observer) return model;
  model.options_ = chosen.options();
  FitReport& report = model.report_;
  for (size_t k = 0; k < report.layers.size(); ++k) {
    report.layers[k].validation_log_prob = chosen.report().layers[k].validation_log_prob;
  }
  report.stop = chosen.report().stop;
  report.message = fmt::format("{}; refitted at that depth on all {} rows",
                               chosen.report().message, x.rows());
  return model;
}

Model Model::fit(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                 const FitObserver& observer) {
  options.validate();
  detail::check_columns("validation data", x.cols(), validation);
  if (validation.rows() < 1) throw InputError("validation data", 0, 0, "no rows");
  detail::check_finite("validation data", "every value", validation);
  const Matrix rows = validation;
  return ModelFitter::select(x, rows, options, observer);
}

}  // namespace rbig
