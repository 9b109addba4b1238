#include <rbig/error.hpp>
#include <rbig/info.hpp>

#include "support/known_distributions.hpp"

#include <Eigen/LU>
#include <doctest/doctest.h>

#include <random>

#include <cmath>

using namespace rbig;

// Sizes: N = 4000 keeps the whole file near a second. At that N the estimators' spread (measured
// over seeds in bench/README.md) is about 0.01–0.03 nats for D ≤ 4, which sets the tolerances.

namespace {

constexpr Index kN = 4000;

Matrix correlated_covariance() {
  Matrix covariance(4, 4);
  covariance << 1.0, 0.6, 0.3, 0.2,  //
      0.6, 1.0, 0.5, 0.1,            //
      0.3, 0.5, 1.0, 0.4,            //
      0.2, 0.1, 0.4, 1.0;
  return covariance;
}

double log_det(const Matrix& m) { return std::log(m.determinant()); }

/// ½·log(det Σ_X det Σ_Y / det Σ) for the first `dx` columns against the rest.
double gaussian_mi(const Matrix& covariance, Index dx) {
  const Index dy = covariance.rows() - dx;
  return 0.5 * (log_det(covariance.topLeftCorner(dx, dx)) +
                log_det(covariance.bottomRightCorner(dy, dy)) - log_det(covariance));
}

}  // namespace

TEST_CASE("info: total correlation of a Gaussian matches −½·log det of its correlation") {
  const Matrix covariance = correlated_covariance();   // unit variances: covariance = correlation
  const double analytic = -0.5 * log_det(covariance);  // ≈ 0.43 nats
  const double estimate = total_correlation(test::gaussian_sample(kN, covariance, 1));
  MESSAGE("T " << estimate << " vs " << analytic);
  // 0.05 nats: about twice the seed-to-seed spread of T at N = 4000, D = 4.
  CHECK(std::abs(estimate - analytic) < 0.05);
}

TEST_CASE("info: total correlation of independent data is near zero") {
  const Matrix x = test::gaussian_sample(kN, Matrix::Identity(4, 4), 2);
  // Non-Gaussian independent marginals too: T is blind to marginal shape.
  Matrix y = x;
  y.col(0) = y.col(0).array().exp().matrix();
  y.col(1) = y.col(1).array().cube().matrix();
  for (const Matrix* data : {&x, static_cast<const Matrix*>(&y)}) {
    const double t = total_correlation(*data);
    // 0.03 nats: the noise floor of the per-layer estimate at N = 4000, D = 4.
    CHECK(std::abs(t) < 0.03);
  }
}

TEST_CASE("info: total correlation and mutual information are unchanged by per-coordinate maps") {
  const Matrix covariance = correlated_covariance();
  const Matrix x = test::gaussian_sample(kN, covariance, 3);
  Matrix mapped = x;
  mapped.col(0) = mapped.col(0).array().cube().matrix();
  mapped.col(1) = mapped.col(1).array().exp().matrix();
  mapped.col(2) *= 1e-3;
  mapped.col(3) *= 1e3;
  // Strictly increasing maps keep every rank, and the estimate depends on ranks only, so the
  // values agree to rounding (1e-9), not merely within noise.
  CHECK(total_correlation(mapped) == doctest::Approx(total_correlation(x)).epsilon(1e-9));
  CHECK(mutual_information(mapped.leftCols(2), mapped.rightCols(2)) ==
        doctest::Approx(mutual_information(x.leftCols(2), x.rightCols(2))).epsilon(1e-9));
  // A decreasing map (x → −x) reverses ranks: equal only within noise (0.03 nats, as above).
  Matrix flipped = x;
  flipped.col(0) = -flipped.col(0);
  CHECK(std::abs(total_correlation(flipped) - total_correlation(x)) < 0.03);
}

TEST_CASE("info: entropy of a Gaussian matches ½·log det(2πeΣ)") {
  const Matrix covariance = test::random_covariance(3, 4);
  const double analytic = test::gaussian_entropy(covariance);
  const double estimate = entropy(test::gaussian_sample(kN, covariance, 5));
  MESSAGE("H " << estimate << " vs " << analytic);
  // 0.08 nats: the T spread (0.03) and the marginals' spread (3 × 0.015), with margin (the
  // spacing marginals' bias is below 0.001 nats at this N, bench_entropy_1d).
  CHECK(std::abs(estimate - analytic) < 0.08);
}

TEST_CASE("info: entropy shifts by log|det A| under a linear map A") {
  const Matrix x = test::gaussian_sample(kN, correlated_covariance(), 6);
  Matrix a(4, 4);
  a << 2.0, 0.3, 0.0, 0.1,  //
      0.0, 0.5, 0.2, 0.0,   //
      0.4, 0.0, 3.0, 0.2,   //
      0.0, 0.1, 0.0, 1e-2;  // a tiny scale as well: the estimate must not depend on units
  const double shift = std::log(std::abs(a.determinant()));
  const Matrix y = x * a.transpose();
  // 0.1 nats: two independent-ish estimates of a 4-D entropy, each within about 0.05.
  CHECK(std::abs(entropy(y) - entropy(x) - shift) < 0.1);
  // Pure per-column scaling: the estimator standardises the columns first, so the data it works on
  // differ only by rounding. Rounding can still tip a discrete choice of the fit (a layer more or
  // less, a different ICA iterate), so the two agree within the estimator's own spread at this N
  // (0.01–0.03 nats, see the top of this file), not to rounding.
  Matrix scaled = x;
  scaled.col(3) *= 1e3;
  CHECK(std::abs(entropy(scaled) - entropy(x) - std::log(1e3)) < 0.03);
}

TEST_CASE("info: entropy of linearly mixed uniform sources matches log|det A| + Σ log(width)") {
  // D = 6 uniform sources on [0, 1) (H = 0 each) mixed by a well-conditioned A: H = log|det A|.
  // PCA-only Gaussianization misses about a tenth of a nat per dimension here; the ICA unmixing
  // before the 1-D estimates recovers the sources.
  constexpr Index kDims = 6;
  std::mt19937_64 engine(21);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Matrix sources(kN, kDims);
  for (Index c = 0; c < kDims; ++c)
    for (Index r = 0; r < kN; ++r) sources(r, c) = uniform(engine);
  const Matrix a = Matrix::Identity(kDims, kDims) +
                   0.4 * test::gaussian_sample(kDims, Matrix::Identity(kDims, kDims), 22);
  const double analytic = std::log(std::abs(a.determinant()));
  const double estimate = entropy(sources * a.transpose());
  MESSAGE("H " << estimate << " vs " << analytic);
  // 3% of the sum of the marginal entropies' scale (6 columns, ~0.05 nats each at N = 4000).
  CHECK(std::abs(estimate - analytic) < 0.15);
}

TEST_CASE("info: entropy refuses constant or collinear columns (H = −∞) with a message") {
  Matrix x = test::gaussian_sample(200, Matrix::Identity(3, 3), 23);
  Matrix constant = x;
  constant.col(1).setConstant(2.0);
  CHECK_THROWS_WITH_AS(entropy(constant), doctest::Contains("column 2 of x is constant"),
                       InputError);
  Matrix collinear = x;
  collinear.col(2) = 2.0 * x.col(0) - x.col(1);
  CHECK_THROWS_WITH_AS(entropy(collinear), doctest::Contains("linearly dependent"), InputError);
}

TEST_CASE("info: a column known from others makes T and I infinite; the others refuse it") {
  // Exact answers, not estimates: a copy or an affine function of other columns carries all their
  // information (T = I = +∞), the joint has no density (H = −∞, KL undefined).
  const Matrix x = test::gaussian_sample(300, Matrix::Identity(3, 3), 29);
  Matrix copy(x.rows(), 4);
  copy << x, (3.0 * x.col(2).array() - 1.0).matrix();
  CHECK(linear_dependence(copy) == std::vector<Index>{2, 3});
  CHECK_FALSE(linear_dependence(x));
  CHECK(std::isinf(total_correlation(copy)));
  CHECK(total_correlation_estimate(copy).fits.empty());
  // y's first column is x's second (a shared column): I(X;Y) = ∞.
  CHECK(std::isinf(mutual_information(x.leftCols(2), x.rightCols(2))));
  CHECK(mutual_information(x.leftCols(2), x.rightCols(2)) > 0.0);
  CHECK_THROWS_WITH_AS(mutual_information(copy.leftCols(2), copy.rightCols(2)),
                       doctest::Contains("columns 1 and 2 of y are linearly dependent"),
                       InputError);
  CHECK_THROWS_WITH_AS(conditional_mutual_information(x.col(0), x.col(1), copy.rightCols(2)),
                       doctest::Contains("linearly dependent"), InputError);
  CHECK_THROWS_WITH_AS(kl_divergence(copy, copy), doctest::Contains("columns 3 and 4 of p"),
                       InputError);
  Matrix constant = x;
  constant.col(2).setConstant(-1.5);
  CHECK_THROWS_WITH_AS(total_correlation(constant),
                       doctest::Contains("column 3 of x is constant (every value is -1.5)"),
                       InputError);
  CHECK_THROWS_WITH_AS(mutual_information(x.leftCols(2), constant.rightCols(1)),
                       doctest::Contains("column 1 of y is constant"), InputError);
}

TEST_CASE("info: mutual information of Gaussian blocks matches the determinant formula") {
  const Matrix covariance = correlated_covariance();
  const double analytic = gaussian_mi(covariance, 2);  // ≈ 0.14 nats
  const Matrix x = test::gaussian_sample(kN, covariance, 7);
  const double xy = mutual_information(x.leftCols(2), x.rightCols(2));
  const double yx = mutual_information(x.rightCols(2), x.leftCols(2));
  MESSAGE("I " << xy << " / " << yx << " vs " << analytic);
  // 0.05 nats: spread of a 4-D total correlation at N = 4000, about twice over.
  CHECK(std::abs(xy - analytic) < 0.05);
  // Symmetry holds only within noise (different fits): 0.03 nats.
  CHECK(std::abs(xy - yx) < 0.03);
}

TEST_CASE("info: mutual information of independent blocks is near zero") {
  const Matrix x = test::gaussian_sample(kN, correlated_covariance(), 8);
  const Matrix y = test::gaussian_sample(kN, correlated_covariance(), 9);
  // 0.03 nats: the noise floor, as for total correlation.
  CHECK(std::abs(mutual_information(x.leftCols(2), y.leftCols(3))) < 0.03);
}

TEST_CASE("info: conditional mutual information follows the chain rule on a Gaussian chain") {
  // X → Z → Y (Markov chain): I(X;Y|Z) = 0 while I(X;Y) > 0.
  Matrix covariance(3, 3);      // columns x, y, z; x = z + noise, y = z + noise
  covariance << 2.0, 1.0, 1.0,  //
      1.0, 2.0, 1.0,            //
      1.0, 1.0, 1.0;
  const Matrix s = test::gaussian_sample(kN, covariance, 10);
  const double conditional = conditional_mutual_information(s.col(0), s.col(1), s.col(2));
  MESSAGE("I(X;Y|Z) " << conditional);
  // 0.04 nats: a difference of two MI estimates, each within about 0.02 of the truth.
  CHECK(std::abs(conditional) < 0.04);
  CHECK(mutual_information(s.col(0), s.col(1)) ==
        doctest::Approx(gaussian_mi(covariance.topLeftCorner(2, 2), 1)).epsilon(0.15));
}

TEST_CASE("info: kl divergence between Gaussians matches the closed form") {
  const Matrix sp = test::random_covariance(2, 11);
  const Matrix sq = test::random_covariance(2, 12);
  Vector mu(2);
  mu << 0.5, -0.3;
  const Matrix sq_inv = sq.inverse();
  const double analytic =
      0.5 * ((sq_inv * sp).trace() + mu.dot(sq_inv * mu) - 2.0 + log_det(sq) - log_det(sp));
  Matrix p = test::gaussian_sample(kN, sp, 13);
  p.rowwise() += mu.transpose();
  const Matrix q = test::gaussian_sample(kN, sq, 14);
  const double estimate = kl_divergence(p, q);
  MESSAGE("KL " << estimate << " vs " << analytic);
  // 0.06 nats: T spread (0.02) plus two calibrated m-spacing negentropies (≈ 0.015 each), and
  // the model of Q evaluated out of sample.
  CHECK(std::abs(estimate - analytic) < 0.06);
  // P = Q in distribution: near zero (same 0.06 budget).
  CHECK(std::abs(kl_divergence(test::gaussian_sample(kN, sq, 15), q)) < 0.06);
}

TEST_CASE("info: mismatched or too small inputs throw naming both sizes") {
  const Matrix a = test::gaussian_sample(100, Matrix::Identity(2, 2), 16);
  const Matrix b = test::gaussian_sample(90, Matrix::Identity(3, 3), 17);
  CHECK_THROWS_WITH_AS(mutual_information(a, b),
                       doctest::Contains("x has 100 rows but y has 90 rows"), DimensionError);
  CHECK_THROWS_WITH_AS(conditional_mutual_information(a, a, b),
                       doctest::Contains("x has 100 rows but z has 90 rows"), DimensionError);
  CHECK_THROWS_WITH_AS(kl_divergence(a, b),
                       doctest::Contains("p has 2 columns but q has 3 columns"), DimensionError);
  CHECK_THROWS_WITH_AS(entropy(a.topRows(5)),
                       doctest::Contains("entropy: x needs at least 10 rows (got 5)"), InputError);
  Matrix bad = a;
  bad(3, 1) = std::nan("");
  CHECK_THROWS_WITH_AS(total_correlation(bad), doctest::Contains("total correlation:4:2"),
                       InputError);
}

TEST_CASE("info: the bootstrap interval of a mean matches its analytic standard error") {
  // For the mean of N(0, 1) samples the 95 % interval is ±1.96/√N; 400 resamples estimate its
  // width to about ±7 %, so 15 % is a safe margin that still fails a wrong resampler.
  const Matrix x = test::gaussian_sample(2000, Matrix::Identity(1, 1), 31);
  const auto mean = [](ConstMatrixRef rows) { return rows.mean(); };
  const Interval interval = bootstrap_interval(mean, x, 400, 7);
  CHECK(interval.low < x.mean());
  CHECK(interval.high > x.mean());
  CHECK((interval.high - interval.low) / 2 ==
        doctest::Approx(1.96 / std::sqrt(2000.0)).epsilon(0.15));
  const Interval again = bootstrap_interval(mean, x, 400, 7);
  CHECK(again.low == interval.low);
  CHECK(again.high == interval.high);
  // Two samples: the interval of a difference of means has half-width 1.96·√(1/N_a + 1/N_b).
  const Matrix y = test::gaussian_sample(500, Matrix::Identity(1, 1), 32);
  const auto difference = [](ConstMatrixRef a, ConstMatrixRef b) { return a.mean() - b.mean(); };
  const Interval two = bootstrap_interval(difference, x, y, 400, 8);
  CHECK((two.high - two.low) / 2 ==
        doctest::Approx(1.96 * std::sqrt(1.0 / 2000 + 1.0 / 500)).epsilon(0.15));
  CHECK_THROWS_WITH_AS(bootstrap_interval(mean, x, 1, 7), doctest::Contains("at least 2 (got 1)"),
                       OptionError);
  CHECK_THROWS_AS(bootstrap_interval(mean, x, 10, 7, 1.0), OptionError);
}

TEST_CASE("info: total correlation of 50 independent uniform columns is near zero (issue 14)") {
  // Before the PCA bias correction was limited to the correlation noise each layer renews
  // (fit/pca_bias.hpp), this read −0.10 nats at D = 50 and −4.4 at D = 256; the target
  // is |T| ≤ 0.05 at D ≤ 10 and ≤ 0.25 at D ≥ 100, so 0.05 at D = 50.
  std::mt19937_64 engine(21);
  std::uniform_real_distribution<double> uniform;
  Matrix x(2000, 50);
  for (Index c = 0; c < x.cols(); ++c)
    for (Index r = 0; r < x.rows(); ++r) x(r, c) = uniform(engine);
  CHECK(std::abs(total_correlation(x)) < 0.05);
}

TEST_CASE("info: mutual information of two 12-column equicorrelated blocks (issue 14)") {
  // Σ = ½I + ½·11ᵀ over 24 columns: every pair of columns correlated 0.5. Subtracting the PCA
  // bias D(D−1)/(4N) for every pair (within-block pairs too, though each block was whitened)
  // read 1.09 for 1.62 nats at 50 + 50; 5 % is the target.
  const Index d = 24;
  const Matrix covariance = 0.5 * Matrix::Identity(d, d) + 0.5 * Matrix::Ones(d, d);
  const Matrix x = test::gaussian_sample(kN, covariance, 23);
  const double analytic = gaussian_mi(covariance, d / 2);
  CHECK(mutual_information(x.leftCols(d / 2), x.rightCols(d / 2)) ==
        doctest::Approx(analytic).epsilon(0.05));
}

TEST_CASE("info: the half-sampling interval of a mean has the mean's own width") {
  // For the sample mean the interval's half width is z·σ/√N exactly in expectation: 200 halves
  // estimate the sd within about 5 % (1/√(2·200)), so 15 % is a 3-sd tolerance.
  const Matrix x = test::gaussian_sample(kN, 4.0 * Matrix::Identity(1, 1), 29);  // σ = 2
  const auto mean = [](ConstMatrixRef rows) { return rows.col(0).mean(); };
  const Interval interval = subsample_interval(mean, x, 200, 31);
  const double expected = 1.959964 * 2.0 / std::sqrt(static_cast<double>(kN));
  CHECK((interval.high - interval.low) / 2.0 == doctest::Approx(expected).epsilon(0.15));
  // The mean has no bias: the interval is centred on the estimate, up to the halves' noise.
  CHECK(std::abs((interval.high + interval.low) / 2.0 - x.col(0).mean()) < 0.3 * expected);
  CHECK_THROWS_AS(subsample_interval(mean, x, 1, 31), OptionError);
}

TEST_CASE("info: entropy follows H(g(X)) = H(X) + Σ E log g′ for increasing per-column maps") {
  // Issue 14, item 4: a correlated Gaussian with its columns through x³, eˣ and Φ(x). The ICA
  // frame alone read 2.18 for 2.07 at D = 2 and 13.1 for 9.7 at D = 10 (N = 10,000); the
  // estimate now keeps the lower of the raw-column and the unmixed frames.
  Matrix covariance(3, 3);
  covariance << 1.0, 0.6, 0.3,  //
      0.6, 1.5, 0.5,            //
      0.3, 0.5, 0.8;
  Matrix x = test::gaussian_sample(kN, covariance, 41);
  for (Index r = 0; r < x.rows(); ++r) {
    x(r, 0) = x(r, 0) * x(r, 0) * x(r, 0);
    x(r, 1) = std::exp(x(r, 1));
    x(r, 2) = 0.5 * std::erfc(-x(r, 2) / std::sqrt(2.0));
  }
  constexpr double kEulerGamma = 0.57721566490153286;
  constexpr double kPi = 3.14159265358979324;
  // E log 3X² = log 3 + log σ² − γ − log 2; E log eˣ = E X = 0; E log φ(X) = −½·log 2π − σ²/2.
  const double log_derivatives = std::log(3.0) + std::log(covariance(0, 0)) - kEulerGamma -
                                 std::log(2.0) - 0.5 * std::log(2.0 * kPi) - 0.5 * covariance(2, 2);
  const double analytic = test::gaussian_entropy(covariance) + log_derivatives;
  const double estimate = entropy(x);
  MESSAGE("H " << estimate << " vs " << analytic);
  // The marginals' spread at N = 4000 (x³: 0.045, eˣ: 0.02, Φ: 0.004 nats) and T's (0.03):
  // 0.15 is about 3 combined spreads.
  CHECK(std::abs(estimate - analytic) < 0.15);
}
