#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include "core/rng.hpp"
#include "rotation/rotation_tuning.hpp"
#include "stats/normal.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"

#include <Eigen/LU>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace rbig;

TEST_CASE("rotation: pca is orthogonal, decorrelates, and orders axes by variance") {
  const Matrix covariance = test::random_covariance(6, 3);
  Matrix x = test::gaussian_sample(3000, covariance, 4);
  const Rotation rotation = Rotation::pca(x);
  test::check_orthogonal(rotation);
  rotation.apply(x);
  const Matrix centred = x.rowwise() - x.colwise().mean();
  const Matrix cov = centred.transpose() * centred / double(x.rows() - 1);
  for (Index i = 0; i < 6; ++i) {
    for (Index j = 0; j < 6; ++j) {
      if (i != j) CHECK(std::abs(cov(i, j)) < 1e-10 * cov(0, 0));
    }
    if (i > 0) CHECK(cov(i, i) <= cov(i - 1, i - 1));
  }
}

TEST_CASE("rotation: covariance over row ranges matches the centred formula at any thread count") {
  // 50,000 rows: several fixed row ranges, so the parallel sum and its ordered reduction run.
  const Matrix x = test::gaussian_sample(50000, test::random_covariance(5, 8), 9);
  const Matrix one = Rotation::covariance(x, 1);
  CHECK(Rotation::covariance(x, 2) == one);  // bit for bit
  const Matrix centred = x.rowwise() - x.colwise().mean();
  const Matrix expected = centred.transpose() * centred / double(x.rows() - 1);
  CHECK((one - expected).cwiseAbs().maxCoeff() < 1e-12 * expected.cwiseAbs().maxCoeff());
  CHECK(one == one.transpose());
}

TEST_CASE("rotation: random rotations are orthogonal, seeded, and Haar on average") {
  const Rotation a = Rotation::random(5, 7);
  test::check_orthogonal(a);
  CHECK(Rotation::random(5, 7).matrix() == a.matrix());
  CHECK(Rotation::random(5, 8).matrix() != a.matrix());
  // Under the Haar measure each entry has mean 0 and variance 1/D.
  double sum = 0.0, squares = 0.0;
  constexpr int kDraws = 2000;
  for (int s = 0; s < kDraws; ++s) {
    const double entry = Rotation::random(5, static_cast<std::uint64_t>(s)).matrix()(2, 3);
    sum += entry;
    squares += entry * entry;
  }
  CHECK(std::abs(sum / kDraws) < 4 * std::sqrt(0.2 / kDraws));
  CHECK(squares / kDraws == doctest::Approx(0.2).epsilon(0.1));
}

TEST_CASE("rotation: blocked in-place product equals the naive product, and inverts") {
  const Matrix x = test::gaussian_sample(1000, Matrix::Identity(4, 4), 11);  // > one block
  const Rotation rotation = Rotation::random(4, 12);
  Matrix y = x;
  rotation.apply(y);
  const Matrix naive = x * rotation.matrix().transpose();
  CHECK((y - naive).cwiseAbs().maxCoeff() < 1e-14);
  rotation.apply_inverse(y);
  CHECK((y - x).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("rotation: from_matrix refuses a matrix that is not orthogonal") {
  Matrix m = Matrix::Identity(3, 3);
  m(0, 1) = 0.5;
  CHECK_THROWS_WITH_AS(Rotation::from_matrix(RotationKind::Pca, m),
                       doctest::Contains("not orthogonal"), NumericalError);
  CHECK_THROWS_AS(Rotation::from_matrix(RotationKind::Pca, Matrix(2, 3)), NumericalError);
}

TEST_CASE("rotation: ica whitens, inverts, and reports log|det R| of its matrix") {
  const Matrix covariance = test::random_covariance(4, 21);
  Matrix x = test::gaussian_sample(5000, covariance, 22);
  x.col(1) = x.col(1).array().cube();  // something non-Gaussian for FastICA to find
  const Rotation rotation = Rotation::ica(x, 23);
  CHECK(rotation.kind() == RotationKind::Ica);
  CHECK(rotation.log_abs_det() ==
        doctest::Approx(std::log(std::abs(rotation.matrix().determinant()))).epsilon(1e-12));
  Matrix z = x;
  rotation.apply(z);
  const Matrix centred = z.rowwise() - z.colwise().mean();
  const Matrix cov = centred.transpose() * centred / double(z.rows() - 1);
  CHECK((cov - Matrix::Identity(4, 4)).cwiseAbs().maxCoeff() < 1e-8);  // whitened (all rows used)
  rotation.apply_inverse(z);
  CHECK((z - x).cwiseAbs().maxCoeff() < 1e-10 * x.cwiseAbs().maxCoeff());
  CHECK(Rotation::ica(x, 23).matrix() == rotation.matrix());
  const Rotation rebuilt = Rotation::from_matrix(RotationKind::Ica, rotation.matrix());
  CHECK(rebuilt.log_abs_det() == rotation.log_abs_det());
  CHECK_THROWS_WITH_AS(Rotation::from_matrix(RotationKind::Ica, Matrix::Zero(3, 3)),
                       doctest::Contains("singular"), NumericalError);
}

namespace {

/// The angle of the plane rotation M, reduced modulo quarter turns to (−π/4, π/4]: a quarter
/// turn only swaps the columns and flips a sign.
double angle_modulo_quarter_turns(const Matrix& m) {
  const double quarter = std::acos(0.0);
  double angle = std::atan2(m(0, 1), m(0, 0));
  while (angle > quarter / 2) angle -= quarter;
  while (angle <= -quarter / 2) angle += quarter;
  return angle;
}

}  // namespace

TEST_CASE("rotation: pursuit unmixes rotated independent uniforms to within its angle grid") {
  // x = Aᵀ·s with independent uniform sources s: the sum of marginal entropies of R·x is least
  // at R = A (up to quarter turns), where the columns are the sources again (RADICAL's premise).
  constexpr double kAngle = 0.5236;  // 30°, between grid angles for most offsets
  Matrix a(2, 2);
  a << std::cos(kAngle), std::sin(kAngle), -std::sin(kAngle), std::cos(kAngle);
  detail::Rng rng(31);
  Matrix s(8000, 2);
  for (Index i = 0; i < s.size(); ++i) s.data()[i] = rng.uniform() - 0.5;
  const Matrix x = s * a;  // rows: xᵀ = sᵀ·A, i.e. x = Aᵀ·s
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    const Rotation rotation = Rotation::pursuit(x, Rotation::covariance(x), seed);
    CHECK(rotation.kind() == RotationKind::Pursuit);
    test::check_orthogonal(rotation);
    // The grid spacing is (π/2)/kPursuitAngles: the nearest grid angle is within half of it.
    const double half_step = std::acos(0.0) / detail::kPursuitAngles / 2;
    CHECK(std::abs(angle_modulo_quarter_turns(rotation.matrix() * a.transpose())) <=
          half_step + 1e-3);
    CHECK(Rotation::pursuit(x, Rotation::covariance(x), seed, 2).matrix() == rotation.matrix());
  }
}

TEST_CASE("rotation: pursuit keeps the PCA axes for correlated Gaussian data") {
  // For a Gaussian, Σ_d H(z_d) = ½·Σ_d log(2πe·var z_d) is least where z is uncorrelated
  // (Hadamard's inequality): no random 5-D rotation comes close to the principal axes.
  const Matrix covariance = test::random_covariance(5, 41);
  const Matrix x = test::gaussian_sample(6000, covariance, 42);
  const Matrix c = Rotation::covariance(x);
  const Rotation rotation = Rotation::pursuit(x, c, 43);
  CHECK(rotation.matrix() == Rotation::pca_from_covariance(c).matrix());
  CHECK(Rotation::from_matrix(RotationKind::Pursuit, rotation.matrix()).matrix() ==
        rotation.matrix());
}

namespace {

/// W₂² between the sorted column and the Gaussian quantiles Φ⁻¹((i + ½)/M), as rotation_sliced.cpp
/// scores it, summed over the columns of x·Rᵀ: computed here from scratch.
double summed_w2_to_gaussian(const Matrix& x, const Matrix& r) {
  const Matrix z = x * r.transpose();
  double total = 0.0;
  for (Index d = 0; d < z.cols(); ++d) {
    Vector column = z.col(d);
    std::sort(column.data(), column.data() + column.size());
    const double m = static_cast<double>(column.size());
    for (Index i = 0; i < column.size(); ++i) {
      const double q = detail::normal_quantile((static_cast<double>(i) + 0.5) / m);
      total += (column[i] - q) * (column[i] - q) / m;
    }
  }
  return total;
}

}  // namespace

TEST_CASE("rotation: sliced unmixes rotated independent uniforms and beats the PCA axes") {
  // Standardised independent uniforms, rotated by 30°: isotropic, so the PCA axes are arbitrary,
  // and the uniform marginals (the most non-Gaussian direction of this mixture) are found only by
  // looking at the shape. 3,000 rows: the whole sample is scored (below kSlicedRows).
  constexpr double kAngle = 0.5236;
  Matrix a(2, 2);
  a << std::cos(kAngle), std::sin(kAngle), -std::sin(kAngle), std::cos(kAngle);
  detail::Rng rng(31);
  Matrix s(3000, 2);
  for (Index i = 0; i < s.size(); ++i) s.data()[i] = std::sqrt(12.0) * (rng.uniform() - 0.5);
  const Matrix x = s * a;
  const Rotation rotation = Rotation::sliced(x, 5);
  CHECK(rotation.kind() == RotationKind::Sliced);
  test::check_orthogonal(rotation);
  CHECK(std::abs(angle_modulo_quarter_turns(rotation.matrix() * a.transpose())) < 0.02);
  CHECK(summed_w2_to_gaussian(x, rotation.matrix()) >
        summed_w2_to_gaussian(x, Rotation::pca(x).matrix()));
  CHECK(rotation.log_abs_det() == 0.0);
}

TEST_CASE("rotation: sliced is orthogonal, seeded, inverts and ignores the thread count") {
  // 24,000 rows of 20 columns: a hashed subsample (above kSlicedRows) and more columns than
  // optimised directions, so the principal complement is used too.
  static_assert(detail::kSlicedDirections < 20 && detail::kSlicedRows < 24000);
  Matrix x = test::gaussian_sample(24000, test::random_covariance(20, 51), 52);
  x.col(3) = x.col(3).array().cube();
  const Rotation rotation = Rotation::sliced(x, 53);
  test::check_orthogonal(rotation);
  CHECK(Rotation::sliced(x, 53, 2).matrix() == rotation.matrix());
  CHECK(Rotation::sliced(x, 54).matrix() != rotation.matrix());  // another subsample
  Matrix z = x;
  rotation.apply(z);
  rotation.apply_inverse(z);
  CHECK((z - x).cwiseAbs().maxCoeff() < 1e-12 * x.cwiseAbs().maxCoeff());
  CHECK(Rotation::from_matrix(RotationKind::Sliced, rotation.matrix()).matrix() ==
        rotation.matrix());
  // The ascent starts from the leading PCA axes and only accepts steps that raise the score on
  // its subsample; on all rows the optimised directions still score higher.
  constexpr Index k = detail::kSlicedDirections;
  CHECK(summed_w2_to_gaussian(x, rotation.matrix().topRows(k)) >
        summed_w2_to_gaussian(x, Rotation::pca(x).matrix().topRows(k)));
}
