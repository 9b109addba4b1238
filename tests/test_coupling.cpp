// The conditional affine destructor (coupling.hpp) as a map and as a layer: the fit recovers a
// known conditional mean and log-scale, inverse undoes forward (far and NaN rows included), the
// log-determinant against finite differences, a 2-D model that integrates to one, model bytes
// (format 9), stored maps that are not triangular refused, no pair on independent columns, and a
// fit that picks it on Neal's funnel, whose conditionals are Gaussian with a scale e^(v/2).

#include <rbig/coupling.hpp>
#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>

#include "support/invariants.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace rbig;

namespace {

constexpr double kLogSqrt2Pi = 0.91893853320467274178;

double true_shift(double c) { return 0.5 * (c * c - 1.0); }
double true_log_scale(double c) { return 0.4 * c; }

/// z1 ~ N(0, 1), z2 | z1 ~ N(true_shift(z1), exp(2·true_log_scale(z1))).
Matrix conditional_sample(Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const double c = normal(rng);
    x(i, 0) = c;
    x(i, 1) = true_shift(c) + std::exp(true_log_scale(c)) * normal(rng);
  }
  return x;
}

/// Neal's funnel: v ~ N(0, 1.5²), x | v ~ N(0, e^v); columns (v, x).
Matrix funnel(Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    x(i, 0) = 1.5 * normal(rng);
    x(i, 1) = std::exp(0.5 * x(i, 0)) * normal(rng);
  }
  return x;
}

double funnel_log_density(double v, double x) {
  return -2.0 * kLogSqrt2Pi - std::log(1.5) - 0.5 * (v / 1.5) * (v / 1.5) - 0.5 * v -
         0.5 * x * x * std::exp(-v);
}

/// A coupling layer: kde marginals fitted to x, the coupling map fitted to their output, a
/// random rotation.
Layer coupling_layer(ConstMatrixRef x, std::uint64_t rotation_seed) {
  FitOptions options;
  options.bandwidth_rule = BandwidthRule::Silverman;
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  Matrix y = x;
  for (Index d = 0; d < x.cols(); ++d) {
    marginals.push_back(make_marginal(MarginalKind::Kde, options));
    marginals.back()->fit(x.col(d));
    marginals.back()->forward(y.col(d), y.col(d));
  }
  CouplingMap coupling = CouplingMap::fit(y);
  return Layer(std::move(marginals), std::move(coupling),
               Rotation::random(x.cols(), rotation_seed));
}

std::uint32_t format_version(const std::string& bytes) {
  std::uint32_t version = 0;
  std::memcpy(&version, bytes.data() + 8, sizeof version);
  return version;
}

}  // namespace

TEST_CASE("coupling map: recovers a known conditional mean and scale, and its likelihood gain") {
  const Matrix x = conditional_sample(20000, 1);
  const CouplingMap map = CouplingMap::fit(x);
  REQUIRE(map.pairs().size() == 1);
  const CouplingPair& pair = map.pairs().front();
  CHECK(pair.target == 1);
  CHECK(pair.conditioner == 0);
  // Knots at −4, −3.5, …, 4: those within 1.5 standard deviations hold a thousand rows or more.
  for (Index k = 5; k <= 11; ++k) {
    const double c = -4.0 + 0.5 * static_cast<double>(k);
    INFO("knot " << c);
    CHECK(std::abs(pair.shift[k] - true_shift(c)) < 0.15);
    CHECK(std::abs(pair.log_scale[k] - true_log_scale(c)) < 0.1);
  }
  // The gain in expected log-likelihood of column 2 under N(0, 1): E[½z2²] − E[½ε² + s(z1)]
  // = ½(Var m + E e^(2s)) − ½ − E s = ½(0.5 + e^0.32) − ½ (E s = 0; Var ½(c² − 1) = 0.5).
  const double expected = 0.5 * (0.5 + std::exp(0.32)) - 0.5;
  CHECK(map.training_gain() == doctest::Approx(expected).epsilon(0.05));
  // The mapped column is N(0, 1) given the conditioner: its moments in two halves of z1.
  Matrix z = x;
  Vector log_det = Vector::Zero(x.rows());
  map.forward(z, log_det);
  for (const bool upper : {false, true}) {
    double n = 0.0, sum = 0.0, square = 0.0;
    for (Index i = 0; i < x.rows(); ++i) {
      if ((x(i, 0) > 0.0) != upper) continue;
      n += 1.0;
      sum += z(i, 1);
      square += z(i, 1) * z(i, 1);
    }
    CHECK(std::abs(sum / n) < 0.05);
    CHECK(square / n == doctest::Approx(1.0).epsilon(0.05));
  }
}

TEST_CASE("coupling map: inverse undoes forward, far rows stay finite, NaN stays NaN") {
  const CouplingMap map = CouplingMap::fit(conditional_sample(4000, 2));
  REQUIRE(!map.pairs().empty());
  Matrix rows(7, 2);
  rows << 0.3, -1.2, 2.0, 4.0, -3.0, 0.1, 12.0, -12.0, -40.0, 35.0, 1e6, -1e6, -7.5, 1e-3;
  Matrix z = rows;
  Vector log_det = Vector::Zero(rows.rows());
  map.forward(z, log_det);
  REQUIRE(z.allFinite());
  REQUIRE(log_det.allFinite());
  // log|det| = −s(z_c): the conditioner passes unchanged, so the Jacobian is triangular with
  // diagonal (1, e^−s).
  CHECK((z.col(0) - rows.col(0)).cwiseAbs().maxCoeff() == 0.0);
  const Vector forward_log_det = log_det;
  map.inverse(z, log_det);
  for (Index i = 0; i < rows.rows(); ++i)
    for (Index d = 0; d < 2; ++d)
      CHECK(std::abs(z(i, d) - rows(i, d)) <= 1e-12 * (1.0 + std::abs(rows(i, d))));
  CHECK(log_det.cwiseAbs().maxCoeff() < 1e-12 * (1.0 + forward_log_det.cwiseAbs().maxCoeff()));
  Matrix nan_row = Matrix::Zero(1, 2);
  nan_row(0, 0) = std::numeric_limits<double>::quiet_NaN();
  Vector nan_log_det = Vector::Zero(1);
  map.forward(nan_row, nan_log_det);
  CHECK(std::isnan(nan_log_det[0]));
  CHECK(std::isnan(nan_row(0, 1)));
}

TEST_CASE("coupling map: independent columns get no pair, and the map is then the identity") {
  for (std::uint64_t seed : {3u, 4u, 5u}) {
    const Matrix x = test::gaussian_sample(3000, Matrix::Identity(4, 4), seed);
    const CouplingMap map = CouplingMap::fit(x);
    CHECK(map.pairs().empty());
    Matrix y = x.topRows(50);
    Vector log_det = Vector::Zero(50);
    map.forward(y, log_det);
    CHECK((y - x.topRows(50)).cwiseAbs().maxCoeff() == 0.0);
    CHECK(log_det.cwiseAbs().maxCoeff() == 0.0);
  }
}

TEST_CASE("coupling layer: the log-determinant matches a finite-difference Jacobian") {
  const Matrix x = funnel(3000, 5);
  const Layer layer = coupling_layer(x, 9);
  REQUIRE(layer.is_coupling());
  REQUIRE(!layer.coupling().pairs().empty());
  test::check_layer_log_det(layer, x, 8);
}

TEST_CASE("coupling layer: a 2-D model of it integrates to one and survives its bytes") {
  const Matrix x = conditional_sample(3000, 6);
  std::vector<Layer> layers;
  layers.push_back(coupling_layer(x, 4));
  REQUIRE(!layers.front().coupling().pairs().empty());
  const Model model = Model::from_layers(std::move(layers));
  CHECK(test::model_density_integral_2d(model, -8, 8, -8, 14, 500) ==
        doctest::Approx(1.0).epsilon(0.01));
  const std::string bytes = model.to_bytes();
  CHECK(format_version(bytes) == 9);
  const Model loaded = Model::from_bytes(bytes);
  REQUIRE(loaded.layers().front().is_coupling());
  const Vector a = model.log_prob(x.topRows(200));
  const Vector b = loaded.log_prob(x.topRows(200));
  CHECK((a - b).cwiseAbs().maxCoeff() == 0.0);
  CHECK(loaded.to_bytes() == bytes);
  const Matrix z = model.transform(x.topRows(200));
  CHECK((model.inverse(z) - x.topRows(200)).cwiseAbs().maxCoeff() < 1e-9);
  Matrix far(3, 2);
  far << 50.0, -60.0, -1e4, 3.0, 0.5, 1e5;
  CHECK(model.log_prob(far).allFinite());
}

TEST_CASE("coupling map: stored pairs that are not triangular are refused") {
  const auto pair = [](std::int32_t target, std::int32_t conditioner) {
    return CouplingPair{target, conditioner, Vector::Zero(5), Vector::Zero(5)};
  };
  CHECK(CouplingMap(3, 5, 4.0, {pair(1, 0), pair(2, 0)}).pairs().size() == 2);
  CHECK_THROWS_WITH_AS(CouplingMap(3, 5, 4.0, {pair(1, 0), pair(1, 2)}),
                       doctest::Contains("each column is the target of at most one pair"),
                       OptionError);
  CHECK_THROWS_WITH_AS(CouplingMap(3, 5, 4.0, {pair(1, 0), pair(2, 1)}),
                       doctest::Contains("no target conditions another"), OptionError);
  CHECK_THROWS_WITH_AS(CouplingMap(3, 5, 4.0, {pair(2, 1), pair(1, 0)}),
                       doctest::Contains("no target conditions another"), OptionError);
  CHECK_THROWS_WITH_AS(CouplingMap(3, 5, 4.0, {pair(3, 0)}),
                       doctest::Contains("column 3 given column 0 of 3"), DimensionError);
  CHECK_THROWS_WITH_AS(CouplingMap(3, 5, 4.0, {pair(1, 1)}), doctest::Contains("given column 1"),
                       DimensionError);
  CouplingPair short_pair = pair(1, 0);
  short_pair.shift = Vector::Zero(4);
  CHECK_THROWS_AS(CouplingMap(3, 5, 4.0, {short_pair}), OptionError);
  CouplingPair steep = pair(1, 0);
  steep.log_scale[2] = 31.0;
  CHECK_THROWS_AS(CouplingMap(3, 5, 4.0, {steep}), OptionError);
  CHECK_THROWS_AS(CouplingMap(3, 1, 4.0, {}), OptionError);
}

TEST_CASE("coupling fit: chosen on Neal's funnel, better held out, same bits on 1 and 2 threads") {
  const Matrix x = funnel(3000, 11);
  const Matrix test_rows = funnel(3000, 12);
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.bandwidth_rule = BandwidthRule::Silverman;
  options.seed = 3;
  options.mixture = false;  // coupling layers against the plain cascade, not the mixture layer
  const Model plain = Model::fit(x, options);
  options.coupling = true;
  options.threads = 1;
  const Model coupled = Model::fit(x, options);
  CHECK(std::count_if(coupled.layers().begin(), coupled.layers().end(),
                      [](const Layer& layer) { return layer.is_coupling(); }) >= 1);
  CHECK(std::none_of(plain.layers().begin(), plain.layers().end(),
                     [](const Layer& layer) { return layer.is_coupling(); }));
  double truth = 0.0;
  for (Index i = 0; i < test_rows.rows(); ++i)
    truth += funnel_log_density(test_rows(i, 0), test_rows(i, 1));
  truth /= static_cast<double>(test_rows.rows());
  const double plain_gap = truth - plain.log_prob(test_rows).mean();
  const double coupled_gap = truth - coupled.log_prob(test_rows).mean();
  INFO("held-out KL gap: plain " << plain_gap << ", coupling " << coupled_gap);
  CHECK(coupled_gap < plain_gap);
  CHECK(format_version(plain.to_bytes()) == 5);
  CHECK(coupled.sample(2000, 1).allFinite());
  const Model loaded = Model::from_bytes(coupled.to_bytes());
  CHECK(loaded.options().coupling);
  CHECK((loaded.log_prob(test_rows) - coupled.log_prob(test_rows)).cwiseAbs().maxCoeff() == 0.0);
  options.threads = 2;
  CHECK(Model::fit(x, options).to_bytes() == coupled.to_bytes());
}

TEST_CASE("coupling fit: refused with a work file and with tree") {
  FitOptions options;
  options.coupling = true;
  options.work_file = "/tmp/rbig-coupling-work";
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("not supported with coupling"),
                       OptionError);
  options.work_file.clear();
  options.tree = true;
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("not supported with tree"),
                       OptionError);
}
