// The conditional affine destructor (coupling.hpp) as a map and as a layer: the fit recovers a
// known conditional mean and log-scale, inverse undoes forward (far and NaN rows included), the
// log-determinant against finite differences, a 2-D model that integrates to one, model bytes
// (format 9), stored maps that are not triangular refused, no pair on independent columns, a
// fit that picks it on Neal's funnel, whose conditionals are Gaussian with a scale e^(v/2), and
// the same bytes from two shards and with a work file.

#include <rbig/coupling.hpp>
#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>

#include "fit/distributed_fit.hpp"
#include "support/files.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"
#include "support/layer_parts.hpp"
#include "support/two_shards.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace rbig;

namespace {

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

/// A coupling layer: kde marginals fitted to x, the coupling map fitted to their output, a
/// random rotation.
Layer coupling_layer(ConstMatrixRef x, std::uint64_t rotation_seed) {
  Matrix y;
  std::vector<std::unique_ptr<MarginalTransform>> marginals = test::kde_marginals(x, y);
  CouplingMap coupling = CouplingMap::fit(y);
  return Layer(std::move(marginals), std::move(coupling),
               Rotation::random(x.cols(), rotation_seed));
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

TEST_CASE("coupling map: affine within the window of ±range, slope 1 beyond, continuous") {
  // m = 1 and s = −1 everywhere: inside, t ↦ (t − 1)·e, log-derivative 1; the output reaches the
  // window's edge 4 at t = 1 + 4/e, and beyond it goes on with slope 1, log-derivative 0.
  const CouplingMap map(2, 5, 4.0,
                        {CouplingPair{1, 0, Vector::Constant(5, 1.0), Vector::Constant(5, -1.0)}});
  const double e = std::exp(1.0);
  const double edge = 1.0 + 4.0 / e;
  Matrix rows(6, 2);
  rows << 0.0, 2.0, 0.0, edge - 1e-9, 0.0, edge + 1e-9, 0.0, edge + 1.0, 0.0, 1.0 - 4.0 / e - 2.0,
      0.0, 30.0;
  Matrix z = rows;
  Vector log_det = Vector::Zero(rows.rows());
  map.forward(z, log_det);
  CHECK(z(0, 1) == doctest::Approx(e));
  CHECK(log_det[0] == doctest::Approx(1.0));
  CHECK(z(1, 1) == doctest::Approx(4.0).epsilon(1e-8));
  CHECK(z(2, 1) == doctest::Approx(4.0).epsilon(1e-8));  // continuous at the edge
  CHECK(log_det[1] == doctest::Approx(1.0));
  CHECK(log_det[2] == 0.0);
  CHECK(z(3, 1) == doctest::Approx(5.0));
  CHECK(z(4, 1) == doctest::Approx(-6.0));  // the lower edge −4, then 2 further with slope 1
  CHECK(log_det[4] == 0.0);
  CHECK(z(5, 1) == doctest::Approx(4.0 + 30.0 - edge));
  Vector back_log_det = log_det;
  map.inverse(z, back_log_det);
  CHECK((z - rows).cwiseAbs().maxCoeff() < 1e-12 * 30.0);
  CHECK(back_log_det.cwiseAbs().maxCoeff() < 1e-12);
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
  const Matrix x = test::funnel_sample(3000, 5);
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
  CHECK(test::format_version(bytes) == 9);
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
  const Matrix x = test::funnel_sample(3000, 11);
  const Matrix test_rows = test::funnel_sample(3000, 12);
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.bandwidth_rule = BandwidthRule::Silverman;
  options.seed = 3;
  options.mixture = false;  // coupling layers against the plain cascade, not the mixture layer
  options.coupling = false;
  const Model plain = Model::fit(x, options);
  options.coupling = true;
  options.threads = 1;
  const Model coupled = Model::fit(x, options);
  CHECK(std::count_if(coupled.layers().begin(), coupled.layers().end(),
                      [](const Layer& layer) { return layer.is_coupling(); }) >= 1);
  CHECK(std::none_of(plain.layers().begin(), plain.layers().end(),
                     [](const Layer& layer) { return layer.is_coupling(); }));
  const double truth = test::funnel_log_density(test_rows).mean();
  const double plain_gap = truth - plain.log_prob(test_rows).mean();
  const double coupled_gap = truth - coupled.log_prob(test_rows).mean();
  INFO("held-out KL gap: plain " << plain_gap << ", coupling " << coupled_gap);
  CHECK(coupled_gap < plain_gap);
  CHECK(test::format_version(plain.to_bytes()) == 5);
  CHECK(coupled.sample(2000, 1).allFinite());
  const Model loaded = Model::from_bytes(coupled.to_bytes());
  CHECK(loaded.options().coupling == std::optional<bool>(true));
  CHECK((loaded.log_prob(test_rows) - coupled.log_prob(test_rows)).cwiseAbs().maxCoeff() == 0.0);
  options.threads = 2;
  CHECK(Model::fit(x, options).to_bytes() == coupled.to_bytes());
}

TEST_CASE("coupling fit: refused with tree; a work file and two shards give the in-memory bytes") {
  FitOptions options;
  options.coupling = true;
  options.tree = true;
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("not supported with tree"),
                       OptionError);
  // The map is fitted on rows gathered by global position (coupling_step.hpp) and its sums are
  // exact, so the fit does not depend on where the rows live.
  const Matrix x = test::funnel_sample(1500, 13);
  options.tree = false;
  options.marginal = MarginalKind::Kde;
  options.damping = 0.5;
  options.mixture = false;
  const Model whole = Model::fit(x, options);
  REQUIRE(std::any_of(whole.layers().begin(), whole.layers().end(),
                      [](const Layer& layer) { return layer.is_coupling(); }));
  const auto shard_fit = [&](ConstMatrixRef shard, const detail::Reducer& r) {
    return detail::fit_distributed(shard, shard.rows() == 600 ? 0 : 600, options, {}, r).to_bytes();
  };
  CHECK(test::on_two_shards(x.topRows(600), x.bottomRows(900), shard_fit) == whole.to_bytes());
  const test::ScratchDir dir("coupling-work");
  FitOptions mapped = options;
  mapped.work_file = (dir.path() / "work").string();
  CHECK(Model::fit(x, mapped).to_bytes() == whole.to_bytes());
}
