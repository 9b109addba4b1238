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
// Below 8,000 rows every candidate is fitted on all training rows, each racing the best one
// finished before it (compare_candidates): a candidate whose held-out curve cannot reach that
// score stops; only the best is kept there, so a stopped one changes nothing while the bound holds
// (bench/README.md, "Racing the candidates of small sets").
//
// With the mixture first layer offered (mixture_step.hpp), the selection runs twice:
// first on the mixture's output, where each candidate's cascade is short, then on the raw rows,
// racing the mixture's model (select_offering_mixture below). That order made the default fit
// 2.6× cheaper on the 8-D and 16-D mixtures and 10–15 % on the 2-D sets where the mixture is
// kept (bench/README.md, "The default fit's cost, mixture first"): the raw rows' candidates,
// 100–500 layers each before, stop as soon as they cannot reach the mixture's model.
//
// Then the coupling challenger (coupling_challenger.hpp): with FitOptions::coupling empty and
// enough training rows, one more fit with coupling layers, kept when its held-out score is better.
//
// When the held-out rows were split off the training data (FitOptions::validation), the chosen
// configuration is then fitted again, at the chosen depth, on all the rows: the held-out rows
// are data too (bench/README.md, "Design history moved out of the code", says what that gained). An
// explicit validation set (Model::fit(x, validation, …)) is not merged into the training rows.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "fit/candidates.hpp"
#include "fit/coupling_challenger.hpp"
#include "fit/distributed_fit.hpp"
#include "fit/fitted_cascade.hpp"
#include "fit/mixture_step.hpp"
#include "fit/screening.hpp"
#include "fit/selection.hpp"
#include "fit/training_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rbig {
namespace {

using detail::describe;
using detail::numbered;
using detail::Scoring;
using detail::Selection;

/// Fits every combination of the empty choices of `options` on the rows x with these validation
/// rows and keeps the one with the best held-out log-likelihood. bandwidth_rows: the row count
/// the wide bandwidth candidate is computed for (the rows the chosen configuration will be
/// fitted on). fits_before, planned_after: fits made before and to follow this selection (for the
/// observer's numbering).
Selection compare_candidates(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                             const FitObserver& observer, const detail::Reducer& reducer,
                             Index bandwidth_rows, int fits_before, int planned_after,
                             const Scoring& scoring) {
  Selection selection(x, validation, observer, reducer, scoring.where);
  selection.number_after(fits_before);
  selection.offset_scores(scoring.offset);
  // Only the best candidate is kept here, so each races the best finished one: a candidate stops
  // as soon as its curve cannot beat it (screening_race.hpp), which changed no chosen model on
  // the real bench_density sets (5 splits each) and saved a quarter of digits' default fit.
  if (!options.layers) selection.race(1, options);
  selection.race_against(scoring.to_beat, options);
  planned_after += fits_before;
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
  if (!selection.has_best()) return selection;  // the race stopped every one
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
                            Index bandwidth_rows, int fits_before, int planned_after,
                            const Scoring& scoring) {
  Selection selection(x, validation, observer, reducer, std::string(scoring.where) + "screen: ");
  selection.number_after(fits_before);
  selection.offset_scores(scoring.offset);
  selection.race(detail::kFinalists, options);
  selection.race_against(scoring.screening_to_beat, options);
  const std::vector<FitOptions> list = detail::screening_candidates(options, bandwidth_rows);
  selection.plan(fits_before + static_cast<int>(list.size()) + planned_after);
  for (const FitOptions& candidate : list) {
    if (!selection.consider(candidate)) break;
  }
  return selection;
}

/// The finalists of a screening fitted on every training row x; fits_before: the screening's
/// fits, planned_after: fits that follow (both for the observer).
Selection compare_finalists(ConstMatrixRef x, ConstMatrixRef validation,
                            const std::vector<FitOptions>& finalists, const FitObserver& observer,
                            const detail::Reducer& reducer, int fits_before, int planned_after,
                            const Scoring& scoring) {
  Selection selection(x, validation, observer, reducer, scoring.where);
  selection.number_after(fits_before);
  selection.offset_scores(scoring.offset);
  selection.race_against(scoring.to_beat, finalists.front());
  selection.keep_every_fit();
  selection.plan(fits_before + static_cast<int>(finalists.size()) + planned_after);
  for (const FitOptions& finalist : finalists) {
    if (!selection.consider(finalist)) break;
  }
  return selection;
}

/// The configuration chosen on held-out rows, fitted on x (index: each row's index among all
/// rows, screening.hpp) at the depth those rows choose. refits: fits that follow (a refit on all
/// rows; counted in the observer's plan); fits: the fits made before (for the observer's
/// numbering), increased by the number this selection makes. Empty only when scoring's scores
/// are set and the race stopped every candidate below them; `raced` (if given) then lists them.
std::optional<detail::FittedCascade> select(ConstMatrixRef x, const std::vector<Index>& index,
                                            ConstMatrixRef validation, const FitOptions& options,
                                            const FitObserver& observer, int refits, int& fits,
                                            const detail::Reducer& reducer,
                                            const Scoring& scoring = {},
                                            std::vector<CandidateScore>* raced = nullptr) {
  const auto every_one_stopped = [raced](std::vector<CandidateScore> list) {
    for (CandidateScore& candidate : list) candidate.chosen = false;
    if (raced) *raced = std::move(list);
    return std::nullopt;
  };
  const Index rows = detail::total_rows(x.rows(), reducer);
  const double fraction = detail::has_choice(options) ? detail::screening_fraction(rows) : 1.0;
  if (fraction >= 1.0) {
    Selection selection =
        compare_candidates(x, validation, options, observer, reducer, rows, fits, refits, scoring);
    fits += selection.fitted();
    if (!selection.has_best()) return every_one_stopped(selection.scores());
    return selection.take_best();
  }
  const detail::WorkBuffer subsample =
      detail::screening_subsample(x, index, fraction, options.seed, options.work_file);
  Selection screening =
      screen_candidates(subsample.ref(), validation, options, observer, reducer, rows, fits,
                        static_cast<int>(detail::kFinalists) + refits, scoring);
  fits += screening.fitted();
  if (screening.stopped()) return screening.take_best();
  std::vector<FitOptions> finalists = screening.best(detail::kFinalists);
  // With a mixture model to beat, the subsample's fits raced its best screening score: a cascade
  // after a mixture fitted on every training row. A raw cascade gains more from more rows (on two
  // moons 0.025 nats from the subsample to all rows; after the mixture 0.0006), so where all of
  // them stopped, the best of them still meets the mixture's model on every row, racing it there.
  if (finalists.empty()) finalists = screening.best(1, true);
  Selection final_round =
      compare_finalists(x, validation, finalists, observer, reducer, fits, refits, scoring);
  fits += final_round.fitted();
  if (!final_round.has_best()) {
    std::vector<CandidateScore> list = screening.scores();
    for (const CandidateScore& finalist : final_round.scores()) list.push_back(finalist);
    return every_one_stopped(std::move(list));
  }
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

/// The message of a fit on a mixture layer's output with its first clause, "best selection score
/// S nats at layer L of M (optimistic)" (depth_control.cpp), restated for the whole model: the
/// score with the mixture's log-determinant (`score`), the layer count with the mixture's.
std::string whole_model_clause(const std::string& message, double score) {
  constexpr std::string_view kClause = "best selection score ";
  constexpr std::string_view kEnd = " (optimistic)";
  const size_t end = message.find(kEnd);
  if (message.rfind(kClause, 0) != 0 || end == std::string::npos) return message;
  const size_t at = message.find(" nats at layer ");
  if (at == std::string::npos || at > end) return message;
  const int layer = std::atoi(message.c_str() + at + std::string_view(" nats at layer ").size());
  return fmt::format("best selection score {:.6g} nats with the mixture layer and {} after it{}",
                     score, layer, message.substr(end));
}

/// About how many fits select() makes on `rows` training rows (for the observer's plan): the
/// screened candidates and the finalists, or the first stage (a kde winner adds its bandwidths).
int planned_fits(const FitOptions& options, Index rows) {
  if (options.layers || !detail::has_choice(options)) return 1;
  if (detail::screening_fraction(rows) < 1.0)
    return static_cast<int>(detail::screening_candidates(options, rows).size() +
                            detail::kFinalists);
  return static_cast<int>(detail::candidates(options).size());
}

/// The best score of a selection's screening (its candidates fitted on fewer rows than the
/// model), if it screened.
std::optional<double> best_screened(const FitReport& report) {
  std::optional<double> best;
  for (const CandidateScore& candidate : report.candidates) {
    if (candidate.rows >= report.n_samples || candidate.stopped_early) continue;
    if (!best || candidate.validation_log_prob > *best) best = candidate.validation_log_prob;
  }
  return best;
}

/// select() with the mixture first layer offered (mixture_step.hpp). The mixture comes first and
/// the model selection runs on its output, where every candidate's cascade is short (1–30 layers
/// on bench_density's sets, against 100–500 on the raw rows). Then the selection runs on the raw
/// rows too, and the better of the two models is kept; there every fit on all training rows
/// races the mixture's model, stopping as soon as its held-out curve cannot reach that score
/// (screening_race.hpp), so that where the mixture wins clearly they cost a few layers each.
/// Arguments as for select().
detail::FittedCascade select_offering_mixture(ConstMatrixRef x, const std::vector<Index>& index,
                                              ConstMatrixRef validation, const FitOptions& options,
                                              const FitObserver& observer, int refits, int& fits,
                                              const detail::Reducer& reducer) {
  std::string declined;
  std::optional<detail::MixtureChoice> choice =
      detail::offered_mixture(x, validation, options, reducer, declined);
  if (!choice) {
    detail::FittedCascade without =
        *select(x, index, validation, options, observer, refits, fits, reducer);
    if (without.report.stop != FitReport::Stop::Observer) without.report.message += declined;
    return without;
  }
  std::optional<detail::MixtureImages> images;
  images.emplace(x, validation, choice->map, options.work_file, reducer);
  const double log_det = images->validation_log_det;
  const double information = images->information;
  const double mixture_score = images->validation_log_prob;
  // The raw rows' selection follows before the refits.
  const int raw_fits = planned_fits(options, detail::total_rows(x.rows(), reducer));
  detail::FittedCascade rest =
      *select(images->train(), index, images->validation(), options, observer, refits + raw_fits,
              fits, reducer, Scoring{log_det, {}, {}, "after the mixture: "});
  if (rest.report.stop == FitReport::Stop::Observer) return rest;
  images.reset();  // its work copies are not needed any more
  const double score_with = *rest.report.layers.back().validation_log_prob + log_det;
  std::vector<CandidateScore> raced;
  std::optional<detail::FittedCascade> without =
      select(x, index, validation, options, observer, refits, fits, reducer,
             Scoring{0.0, score_with, best_screened(rest.report), "without it: "}, &raced);
  if (without) {
    if (without->report.stop == FitReport::Stop::Observer) return std::move(*without);
    const double score_without = *without->report.layers.back().validation_log_prob;
    if (!(score_with > score_without)) {
      without->report.message +=
          "; " + detail::mixture_summary(*choice, score_with, score_without) + ", not used";
      std::vector<CandidateScore>& candidates = without->report.candidates;
      for (CandidateScore& candidate : candidates) candidate.options.mixture = false;
      for (CandidateScore candidate : rest.report.candidates) {
        candidate.chosen = false;
        candidate.options.mixture = true;
        candidates.push_back(std::move(candidate));
      }
      return std::move(*without);
    }
  }
  const std::string summary =
      without ? detail::mixture_summary(*choice, score_with,
                                        *without->report.layers.back().validation_log_prob)
              : detail::mixture_summary(*choice, score_with, std::nullopt);
  // Every candidate, those after the mixture marked mixture = true, those on the raw rows false.
  std::vector<CandidateScore> candidates = rest.report.candidates;
  for (CandidateScore& candidate : candidates) candidate.options.mixture = true;
  for (CandidateScore& candidate : without ? without->report.candidates : raced) {
    candidate.chosen = false;
    candidate.options.mixture = false;
    candidates.push_back(std::move(candidate));
  }
  const std::string message = whole_model_clause(rest.report.message, score_with);
  detail::FittedCascade with =
      detail::prepend_mixture(choice->map, information, mixture_score, log_det, std::move(rest));
  with.report.candidates = std::move(candidates);
  with.report.message = fmt::format(
      "{}; {}, used{}", message, summary,
      without ? "" : " (every fit on the raw rows stopped as soon as it could not reach that)");
  return with;
}

/// The challenger's damping at most, and the layers over which its race reads its gain
/// (challenge_with_coupling).
constexpr double kCouplingDamping = 0.5;
constexpr int kCouplingRaceWindow = 5;

/// The configuration the raw rows preferred: chosen's own, or with a mixture first layer the raw
/// rows' candidate with the best held-out score it reached (the one chosen after the mixture was
/// chosen for what the mixture leaves, not for the raw rows the challenger is fitted on; not
/// measured apart from the damping cap below).
FitOptions raw_rows_choice(const detail::FittedCascade& chosen) {
  if (chosen.mixture_components == 0) return chosen.options;
  const CandidateScore* best = nullptr;
  for (const CandidateScore& candidate : chosen.report.candidates)
    if (!candidate.options.mixture.value_or(false) &&
        (!best || candidate.validation_log_prob > best->validation_log_prob))
      best = &candidate;
  return best ? best->options : chosen.options;
}

/// The coupling challenger (coupling_challenger.hpp): `chosen`, the model selection's result on
/// the training rows x, or the raw rows' configuration with coupling offered to its layers, fitted
/// on x, when its held-out score is better. Its options say which (coupling true or false). fits:
/// as for select(); refits: fits that follow (for the observer).
detail::FittedCascade challenge_with_coupling(ConstMatrixRef x, ConstMatrixRef validation,
                                              detail::FittedCascade chosen,
                                              const FitOptions& options,
                                              const FitObserver& observer, int refits, int& fits,
                                              const detail::Reducer& reducer) {
  if (chosen.report.stop == FitReport::Stop::Observer) return chosen;
  if (options.coupling.has_value()) return chosen;  // asked for or refused: nothing to choose
  chosen.options.coupling = false;                  // unless the challenger wins
  if (!detail::offers_coupling(options, detail::total_rows(x.rows(), reducer), x.cols()))
    return chosen;
  if (!detail::coupling_gains_after_marginals(x, reducer)) {
    chosen.report.message +=
        "; coupling: no pair gained on the marginally Gaussianized training rows, not tried";
    return chosen;
  }
  FitOptions challenger = raw_rows_choice(chosen);
  // Damped, as measured (not explained): coupling on the raw rows of bench_density's funnel split
  // 0 scored −3.2805 test log p at damping 1, −3.2698 at 0.5, −3.2711 at 0.3; on a 12,000-row
  // funnel, KL gaps 0.006–0.010 at damping 1 and 0.002–0.003 at 0.5 over four bandwidth rules.
  challenger.damping = std::min(*challenger.damping, kCouplingDamping);
  challenger.coupling = true;
  challenger.mixture = false;
  const double to_beat = *chosen.report.layers.back().validation_log_prob;
  Selection selection(x, validation, observer, reducer, "coupling challenger: ");
  selection.number_after(fits);
  selection.plan(fits + 1 + refits);
  // Raced on a short window: where it cannot win (gmm8, gmm16, the checkerboard) it kept coupling
  // layers in most of the 21 layers the patience's window needed before a verdict (the same 55
  // bench_density models with either window). The raw rows' candidates racing the mixture's
  // model on that window changed the banana's models (0.0035 → 0.0042), so they keep theirs.
  selection.race_against(to_beat, challenger, kCouplingRaceWindow);
  const bool finished = selection.consider(challenger);
  ++fits;
  std::vector<CandidateScore> candidates = chosen.report.candidates;
  for (CandidateScore score : selection.scores()) {
    score.chosen = false;
    candidates.push_back(std::move(score));
  }
  if (!finished) return selection.take_best();  // the caller's observer stopped it
  const auto keep_chosen = [&](const std::string& why) {
    chosen.report.candidates = std::move(candidates);
    chosen.report.message += "; coupling challenger: " + why;
    return std::move(chosen);
  };
  if (!selection.has_best())
    return keep_chosen(
        fmt::format("stopped at {} layers, its held-out curve could not reach {:.6g}",
                    selection.scores().back().layers_fitted, to_beat));
  detail::FittedCascade fit = selection.take_best();
  const double score = *fit.report.layers.back().validation_log_prob;
  const detail::PairedDifference gain = detail::paired_difference(fit, chosen, validation, reducer);
  if (!(score > to_beat))
    return keep_chosen(fmt::format("{:.6g}, {:+.3g} ± {:.2g} nats, not better", score, gain.mean,
                                   gain.standard_error));
  candidates.back().chosen = true;
  fit.report.candidates = std::move(candidates);
  fit.report.message += fmt::format(
      "; the coupling challenger beat the selection's model ({:.6g}) by {:+.3g} ± {:.2g} nats",
      to_beat, gain.mean, gain.standard_error);
  return fit;
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
    detail::FittedCascade selected =
        mixture
            ? select_offering_mixture(split.train.ref(), split.train_index, split.validation.ref(),
                                      options, observer, 1, fits, reducer)
            : *select(split.train.ref(), split.train_index, split.validation.ref(), options,
                      observer, 1, fits, reducer);
    chosen.emplace(challenge_with_coupling(split.train.ref(), split.validation.ref(),
                                           std::move(selected), options, observer, 1, fits,
                                           reducer));
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
  detail::FittedCascade selected =
      detail::offers_mixture(options, true)
          ? select_offering_mixture(x, index, validation, options, observer, 0, fits, reducer)
          : *select(x, index, validation, options, observer, 0, fits, reducer);
  return challenge_with_coupling(x, validation, std::move(selected), options, observer, 0, fits,
                                 reducer)
      .to_model();
}

}  // namespace rbig
