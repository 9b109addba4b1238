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
// With 8,000 training rows or more the comparison screens (successive halving in two rounds,
// select() below): the candidates are fitted on a quarter of the training rows (at least
// kScreeningRows), and only the two best are fitted on all of them. This cuts a default fit from
// 10 fits of the data to about 2.25 + 2 + the refit; on bench_density it kept or improved the
// validation score of the choice on every set (bench/README.md, "Screening").
//
// When the held-out rows were split off the training data (FitOptions::validation), the chosen
// configuration is then fitted again, at the chosen depth, on all the rows: the held-out rows
// are data too (bench/README.md, "Design history moved out of the code", says what that gained). An
// explicit validation set (Model::fit(x, validation, …)) is not merged into the training rows.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "core/random_streams.hpp"
#include "core/rng.hpp"
#include "fit/fitted_cascade.hpp"
#include "fit/training_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
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

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
  /// prefix: put before each candidate's name for the observer ("screen: " on a subsample).
  Selection(ConstMatrixRef x, const Matrix& validation, const FitObserver& observer,
            std::string prefix)
      : x_(x), validation_(validation), observer_(observer), prefix_(std::move(prefix)) {}

  /// Fits planned in all (for the observer), including a refit after the selection.
  void plan(int fits) { planned_ = fits; }
  /// Fits made before this selection's (for the observer's numbering).
  void number_after(int fits) { fits_before_ = fits; }

  /// Fits one candidate and keeps it if it is the best so far (ties keep the earlier one).
  /// Returns false when the caller's observer stopped the fit: that fit is then the result.
  bool consider(const FitOptions& candidate) {
    const auto start = std::chrono::steady_clock::now();
    const FitObserver observer =
        numbered(observer_, fits_before_ + fitted_ + 1, planned_, prefix_ + describe(candidate));
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
    candidates_.push_back({candidate, score, false, x_.rows(),
                           static_cast<int>(fit.report.layers.size()), seconds_since(start)});
    if (!best_ || score > best_score_) {
      best_score_ = score;
      best_index_ = candidates_.size() - 1;
      best_.emplace(std::move(fit));
    }
    return true;
  }

  const FitOptions& best_options() const { return best_->options; }
  int fitted() const { return fitted_; }
  /// The caller's observer stopped the last fit.
  bool stopped() const { return best_->report.stop == FitReport::Stop::Observer; }
  /// Every candidate's score, the best one marked chosen.
  std::vector<CandidateScore> scores() const {
    std::vector<CandidateScore> list = candidates_;
    list[best_index_].chosen = true;
    return list;
  }
  /// The `count` best candidates' options, best first (ties: the earlier one first).
  std::vector<FitOptions> best(std::size_t count) const {
    std::vector<std::size_t> order(candidates_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      return candidates_[a].validation_log_prob > candidates_[b].validation_log_prob;
    });
    std::vector<FitOptions> list;
    for (std::size_t i = 0; i < std::min(count, order.size()); ++i)
      list.push_back(candidates_[order[i]].options);
    return list;
  }
  /// "kde, damping 1, bandwidth silverman -0.4752; …": every candidate and its score.
  const std::string& score_text() const { return scores_; }

  /// The best fit; its message lists every candidate's score when there was a choice.
  detail::FittedCascade take_best() {
    if (fitted_ > 1 && !stopped()) {
      best_->report.message += fmt::format(" ({} chosen on the validation rows among: {})",
                                           describe(best_->options), scores_);
      best_->report.candidates = scores();
    }
    return std::move(*best_);
  }

 private:
  ConstMatrixRef x_;
  const Matrix& validation_;
  const FitObserver& observer_;
  std::string prefix_;
  detail::LocalReducer reducer_;
  std::optional<detail::FittedCascade> best_;
  double best_score_ = 0.0;
  std::string scores_;
  std::vector<CandidateScore> candidates_;
  std::size_t best_index_ = 0;
  int fitted_ = 0;
  int fits_before_ = 0;
  int planned_ = 1;
};

/// Fits every combination of the empty choices of `options` on the rows x with these validation
/// rows and keeps the one with the best held-out log-likelihood. bandwidth_rows: the row count
/// the wide bandwidth candidate is computed for (the rows the chosen configuration will be
/// fitted on). planned_after: fits that follow this selection (for the observer's plan); prefix:
/// before each candidate's name for the observer.
Selection compare_candidates(ConstMatrixRef x, const Matrix& validation, const FitOptions& options,
                             const FitObserver& observer, Index bandwidth_rows, int planned_after,
                             const char* prefix) {
  Selection selection(x, validation, observer, prefix);
  if (options.layers) {
    selection.plan(1 + planned_after);
    selection.consider(candidates(options).front());
    return selection;
  }
  const std::vector<FitOptions> first_stage = candidates(options);
  selection.plan(static_cast<int>(first_stage.size()) + planned_after);
  for (const FitOptions& candidate : first_stage) {
    if (!selection.consider(candidate)) return selection;
  }
  const std::vector<FitOptions> second_stage =
      bandwidth_candidates(options, selection.best_options(), bandwidth_rows);
  selection.plan(static_cast<int>(first_stage.size() + second_stage.size()) + planned_after);
  for (const FitOptions& candidate : second_stage) {
    if (!selection.consider(candidate)) return selection;
  }
  return selection;
}

/// The finalists of a screening fitted on every training row x; fits_before: the screening's
/// fits, planned_after: fits that follow (both for the observer).
Selection compare_finalists(ConstMatrixRef x, const Matrix& validation,
                            const std::vector<FitOptions>& finalists, const FitObserver& observer,
                            int fits_before, int planned_after) {
  Selection selection(x, validation, observer, "");
  selection.number_after(fits_before);
  selection.plan(fits_before + static_cast<int>(finalists.size()) + planned_after);
  for (const FitOptions& finalist : finalists) {
    if (!selection.consider(finalist)) break;
  }
  return selection;
}

/// More than one configuration to compare.
bool has_choice(const FitOptions& options) {
  if (options.layers) return false;
  const std::vector<FitOptions> first_stage = candidates(options);
  return first_stage.size() > 1 || !bandwidth_candidates(options, first_stage.front(), 2).empty();
}

/// Screening (successive halving in two rounds): with many training rows, every candidate is
/// first fitted on a seeded random subsample of them (scored on the same validation rows), and
/// only the kFinalists best are fitted on every training row, where the winner and its depth
/// are chosen. The subsample ranks the candidates well enough to find the winner among the two
/// best (bench/README.md, "Screening"), at a fraction of the cost of fitting all of them on
/// every row.
constexpr std::size_t kFinalists = 2;
constexpr Index kScreeningRows = 4000;  // rows each candidate sees, at least

/// The training rows the candidates are compared on: a quarter of them, at least
/// kScreeningRows; all of them (no screening) when that is more than half.
Index screening_rows(Index training_rows) {
  const Index rows = std::max(kScreeningRows, training_rows / 4);
  return 2 * rows > training_rows ? training_rows : rows;
}

/// `count` rows of x drawn without replacement by a seeded shuffle (their order kept).
Matrix subsample(ConstMatrixRef x, Index count, std::uint64_t seed) {
  std::vector<Index> order(static_cast<size_t>(x.rows()));
  for (Index i = 0; i < x.rows(); ++i) order[static_cast<size_t>(i)] = i;
  detail::Rng rng(
      detail::derive_seed(seed, detail::stream_id(detail::RandomStream::ScreeningSubsample)));
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
    const size_t remaining = order.size() - i;
    const auto j = i + std::min(remaining - 1, static_cast<size_t>(rng.uniform() *
                                                                   static_cast<double>(remaining)));
    std::swap(order[i], order[j]);
  }
  std::sort(order.begin(), order.begin() + count);
  Matrix rows(count, x.cols());
  for (Index i = 0; i < count; ++i) rows.row(i) = x.row(order[static_cast<size_t>(i)]);
  return rows;
}

/// The configuration chosen on held-out rows, fitted on x at the depth those rows choose.
/// refits: 1 when a refit on all rows follows (it is counted in the observer's plan); fits is
/// set to the number of fits made.
detail::FittedCascade select(ConstMatrixRef x, const Matrix& validation, const FitOptions& options,
                             const FitObserver& observer, int refits, int& fits) {
  const Index screen = has_choice(options) ? screening_rows(x.rows()) : x.rows();
  if (screen == x.rows()) {
    Selection selection =
        compare_candidates(x, validation, options, observer, x.rows(), refits, "");
    fits = selection.fitted();
    return selection.take_best();
  }
  const Matrix rows = subsample(x, screen, options.seed);
  Selection screening = compare_candidates(rows, validation, options, observer, x.rows(),
                                           static_cast<int>(kFinalists) + refits, "screen: ");
  fits = screening.fitted();
  if (screening.stopped()) return screening.take_best();
  const std::vector<FitOptions> finalists = screening.best(kFinalists);
  Selection final_round = compare_finalists(x, validation, finalists, observer, fits, refits);
  fits += final_round.fitted();
  detail::FittedCascade chosen = final_round.take_best();
  if (chosen.report.stop == FitReport::Stop::Observer) return chosen;
  std::vector<CandidateScore> scores = screening.scores();
  for (CandidateScore& score : scores) score.chosen = false;
  for (const CandidateScore& score : chosen.report.candidates) scores.push_back(score);
  chosen.report.candidates = std::move(scores);
  chosen.report.message += fmt::format(
      "; the finalists were the best {} of {} candidates fitted on {} of the {} training rows: {}",
      finalists.size(), screening.fitted(), screen, x.rows(), screening.score_text());
  return chosen;
}

/// Fits the configuration and depth that `chosen` found on held-out rows again on all rows x
/// (the held-out ones included); the report keeps chosen's validation curve and stop reason.
/// fit_number: this fit's number for the observer, the last of the plan.
detail::FittedCascade refit(ConstMatrixRef x, const detail::FittedCascade& chosen,
                            const FitObserver& observer, int fit_number) {
  FitOptions exact = chosen.options;
  exact.layers = static_cast<int>(chosen.layers.size());
  const FitObserver numbered_observer =
      numbered(observer, fit_number, fit_number, "refit: " + describe(chosen.options));
  detail::FittedCascade fit =
      detail::fit_cascade(x, nullptr, exact, numbered_observer, detail::LocalReducer());
  if (fit.report.stop == FitReport::Stop::Observer) return fit;
  fit.options = chosen.options;
  for (size_t k = 0; k < fit.report.layers.size(); ++k) {
    fit.report.layers[k].validation_log_prob = chosen.report.layers[k].validation_log_prob;
  }
  fit.report.stop = chosen.report.stop;
  fit.report.candidates = chosen.report.candidates;
  fit.report.message =
      fmt::format("{}; refitted at that depth on all {} rows", chosen.report.message, x.rows());
  return fit;
}

}  // namespace

Model Model::fit(ConstMatrixRef x, const FitOptions& options, const FitObserver& observer) {
  options.validate();
  if (!options.holds_out()) {
    return detail::fit_cascade(x, nullptr, options.greedy(), observer, detail::LocalReducer())
        .to_model();
  }
  detail::check_training_data(x);  // before the split, so that messages count rows of x
  const detail::TrainValidationSplit split =
      detail::split_validation(x, options.validation, options.seed);
  int fits = 0;
  detail::FittedCascade chosen = select(split.train, split.validation, options, observer, 1, fits);
  if (chosen.report.stop == FitReport::Stop::Observer) return std::move(chosen).to_model();
  return refit(x, chosen, observer, fits + 1).to_model();
}

Model Model::fit(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                 const FitObserver& observer) {
  options.validate();
  detail::check_columns("validation data", x.cols(), validation);
  if (validation.rows() < 1) throw InputError("validation data", 0, 0, "no rows");
  detail::check_finite("validation data", "every value", validation);
  const Matrix rows = validation;
  int fits = 0;
  return select(x, rows, options, observer, 0, fits).to_model();
}

}  // namespace rbig
