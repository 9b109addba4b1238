#pragma once
// The fits of a model selection's candidates on one set of training rows (model_selection.cpp):
// each candidate fitted with its depth chosen on the same validation rows, numbered for the
// caller's observer, raced (screening_race.hpp) and kept if it is the best so far.

#include <rbig/model.hpp>

#include "fit/candidates.hpp"
#include "fit/fitted_cascade.hpp"
#include "fit/reducer.hpp"
#include "fit/screening_race.hpp"
#include "fit/simplest_within_noise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace rbig::detail {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The observer that tells the caller's which fit of the selection a layer belongs to.
/// score_offset: added to the layer's held-out score (a mixture layer's, for fits on its output).
inline FitObserver numbered(const FitObserver& observer, int candidate, int candidates,
                            std::string name, double score_offset = 0.0) {
  if (!observer) return {};
  return [&observer, candidate, candidates, name = std::move(name),
          score_offset](const LayerReport& layer) {
    LayerReport numbered_layer = layer;
    if (numbered_layer.validation_log_prob) *numbered_layer.validation_log_prob += score_offset;
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
            const Reducer& reducer, std::string prefix)
      : x_(x),
        validation_(validation),
        observer_(observer),
        reducer_(reducer),
        prefix_(std::move(prefix)),
        rows_(total_rows(x.rows(), reducer)) {}

  /// Fits planned in all (for the observer), including a refit after the selection.
  void plan(int fits) { planned_ = fits; }
  /// Fits made before this selection's (for the observer's numbering).
  void number_after(int fits) { fits_before_ = fits; }
  /// Added to every held-out score this selection reports (to the observer, in its text and its
  /// CandidateScores): a mixture layer's mean held-out log|det J| when the candidates are fitted on
  /// its output, so that the scores are the whole model's. Comparisons do not change.
  void offset_scores(double offset) { offset_ = offset; }
  /// Keeps every fit, not only the best (for take_simplest_within_noise).
  void keep_every_fit() { keep_every_fit_ = true; }
  /// Stops a candidate as soon as its curve cannot reach the `finalists` best (screening_race.hpp).
  /// Collective under a distributed reducer (it counts the held-out rows).
  void race(std::size_t finalists, const FitOptions& options) {
    race_.emplace(finalists, options.validation_patience, options.max_layers,
                  total_rows(validation_.rows(), reducer_));
  }
  /// Races against a score reached elsewhere (the mixture's model's, or the model the coupling
  /// challenger must beat): a candidate stops as soon as its curve cannot beat `score` (as well
  /// as the finals, with race()), its gain read over its last `window` layers (0: the validation
  /// patience, as for the finals). Without a score, nothing.
  void race_against(std::optional<double> score, const FitOptions& options, int window = 0) {
    if (!score) return;
    if (!race_) race(0, options);  // the candidates do not race each other
    race_->must_beat(*score, window);
    must_beat_ = score;
  }
  /// Whether a candidate finished (one the caller's observer stopped counts): false when the race
  /// stopped every one.
  bool has_best() const { return best_.has_value(); }
  /// Candidates the race stopped.
  int stopped_early() const { return stopped_early_; }

  /// Fits one candidate and keeps it if it is the best so far (ties keep the earlier one).
  /// Returns false when the caller's observer stopped the fit: that fit is then the result.
  bool consider(const FitOptions& candidate) {
    const auto start = std::chrono::steady_clock::now();
    const FitObserver caller = numbered(observer_, fits_before_ + fitted_ + 1, planned_,
                                        prefix_ + describe(candidate), offset_);
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
    FittedCascade fit = fit_cascade(x_, &validation_, candidate, observer, reducer_);
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
    scores_ += fmt::format("{}{} {:.6g}{}", scores_.empty() ? "" : "; ", describe(candidate),
                           score + offset_, stopped_early ? " (stopped early)" : "");
    candidates_.push_back({candidate, score + offset_, false, rows_, kept, seconds_since(start),
                           layers_fitted, stopped_early});
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
  /// The best candidate's held-out score (with a race: the best a stopped candidate reached).
  double best_score() const { return candidates_[best_index_].validation_log_prob; }
  int fitted() const { return fitted_; }
  /// Training rows of all participants the candidates are fitted on.
  Index rows() const { return rows_; }
  /// The caller's observer stopped the last fit.
  bool stopped() const { return best_ && best_->report.stop == FitReport::Stop::Observer; }
  /// Every candidate's score, the best one marked chosen.
  std::vector<CandidateScore> scores() const {
    std::vector<CandidateScore> list = candidates_;
    if (best_) list[best_index_].chosen = true;
    return list;
  }
  /// The `count` best finished candidates' options, best first (ties: the earlier one first).
  /// Left out unless `reached`: those the race stopped, and those that finished without beating
  /// race_against's score (their curve peaked below it before the race could tell); with
  /// `reached`, every candidate by the best score it reached.
  std::vector<FitOptions> best(std::size_t count, bool reached = false) const {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      const double score = candidates_[i].validation_log_prob - offset_;
      const bool finished = !candidates_[i].stopped_early && (!must_beat_ || score > *must_beat_);
      if (finished || reached) order.push_back(i);
    }
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
  FittedCascade take_simplest_within_noise() {
    if (!keep_every_fit_ || kept_.size() != candidates_.size() || kept_.size() < 2)
      return take_best();
    std::vector<const FittedCascade*> fits;
    std::vector<double> scores;
    for (std::size_t k = 0; k < kept_.size(); ++k) {
      fits.push_back(&kept_[k]);
      scores.push_back(candidates_[k].validation_log_prob);
    }
    const std::size_t chosen = simplest_within_noise(fits, scores, validation_, reducer_);
    const bool simpler = chosen != best_index_;
    if (simpler) {
      best_index_ = chosen;
      best_.emplace(std::move(kept_[chosen]));
    }
    FittedCascade fit = take_best();
    if (simpler) fit.report.message += "; the fewest layers within one standard error of the best";
    return fit;
  }

  /// "kde, damping 1, bandwidth silverman -0.4752; …": every candidate and its score.
  const std::string& score_text() const { return scores_; }

  /// The best fit; its message lists every candidate's score when there was a choice.
  FittedCascade take_best() {
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
  const Reducer& reducer_;
  std::string prefix_;
  Index rows_;
  std::optional<FittedCascade> best_;
  double best_score_ = 0.0;
  std::string scores_;
  std::vector<CandidateScore> candidates_;
  std::size_t best_index_ = 0;
  int fitted_ = 0;
  int fits_before_ = 0;
  int planned_ = 1;
  bool keep_every_fit_ = false;
  std::vector<FittedCascade> kept_;
  std::optional<ScreeningRace> race_;
  int stopped_early_ = 0;
  double offset_ = 0.0;
  std::optional<double> must_beat_;
};

/// How a selection's candidates are scored beside the whole model, for candidates fitted on a
/// mixture layer's output or racing the model with one.
struct Scoring {
  /// Added to every held-out score reported (Selection::offset_scores).
  double offset = 0.0;
  /// The mixture's model's held-out score: fits on all training rows stop as soon as they cannot
  /// beat it (Selection::race_against).
  std::optional<double> to_beat;
  /// The same for the screening's fits on a subsample: the best score of the mixture's model
  /// with its cascade fitted on the same subsample (its screening).
  std::optional<double> screening_to_beat;
  /// Before each candidate's name for the observer: where it is fitted ("after the mixture: ").
  const char* where = "";
};

}  // namespace rbig::detail
