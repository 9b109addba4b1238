// Model::fit: the validation split and the choice of configuration on it.
//
// With validation rows and an empty marginal, damping or kde bandwidth, each candidate
// configuration is fitted on the same training rows, its depth chosen on the same validation
// rows, and the candidate with the best mean held-out log-likelihood (at its best depth) is
// kept; ties keep the earlier candidate. Two stages: marginal × damping first (kde with
// Silverman's bandwidth), then, for a kde winner, three other bandwidths at its damping
// (bandwidth_candidates below): up to 9 fits instead of the 24 of the full product. The
// candidates (marginal ∈ {kde, spline}, damping ∈ {1, 0.5, 0.3}) are the ones
// that won on held-out data in bench_density (bench/README.md): damped kde on most sets (0.5 on
// the ring and moons, 0.3 on both mixtures and three real sets), undamped kde on the
// checkerboard, the spline on the dequantised digits, whose marginals are plateaus that its
// quantile knots follow.
//
// When the held-out rows were split off the training data (FitOptions::validation), the chosen
// configuration is then fitted again, at the chosen depth, on all the rows: the held-out rows
// are data too (bench/README.md, "Design history moved out of the code", says what that gained). An
// explicit validation set (Model::fit(x, validation, …)) is not merged into the training rows.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "fit/distributed_fit.hpp"
#include "fit/fitted_cascade.hpp"
#include "fit/training_data.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace rbig {
namespace {

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

std::string describe(const FitOptions& options) {
  std::string text = fmt::format("{}, damping {}", to_string(*options.marginal), *options.damping);
  if (options.marginal == MarginalKind::Kde) text += ", bandwidth " + options.bandwidth_text();
  return text;
}

/// The observer that tells the caller's which fit of the selection a layer belongs to.
FitObserver numbered(const FitObserver& observer, int candidate, int candidates, std::string name) {
  if (!observer) return {};
  return [&observer, candidate, candidates, name = std::move(name)](const LayerReport& layer) {
    LayerReport numbered_layer = layer;
    numbered_layer.candidate = candidate;
    numbered_layer.candidates = candidates;
    numbered_layer.candidate_name = name;
    return observer(numbered_layer);
  };
}

/// The candidates' fits on one split, and the best so far.
class Selection {
 public:
  Selection(ConstMatrixRef x, const Matrix& validation, const FitObserver& observer,
            const detail::Reducer& reducer)
      : x_(x), validation_(validation), observer_(observer), reducer_(reducer) {}

  /// Fits planned in all (for the observer), including a refit after the selection.
  void plan(int fits) { planned_ = fits; }

  /// Fits one candidate and keeps it if it is the best so far (ties keep the earlier one).
  /// Returns false when the caller's observer stopped the fit: that fit is then the result.
  bool consider(const FitOptions& candidate) {
    const FitObserver observer = numbered(observer_, fitted_ + 1, planned_, describe(candidate));
    detail::FittedCascade fit =
        detail::fit_cascade(x_, &validation_, candidate, observer, reducer_);
    ++fitted_;
    if (fit.report.stop == FitReport::Stop::Observer) {
      best_.emplace(std::move(fit));
      return false;
    }
    // The kept depth is the best one, so the last kept layer carries the best held-out score.
    const double score = *fit.report.layers.back().validation_log_prob;
    scores_ += fmt::format("{}{} {:.6g}", scores_.empty() ? "" : "; ", describe(candidate), score);
    candidates_.push_back({candidate, score, false});
    if (!best_ || score > best_score_) {
      best_score_ = score;
      best_index_ = candidates_.size() - 1;
      best_.emplace(std::move(fit));
    }
    return true;
  }

  const FitOptions& best_options() const { return best_->options; }
  int fitted() const { return fitted_; }

  /// The best fit; its message lists every candidate's score when there was a choice.
  detail::FittedCascade take_best() {
    if (fitted_ > 1 && best_->report.stop != FitReport::Stop::Observer) {
      best_->report.message += fmt::format(" ({} chosen on the validation rows among: {})",
                                           describe(best_->options), scores_);
      best_->report.candidates = candidates_;
      best_->report.candidates[best_index_].chosen = true;
    }
    return std::move(*best_);
  }

 private:
  ConstMatrixRef x_;
  const Matrix& validation_;
  const FitObserver& observer_;
  const detail::Reducer& reducer_;
  std::optional<detail::FittedCascade> best_;
  double best_score_ = 0.0;
  std::string scores_;
  std::vector<CandidateScore> candidates_;
  std::size_t best_index_ = 0;
  int fitted_ = 0;
  int planned_ = 1;
};

/// Fits every combination of the empty choices of `options` with these validation rows and
/// keeps the one with the best held-out log-likelihood.
/// refits: 1 when a refit on all rows follows (it is counted in the observer's plan); fits is
/// set to the number of fits made.
detail::FittedCascade select(ConstMatrixRef x, const Matrix& validation, const FitOptions& options,
                             const FitObserver& observer, int refits, int& fits,
                             const detail::Reducer& reducer) {
  Selection selection(x, validation, observer, reducer);
  const struct Count {
    Selection& selection;
    int& fits;
    ~Count() { fits = selection.fitted(); }
  } count{selection, fits};
  if (options.layers) {
    selection.plan(1 + refits);
    selection.consider(candidates(options).front());
    return selection.take_best();
  }
  const std::vector<FitOptions> first_stage = candidates(options);
  selection.plan(static_cast<int>(first_stage.size()) + refits);
  for (const FitOptions& candidate : first_stage) {
    if (!selection.consider(candidate)) return selection.take_best();
  }
  const std::vector<FitOptions> second_stage = bandwidth_candidates(
      options, selection.best_options(), detail::total_rows(x.rows(), reducer));
  selection.plan(static_cast<int>(first_stage.size() + second_stage.size()) + refits);
  for (const FitOptions& candidate : second_stage) {
    if (!selection.consider(candidate)) return selection.take_best();
  }
  return selection.take_best();
}

/// Fits the configuration and depth that `chosen` found on held-out rows again on all rows x
/// (the held-out ones included); the report keeps chosen's validation curve and stop reason.
/// fit_number: this fit's number for the observer, the last of the plan.
detail::FittedCascade refit(ConstMatrixRef x, const detail::FittedCascade& chosen,
                            const FitObserver& observer, int fit_number,
                            const detail::Reducer& reducer) {
  FitOptions exact = chosen.options;
  exact.layers = static_cast<int>(chosen.layers.size());
  const FitObserver numbered_observer =
      numbered(observer, fit_number, fit_number, "refit: " + describe(chosen.options));
  detail::FittedCascade fit = detail::fit_cascade(x, nullptr, exact, numbered_observer, reducer);
  if (fit.report.stop == FitReport::Stop::Observer) return fit;
  fit.options = chosen.options;
  for (size_t k = 0; k < fit.report.layers.size(); ++k) {
    fit.report.layers[k].validation_log_prob = chosen.report.layers[k].validation_log_prob;
  }
  fit.report.stop = chosen.report.stop;
  fit.report.candidates = chosen.report.candidates;
  fit.report.message = fmt::format("{}; refitted at that depth on all {} rows",
                                   chosen.report.message, fit.report.n_samples);
  return fit;
}

}  // namespace

namespace detail {

Model fit_distributed(ConstMatrixRef x, Index first_row, const FitOptions& options,
                      const FitObserver& observer, const Reducer& reducer) {
  options.validate();
  if (!options.holds_out()) {
    return detail::fit_cascade(x, nullptr, options.greedy(), observer, reducer).to_model();
  }
  // Before the split, so that messages count rows of x.
  detail::check_training_data(x, reducer);
  const Index rows = total_rows(x.rows(), reducer);
  const detail::TrainValidationSplit split = detail::split_validation(
      x, options.validation, options.seed, first_row, reducer.is_local() ? -1 : rows);
  int fits = 0;
  detail::FittedCascade chosen =
      select(split.train, split.validation, options, observer, 1, fits, reducer);
  if (chosen.report.stop == FitReport::Stop::Observer) return std::move(chosen).to_model();
  return refit(x, chosen, observer, fits + 1, reducer).to_model();
}

}  // namespace detail

Model Model::fit(ConstMatrixRef x, const FitOptions& options, const FitObserver& observer) {
  return detail::fit_distributed(x, 0, options, observer, detail::LocalReducer());
}

Model Model::fit(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                 const FitObserver& observer) {
  options.validate();
  detail::check_columns("validation data", x.cols(), validation);
  if (validation.rows() < 1) throw InputError("validation data", 0, 0, "no rows");
  detail::check_finite("validation data", "every value", validation);
  const Matrix rows = validation;
  int fits = 0;
  return select(x, rows, options, observer, 0, fits, detail::LocalReducer()).to_model();
}

}  // namespace rbig
