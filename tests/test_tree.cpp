// The density-tree destructor (tree.hpp) as a map and as a layer: inverse, log-determinant
// against finite differences, a 2-D model that integrates to one, model bytes (format 7), stored
// trees that do not nest refused, no split on structureless data, and a fit that picks it on a
// checkerboard, where products of 1-D maps blur the squares' edges.

#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>
#include <rbig/tree.hpp>

#include "stats/normal.hpp"
#include "support/layer_parts.hpp"
#include "support/files.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace rbig;

namespace {

/// Uniform on the 8 dark squares of a 4×4 board on [0, 1]², scaled by `width` and shifted by
/// `offset` per column (4·width = the board's side).
Matrix checkerboard(Index n, std::uint64_t seed, double width = 0.25, double offset = 0.0) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&rng] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const auto square = static_cast<int>(uniform() * 8.0);
    const int row = square / 2;
    const int col = 2 * (square % 2) + (row % 2);
    x(i, 0) = offset + width * (col + uniform());
    x(i, 1) = offset + width * (row + uniform());
  }
  return x;
}

/// The checkerboard's copula in Gaussian space: Φ⁻¹ of each uniform column.
Matrix gaussian_checkerboard(Index n, std::uint64_t seed) {
  return checkerboard(n, seed).unaryExpr([](double u) { return detail::normal_quantile(u); });
}

/// A tree layer: kde marginals fitted to x, the tree fitted to their output, a random rotation.
Layer tree_layer(ConstMatrixRef x, std::uint64_t rotation_seed) {
  Matrix y;
  std::vector<std::unique_ptr<MarginalTransform>> marginals = test::kde_marginals(x, y);
  TreeMap tree = TreeMap::fit(y);
  return Layer(std::move(marginals), std::move(tree), Rotation::random(x.cols(), rotation_seed));
}

}  // namespace

TEST_CASE("tree map: finds the checkerboard's cells, inverse undoes forward, NaN stays NaN") {
  const TreeMap tree = TreeMap::fit(gaussian_checkerboard(4000, 1));
  // 16 squares, merged where two light or dark ones meet along a row: at least 8 cells.
  CHECK(tree.leaves() >= 8);
  // The true copula density is 2 on the dark squares: log 2 = 0.69 per row at best.
  CHECK(tree.training_log_density() > 0.5);
  CHECK(tree.training_log_density() < std::log(2.0) + 0.05);
  const Matrix fresh = gaussian_checkerboard(500, 2);
  Matrix z = fresh;
  Vector log_det = Vector::Zero(fresh.rows());
  tree.forward(z, log_det);
  REQUIRE(z.allFinite());
  const Vector forward_log_det = log_det;
  tree.inverse(z, log_det);
  CHECK((z - fresh).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(log_det.cwiseAbs().maxCoeff() < 1e-9 * (1.0 + forward_log_det.cwiseAbs().maxCoeff()));
  // Far points, the tail asymptote beyond |x| = 37 included, come back to themselves.
  Matrix far(5, 2);
  far << 12.0, -12.0, -8.0, 8.5, 40.0, -0.3, -45.0, 50.0, 1e-3, -39.0;
  Matrix image = far;
  Vector far_log_det = Vector::Zero(5);
  tree.forward(image, far_log_det);
  REQUIRE(image.allFinite());
  REQUIRE(far_log_det.allFinite());
  tree.inverse(image, far_log_det);
  CHECK((image - far).cwiseAbs().maxCoeff() < 1e-9 * 50.0);
  CHECK(far_log_det.cwiseAbs().maxCoeff() < 1e-7);
  Matrix nan_row = Matrix::Zero(1, 2);
  nan_row(0, 1) = std::numeric_limits<double>::quiet_NaN();
  Vector nan_log_det = Vector::Zero(1);
  tree.forward(nan_row, nan_log_det);
  CHECK(std::isnan(nan_log_det[0]));
}

TEST_CASE("tree map: Gaussian data grow no split, and the map is then the identity") {
  const Matrix x = test::gaussian_sample(5000, Matrix::Identity(3, 3), 4);
  const TreeMap tree = TreeMap::fit(x);
  CHECK(tree.leaves() == 1);
  Matrix y = x.topRows(100);
  Vector log_det = Vector::Zero(100);
  tree.forward(y, log_det);
  CHECK((y - x.topRows(100)).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(log_det.cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("tree layer: the log-determinant matches a finite-difference Jacobian") {
  const Matrix x = checkerboard(3000, 5, 1.0, -2.0);
  const Layer layer = tree_layer(x, 9);
  REQUIRE(layer.is_tree());
  REQUIRE(layer.tree().leaves() >= 8);
  test::check_layer_log_det(layer, x, 8);
}

TEST_CASE("tree layer: a 2-D model of it integrates to one and survives its bytes") {
  const Matrix x = checkerboard(3000, 6, 1.0, -2.0);
  std::vector<Layer> layers;
  layers.push_back(tree_layer(x, 4));
  const Model model = Model::from_layers(std::move(layers));
  CHECK(test::model_density_integral_2d(model, -6, 6, -6, 6, 400) ==
        doctest::Approx(1.0).epsilon(0.01));
  const std::string bytes = model.to_bytes();
  CHECK(test::format_version(bytes) == 7);
  const Model loaded = Model::from_bytes(bytes);
  REQUIRE(loaded.layers().front().is_tree());
  const Vector a = model.log_prob(x.topRows(200));
  const Vector b = loaded.log_prob(x.topRows(200));
  CHECK((a - b).cwiseAbs().maxCoeff() == 0.0);
  CHECK(loaded.to_bytes() == bytes);
  // Inverting the model undoes its transform to 1e-9.
  const Matrix z = model.transform(x.topRows(200));
  CHECK((model.inverse(z) - x.topRows(200)).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("tree map: stored nodes that do not form nested cells are refused") {
  std::vector<TreeNode> good(3);
  good[0] = TreeNode{0, 0.5, 0.3, 1, 2};
  CHECK(TreeMap(2, good).leaves() == 2);
  std::vector<TreeNode> outside = good;
  outside[0].out_threshold = 1.0;
  CHECK_THROWS_WITH_AS(TreeMap(2, outside), doctest::Contains("must lie strictly inside"),
                       OptionError);
  std::vector<TreeNode> loop = good;
  loop[0].left = 0;
  CHECK_THROWS_WITH_AS(TreeMap(2, loop), doctest::Contains("node 0 has child 0"), OptionError);
  std::vector<TreeNode> wide = good;
  wide[0].dim = 2;
  CHECK_THROWS_WITH_AS(TreeMap(2, wide), doctest::Contains("splits dimension 2 of 2"),
                       DimensionError);
  std::vector<TreeNode> orphan = good;
  orphan.push_back(TreeNode{});
  CHECK_THROWS_WITH_AS(TreeMap(2, orphan), doctest::Contains("node 3 is nobody's child"),
                       OptionError);
}

TEST_CASE("tree fit: chosen on a checkerboard, better held out, same bits on 1 and 2 threads") {
  const Matrix x = checkerboard(4000, 11, 1.0, -2.0);
  const Matrix test_rows = checkerboard(2000, 12, 1.0, -2.0);
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.bandwidth_rule = BandwidthRule::Silverman;
  options.seed = 3;
  options.mixture = false;  // tree layers against the plain cascade, not the mixture layer
  const Model plain = Model::fit(x, options);
  options.tree = true;
  options.threads = 1;
  const Model tree = Model::fit(x, options);
  const auto tree_layers = std::count_if(tree.layers().begin(), tree.layers().end(),
                                         [](const Layer& layer) { return layer.is_tree(); });
  CHECK(tree_layers >= 1);
  CHECK(std::none_of(plain.layers().begin(), plain.layers().end(),
                     [](const Layer& layer) { return layer.is_tree(); }));
  // True log p = −log 8 on every row; the gap to it is the KL divergence.
  const double truth = -std::log(8.0);
  const double plain_gap = truth - plain.log_prob(test_rows).mean();
  const double tree_gap = truth - tree.log_prob(test_rows).mean();
  INFO("held-out KL gap: plain " << plain_gap << ", tree " << tree_gap);
  CHECK(tree_gap < 0.5 * plain_gap);
  CHECK(test::format_version(plain.to_bytes()) == 5);
  CHECK(tree.sample(2000, 1).allFinite());
  const Model loaded = Model::from_bytes(tree.to_bytes());
  CHECK(loaded.options().tree);
  options.threads = 2;
  CHECK(Model::fit(x, options).to_bytes() == tree.to_bytes());
}

TEST_CASE("tree fit: refused with a work file") {
  FitOptions options;
  options.tree = true;
  options.work_file = "/tmp/rbig-tree-work";
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("not supported with tree"),
                       OptionError);
}
