#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "stats/normal.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"

#include <Eigen/LU>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace rbig;

namespace {

// Largest deviation of the empirical CDF of v from Φ (the Kolmogorov–Smirnov statistic).
double ks_statistic_vs_normal(Vector v) {
  std::sort(v.data(), v.data() + v.size());
  double worst = 0.0;
  const double n = static_cast<double>(v.size());
  for (Index i = 0; i < v.size(); ++i) {
    const double cdf = detail::normal_cdf(v[i]);
    worst = std::max({worst, std::abs(cdf - double(i) / n), std::abs(cdf - double(i + 1) / n)});
  }
  return worst;
}

}  // namespace

TEST_CASE("model: inverse undoes transform inside the data and far outside it") {
  const Matrix x = test::ring_sample(4000, 1);
  FitOptions options;
  // The default fit (model selection, refit) with a bounded depth and Silverman's bandwidth (no
  // bandwidth stage): neither is the subject.
  options.max_layers = 40;
  options.bandwidth_rule = BandwidthRule::Silverman;
  SUBCASE("pca") {}
  SUBCASE("random") { options.rotation = RotationKind::Random; }
  SUBCASE("ica") { options.rotation = RotationKind::Ica; }
  SUBCASE("pursuit") { options.rotation = RotationKind::Pursuit; }
  SUBCASE("sliced") { options.rotation = RotationKind::Sliced; }
  const Model model = Model::fit(x, options);
  const Matrix back = model.inverse(model.transform(x));
  CHECK(((back - x).array().abs() / x.array().abs().max(1.0)).maxCoeff() < 1e-9);

  Matrix far(4, 2);  // 10 standard deviations (sd ≈ 0.7) and more away from the ring
  far << 8.0, 0.0, -8.0, 7.0, 0.0, -30.0, 1e6, -1e6;
  const Matrix far_back = model.inverse(model.transform(far));
  CHECK(((far_back - far).array().abs() / far.array().abs().max(1.0)).maxCoeff() < 1e-6);
  CHECK(model.log_prob(far).allFinite());
}

TEST_CASE("model: every marginal kind inverts and scores rows far beyond its support") {
  // Layers call the marginal maps in place; a map that read its input after writing its output
  // would go wrong exactly here, beyond the support.
  const Matrix x = test::ring_sample(3000, 4);
  Matrix far(5, 2);  // and the ring's empty centre, between a mixture's components
  far << 8.0, 0.0, -8.0, 7.0, 0.0, -30.0, 1e6, -1e6, 0.0, 0.0;
  int mixtures_kept = 0;
  for (MarginalKind kind :
       {MarginalKind::Histogram, MarginalKind::Kde, MarginalKind::Spline, MarginalKind::Gaussian}) {
    for (const bool mixture : {false, true}) {  // the marginals' tails, then a mixture's first
      CAPTURE(to_string(kind));
      CAPTURE(mixture);
      FitOptions options;
      options.marginal = kind;
      options.mixture = mixture;
      const Model model = Model::fit(x, options);
      // Offered, not kept everywhere: the marginal kinds that Gaussianize the ring well do without.
      if (!mixture) REQUIRE(!model.layers().front().is_mixture());
      if (model.layers().front().is_mixture()) ++mixtures_kept;
      const Matrix far_back = model.inverse(model.transform(far));
      CHECK(((far_back - far).array().abs() / far.array().abs().max(1.0)).maxCoeff() < 1e-6);
      const Vector log_p = model.log_prob(far);
      REQUIRE(log_p.allFinite());
      // The far rows (not the centre, which the plain cascades fill in) are less likely than data.
      CHECK(log_p.head(4).maxCoeff() < model.log_prob(x).minCoeff());
    }
  }
  CHECK(mixtures_kept >= 2);
}

TEST_CASE("model: exp(log p) integrates to one in 1-D and 2-D") {
  SUBCASE("1-D bimodal") {
    Matrix x = test::ring_sample(3000, 2).col(0);
    FitOptions options;
    options.max_layers = 20;  // the default fit, with a bounded depth: the depth is not the subject
    const Model model = Model::fit(x, options);
    constexpr Index kPoints = 400000;
    Matrix grid(kPoints, 1);
    const double lo = -12.0, hi = 12.0, h = (hi - lo) / kPoints;
    for (Index i = 0; i < kPoints; ++i) grid(i, 0) = lo + (double(i) + 0.5) * h;
    CHECK(model.log_prob(grid).array().exp().sum() * h == doctest::Approx(1.0).epsilon(1e-3));
  }
  SUBCASE("2-D ring") {
    FitOptions options;
    options.max_layers = 20;
    SUBCASE("pca") {}
    SUBCASE("pursuit") { options.rotation = RotationKind::Pursuit; }
    // Not sliced: an orthogonal kind like pursuit, and its fit would double the test's time;
    // its Jacobian and inverse are checked in the tests around this one.
    const Model model = Model::fit(test::ring_sample(3000, 3), options);
    // The ring lies within radius 1.5; ±3 leaves out less than 1e-6 of the model mass (tails).
    // 2000² stratified points: the estimate scatters by about 5e-4 on this spiky density.
    CHECK(test::model_density_integral_2d(model, -3, 3, -3, 3, 2000) ==
          doctest::Approx(1.0).epsilon(1e-3));
  }
}

TEST_CASE("model: log|det J| matches a finite-difference Jacobian determinant") {
  const Matrix x = test::two_moons_sample(3000, 0.1, 4);
  FitOptions options;
  options.max_layers = 40;  // the default fit, with a bounded depth: the depth is not the subject
  SUBCASE("pca") { options.rotation = RotationKind::Pca; }
  SUBCASE("ica (non-orthogonal: its log|det R| is part of the Jacobian)") {
    options.rotation = RotationKind::Ica;
  }
  SUBCASE("pursuit") { options.rotation = RotationKind::Pursuit; }
  SUBCASE("sliced") { options.rotation = RotationKind::Sliced; }
  const Model model = Model::fit(x, options);
  REQUIRE(model.layers().size() >= 2);
  const Matrix points = test::two_moons_sample(20, 0.1, 5);
  const Vector log_p = model.log_prob(points);
  const Matrix z = model.transform(points);
  int compared = 0;
  for (Index r = 0; r < points.rows(); ++r) {
    // log|det J| = log p(x) − log N(G(x); 0, I).
    const double log_det = log_p[r] - (-0.5 * z.row(r).squaredNorm() - 2 * detail::kLogSqrt2Pi);
    const double h = 1e-7;
    Matrix stencil(4, 2);
    stencil << points.row(r), points.row(r), points.row(r), points.row(r);
    stencil(0, 0) += h;
    stencil(1, 0) -= h;
    stencil(2, 1) += h;
    stencil(3, 1) -= h;
    const Matrix zs = model.transform(stencil);
    Matrix jacobian(2, 2);
    jacobian.col(0) = (zs.row(0) - zs.row(1)).transpose() / (2 * h);
    jacobian.col(1) = (zs.row(2) - zs.row(3)).transpose() / (2 * h);
    const double fd = std::log(std::abs(jacobian.determinant()));
    // A stencil straddling a bin edge (kink of the piecewise-linear CDF) is skipped: detected by
    // disagreement of one-sided differences.
    const Matrix zs_plus = model.transform(stencil.topRows(1));
    const Matrix z_here = model.transform(points.row(r));
    const double one_sided =
        ((zs_plus.row(0) - z_here.row(0)) / h - jacobian.col(0).transpose()).norm();
    if (one_sided > 1e-3 * jacobian.col(0).norm()) continue;
    CAPTURE(r);
    CHECK(fd == doctest::Approx(log_det).epsilon(1e-5).scale(1.0));
    ++compared;
  }
  CHECK(compared >= 15);
}

TEST_CASE("model: held-out log-likelihood of Gaussians is within 0.03 nats of −H") {
  for (Index dims : {2, 5}) {
    CAPTURE(dims);
    const Matrix covariance = test::random_covariance(dims, 100 + std::uint64_t(dims));
    const Matrix train = test::gaussian_sample(20000, covariance, 1);
    const Matrix test_rows = test::gaussian_sample(20000, covariance, 2);
    const Model model = Model::fit(train, FitOptions{});
    const Vector model_log_p = model.log_prob(test_rows);
    const Vector true_log_p = test::gaussian_log_density(test_rows, covariance);
    // Paired gap: an estimate of KL(p‖model) with the sampling noise of the test rows cancelled.
    const double gap = true_log_p.mean() - model_log_p.mean();
    MESSAGE("dims " << dims << ": layers " << model.layers().size() << ", KL gap " << gap
                    << ", mean log p " << model_log_p.mean() << ", −H "
                    << -test::gaussian_entropy(covariance));
    CHECK(gap < 0.03);
    CHECK(gap > -0.01);  // KL ≥ 0 up to the noise of a 20,000-row mean of a small difference
    // Unpaired, as the issue states it: 20,000 rows give a standard error of sqrt(D/2)/141.
    const double standard_error = std::sqrt(double(dims) / 2.0) / std::sqrt(20000.0);
    CHECK(std::abs(model_log_p.mean() + test::gaussian_entropy(covariance)) <
          0.03 + 3 * standard_error);

    // Latent marginals are N(0, 1) by a KS test at the 1% level (critical value 1.63/√N) and
    // the latent correlations are those of independent data (|r| < 4/√N).
    const Matrix z = model.transform(test_rows);
    for (Index d = 0; d < dims; ++d)
      CHECK(ks_statistic_vs_normal(z.col(d)) < 1.63 / std::sqrt(20000.0));
    const Matrix centred = z.rowwise() - z.colwise().mean();
    const Matrix cov = centred.transpose() * centred / 19999.0;
    for (Index i = 0; i < dims; ++i) {
      for (Index j = 0; j < i; ++j) {
        CHECK(std::abs(cov(i, j) / std::sqrt(cov(i, i) * cov(j, j))) < 4.0 / std::sqrt(20000.0));
      }
    }
  }
}

TEST_CASE("model: every draw of a deep model inverts to a finite row") {
  // An 85-layer kde fit of two moons: with the tails of model format 2 (purely logarithmic, slope
  // from the density floor at the grid edge) about 3 draws in 10,000 overflowed while inverting.
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.mixture = false;   // a mixture first layer would leave a 5-layer cascade
  options.coupling = false;  // and so would the coupling challenger
  const Model model = Model::fit(test::two_moons_sample(6000, 0.1, 7).topRows(5000), options);
  MESSAGE(model.layers().size() << " layers");
  REQUIRE(model.layers().size() >= 40);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Matrix draws = model.sample(10000, seed);  // throws NumericalError on a non-finite row
    CHECK(draws.allFinite());
  }
}

TEST_CASE("model: a deep, damped, wide-kernel model inverts far latent points and every draw") {
  // 200 damped layers; for kde with kernels of 0.3 sd (the kind of model the default chooses for
  // mixtures): with the kde tails of model format 4, about one draw in 10,000 of such a model
  // overflowed. The histogram and spline tails never did; they are held to the same check.
  FitOptions options;
  SUBCASE("kde") { options.marginal = MarginalKind::Kde; }
  SUBCASE("histogram") { options.marginal = MarginalKind::Histogram; }
  SUBCASE("spline") { options.marginal = MarginalKind::Spline; }
  options.damping = 0.3;
  options.bandwidth = 0.3;  // used by kde only
  options.layers = 200;
  const Model model = Model::fit(test::two_moons_sample(2000, 0.1, 8), options);
  Matrix far(32, 2);
  for (Index i = 0; i < 32; ++i) {
    const double angle = 0.19634954084936207 * static_cast<double>(i % 16);  // π/16 steps
    const double radius = i < 16 ? 6.0 : 8.0;
    far(i, 0) = radius * std::cos(angle);
    far(i, 1) = radius * std::sin(angle);
  }
  CHECK(model.inverse(far).allFinite());  // throws NumericalError on a non-finite row
  CHECK(model.sample(20000, 3).allFinite());
}

TEST_CASE("model: samples of a ring and of two moons pass an energy two-sample test") {
  const Matrix ring = test::ring_sample(6000, 6);
  const Matrix moons = test::two_moons_sample(6000, 0.1, 7);
  for (const Matrix* data : {&ring, &moons}) {
    FitOptions options;
    options.max_layers = 60;  // the default fit, with a bounded depth: the depth is not the subject
    options.bandwidth_rule = BandwidthRule::Silverman;  // nor is the bandwidth stage
    const Model model = Model::fit(data->topRows(5000), options);
    const Matrix draws = model.sample(400, 8);
    const double p = test::energy_test_p_value(draws, data->bottomRows(400), 200, 9);
    MESSAGE("energy test p-value " << p << " with " << model.layers().size() << " layers");
    CHECK(p > 0.01);
    // The test has power: a Gaussian with the data's mean and covariance is rejected.
    const Matrix centred = data->rowwise() - data->colwise().mean();
    const Matrix gaussian = test::gaussian_sample(400, centred.transpose() * centred / 5999.0, 10);
    CHECK(test::energy_test_p_value(gaussian, data->bottomRows(400), 200, 11) < 0.01);
  }
}

TEST_CASE("model: sampling is reproducible from its seed and differs between seeds") {
  FitOptions options;
  options.max_layers = 40;  // the default fit, with a bounded depth: the depth is not the subject
  const Model model = Model::fit(test::ring_sample(2000, 12), options);
  CHECK(model.sample(50, 1) == model.sample(50, 1));
  CHECK(model.sample(50, 1) != model.sample(50, 2));
  CHECK(model.sample(0, 1).rows() == 0);
}

TEST_CASE("model: a row's draw, map and score do not depend on the rows beside it") {
  // What `mpirun rbig score|transform|inverse|sample` relies on: each process computes its own
  // rows, and the output must be the one-process output bit for bit.
  FitOptions options;
  options.max_layers = 6;
  const Model model = Model::fit(test::ring_sample(2000, 3), options);
  const Matrix whole = model.sample(3000, 17);
  for (const Index first : {Index{0}, Index{1}, Index{1023}, Index{1024}, Index{1500}}) {
    CAPTURE(first);
    const Index count = 3000 - first - 7;
    CHECK(model.sample_rows(first, count, 17) == whole.middleRows(first, count));
    const Matrix part = whole.middleRows(first, count);
    CHECK(model.transform(part) == model.transform(whole).middleRows(first, count));
    CHECK(model.log_prob(part) == model.log_prob(whole).segment(first, count));
  }
  CHECK(model.sample_rows(5, 0, 17).rows() == 0);
}

TEST_CASE("model: evaluation refuses data of the wrong width or with non-finite values") {
  const Model model = Model::fit(test::ring_sample(500, 13), FitOptions{});
  CHECK_THROWS_WITH_AS(model.log_prob(Matrix::Zero(3, 3)),
                       doctest::Contains("model has 2 dimensions, data has 3 columns"),
                       DimensionError);
  Matrix bad = Matrix::Zero(3, 2);
  bad(1, 1) = std::nan("");
  CHECK_THROWS_WITH_AS(model.log_prob(bad), doctest::Contains(":2:2"), InputError);
  CHECK_THROWS_AS(model.inverse(Matrix::Zero(1, 5)), DimensionError);
}

TEST_CASE("model: far-away rows get finite log-densities that decrease with distance") {
  const Model model = Model::fit(test::ring_sample(2000, 14), FitOptions{});
  Matrix far(5, 2);
  far << 0, 1, 0, 3, 0, 30, 0, 3e5, 0, 1e300;
  const Vector log_p = model.log_prob(far);
  REQUIRE(log_p.allFinite());
  for (Index i = 1; i < far.rows(); ++i) CHECK(log_p[i] < log_p[i - 1]);
}

TEST_CASE("model: damped layers keep every contract: inverse, Jacobian, unit mass") {
  FitOptions options;
  options.marginal = MarginalKind::Kde;  // damping is the subject
  options.bandwidth_rule = BandwidthRule::Silverman;
  options.max_layers = 100;
  options.damping = 0.3;
  options.validation = 0.2;
  options.validation_patience = 5;
  const Matrix x = test::two_moons_sample(3000, 0.1, 15);
  const Model model = Model::fit(x, options);
  CHECK(model.layers().size() >= 3);
  const Matrix back = model.inverse(model.transform(x));
  CHECK(((back - x).array().abs() / x.array().abs().max(1.0)).maxCoeff() < 1e-9);
  Matrix far(2, 2);
  far << 30.0, -30.0, -1e6, 1e6;
  const Matrix far_back = model.inverse(model.transform(far));
  CHECK(((far_back - far).array().abs() / far.array().abs()).maxCoeff() < 1e-6);
  CHECK(model.log_prob(far).allFinite());
  CHECK(test::model_density_integral_2d(model, -3, 3, -3, 3, 1000) ==
        doctest::Approx(1.0).epsilon(2e-3));
}
