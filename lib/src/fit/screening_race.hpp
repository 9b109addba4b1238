#pragma once
// The race of the screening (model_selection.cpp): the candidates are fitted on the subsample one
// after the other, and a candidate stops as soon as its held-out curve cannot reach the finals,
// i.e. beat the kFinalists-th best score of the candidates already finished. Only the finalists'
// names leave the screening, so a stopped candidate costs its layers so far and changes nothing,
// as long as the bound below holds (bench/README.md, "Racing the screened candidates", measures
// where the finalists stayed the same).

#include <cstddef>
#include <limits>
#include <vector>

namespace rbig::detail {

class ScreeningRace {
 public:
  /// finalists: how many candidates reach the finals; window: the layers over which a curve's
  /// recent gain is measured (the validation patience); max_layers: the deepest a fit goes.
  ScreeningRace(std::size_t finalists, int window, int max_layers);

  /// A finished candidate's score (its best held-out score).
  void record_finished(double score);
  /// A score from outside the race that every candidate must beat as well (another model's: the
  /// mixture first layer's, model_selection.cpp).
  void must_beat(double score) { floor_ = score; }
  /// The score a candidate must beat to be a finalist: the finalists-th best finished score
  /// (−∞ while fewer than `finalists` candidates have finished, or with `finalists` 0), or the
  /// must_beat score if higher.
  double threshold() const;

  /// The most a curve can still reach if its gains never grow: its best score so far plus its
  /// mean gain per layer over the last `window` layers for every layer left up to max_layers
  /// (a concave running best). curve: the held-out score after each layer fitted so far.
  double reachable(const std::vector<double>& curve) const;
  /// True when reachable(curve) is below the threshold: the candidate cannot be a finalist.
  bool hopeless(const std::vector<double>& curve) const;

 private:
  std::size_t finalists_;
  int window_;
  int max_layers_;
  std::vector<double> finished_;
  double floor_ = -std::numeric_limits<double>::infinity();
};

}  // namespace rbig::detail
