#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "fit/candidates.hpp"
#include "marginal/kde_bandwidth.hpp"
#include "marginal/marginal_kde.hpp"
#include "support/files.hpp"
#include "support/known_distributions.hpp"

#include <Eigen/LU>
#include <fmt/format.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

using namespace rbig;

TEST_CASE("fit: total correlation of a Gaussian approaches −½·log det of its correlation") {
  Matrix covariance(3, 3);
  covariance << 1.0, 0.6, 0.3, 0.6, 1.0, 0.5, 0.3, 0.5, 1.0;
  const double analytic = -0.5 * std::log(covariance.determinant());  // unit variances
  // The greedy information rule (no validation split): the layers' reductions sum to T.
  const Model model =
      Model::fit(test::gaussian_sample(20000, covariance, 1), FitOptions{}.greedy());
  MESSAGE("total correlation " << model.report().total_correlation << " vs " << analytic);
  CHECK(model.report().total_correlation == doctest::Approx(analytic).epsilon(0.1));
  CHECK(model.report().stop == FitReport::Stop::Converged);
  CHECK(model.report().layers.size() == model.layers().size());
  CHECK(model.report().n_samples == 20000);
}

TEST_CASE("fit: independent Gaussian data has near-zero total correlation at any max_layers") {
  const Matrix x = test::gaussian_sample(5000, Matrix::Identity(4, 4), 2);
  for (int max_layers : {1, 10, 300}) {
    FitOptions options;
    options.max_layers = max_layers;
    options.validation = 0.0;                 // the greedy information rule is under test
    options.rotation = RotationKind::Random;  // random rotations never make the data Gaussian by
                                              // accident, so the stopping rule is exercised
    const Model model = Model::fit(x, options);
    CAPTURE(max_layers);
    CHECK(std::abs(model.report().total_correlation) < 0.02);
    CHECK(model.layers().size() <= 4);
  }
}

TEST_CASE("fit: max_layers bounds the depth and is reported as the stop reason") {
  FitOptions options;
  options.max_layers = 2;
  options.tol = 0.0;
  const Model model = Model::fit(test::two_moons_sample(2000, 0.05, 3), options);
  CHECK(model.layers().size() == 2);
  CHECK(model.report().stop == FitReport::Stop::MaxLayers);
  CHECK(to_string(model.report().stop) == "max_layers");
}

TEST_CASE("fit: layers fits exactly that many layers, even on Gaussian data") {
  FitOptions options;
  options.layers = 7;
  const Model model = Model::fit(test::gaussian_sample(1000, Matrix::Identity(3, 3), 9), options);
  CHECK(model.layers().size() == 7);
  CHECK(model.report().layers.size() == 7);
  CHECK(model.report().stop == FitReport::Stop::MaxLayers);
  options.layers = 0;
  CHECK_THROWS_WITH_AS(options.validate(), "layers: must be between 1 and 100000 (got 0)",
                       OptionError);
}

TEST_CASE("fit: the observer sees every layer in order and can stop the fit") {
  std::vector<int> seen;
  const FitObserver stop_after_three = [&](const LayerReport& layer) {
    seen.push_back(layer.layer);
    return layer.layer < 3;
  };
  const Model model =
      Model::fit(test::two_moons_sample(2000, 0.05, 4), FitOptions{}, stop_after_three);
  CHECK(seen == std::vector<int>{1, 2, 3});
  CHECK(model.layers().size() == 3);
  CHECK(model.report().stop == FitReport::Stop::Observer);
}

TEST_CASE("fit: a non-Gaussian data set needs several layers and ends Gaussianized") {
  FitOptions options;
  options.bandwidth_rule = BandwidthRule::Silverman;  // the bandwidth stage is not the subject
  options.max_layers = 60;                            // nor is the exact depth
  const Model model = Model::fit(test::two_moons_sample(5000, 0.05, 5), options);
  CHECK(model.layers().size() >= 5);
  CHECK(model.report().total_correlation > 0.5);
}

TEST_CASE("fit: same data, options and seed give the same model file byte for byte") {
  const Matrix x = test::ring_sample(2000, 6);
  for (RotationKind rotation : {RotationKind::Pca, RotationKind::Random}) {
    FitOptions options;
    options.rotation = rotation;
    options.max_layers = 40;  // the default fit (selection, refit), with a bounded depth
    options.seed = 17;
    const test::ScratchDir dir("model-fit");
    const auto a = dir.path() / "rbig_determinism_a.rbig";
    const auto b = dir.path() / "rbig_determinism_b.rbig";
    Model::fit(x, options).save(a);
    Model::fit(x, options).save(b);
    CHECK(test::read_bytes(a) == test::read_bytes(b));
    options.seed = 18;
    if (rotation == RotationKind::Random) {  // another seed must draw other rotations
      Model::fit(x, options).save(b);
      CHECK(test::read_bytes(a) != test::read_bytes(b));
    }
  }
}

TEST_CASE("fit: bad training data is refused with the position or column named") {
  Matrix x = test::ring_sample(100, 7);
  x(41, 1) = std::nan("");
  CHECK_THROWS_WITH_AS(Model::fit(x, FitOptions{}), doctest::Contains("training data:42:2"),
                       InputError);
  x(41, 1) = 1.0;
  x.col(0).setConstant(2.5);
  CHECK_THROWS_WITH_AS(Model::fit(x, FitOptions{}),
                       doctest::Contains("column 1 is constant (every value is 2.5)"), InputError);
  CHECK_THROWS_WITH_AS(Model::fit(Matrix::Ones(1, 3), FitOptions{}),
                       doctest::Contains("need at least 2 rows to fit (got 1)"), InputError);
  FitOptions options;
  options.bins = 1;
  CHECK_THROWS_AS(Model::fit(test::ring_sample(100, 8), options), OptionError);
}

TEST_CASE("fit: validation keeps the depth with the best held-out likelihood") {
  const Matrix x = test::two_moons_sample(6000, 0.1, 10);
  FitOptions options;
  options.marginal = MarginalKind::Kde;  // one configuration: model selection is tested below
  options.damping = 1.0;
  options.bandwidth_rule = BandwidthRule::Silverman;
  options.validation = 0.2;
  options.validation_patience = 5;
  options.max_layers = 60;
  options.mixture = false;  // the refit below at a fixed depth is offered none
  const Model model = Model::fit(x, options);
  const FitReport& report = model.report();
  REQUIRE(!report.layers.empty());
  CHECK(report.layers.size() == model.layers().size());
  // The kept depth is the argmax of the recorded curve, and the curve is the mean log p of the
  // held-out rows under each truncated cascade: recompute its last value from scratch.
  double best = -1e300;
  for (const LayerReport& layer : report.layers) {
    REQUIRE(layer.validation_log_prob.has_value());
    best = std::max(best, *layer.validation_log_prob);
  }
  CHECK(*report.layers.back().validation_log_prob == best);
  CHECK((report.stop == FitReport::Stop::Validation || report.stop == FitReport::Stop::MaxLayers));
  // The held-out rows then join the fit: the model is the chosen depth refitted on all rows.
  CHECK(report.n_samples == x.rows());
  CHECK(!model.options().layers);
  FitOptions exact = options;
  exact.layers = static_cast<int>(model.layers().size());
  const Model refit = Model::fit(x, exact);
  CHECK(refit.log_prob(x.topRows(200)) == model.log_prob(x.topRows(200)));

  // An explicit validation set: its recorded value equals the model's own log_prob mean on it.
  const Matrix held_out = test::two_moons_sample(1000, 0.1, 11);
  const Model explicit_model = Model::fit(x, held_out, options);
  CHECK(*explicit_model.report().layers.back().validation_log_prob ==
        doctest::Approx(explicit_model.log_prob(held_out).mean()).epsilon(1e-12));
  CHECK_THROWS_AS(Model::fit(x, Matrix::Zero(5, 3), options), DimensionError);
  options.validation = 1.5;
  CHECK_THROWS_WITH_AS(Model::fit(x, options), doctest::Contains("validation: must be a fraction"),
                       OptionError);
}

TEST_CASE("fit: model selection keeps the candidate with the best held-out log-likelihood") {
  const Matrix x = test::two_moons_sample(3000, 0.1, 20);
  const Matrix held_out = test::two_moons_sample(600, 0.1, 21);
  FitOptions options;  // marginal and damping empty: chosen on the held-out rows
  options.validation_patience = 5;
  options.max_layers = 60;
  const Model chosen = Model::fit(x, held_out, options);
  // Refit every candidate on its own and score it with log_prob, independently of the fit's curve:
  // first marginal × damping (kde with Silverman's bandwidth), then, for a kde winner, the
  // plug-in rule, a fixed bandwidth of 1.8·N^(−1/5) sd and the annealed rule at the winner's
  // damping.
  double best = -1e300;
  FitOptions best_options;
  const auto score_candidate = [&](const FitOptions& candidate, const char* label) {
    const double score = Model::fit(x, held_out, candidate).log_prob(held_out).mean();
    MESSAGE(label << " " << to_string(*candidate.marginal) << ", damping " << *candidate.damping
                  << ": " << score);
    if (score > best) {
      best = score;
      best_options = candidate;
    }
  };
  for (MarginalKind marginal : {MarginalKind::Kde, MarginalKind::Spline}) {
    for (double damping : {1.0, 0.5, 0.3}) {
      FitOptions candidate = options;
      candidate.marginal = marginal;
      candidate.damping = damping;
      if (marginal == MarginalKind::Kde) candidate.bandwidth_rule = BandwidthRule::Silverman;
      score_candidate(candidate, "stage 1");
    }
  }
  if (best_options.marginal == MarginalKind::Kde) {
    FitOptions plugin = best_options;
    plugin.bandwidth_rule = BandwidthRule::PlugIn;
    FitOptions wide = best_options;
    wide.bandwidth_rule.reset();
    wide.bandwidth = std::round(1000.0 * 1.8 * std::pow(double(x.rows()), -0.2)) / 1000.0;
    FitOptions annealed = best_options;
    annealed.bandwidth_rule = BandwidthRule::Annealed;
    score_candidate(plugin, "plug-in");
    score_candidate(wide, "wide");
    score_candidate(annealed, "annealed");
  }
  CHECK(chosen.log_prob(held_out).mean() == doctest::Approx(best).epsilon(1e-12));
  CHECK(chosen.options().marginal == best_options.marginal);
  CHECK(chosen.options().damping == best_options.damping);
  CHECK(chosen.options().bandwidth == best_options.bandwidth);
  CHECK(chosen.options().bandwidth_rule == best_options.bandwidth_rule);
  CHECK(chosen.options().validation == options.validation);
  CHECK(doctest::String(chosen.report().message.c_str()) ==
        doctest::Contains("chosen on the validation rows among"));

  // A choice the caller made is kept; only the empty one is chosen.
  FitOptions rule = options;
  rule.marginal = MarginalKind::Kde;
  rule.damping = 1.0;
  rule.bandwidth_rule = BandwidthRule::PlugIn;
  const Model kept = Model::fit(x, held_out, rule);
  CHECK(kept.options().bandwidth_rule == BandwidthRule::PlugIn);
  CHECK(!kept.options().bandwidth);
  options.marginal = MarginalKind::Spline;
  CHECK(Model::fit(x, held_out, options).options().marginal == MarginalKind::Spline);
  // Without validation rows nothing is chosen: empty means kde, undamped.
  FitOptions greedy;
  greedy.validation = 0.0;
  const Model plain = Model::fit(x, greedy);
  CHECK(plain.options().marginal == MarginalKind::Kde);
  CHECK(plain.options().damping == 1.0);
}

TEST_CASE(
    "fit: below 8,000 rows a candidate stops only when fitted alone it stays below the best") {
  // Every candidate is fitted on all rows and races the best one finished before it
  // (model_selection.cpp, compare_candidates): the claim is that a stopped candidate could not
  // have won. Refit each stopped one alone, to its own end, on the same rows.
  const Matrix x = test::two_moons_sample(1500, 0.1, 40);
  const Matrix held_out = test::two_moons_sample(500, 0.1, 41);
  FitOptions options;
  options.validation_patience = 5;
  options.max_layers = 60;
  options.mixture = false;   // the subject is the raw rows' candidates
  options.coupling = false;  // and not the coupling challenger after them
  const Model chosen = Model::fit(x, held_out, options);
  const std::vector<CandidateScore>& scores = chosen.report().candidates;
  REQUIRE(scores.size() >= 6);
  double chosen_score = 0.0;
  for (const CandidateScore& candidate : scores)
    if (candidate.chosen) chosen_score = candidate.validation_log_prob;
  int stopped = 0;
  for (const CandidateScore& candidate : scores) {
    if (!candidate.stopped_early) continue;
    ++stopped;
    const Model alone = Model::fit(x, held_out, candidate.options);
    const double score = *alone.report().layers.back().validation_log_prob;
    MESSAGE(detail::describe(candidate.options)
            << ": stopped at " << candidate.validation_log_prob << " after "
            << candidate.layers_fitted << " layers, alone " << score);
    CHECK(score < chosen_score);
    // The race saw a prefix of the same curve: the best it reached, in fewer layers.
    CHECK(candidate.validation_log_prob <= score);
    CHECK(candidate.layers_fitted <
          static_cast<int>(alone.report().layers.size()) + options.validation_patience);
  }
  CHECK(stopped > 0);  // on this sample the race stops at least one (e.g. the undamped spline)
}

TEST_CASE("fit: the annealed rule gives layer k the bandwidth annealed_bandwidth(k, N) sd") {
  const Matrix x = test::two_moons_sample(2000, 0.1, 30);
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.gaussian_fallback = false;  // every column keeps its kde map
  options.layers = 4;
  options.bandwidth_rule = BandwidthRule::Annealed;
  const Model model = Model::fit(x, options);
  REQUIRE(model.layers().size() == 4);
  for (size_t k = 0; k < 4; ++k) {
    for (Index d = 0; d < 2; ++d) {
      CAPTURE(k);
      CAPTURE(d);
      const auto* kde = dynamic_cast<const detail::KdeMarginal*>(&model.layers()[k].marginal(d));
      REQUIRE(kde != nullptr);
      const double expected =
          detail::annealed_bandwidth(static_cast<int>(k), x.rows()) * kde->training_moments().sd;
      CHECK(kde->bandwidth() == doctest::Approx(expected).epsilon(1e-14));
    }
  }
  CHECK(model.options().bandwidth_rule == BandwidthRule::Annealed);
  CHECK(!model.options().bandwidth);
}

TEST_CASE("fit: the screening leaves out only choices the fit makes itself") {
  const auto count = [](const std::vector<FitOptions>& list, MarginalKind marginal,
                        double damping) {
    return std::count_if(list.begin(), list.end(), [&](const FitOptions& candidate) {
      return candidate.marginal == marginal && *candidate.damping == damping;
    });
  };
  const auto plugin = [](const FitOptions& candidate) {
    return candidate.marginal == MarginalKind::Kde &&
           candidate.bandwidth_rule == BandwidthRule::PlugIn;
  };
  // Everything open: kde 0.5 and 0.3 with three bandwidths, kde 1 annealed, the spline at 0.5.
  const std::vector<FitOptions> open = detail::screening_candidates(FitOptions{}, 18000);
  CHECK(open.size() == 8);
  CHECK(std::none_of(open.begin(), open.end(), plugin));
  CHECK(count(open, MarginalKind::Kde, 1.0) == 1);
  CHECK(count(open, MarginalKind::Kde, 0.5) == 3);
  CHECK(count(open, MarginalKind::Spline, 0.5) == 1);
  CHECK(count(open, MarginalKind::Spline, 1.0) + count(open, MarginalKind::Spline, 0.3) == 0);
  // A named damping keeps its kde bandwidths (the plug-in rule aside) and its spline.
  FitOptions damping;
  damping.damping = 1.0;
  const std::vector<FitOptions> at_one = detail::screening_candidates(damping, 18000);
  CHECK(count(at_one, MarginalKind::Kde, 1.0) == 3);
  CHECK(count(at_one, MarginalKind::Spline, 1.0) == 1);
  // A named marginal keeps every damping; a named rule is screened at every damping.
  FitOptions spline;
  spline.marginal = MarginalKind::Spline;
  CHECK(detail::screening_candidates(spline, 18000).size() == 3);
  FitOptions kde;
  kde.marginal = MarginalKind::Kde;
  CHECK(detail::screening_candidates(kde, 18000).size() == 7);
  FitOptions rule;
  rule.bandwidth_rule = BandwidthRule::PlugIn;
  const std::vector<FitOptions> plugins = detail::screening_candidates(rule, 18000);
  CHECK(std::count_if(plugins.begin(), plugins.end(), plugin) == 3);
}

TEST_CASE("fit: fewer rows than columns is refused, naming both counts") {
  const Matrix x = test::gaussian_sample(8, Matrix::Identity(20, 20), 12);
  CHECK_THROWS_WITH_AS(
      Model::fit(x, FitOptions{}),
      doctest::Contains("need more rows than columns to fit (got 8 rows, 20 columns)"), InputError);
}

TEST_CASE(
    "fit: with many rows the damping × bandwidth candidates are screened on a subsample, the two "
    "best refitted") {
  const Matrix x = test::two_moons_sample(10000, 0.1, 30);
  const Matrix held_out = test::two_moons_sample(1000, 0.1, 31);
  FitOptions options;
  options.validation_patience = 5;
  options.max_layers = 40;
  // The subject is the screening of the raw rows: after a mixture layer every candidate ties.
  options.mixture = false;
  options.coupling = false;  // the coupling challenger would be an 11th (its own test)
  const Model chosen = Model::fit(x, held_out, options);
  const std::vector<CandidateScore>& scores = chosen.report().candidates;
  // kde (Silverman, 0.254 sd, annealed) at 3 dampings and the spline at 0.5 on the subsample
  // (fit/candidates.hpp), then 2 finalists.
  REQUIRE(scores.size() == 10);
  std::vector<double> screened;
  // Each row is in the subsample with probability 0.4 (4,000 of 10,000: a quarter, at least
  // 4,000): the count is binomial, sd 49; every candidate sees the same rows.
  CHECK(std::abs(scores[0].rows - 4000) < 250);
  for (size_t i = 0; i + 2 < scores.size(); ++i) {
    CHECK(scores[i].rows == scores[0].rows);
    CHECK(!scores[i].chosen);
    screened.push_back(scores[i].validation_log_prob);
  }
  // The finalists are the two best screened candidates, in that order, fitted on every row.
  std::vector<size_t> order(screened.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return screened[a] > screened[b]; });
  const CandidateScore& first = scores[scores.size() - 2];
  const CandidateScore& second = scores[scores.size() - 1];
  // A candidate the race stopped (fit/screening_race.hpp) scored below both finalists, having
  // fitted fewer layers than a fit to its end would have (max_layers, or its best + patience).
  int stopped = 0;
  for (size_t i = 0; i + 2 < scores.size(); ++i) {
    CHECK(scores[i].layers_fitted >= scores[i].layers);
    if (!scores[i].stopped_early) continue;
    ++stopped;
    CHECK(screened[i] < screened[order[1]]);
    CHECK(scores[i].layers_fitted < options.max_layers);
    CHECK(scores[i].layers_fitted < scores[i].layers + options.validation_patience);
  }
  CHECK(stopped > 0);  // on two moons some candidates are far below the best (e.g. the spline)
  CHECK(first.options.bandwidth_text() == scores[order[0]].options.bandwidth_text());
  CHECK(first.options.damping == scores[order[0]].options.damping);
  CHECK(second.options.damping == scores[order[1]].options.damping);
  CHECK(second.options.bandwidth_text() == scores[order[1]].options.bandwidth_text());
  CHECK(first.rows == 10000);
  CHECK(second.rows == 10000);
  // The model is a finalist, as a fit of that configuration alone gives it: the one with the
  // better held-out score, or, when the message says so, the one with fewer layers.
  const CandidateScore& winner = first.chosen ? first : second;
  const CandidateScore& loser = first.chosen ? second : first;
  CHECK(first.chosen != second.chosen);
  const double alone = Model::fit(x, held_out, winner.options).log_prob(held_out).mean();
  CHECK(chosen.log_prob(held_out).mean() == doctest::Approx(alone).epsilon(1e-12));
  const bool simpler = chosen.report().message.find(
                           "the fewest layers within one standard error") != std::string::npos;
  if (simpler) {
    CHECK(winner.layers < loser.layers);
  } else {
    CHECK(Model::fit(x, held_out, loser.options).log_prob(held_out).mean() <= alone);
  }
  CHECK(doctest::String(chosen.report().message.c_str()) ==
        doctest::Contains(fmt::format("the finalists were the best 2 of 8 candidates fitted on {} "
                                      "of the 10000 training rows",
                                      scores[0].rows)
                              .c_str()));
}
