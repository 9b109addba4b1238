#include "fit/screening_race.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace rbig::detail {

ScreeningRace::ScreeningRace(std::size_t finalists, int window, int max_layers, Index held_out_rows)
    : finalists_(finalists),
      window_(std::max(1, window)),
      max_layers_(max_layers),
      harmonic_(held_out_rows >= kSmoothCurveRows),
      floor_window_(window_) {}

void ScreeningRace::record_finished(double score) { finished_.push_back(score); }

double ScreeningRace::finals_threshold() const {
  if (finished_.size() < finalists_ || finalists_ == 0)
    return -std::numeric_limits<double>::infinity();
  std::vector<double> scores = finished_;
  std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(finalists_ - 1),
                   scores.end(), std::greater<>());
  return scores[finalists_ - 1];
}

double ScreeningRace::threshold() const { return std::max(finals_threshold(), floor_); }

double ScreeningRace::reachable(const std::vector<double>& curve, int window) const {
  window = std::max(1, window);
  const auto fitted = static_cast<int>(curve.size());
  if (fitted <= window) return std::numeric_limits<double>::infinity();  // no slope known yet
  const double best = *std::max_element(curve.begin(), curve.end());
  const double best_before = *std::max_element(curve.begin(), curve.end() - window);
  const double gain_per_layer = (best - best_before) / static_cast<double>(window);
  int ahead = max_layers_ - fitted;
  if (harmonic_) {
    // Gains c/k add up beyond layer t to at most c·log(max_layers/t) = t·(c/t)·log(max_layers/t),
    // less than max_layers − t (log x ≤ x − 1).
    ahead =
        static_cast<int>(std::ceil(fitted * std::log(static_cast<double>(max_layers_) / fitted)));
  }
  return best + gain_per_layer * static_cast<double>(std::max(0, ahead));
}

bool ScreeningRace::hopeless(const std::vector<double>& curve) const {
  return reachable(curve, window_) < finals_threshold() || reachable(curve, floor_window_) < floor_;
}

}  // namespace rbig::detail
