// The Gaussian-mixture destructor (mixture.hpp) as a map and as a layer: EM against a known
// mixture, inverse to 1e-9 (tails included), log-determinant against finite differences, a 2-D
// model that integrates to one, model bytes (format 8) and damaged mixtures refused, and the
// default fit (FitOptions::mixture empty) that keeps it where it helps, leaves it out where it
// does not or where no rows are held out, and writes the same bytes on 1 and 2 threads.

#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/mixture.hpp>
#include <rbig/model.hpp>

#include "support/layer_parts.hpp"
#include "support/mixture_samples.hpp"
#include "support/files.hpp"
#include "support/invariants.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <limits>
#include <random>
#include <vector>

using namespace rbig;

namespace {

/// A known 2-D three-component mixture with correlated, unequal components.
MixtureMap known_mixture() {
  Vector weights(3);
  weights << 0.5, 0.3, 0.2;
  Matrix means(3, 2);
  means << -2.0, 0.0, 2.0, 1.0, 0.0, -2.5;
  Matrix a(2, 2), b(2, 2), c(2, 2);
  a << 1.0, 0.6, 0.6, 0.8;
  b << 0.3, -0.2, -0.2, 0.5;
  c << 2.0, 0.0, 0.0, 0.1;
  return MixtureMap(weights, means, {a, b, c});
}

Matrix identity(Index dims) { return Matrix::Identity(dims, dims); }

}  // namespace

TEST_CASE("mixture map: the Rosenblatt image of its own samples is N(0, I)") {
  // Sampled by a component draw instead of the inverse, so that the map is checked against the
  // mixture's definition: z = forward(x) must then be standard normal.
  const MixtureMap mixture = known_mixture();
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  std::discrete_distribution<int> pick({0.5, 0.3, 0.2});
  const Index n = 20000;
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const int k = pick(rng);
    const Matrix l = mixture.covariances()[static_cast<size_t>(k)].llt().matrixL();
    const Vector e = Vector::NullaryExpr(2, [&](Index) { return normal(rng); });
    x.row(i) = mixture.means().row(k) + (l * e).transpose();
  }
  Matrix z = x;
  Vector log_det = Vector::Zero(n);
  mixture.forward(z, log_det);
  REQUIRE(z.allFinite());
  const Vector mean = z.colwise().mean();
  const Matrix centred = z.rowwise() - mean.transpose();
  const Matrix covariance = centred.transpose() * centred / static_cast<double>(n);
  CHECK(mean.cwiseAbs().maxCoeff() < 0.03);
  CHECK((covariance - identity(2)).cwiseAbs().maxCoeff() < 0.04);
  // log p(x) = log N(z; 0, I) + log|det J|, the mixture's own density.
  const Vector through_map =
      log_det.array() - 0.5 * z.rowwise().squaredNorm().array() - std::log(2.0 * M_PI);
  CHECK((through_map - mixture.log_density(x)).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("mixture map: inverse undoes forward to 1e-9, tails and far points included") {
  const MixtureMap mixture = known_mixture();
  Matrix z(8, 2);
  // ±37 and ±700: in the far tail (beyond |z| = 30); −5000 still a finite x (near −1e210).
  z << 0.0, 0.0, -37.0, 37.0, 36.5, -36.9, 5.0, -8.0, -1e-3, 30.0, 700.0, -5000.0, 0.3, -37.0, 20.0,
      20.0;
  Matrix x = z;
  Vector log_det = Vector::Zero(z.rows());
  mixture.inverse(x, log_det);
  REQUIRE(x.allFinite());
  REQUIRE(log_det.allFinite());
  Matrix back = x;
  mixture.forward(back, log_det);
  CHECK(((back - z).array().abs() / (1.0 + z.array().abs())).maxCoeff() < 1e-9);
  CHECK(log_det.cwiseAbs().maxCoeff() < 1e-7);
  // Data far out, up to ±DBL_MAX (where a mixture's own linear tail, (x − μ)/σ, overflows), map
  // to finite values and come back.
  constexpr double kMax = std::numeric_limits<double>::max();
  Matrix far(7, 2);
  far << 1e300, -1e300, -1e300, 2e300, 40.0, -45.0, -1e6, 1e5, 0.5, 1e200, kMax, -kMax, -1e308,
      1e308;
  Matrix image = far;
  Vector far_log_det = Vector::Zero(far.rows());
  mixture.forward(image, far_log_det);
  REQUIRE(image.allFinite());
  REQUIRE(far_log_det.allFinite());
  // The log-determinant is a difference of terms of order z² (log φ): relative to that.
  const Vector term_scale = 1.0 + image.rowwise().squaredNorm().array();
  mixture.inverse(image, far_log_det);
  // Relative to the row's largest value: after x_1 = ±1e300 the conditional means are near ±1e300,
  // known to double precision of that. (Not x_2 = 3 after x_1 = −1e300 any more: that lies between
  // two of this mixture's conditionals ~1e300 apart, where its cdf is flat to the last bit; fitted
  // mixtures carry a broad floor component for that, mixture_step.cpp.)
  const Vector row_scale = 1.0 + far.cwiseAbs().rowwise().maxCoeff().array();
  CHECK(((image - far).cwiseAbs().rowwise().maxCoeff().array() / row_scale.array()).maxCoeff() <
        1e-9);
  CHECK((far_log_det.array().abs() / term_scale.array()).maxCoeff() < 1e-12);
  // No finite x maps beyond the image of ±DBL_MAX: such a z comes back infinite.
  Matrix beyond(1, 2);
  beyond << 1e120, 0.0;
  Vector beyond_log_det = Vector::Zero(1);
  mixture.inverse(beyond, beyond_log_det);
  CHECK(std::isinf(beyond(0, 0)));
  CHECK(beyond(0, 0) > 0.0);
}

TEST_CASE("mixture map: inverse meets the forward to 1e-12 on many rows of a many-component fit") {
  // Twelve components fitted to three clusters of a curved 3-D cloud: later coordinates have
  // multimodal conditionals, where the inverse starts far from its root. The inverse must land
  // on the forward's own root (not merely within 1e-9) with the forward's log-determinant.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  Matrix x(3000, 3);
  for (Index i = 0; i < x.rows(); ++i) {
    const double t = 3.0 * normal(rng);
    x(i, 0) = t + 0.1 * normal(rng);
    x(i, 1) = std::sin(t) * (i % 3 == 0 ? 2.0 : -1.0) + 0.05 * normal(rng);
    x(i, 2) = x(i, 0) * x(i, 1) * 0.3 + 0.2 * normal(rng) + (i % 3 == 1 ? 4.0 : 0.0);
  }
  const MixtureMap mixture = MixtureMap::fit(x, 12, 5);
  Matrix z(x.rows() + 6, 3);
  for (Index i = 0; i < z.size(); ++i) z.data()[i] = normal(rng);
  z.bottomRows(6) << 8.0, -7.5, 6.0, -8.0, 7.9, -6.5, 12.0, -3.0, 29.0, -29.0, 15.0, 0.5, 1e-9,
      -1e-9, 0.0, 4.0, 4.0, -4.0;
  Matrix back = z;
  Vector log_det = Vector::Zero(z.rows());
  mixture.inverse(back, log_det);
  REQUIRE(back.allFinite());
  const Vector inverse_log_det = log_det;
  mixture.forward(back, log_det);
  CHECK(((back - z).array().abs() / (1.0 + z.array().abs())).maxCoeff() < 1e-12);
  // The inverse's log-determinant is minus the forward's at the point it returned.
  const double scale = 1.0 + inverse_log_det.cwiseAbs().maxCoeff();
  CHECK(log_det.cwiseAbs().maxCoeff() < 1e-12 * scale);
  // And the data side: forward then inverse returns the rows, to the forward's rounding divided
  // by its slope (rows between the clusters, where the density is low, lose ~1e-12).
  Matrix image = x;
  Vector unused = Vector::Zero(x.rows());
  mixture.forward(image, unused);
  mixture.inverse(image, unused);
  CHECK(((image - x).array().abs() / (1.0 + x.array().abs())).maxCoeff() < 1e-10);
}

TEST_CASE("mixture fit: EM approaches the known mixture's held-out log-likelihood") {
  const MixtureMap truth = known_mixture();
  const Matrix x = test::sample_mixture(truth, 4000, 2);
  const Matrix fresh = test::sample_mixture(truth, 4000, 3);
  const MixtureMap fitted = MixtureMap::fit(x, 3, 7);
  REQUIRE(fitted.components() == 3);
  const double gap = truth.log_density(fresh).mean() - fitted.log_density(fresh).mean();
  INFO("held-out KL gap of the EM fit: " << gap);
  CHECK(gap > -0.01);
  CHECK(gap < 0.01);
  // Seeded: the same parameters again.
  const MixtureMap again = MixtureMap::fit(x, 3, 7);
  CHECK(again.means() == fitted.means());
  CHECK_THROWS_AS(MixtureMap::fit(x, 0, 7), OptionError);
}

TEST_CASE("mixture layer: the log-determinant matches a finite-difference Jacobian") {
  const MixtureMap truth = known_mixture();
  const Matrix x = test::sample_mixture(truth, 200, 4);
  const Layer layer(truth, Rotation::random(2, 3));
  REQUIRE(layer.is_mixture());
  test::check_layer_log_det(layer, x, 10);
  // In 4-D too, where each coordinate's conditional mixes all the earlier ones.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  Matrix x4(1500, 4);
  for (Index i = 0; i < x4.rows(); ++i)
    for (Index d = 0; d < 4; ++d)
      x4(i, d) = normal(rng) + (i % 2 == 0 ? 2.0 : -1.0) * (d == 0 ? 1.0 : 0.5) +
                 0.5 * (d > 0 ? x4(i, d - 1) : 0.0);
  const Layer four(MixtureMap::fit(x4, 2, 1),
                   Rotation::from_matrix(RotationKind::Pca, identity(4)));
  test::check_layer_log_det(four, x4, 10);
}

TEST_CASE("mixture layer: a 2-D model integrates to one and survives its bytes") {
  std::vector<Layer> layers;
  layers.emplace_back(known_mixture(), Rotation::random(2, 8));
  const Model model = Model::from_layers(std::move(layers));
  CHECK(test::model_density_integral_2d(model, -9, 9, -9, 9, 400) ==
        doctest::Approx(1.0).epsilon(0.01));
  const std::string bytes = model.to_bytes();
  CHECK(test::format_version(bytes) == 8);
  const Model loaded = Model::from_bytes(bytes);
  REQUIRE(loaded.layers().front().is_mixture());
  CHECK(loaded.options().mixture == false);  // a version 8 file with option byte 0
  const Matrix x = test::sample_mixture(known_mixture(), 200, 9);
  CHECK((model.log_prob(x) - loaded.log_prob(x)).cwiseAbs().maxCoeff() == 0.0);
  CHECK(loaded.to_bytes() == bytes);
  CHECK((model.inverse(model.transform(x)) - x).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("mixture map: damaged parameters are refused, in memory and in a model file") {
  const MixtureMap good = known_mixture();
  Vector weights = good.weights();
  weights[0] = 0.6;  // sums to 1.1
  CHECK_THROWS_WITH_AS(MixtureMap(weights, good.means(), good.covariances()),
                       doctest::Contains("sum to 1"), OptionError);
  std::vector<Matrix> covariances = good.covariances();
  covariances[1](0, 1) = covariances[1](1, 0) = 5.0;  // not positive definite
  CHECK_THROWS_WITH_AS(MixtureMap(good.weights(), good.means(), covariances),
                       doctest::Contains("component 2's covariance is not positive definite"),
                       OptionError);
  covariances = good.covariances();
  covariances[0](0, 1) = 0.7;  // not symmetric
  CHECK_THROWS_AS(MixtureMap(good.weights(), good.means(), covariances), OptionError);
  CHECK_THROWS_AS(MixtureMap(good.weights(), Matrix::Zero(3, 3), good.covariances()),
                  DimensionError);
  // A model file whose stored covariance was damaged (checksum made valid again) is refused.
  std::vector<Layer> layers;
  layers.emplace_back(good, Rotation::from_matrix(RotationKind::Pca, identity(2)));
  std::string bytes = Model::from_layers(std::move(layers)).to_bytes();
  const double stored = good.covariances()[2](1, 1);
  const auto at = bytes.rfind(std::string(reinterpret_cast<const char*>(&stored), sizeof stored));
  REQUIRE(at != std::string::npos);
  const double negative = -1.0;
  std::memcpy(bytes.data() + at, &negative, sizeof negative);
  const std::string damaged = test::with_valid_checksum(bytes);
  CHECK_THROWS_WITH_AS(Model::from_bytes(damaged), doctest::Contains("layer 1"), ModelFileError);
}

TEST_CASE("mixture fit: the default keeps it on a mixture, closer to the true density than never") {
  const MixtureMap truth = known_mixture();
  const Matrix x = test::sample_mixture(truth, 3000, 11);
  const Matrix test_rows = test::sample_mixture(truth, 2000, 12);
  FitOptions options = test::kde_fit_options(3);
  options.mixture = false;
  const Model never = Model::fit(x, options);
  CHECK(!never.layers().front().is_mixture());
  CHECK(never.options().mixture == false);
  options.mixture.reset();  // the default: offered, since rows are held out
  const Model offered = Model::fit(x, options);
  INFO(offered.report().message);
  REQUIRE(offered.layers().front().is_mixture());
  const double truth_mean = truth.log_density(test_rows).mean();
  const double never_gap = truth_mean - never.log_prob(test_rows).mean();
  const double offered_gap = truth_mean - offered.log_prob(test_rows).mean();
  INFO("held-out KL gap: never " << never_gap << ", by default " << offered_gap);
  CHECK(offered_gap < never_gap);
  CHECK(offered.sample(1000, 1).allFinite());
  const std::string bytes = offered.to_bytes();
  CHECK(test::format_version(bytes) == 8);
  CHECK(Model::from_bytes(bytes).options().mixture == true);
  options.mixture = true;  // required: the same offer on the same rows, so the same model
  CHECK(Model::fit(x, options).to_bytes() == bytes);
  options.mixture.reset();
  options.threads = 2;
  CHECK(Model::fit(x, options).to_bytes() == bytes);
}

TEST_CASE("mixture fit: the raw rows' candidates race the mixture's model and stop below it") {
  // The default selection (marginal, damping and bandwidth chosen) on a mixture it keeps: the
  // candidates after the mixture, then every one on the raw rows, each stopped as soon as its
  // held-out curve could not reach the mixture's model (model_selection.cpp).
  const Matrix x = test::sample_mixture(known_mixture(), 3000, 11);
  FitOptions options;
  options.seed = 3;
  options.threads = 1;
  options.coupling = false;  // the coupling challenger after them has its own test
  std::vector<LayerReport> seen;
  const Model offered = Model::fit(x, options, [&seen](const LayerReport& layer) {
    seen.push_back(layer);
    return true;
  });
  INFO(offered.report().message);
  REQUIRE(offered.layers().front().is_mixture());
  // The observer: fits numbered in order within the plan, named by where they are fitted, the
  // refit last; every candidate's layers scored as the whole model (as in its CandidateScore).
  REQUIRE(!seen.empty());
  const std::vector<CandidateScore>& listed = offered.report().candidates;
  for (size_t k = 0; k < seen.size(); ++k) {
    CHECK(seen[k].candidate <= seen[k].candidates);
    if (k > 0) CHECK(seen[k].candidate >= seen[k - 1].candidate);
  }
  CHECK(seen.back().candidate == seen.back().candidates);
  CHECK(seen.back().candidate == static_cast<int>(listed.size()) + 1);
  CHECK(seen.back().candidate_name.rfind("refit: ", 0) == 0);
  std::vector<double> best_seen(listed.size(), -std::numeric_limits<double>::infinity());
  for (const LayerReport& layer : seen) {
    if (layer.candidate > static_cast<int>(listed.size())) continue;
    const auto k = static_cast<size_t>(layer.candidate - 1);
    const char* where = *listed[k].options.mixture ? "after the mixture: " : "without it: ";
    CHECK(layer.candidate_name.rfind(where, 0) == 0);
    REQUIRE(layer.validation_log_prob.has_value());
    best_seen[k] = std::max(best_seen[k], *layer.validation_log_prob);
  }
  for (size_t k = 0; k < listed.size(); ++k)
    CHECK(best_seen[k] == doctest::Approx(listed[k].validation_log_prob).epsilon(1e-12));
  options.mixture = false;
  const Model never = Model::fit(x, options);
  const auto same = [](const CandidateScore& a, const CandidateScore& b) {
    return a.options.marginal == b.options.marginal && a.options.damping == b.options.damping &&
           a.options.bandwidth_text() == b.options.bandwidth_text();
  };
  int after = 0, raw = 0, stopped = 0, saved = 0;
  double chosen_score = 0.0;
  for (const CandidateScore& candidate : offered.report().candidates) {
    REQUIRE(candidate.options.mixture.has_value());
    if (*candidate.options.mixture) {
      ++after;
      if (candidate.chosen) chosen_score = candidate.validation_log_prob;
      continue;
    }
    ++raw;
    CHECK(!candidate.chosen);
    if (!candidate.stopped_early) continue;
    ++stopped;
    // The same configuration without the race (the --no-mixture fit, the same rows) went on.
    for (const CandidateScore& unraced : never.report().candidates) {
      if (!same(candidate, unraced)) continue;
      CHECK(candidate.layers_fitted <= unraced.layers_fitted);
      CHECK(candidate.validation_log_prob <= unraced.validation_log_prob);
      if (candidate.layers_fitted < unraced.layers_fitted) ++saved;
    }
  }
  CHECK(after >= 6);  // kde and spline × three dampings, at least
  CHECK(raw >= 6);
  CHECK(stopped >= 1);
  CHECK(saved >= 1);
  // Every raw candidate scored below the model kept, and so did the best unraced one.
  for (const CandidateScore& candidate : offered.report().candidates)
    if (!*candidate.options.mixture) CHECK(candidate.validation_log_prob < chosen_score);
  for (const CandidateScore& candidate : never.report().candidates)
    CHECK(candidate.validation_log_prob < chosen_score);
}

TEST_CASE("mixture fit: with screening, a raw candidate still meets the mixture on every row") {
  // 10,000 rows: the raw rows' candidates are screened on a subsample, racing the mixture model's
  // best screening score. Where every one stopped there, the best of them is fitted on all the
  // training rows, racing the mixture's model (model_selection.cpp): the comparison that decides
  // is made on the same rows as the model kept.
  const Matrix x = test::sample_mixture(known_mixture(), 10000, 14);
  FitOptions options;
  options.seed = 3;
  options.threads = 1;
  options.max_layers = 60;
  options.coupling = false;  // its raw candidate would be counted here (its own test)
  const Model model = Model::fit(x, options);
  INFO(model.report().message);
  REQUIRE(model.layers().front().is_mixture());
  const Index training_rows = 9000;  // the default validation fraction 0.1 held out
  int raw_screened = 0, raw_stopped = 0, raw_on_every_row = 0;
  double chosen_score = 0.0;
  for (const CandidateScore& candidate : model.report().candidates) {
    if (candidate.chosen) chosen_score = candidate.validation_log_prob;
    if (*candidate.options.mixture) continue;
    if (candidate.rows < training_rows) {
      ++raw_screened;
      if (candidate.stopped_early) ++raw_stopped;
    } else {
      ++raw_on_every_row;
      CHECK(candidate.rows == training_rows);
    }
  }
  CHECK(raw_screened >= 6);
  // On this mixture the race stops every screened one, so the row-count check below is the
  // best stopped candidate's fit on every row, without which no raw fit would see them all.
  CHECK(raw_stopped == raw_screened);
  CHECK(raw_on_every_row == 1);
  for (const CandidateScore& candidate : model.report().candidates)
    if (!*candidate.options.mixture) CHECK(candidate.validation_log_prob < chosen_score);
}

TEST_CASE("mixture fit: none offered where no K beats one Gaussian by a standard error") {
  // Independent Gaussian columns: any K > 1 gains only noise over one Gaussian held out.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  Matrix x(4000, 3);
  for (Index i = 0; i < x.rows(); ++i) x.row(i) << normal(rng), normal(rng), normal(rng);
  FitOptions options = test::kde_fit_options(3);
  const Model model = Model::fit(x, options);
  INFO(model.report().message);
  CHECK(model.report().message.find("no number of components beats one Gaussian") !=
        std::string::npos);
  CHECK(!model.layers().front().is_mixture());
}

TEST_CASE("mixture fit: none by default without held-out rows or with a fixed depth") {
  // The same mixture data on which the default keeps one (above): these fits must not change.
  const Matrix x = test::sample_mixture(known_mixture(), 3000, 11);
  const Matrix validation = test::sample_mixture(known_mixture(), 500, 13);
  FitOptions greedy = test::kde_fit_options(3);
  greedy.validation = 0.0;
  FitOptions fixed = test::kde_fit_options(3);
  fixed.layers = 4;
  for (const FitOptions& options : {greedy, fixed}) {
    for (const bool explicit_validation : {false, true}) {
      if (explicit_validation && !options.layers) continue;  // explicit rows are held-out rows
      CAPTURE(explicit_validation);
      FitOptions never = options;
      never.mixture = false;
      const Model model =
          explicit_validation ? Model::fit(x, validation, options) : Model::fit(x, options);
      const Model without =
          explicit_validation ? Model::fit(x, validation, never) : Model::fit(x, never);
      CHECK(!model.layers().front().is_mixture());
      CHECK(model.options().mixture == false);
      CHECK(test::format_version(model.to_bytes()) <= 7);
      CHECK(model.to_bytes() == without.to_bytes());
    }
  }
}

TEST_CASE("mixture fit: where it does not win, the default stores mixture false, format ≤ 7") {
  // Correlated Gaussian rows: a mixture cannot model them better than the cascade does.
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal;
  Matrix x(2000, 2);
  for (Index i = 0; i < x.rows(); ++i) {
    const double a = normal(rng), b = normal(rng);
    x.row(i) << a, 0.8 * a + 0.6 * b;
  }
  FitOptions options = test::kde_fit_options(3);
  const Model model = Model::fit(x, options);
  INFO(model.report().message);
  CHECK(model.report().message.find("mixture first layer") != std::string::npos);  // offered
  CHECK(!model.layers().front().is_mixture());
  CHECK(model.options().mixture == false);
  const std::string bytes = model.to_bytes();
  CHECK(test::format_version(bytes) <= 7);
  CHECK(Model::from_bytes(bytes).options().mixture == false);
  options.mixture = false;  // the same model; only the stored message records the offer
  const Model never = Model::fit(x, options);
  CHECK(never.layers().size() == model.layers().size());
  CHECK(never.log_prob(x) == model.log_prob(x));
}

TEST_CASE("mixture fit: required, refused without held-out rows") {
  FitOptions options = test::kde_fit_options(3);
  options.mixture = true;
  options.validation = 0.0;
  const Matrix x = test::sample_mixture(known_mixture(), 100, 1);
  CHECK_THROWS_WITH_AS(Model::fit(x, options), doctest::Contains("needs held-out rows"),
                       OptionError);
  options.validation = 0.1;
  options.layers = 3;
  CHECK_THROWS_WITH_AS(Model::fit(x, options), doctest::Contains("mixture: needs held-out rows"),
                       OptionError);
}

TEST_CASE("model file: a version 8 file without a mixture layer loads and keeps its bytes") {
  // As older --mixture fits wrote where the mixture was not kept: option byte 1, no such layer.
  const Matrix x = test::sample_mixture(known_mixture(), 500, 4);
  FitOptions options = test::kde_fit_options(3);
  options.layers = 2;
  options.mixture = false;
  const Model plain = Model::fit(x, options);
  FitOptions asked = plain.options();
  asked.mixture = true;
  const Model old(plain.dims(), plain.layers(), asked, plain.report());
  const std::string bytes = old.to_bytes();
  CHECK(test::format_version(bytes) == 8);
  const Model loaded = Model::from_bytes(bytes);
  CHECK(loaded.options().mixture == true);
  CHECK(loaded.to_bytes() == bytes);
  CHECK(loaded.log_prob(x) == plain.log_prob(x));
}
