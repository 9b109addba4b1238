// The coupling destructor as a map (coupling.hpp): checks of stored parts, and the per-row shift
// and scale of each target by the interpolated functions of its conditioner.

#include <rbig/coupling.hpp>

#include <rbig/error.hpp>

#include "core/check.hpp"
#include "coupling/knot_grid.hpp"
#include "coupling/windowed_affine.hpp"

#include <fmt/format.h>

#include <cmath>

namespace rbig {
namespace {

constexpr int kMaxKnots = 4096;
constexpr double kMaxRange = 40.0;
/// Stored log-scales beyond this are refused: exp(±30) keeps every finite row finite.
constexpr double kMaxLogScale = 30.0;
/// Stored shifts beyond this are refused (a fit's are a few N(0, 1) units).
constexpr double kMaxShift = 1e6;

}  // namespace

CouplingMap::CouplingMap(Index dims, int knots, double range, std::vector<CouplingPair> pairs)
    : CouplingMap(dims, knots, range, std::move(pairs), 0.0) {}

CouplingMap::CouplingMap(Index dims, int knots, double range, std::vector<CouplingPair> pairs,
                         double training_gain)
    : dims_(dims),
      knots_(knots),
      range_(range),
      pairs_(std::move(pairs)),
      training_gain_(training_gain) {
  if (dims_ < 2) throw DimensionError(fmt::format("coupling: {} dimensions (needs 2)", dims_));
  if (knots_ < 2 || knots_ > kMaxKnots || !(range_ > 0.0 && range_ <= kMaxRange))
    throw OptionError(fmt::format("coupling: {} knots (2 to {}) over range {} (in (0, {}])", knots_,
                                  kMaxKnots, range_, kMaxRange));
  std::vector<int> role(static_cast<size_t>(dims_), 0);  // 1 target, 2 conditioner
  for (size_t p = 0; p < pairs_.size(); ++p) {
    const CouplingPair& pair = pairs_[p];
    if (pair.target < 0 || pair.target >= dims_ || pair.conditioner < 0 ||
        pair.conditioner >= dims_ || pair.target == pair.conditioner)
      throw DimensionError(fmt::format("coupling: pair {} maps column {} given column {} of {}", p,
                                       pair.target, pair.conditioner, dims_));
    if (pair.shift.size() != knots_ || pair.log_scale.size() != knots_ || !pair.shift.allFinite() ||
        !pair.log_scale.allFinite() || pair.log_scale.cwiseAbs().maxCoeff() > kMaxLogScale ||
        pair.shift.cwiseAbs().maxCoeff() > kMaxShift)
      throw OptionError(fmt::format(
          "coupling: pair {} needs {} shifts within ±{} and {} log-scales within ±{} "
          "(got {} and {} values)",
          p, knots_, kMaxShift, knots_, kMaxLogScale, pair.shift.size(), pair.log_scale.size()));
    int& target = role[static_cast<size_t>(pair.target)];
    int& conditioner = role[static_cast<size_t>(pair.conditioner)];
    if (target != 0 || conditioner == 1)
      throw OptionError(fmt::format(
          "coupling: pair {} maps column {} given column {}, but each column is the target of at "
          "most one pair and no target conditions another",
          p, pair.target, pair.conditioner));
    target = 1;
    conditioner = 2;
  }
}

namespace {

/// Each pair's target ← (target − m)·e^−s (forward) or target·e^s + m (inverse), m and s at the
/// row's conditioner, within the window ±grid.range of the output and of slope 1 beyond
/// (windowed_affine.hpp); log_det ∓= s inside the window.
void apply_pairs(const std::vector<CouplingPair>& pairs, const detail::KnotGrid& grid, bool forward,
                 MatrixRef x, VectorRef log_det) {
  const double window = grid.range;
  for (const CouplingPair& pair : pairs) {
    for (Index i = 0; i < x.rows(); ++i) {
      Index left = 0;
      double weight = 0.0;
      grid.locate(x(i, pair.conditioner), left, weight);
      const double s = detail::KnotGrid::at(pair.log_scale, left, weight);
      const double m = detail::KnotGrid::at(pair.shift, left, weight);
      double& target = x(i, pair.target);
      target = forward ? detail::windowed_affine(target, m, s, window, log_det[i])
                       : detail::windowed_affine_inverse(target, m, s, window, log_det[i]);
    }
  }
}

}  // namespace

void CouplingMap::forward(MatrixRef x, VectorRef log_det) const {
  detail::check_map_shape("coupling", "forward", x.cols(), x.rows(), log_det.size(), dims_);
  apply_pairs(pairs_, detail::KnotGrid{knots_, range_}, true, x, log_det);
}

void CouplingMap::inverse(MatrixRef z, VectorRef log_det) const {
  detail::check_map_shape("coupling", "inverse", z.cols(), z.rows(), log_det.size(), dims_);
  apply_pairs(pairs_, detail::KnotGrid{knots_, range_}, false, z, log_det);
}

}  // namespace rbig
