#pragma once
// The race of the screening (model_selection.cpp): the candidates are fitted on the subsample one
// after the other, and a candidate stops as soon as its held-out curve cannot reach the finals,
// i.e. beat the kFinalists-th best score of the candidates already finished. Only the finalists'
// names leave the screening, so a stopped candidate costs its layers so far and changes nothing,
// as long as the bound below holds (bench/README.md, "Racing the screened candidates", measures
// where the finalists stayed the same).
//
// How far ahead a curve is extrapolated (the horizon) depends on how many held-out rows read it.
// Below kSmoothCurveRows its recent gain is assumed to last up to max_layers: such curves have
// plateaus and late rises (on wine's 14 held-out rows a shorter horizon stopped a kernel at
// −12.735 that went on to −12.511, the best candidate). From kSmoothCurveRows on, gains are
// assumed to fall at least as fast as 1/layer (harmonically): what a curve gains from layer t to
// max_layers is then at most t·log(max_layers/t) times its gain per layer at t. Assuming 1/layer²
// instead (t layers ahead) changed the model of a 10⁵-row 10-D set (0.067 nats worse on its test
// rows): its ~480-layer curves rise for long. bench/README.md, "A horizon for the race".

#include <rbig/types.hpp>

#include <cstddef>
#include <limits>
#include <vector>

namespace rbig::detail {

/// Held-out rows from which a validation curve is smooth enough for the harmonic horizon.
inline constexpr Index kSmoothCurveRows = 800;

class ScreeningRace {
 public:
  /// finalists: how many candidates reach the finals; window: the layers over which a curve's
  /// recent gain is measured (the validation patience); max_layers: the deepest a fit goes;
  /// held_out_rows: the rows every curve is read on (all participants'), which set the horizon.
  ScreeningRace(std::size_t finalists, int window, int max_layers, Index held_out_rows);

  /// A finished candidate's score (its best held-out score).
  void record_finished(double score);
  /// A score from outside the race that every candidate must beat as well (another model's: the
  /// mixture first layer's, model_selection.cpp), a curve's recent gain read over its last
  /// `window` layers for that comparison (0: the race's own window).
  void must_beat(double score, int window = 0) {
    floor_ = score;
    floor_window_ = window > 0 ? window : window_;
  }
  /// The score a candidate must beat to be a finalist: the finalists-th best finished score
  /// (−∞ while fewer than `finalists` candidates have finished, or with `finalists` 0), or the
  /// must_beat score if higher.
  double threshold() const;

  /// The most a curve can still reach if its gains never grow: its best score so far plus its
  /// mean gain per layer over the last `window` layers for every layer left within the horizon
  /// (a concave running best). curve: the held-out score after each layer fitted so far.
  double reachable(const std::vector<double>& curve) const { return reachable(curve, window_); }
  /// The same with the gain read over the last `window` layers.
  double reachable(const std::vector<double>& curve, int window) const;
  /// True when the curve cannot reach the finals or the must_beat score (each read over its
  /// window): the candidate cannot be a finalist.
  bool hopeless(const std::vector<double>& curve) const;

 private:
  /// The finalists-th best finished score, −∞ while fewer have finished or with finalists 0.
  double finals_threshold() const;

  std::size_t finalists_;
  int window_;
  int max_layers_;
  bool harmonic_;  // the horizon: t·log(max_layers/t) layers after t, else up to max_layers
  std::vector<double> finished_;
  double floor_ = -std::numeric_limits<double>::infinity();
  int floor_window_;
};

}  // namespace rbig::detail
