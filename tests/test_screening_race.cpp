// The screening's race (fit/screening_race.hpp): when a screened candidate can no longer be a
// finalist.
#include "fit/screening_race.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using rbig::detail::ScreeningRace;

namespace {

/// Held-out rows too few for the harmonic horizon: curves extrapolated up to max_layers.
constexpr rbig::Index kFewHeldOutRows = rbig::detail::kSmoothCurveRows - 1;

/// The held-out scores after layers 1..layers of a curve rising by `slope` a layer from `start`.
std::vector<double> linear_curve(double start, double slope, int layers) {
  std::vector<double> curve;
  for (int k = 1; k <= layers; ++k) curve.push_back(start + slope * k);
  return curve;
}

}  // namespace

TEST_CASE("screening race: the threshold is the finalists-th best finished score") {
  ScreeningRace race(2, 10, 500, kFewHeldOutRows);
  CHECK(std::isinf(race.threshold()));
  race.record_finished(-1.2);
  CHECK(std::isinf(race.threshold()));  // one finished: every candidate can still be second
  race.record_finished(-1.5);
  CHECK(race.threshold() == -1.5);
  race.record_finished(-1.1);
  CHECK(race.threshold() == -1.2);
  race.record_finished(-3.0);
  CHECK(race.threshold() == -1.2);
}

TEST_CASE("screening race: a curve whose gains never grow reaches at most its bound") {
  const int window = 10;
  const int max_layers = 200;
  ScreeningRace race(2, window, max_layers, kFewHeldOutRows);
  // No slope is known before window + 1 layers.
  CHECK(std::isinf(race.reachable(linear_curve(-2.0, 0.01, window))));
  // A straight line is the extreme concave curve: it reaches exactly its value at max_layers.
  for (int layers : {window + 1, 50, 199}) {
    const double bound = race.reachable(linear_curve(-2.0, 0.001, layers));
    CHECK(bound == doctest::Approx(-2.0 + 0.001 * max_layers).epsilon(1e-12));
  }
  // A curve that slows down (gains halving every 10 layers) never exceeds its bound at any depth.
  std::vector<double> slowing;
  double score = -2.0;
  for (int k = 1; k <= max_layers; ++k) {
    score += 0.05 * std::pow(0.5, k / 10.0);
    slowing.push_back(score);
  }
  for (int layers = window + 1; layers < max_layers; layers += 7) {
    const std::vector<double> prefix(slowing.begin(), slowing.begin() + layers);
    CHECK(race.reachable(prefix) >= slowing.back());
  }
  // The bound follows the running best: a dip after the best layer does not lower it.
  std::vector<double> dipping = linear_curve(-2.0, 0.0, 30);
  dipping[5] = -1.0;
  CHECK(race.reachable(dipping) == -1.0);
}

TEST_CASE("screening race: the harmonic horizon bounds curves whose gains fall as 1/layer") {
  const int window = 10;
  const int max_layers = 500;
  ScreeningRace race(2, window, max_layers, rbig::detail::kSmoothCurveRows);
  // A straight line is extrapolated t·log(max_layers/t) layers past layer t (less than the
  // max_layers − t layers of the other horizon).
  for (int layers : {40, 300}) {
    const double ahead = std::ceil(layers * std::log(500.0 / layers));
    CHECK(ahead < max_layers - layers);
    CHECK(race.reachable(linear_curve(-2.0, 0.001, layers)) ==
          doctest::Approx(-2.0 + 0.001 * (layers + ahead)).epsilon(1e-12));
  }
  // The held-out score after each of max_layers layers, the k-th gaining 0.05/k^power.
  const auto curve_of = [](double power) {
    std::vector<double> curve;
    double score = -2.0;
    for (int k = 1; k <= max_layers; ++k) {
      score += 0.05 / std::pow(k, power);
      curve.push_back(score);
    }
    return curve;
  };
  const auto prefix = [](const std::vector<double>& curve, int layers) {
    return std::vector<double>(curve.begin(), curve.begin() + layers);
  };
  // Gains 1/k and faster stay within the bound at every depth; gains 1/√k outrun it somewhere,
  // which is why the horizon is kept for curves read on many held-out rows (screening_race.hpp).
  const std::vector<double> harmonic = curve_of(1.0);
  const std::vector<double> faster = curve_of(2.0);
  const std::vector<double> slower = curve_of(0.5);
  bool slower_escapes = false;
  for (int layers = window + 1; layers < max_layers; layers += 7) {
    CHECK(race.reachable(prefix(harmonic, layers)) >= harmonic.back());
    CHECK(race.reachable(prefix(faster, layers)) >= faster.back());
    slower_escapes = slower_escapes || race.reachable(prefix(slower, layers)) < slower.back();
  }
  CHECK(slower_escapes);
  // Up to max_layers, the same prefixes of the slower curve are bounded.
  ScreeningRace long_race(2, window, max_layers, kFewHeldOutRows);
  for (int layers = window + 1; layers < max_layers; layers += 7) {
    CHECK(long_race.reachable(prefix(slower, layers)) >= slower.back());
  }
}

TEST_CASE("screening race: hopeless only below the finals") {
  ScreeningRace race(2, 5, 100, kFewHeldOutRows);
  const std::vector<double> flat_low = linear_curve(-3.0, 0.0, 20);
  const std::vector<double> rising = linear_curve(-3.0, 0.02, 20);  // can reach −1 by layer 100
  CHECK(!race.hopeless(flat_low));                                  // nothing finished yet
  race.record_finished(-1.5);
  race.record_finished(-1.4);
  CHECK(race.hopeless(flat_low));
  CHECK(!race.hopeless(rising));
  CHECK(!race.hopeless(linear_curve(-1.0, 0.0, 20)));  // already above the threshold
  CHECK(!race.hopeless(linear_curve(-3.0, 0.0, 5)));   // too short to know its slope
}

TEST_CASE("screening race: another model's score is raced on its own window") {
  // A curve that rose fast for 10 layers and has been flat for the last 5: read over 20 layers
  // its gain still carries it past −1.0, read over the last 5 it cannot get there.
  std::vector<double> curve = linear_curve(-2.0, 0.05, 10);  // −1.95 … −1.5
  for (int k = 0; k < 15; ++k) curve.push_back(curve.back() + (k < 10 ? 0.001 : 0.0));
  ScreeningRace patient(0, 20, 100, kFewHeldOutRows);
  patient.must_beat(-1.0);
  CHECK(patient.reachable(curve) > -1.0);
  CHECK(!patient.hopeless(curve));
  ScreeningRace quick(0, 20, 100, kFewHeldOutRows);
  quick.must_beat(-1.0, 5);
  CHECK(quick.reachable(curve, 5) == doctest::Approx(curve.back()));  // no gain in 5 layers
  CHECK(quick.hopeless(curve));
  CHECK(quick.threshold() == -1.0);
  // The finals are still read on the race's own window: a finished −1.45 is within its reach.
  ScreeningRace finals(1, 20, 100, kFewHeldOutRows);
  finals.record_finished(-1.45);
  finals.must_beat(-3.0, 5);
  CHECK(!finals.hopeless(curve));
}
