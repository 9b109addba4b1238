// Model::fit: the validation split and the choice of configuration on it.
//
// With validation rows and an empty marginal, damping or kde bandwidth, each candidate
// configuration is fitted on the same training rows, its depth chosen on the same validation
// rows, and the candidate with the best mean held-out log-likelihood (at its best depth) is
// kept; ties keep the earlier candidate. Two stages: marginal × damping first (kde with
// Silverman's bandwidth), then, for a kde winner, three other bandwidths at its damping
// (bandwidth_candidates, candidates.cpp): up to 9 fits instead of the 24 of the full product. The
// candidates (marginal ∈ {kde, spline}, damping ∈ {1, 0.5, 0.3}) are the ones
// that won on held-out data in bench_density (bench/README.md): damped kde on most sets (0.5 on
// the ring and moons, 0.3 on both mixtures and three real sets), undamped kde on the
// checkerboard, the spline on the dequantised digits, whose marginals are plateaus that its
// quantile knots follow.
//
// With 8,000 training rows or more the comparison screens (successive halving in two rounds,
// select() below): kde at damping 0.5 and 0.3 with Silverman's, the wide and the annealed
// bandwidth, undamped kde with the annealed one and the spline at 0.5 (8 candidates,
// screening_candidates in candidates.cpp, which says why not the other seven of the full
// product) are fitted on about a quarter of the training rows (at least kScreeningRows, each
// row drawn by a seeded hash of its index; screening.hpp), and only the two best are fitted on all
// of them. Of those two, the one with fewer layers is kept unless the other's held-out score is
// better by more than one standard error (simplest_within_noise.hpp). The screened candidates race
// (screening_race.hpp): the annealed ones first, and each later one stops as soon as its held-out
// curve, extended at its recent gain per layer up to max_layers, stays below the second best
// finished score: it could not be a finalist. That cut the screening's layers about 3× on two moons
// with the same finalists on every screened bench_density set; bench/README.md, "Screening", "The
// ring regression", "Racing the screened candidates" and "Fewer screened candidates", says what
// each part changed. Cost on two moons (20,000 rows, one thread): the screening and the two
// finalists about 40 % of the default fit each, the refit the rest; in all 2.9× the fit of the
// chosen configuration alone (its depth chosen on the same held-out rows, then refitted).
//
// When the held-out rows were split off the training data (FitOptions::validation), the chosen
// configuration is then fitted again, at the chosen depth, on all the rows: the held-out rows
// are data too (bench/README.md, "Design history moved out of the code", says what that gained). An
// explicit validation set (Model::fit(x, validation, …)) is not merged into the training rows.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "fit/candidates.hpp"
#include "fit/distributed_fit.hpp"
#include "fit/fitted_cascade.hpp"
#include "fit/mixture_step.hpp"
#include "fit/screening.hpp"
#include "fit/screening_race.hpp"
#include "fit/simplest_within_noise.hpp"
#include "fit/training_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace rbig {
namespace {

using detail::describe;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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

/// The candidates' fits on one set of training rows, and the best so far.
class Selection {
 public:
  /// prefix: put before each candidate's name for the observer ("screen: " on a subsample).
  Selection(ConstMatrixRef x, ConstMatrixRef validation, const FitObserver& observer,
            const detail::Reducer& reducer, std::string prefix)
      : x_(x),
        validation_(validation),
        observer_(observer),
        reducer_(reducer),
        prefix_(std::move(prefix)),
        rows_(detail::total_rows(x.rows(), reducer)) {}

  /// Fits planned in all (for the observer), including a refit after the selection.
  void plan(int fits) { planned_ = fits; }
  /// Fits made before this selection's (for the observer's numbering).
  void number_after(int fits) { fits_before_ = fits; }
  /// Keeps every fit, not only the best (for take_simplest_within_noise).
  void keep_every_fit() { keep_every_fit_ = true; }
  /// Stops a candidate as soon as its curve cannot reach the `finalists` best (screening_race.hpp).
  void race(std::size_t finalists, const FitOptions& options) {
    race_.emplace(finalists, options.validation_patience, options.max_layers);
  }
  /// Candidates the race stopped.
  int stopped_early() const { return stopped_early_; }

  /// Fits one candidate and keeps it if it is the best so far (ties keep the earlier one).
  /// Returns false when the caller's observer stopped the fit: that fit is then the result.
  bool consider(const FitOptions& candidate) {
    const auto start = std::chrono::steady_clock::now();
    const FitObserver caller =
        numbered(observer_, fits_before_ + fitted_ + 1, planned_, prefix_ + describe(candidate));
    // Every layer's held-out score (the same on every participant: summed through the reducer),
    // for the race and for the count of layers fitted.
    std::vector<double> curve;
    bool stopped_early = false;
    const FitObserver observer = [&](const LayerReport& layer) {
      if (caller && !caller(layer)) return false;
      curve.push_back(*layer.validation_log_prob);
      stopped_early = race_ && race_->hopeless(curve);
      return !stopped_early;
    };
    detail::FittedCascade fit =
        detail::fit_cascade(x_, &validation_, candidate, observer, reducer_);
    ++fitted_;
    if (fit.report.stop == FitReport::Stop::Observer && !stopped_early) {
      best_.emplace(std::move(fit));
      return false;
    }
    // The kept depth is the best one, so the last kept layer carries the best held-out score; a
    // candidate the race stopped kept every layer, and its score is the best it reached.
    const auto best_layer = std::max_element(curve.begin(), curve.end());
    const double score =
        stopped_early ? *best_layer : *fit.report.layers.back().validation_log_prob;
    const int kept = stopped_early ? static_cast<int>(best_layer - curve.begin()) + 1
                                   : static_cast<int>(fit.report.layers.size());
    // A validation stop comes after scoring a layer the observer has not seen yet.
    const int layers_fitted =
        static_cast<int>(curve.size()) + (fit.report.stop == FitReport::Stop::Validation ? 1 : 0);
    if (race_) race_->record_finished(score);
    if (stopped_early) ++stopped_early_;
    scores_ += fmt::format("{}{} {:.6g}{}", scores_.empty() ? "" : "; ", describe(candidate), score,
                           stopped_early ? " (stopped early)" : "");
    candidates_.push_back(
        {candidate, score, false, rows_, kept, seconds_since(start), layers_fitted, stopped_early});
    if (stopped_early) return true;  // below the finals: neither the best nor kept
    if (keep_every_fit_) kept_.push_back(fit);
    if (!best_ || score > best_score_) {
      best_score_ = score;
      best_index_ = candidates_.size() - 1;
      best_.emplace(std::move(fit));
    }
    return true;
  }

  const FitOptions& best_options() const { return best_->options; }
  int fitted() const { return fitted_; }
  /// Training rows of all participants the candidates are fitted on.
  Index rows() const { return rows_; }
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
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      return candidates_[a].validation_log_prob > candidates_[b].validation_log_prob;
    });
    std::vector<FitOptions> list;
    for (std::size_t i = 0; i < std::min(count, order.size()); ++i)
      list.push_back(candidates_[order[i]].options);
    return list;
  }
  /// With keep_every_fit: of the fits whose held-out score is within noise of the best one's,
  /// the one with the fewest layers (simplest_within_noise.hpp); otherwise take_best().
  detail::FittedCascade take_simplest_within_noise() {
    if (!keep_every_fit_ || kept_.size() != candidates_.size() || kept_.size() < 2)
      return take_best();
    std::vector<const detail::FittedCascade*> fits;
    std::vector<double> scores;
    for (std::size_t k = 0; k < kept_.size(); ++k) {
      fits.push_back(&kept_[k]);
      scores.push_back(candidates_[k].validation_log_prob);
    }
    const std::size_t chosen = detail::simplest_within_noise(fits, scores, validation_, reducer_);
    const bool simpler = chosen != best_index_;
    if (simpler) {
      best_index_ = chosen;
      best_.emplace(std::move(kept_[chosen]));
    }
    detail::FittedCascade fit = take_best();
    if (simpler) fit.report.message += "; the fewest layers within one standard error of the best";
    return fit;
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
  ConstMatrixRef validation_;
  const FitObserver& observer_;
  const detail::Reducer& reducer_;
  std::string prefix_;
  Index rows_;
  std::optional<detail::FittedCascade> best_;
  double best_score_ = 0.0;
  std::string scores_;
  std::vector<CandidateScore> candidates_;
  std::size_t best_index_ = 0;
  int fitted_ = 0;
  int fits_before_ = 0;
  int planned_ = 1;
  bool keep_every_fit_ = false;
  std::vector<detail::FittedCascade> kept_;
  std::optional<detail::ScreeningRace> race_;
  int stopped_early_ = 0;
};

/// Fits every combination of the empty choices of `options` on the rows x with these validation
/// rows and keeps the one with the best held-out log-likelihood. bandwidth_rows: the row count
/// the wide bandwidth candidate is computed for (the rows the chosen configuration will be
/// fitted on). planned_after: fits that follow this selection (for the observer's plan); prefix:
/// before each candidate's name for the observer.
Selection compare_candidates(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                             const FitObserver& observer, const detail::Reducer& reducer,
                             Index bandwidth_rows, int planned_after, const char* prefix) {
  Selection selection(x, validation, observer, reducer, prefix);
  if (options.layers) {
    selection.plan(1 + planned_after);
    selection.consider(detail::candidates(options).front());
    return selection;
  }
  const std::vector<FitOptions> first_stage = detail::candidates(options);
  selection.plan(static_cast<int>(first_stage.size()) + planned_after);
  for (const FitOptions& candidate : first_stage) {
    if (!selection.consider(candidate)) return selection;
  }
  const std::vector<FitOptions> second_stage =
      detail::bandwidth_candidates(options, selection.best_options(), bandwidth_rows);
  selection.plan(static_cast<int>(first_stage.size() + second_stage.size()) + planned_after);
  for (const FitOptions& candidate : second_stage) {
    if (!selection.consider(candidate)) return selection;
  }
  return selection;
}

/// The screening: every candidate of detail::screening_candidates (each damping with every
/// bandwidth) fitted on the subsample x; arguments as for compare_candidates.
Selection screen_candidates(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                            const FitObserver& observer, const detail::Reducer& reducer,
                            Index bandwidth_rows, int planned_after) {
  Selection selection(x, validation, observer, reducer, "screen: ");
  selection.race(detail::kFinalists, options);
  const std::vector<FitOptions> list = detail::screening_candidates(options, bandwidth_rows);
  selection.plan(static_cast<int>(list.size()) + planned_after);
  for (const FitOptions& candidate : list) {
    if (!selection.consider(candidate)) break;
  }
  return selection;
}

/// The finalists of a screening fitted on every training row x; fits_before: the screening's
/// fits, planned_after: fits that follow (both for the observer).
Selection compare_finalists(ConstMatrixRef x, ConstMatrixRef validation,
                            const std::vector<FitOptions>& finalists, const FitObserver& observer,
                            const detail::Reducer& reducer, int fits_before, int planned_after) {
  Selection selection(x, validation, observer, reducer, "");
  selection.number_after(fits_before);
  selection.keep_every_fit();
  selection.plan(fits_before + static_cast<int>(finalists.size()) + planned_after);
  for (const FitOptions& finalist : finalists) {
    if (!selection.consider(finalist)) break;
  }
  return selection;
}

/// The configuration chosen on held-out rows, fitted on x (index: each row's index among all
/// rows, screening.hpp) at the depth those rows choose. refits: 1 when a refit on all rows
/// follows (it is counted in the observer's plan); fits is set to the number of fits made.
detail::FittedCascade select(ConstMatrixRef x, const std::vector<Index>& index,
                             ConstMatrixRef validation, const FitOptions& options,
                             const FitObserver& observer, int refits, int& fits,
                             const detail::Reducer& reducer) {
  const Index rows = detail::total_rows(x.rows(), reducer);
  const double fraction = detail::has_choice(options) ? detail::screening_fraction(rows) : 1.0;
  if (fraction >= 1.0) {
    Selection selection =
        compare_candidates(x, validation, options, observer, reducer, rows, refits, "");
    fits = selection.fitted();
    return selection.take_best();
  }
  const detail::WorkBuffer subsample =
      detail::screening_subsample(x, index, fraction, options.seed, options.work_file);
  Selection screening = screen_candidates(subsample.ref(), validation, options, observer, reducer,
                                          rows, static_cast<int>(detail::kFinalists) + refits);
  fits = screening.fitted();
  if (screening.stopped()) return screening.take_best();
  const std::vector<FitOptions> finalists = screening.best(detail::kFinalists);
  Selection final_round =
      compare_finalists(x, validation, finalists, observer, reducer, fits, refits);
  fits += final_round.fitted();
  detail::FittedCascade chosen = final_round.take_simplest_within_noise();
  if (chosen.report.stop == FitReport::Stop::Observer) return chosen;
  std::vector<CandidateScore> scores = screening.scores();
  for (CandidateScore& score : scores) score.chosen = false;
  for (const CandidateScore& score : chosen.report.candidates) scores.push_back(score);
  chosen.report.candidates = std::move(scores);
  chosen.report.message += fmt::format(
      "; the finalists were the best {} of {} candidates fitted on {} of the {} training rows "
      "({} stopped early, below the finals): {}",
      finalists.size(), screening.fitted(), screening.rows(), rows, screening.stopped_early(),
      screening.score_text());
  return chosen;
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
  if (!options.work_file.empty() && !reducer.is_local()) {
    // Every process would map the same files: each needs its own, and none is asked for yet.
    throw OptionError("work_file", "is not supported in a distributed fit");
  }
  const bool mixture = detail::offers_mixture(options, false);
  if (!options.holds_out()) {
    return detail::fit_cascade(x, nullptr, options.greedy(), observer, reducer).to_model();
  }
  // Before the split, so that messages count rows of x.
  detail::check_training_data(x, reducer);
  const Index rows = total_rows(x.rows(), reducer);
  int fits = 0;
  std::optional<detail::FittedCascade> chosen;
  {
    // The split's parts are freed (their work files removed) before the refit makes its copy.
    const detail::TrainValidationSplit split =
        detail::split_validation(x, options.validation, options.seed, first_row,
                                 reducer.is_local() ? -1 : rows, options.work_file);
    chosen.emplace(select(split.train.ref(), split.train_index, split.validation.ref(), options,
                          observer, 1, fits, reducer));
    if (mixture) {  // mixture_step.hpp: one more fit, after a mixture layer
      ++fits;
      const FitObserver mixture_observer =
          numbered(observer, fits, fits + 1, "mixture first: " + describe(chosen->options));
      chosen.emplace(detail::offer_mixture_first(split.train.ref(), split.validation.ref(),
                                                 std::move(*chosen), mixture_observer, reducer));
    }
  }
  if (chosen->report.stop == FitReport::Stop::Observer) return std::move(*chosen).to_model();
  if (chosen->mixture_components > 0) {
    const auto refit_rest = [&](ConstMatrixRef z, const detail::FittedCascade& rest) {
      return refit(z, rest, observer, fits + 1, reducer);
    };
    return detail::refit_after_mixture(x, std::move(*chosen), refit_rest, reducer).to_model();
  }
  return refit(x, *chosen, observer, fits + 1, reducer).to_model();
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
  std::vector<Index> index(static_cast<size_t>(x.rows()));
  std::iota(index.begin(), index.end(), Index{0});
  int fits = 0;
  const detail::LocalReducer reducer;
  const bool mixture = detail::offers_mixture(options, true);
  detail::FittedCascade chosen = select(x, index, validation, options, observer, 0, fits, reducer);
  if (!mixture) return std::move(chosen).to_model();
  const FitObserver mixture_observer =
      numbered(observer, fits + 1, fits + 1, "mixture first: " + describe(chosen.options));
  return detail::offer_mixture_first(x, validation, std::move(chosen), mixture_observer, reducer)
      .to_model();
}

}  // namespace rbig
