// Projection-pursuit rotation: of the PCA axes and a few candidate rotations, the one whose
// rotated columns have the least summed marginal entropy.
//
// Why this criterion: an orthogonal R keeps the joint entropy, so the total correlation left
// after the rotation is Σ_d H(z_d) − H(y), and the next marginal step can remove the
// non-Gaussian part of it. The layer's information reduction ΔT = Σ_d H(y_d) − Σ_d H(z_d) is
// therefore largest for the R with the least Σ_d H(z_d). PCA removes only the Gaussian
// (correlation) part of ΔT; random rotations find non-Gaussian directions by chance. Scoring a
// few of both per layer, by the m-spacing estimate that RADICAL (Learned-Miller & Fisher 2003)
// minimises over angles for ICA, keeps the better of the two each time.

#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include "rotation/rotation_tuning.hpp"
#include "core/math_constants.hpp"
#include "stats/entropy_1d.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rbig {
namespace {

using detail::kHalfPi;
using detail::kPursuitAngles;
using detail::kPursuitCandidates;
using detail::kPursuitRows;

/// z = R·y in the plane. Angles in [0, π/2) cover every pair of axes: a quarter turn only
/// swaps the columns and flips a sign, which leaves their entropies unchanged.
Matrix plane_rotation(double angle) {
  Matrix r(2, 2);
  r << std::cos(angle), std::sin(angle), -std::sin(angle), std::cos(angle);
  return r;
}

double summed_marginal_entropy(const Matrix& rows, const Matrix& r) {
  const Matrix z = rows * r.transpose();
  double total = 0.0;
  for (Index d = 0; d < z.cols(); ++d) total += detail::entropy_m_spacing(z.col(d));
  return total;
}

}  // namespace

Rotation Rotation::pursuit(ConstMatrixRef y, const Matrix& covariance, std::uint64_t seed,
                           int threads) {
  const Index n = y.rows();
  const Index dims = y.cols();
  if (n < 2) throw NumericalError(fmt::format("pursuit: need at least 2 rows (got {})", n));
  // Evenly spaced rows bound the cost at kPursuitRows·D per candidate and column sort.
  const Index rows = std::min(n, kPursuitRows);
  Matrix sample(rows, dims);
  for (Index i = 0; i < rows; ++i) sample.row(i) = y.row((i * n) / rows);

  std::vector<Matrix> candidates{pca_from_covariance(covariance).matrix()};
  if (dims == 2) {
    // A seeded offset: consecutive layers try different angles.
    const double offset = detail::Rng(seed).uniform();
    for (int j = 0; j < kPursuitAngles; ++j) {
      candidates.push_back(plane_rotation(kHalfPi * (j + offset) / kPursuitAngles));
    }
  } else if (dims > 2) {
    for (int j = 0; j < kPursuitCandidates; ++j) {
      const std::uint64_t candidate_seed = detail::derive_seed(seed, static_cast<std::uint64_t>(j));
      candidates.push_back(random(dims, candidate_seed).matrix());
    }
  }
  std::vector<double> scores(candidates.size());
  detail::parallel_for(static_cast<Index>(candidates.size()), threads, [&](Index c) {
    const auto item = static_cast<size_t>(c);
    scores[item] = summed_marginal_entropy(sample, candidates[item]);
  });
  // The first of equal scores wins, so the choice does not depend on the thread count.
  const auto best =
      static_cast<size_t>(std::min_element(scores.begin(), scores.end()) - scores.begin());
  return Rotation(RotationKind::Pursuit, std::move(candidates[best]));
}

}  // namespace rbig
