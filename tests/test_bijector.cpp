// Layers and models as bijectors: inverse with its log-determinant, dimension checks in every
// build type, and a cascade built by hand that evaluates, samples and round-trips through bytes.

#include <rbig/bijector.hpp>
#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>

#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace rbig;

namespace {

/// A layer of marginals of `kind` fitted to the columns of x, then a Haar rotation.
Layer fitted_layer(ConstMatrixRef x, MarginalKind kind, std::uint64_t seed) {
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  for (Index d = 0; d < x.cols(); ++d) {
    marginals.push_back(make_marginal(kind, FitOptions{}));
    marginals.back()->fit(x.col(d));
  }
  return Layer(std::move(marginals), Rotation::random(x.cols(), seed));
}

Matrix correlated_sample(Index n, std::uint64_t seed) {
  Matrix covariance(3, 3);
  covariance << 1.0, 0.6, 0.2, 0.6, 1.0, 0.4, 0.2, 0.4, 1.0;
  Matrix x = test::gaussian_sample(n, covariance, seed);
  x.col(0) = x.col(0).array().cube();  // something for the marginals to do
  return x;
}

}  // namespace

TEST_CASE("layer: inverse undoes forward and its log-determinant cancels the forward one") {
  const Matrix x = correlated_sample(500, 1);
  for (MarginalKind kind : {MarginalKind::Histogram, MarginalKind::Kde, MarginalKind::Spline}) {
    INFO("marginal " << to_string(kind));
    const Layer layer = fitted_layer(x, kind, 7);
    // Fresh points: a training extreme maps back to within rounding of a knot or bin edge,
    // where the density (not the map) may jump, so its log-derivative would differ.
    const Matrix fresh = correlated_sample(500, 99);
    Matrix z = fresh;
    Vector log_det = Vector::Zero(fresh.rows());
    layer.forward(z, log_det);
    const Vector forward_log_det = log_det;
    layer.inverse(z, log_det);
    CHECK((z - fresh).cwiseAbs().maxCoeff() < 1e-9 * (1.0 + fresh.cwiseAbs().maxCoeff()));
    CHECK(log_det.cwiseAbs().maxCoeff() < 1e-9 * (1.0 + forward_log_det.cwiseAbs().maxCoeff()));
  }
}

TEST_CASE("layer: the inverse's log-determinant matches a finite-difference Jacobian") {
  const Matrix x = correlated_sample(400, 2);
  const Layer layer = fitted_layer(x, MarginalKind::Kde, 3);
  Matrix z = x.topRows(5);
  Vector unused = Vector::Zero(5);
  layer.forward(z, unused);
  for (Index r = 0; r < z.rows(); ++r) {
    Matrix point = z.row(r);
    Vector log_det = Vector::Zero(1);
    layer.inverse(point, log_det);
    // Central differences of the inverse map at z_r, column by column.
    const double h = 1e-6;
    Matrix jacobian(3, 3);
    for (Index j = 0; j < 3; ++j) {
      Matrix plus = z.row(r);
      Matrix minus = z.row(r);
      plus(0, j) += h;
      minus(0, j) -= h;
      layer.inverse(plus);
      layer.inverse(minus);
      jacobian.col(j) = ((plus - minus) / (2 * h)).transpose();
    }
    CHECK(log_det[0] == doctest::Approx(std::log(std::abs(jacobian.determinant()))).epsilon(1e-5));
  }
}

TEST_CASE("layer: wrong shapes throw DimensionError, also in release builds") {
  const Matrix x = correlated_sample(200, 3);
  const Layer layer = fitted_layer(x, MarginalKind::Histogram, 1);
  Matrix wrong_columns = Matrix::Zero(4, 2);
  Vector log_det = Vector::Zero(4);
  CHECK_THROWS_WITH_AS(layer.forward(wrong_columns, log_det),
                       doctest::Contains("the layer has 3 dimensions, the data 2 columns"),
                       DimensionError);
  Matrix rows = Matrix::Zero(4, 3);
  Vector short_log_det = Vector::Zero(3);
  CHECK_THROWS_AS(layer.inverse(rows, short_log_det), DimensionError);
  CHECK_THROWS_AS(layer.inverse(wrong_columns), DimensionError);
  std::vector<std::unique_ptr<MarginalTransform>> two;
  two.push_back(make_marginal(MarginalKind::Gaussian, FitOptions{}));
  two.push_back(make_marginal(MarginalKind::Gaussian, FitOptions{}));
  CHECK_THROWS_AS(Layer(std::move(two), Rotation::random(3, 1)), DimensionError);
}

TEST_CASE("model: a cascade stacked by hand scores, samples, inverts and survives its bytes") {
  const Matrix x = correlated_sample(2000, 4);
  std::vector<Layer> layers;
  Matrix work = x;
  for (int k = 0; k < 4; ++k) {
    layers.push_back(fitted_layer(work, MarginalKind::Kde, 10 + static_cast<unsigned>(k)));
    layers.back().forward(work);
  }
  const Model model = Model::from_layers(std::move(layers));
  CHECK(model.dims() == 3);
  // log p(x) = log N(G(x)) + log|det J|, the Bijector chain's terms.
  Matrix latent = x.topRows(50);
  Vector log_det = Vector::Zero(50);
  model.forward(latent, log_det);
  const Vector expected =
      (-0.5 * latent.rowwise().squaredNorm().array() - 1.5 * std::log(2 * M_PI)).matrix() + log_det;
  CHECK((model.log_prob(x.topRows(50)) - expected).cwiseAbs().maxCoeff() < 1e-9);
  Vector back_log_det = log_det;
  model.inverse(latent, back_log_det);
  CHECK((latent - x.topRows(50)).cwiseAbs().maxCoeff() < 1e-8 * (1 + x.cwiseAbs().maxCoeff()));
  CHECK(back_log_det.cwiseAbs().maxCoeff() < 1e-8);

  const Model loaded = Model::from_bytes(model.to_bytes());
  CHECK(loaded.to_bytes() == model.to_bytes());
  CHECK((loaded.log_prob(x) - model.log_prob(x)).cwiseAbs().maxCoeff() == 0.0);
  CHECK((loaded.sample(100, 5) - model.sample(100, 5)).cwiseAbs().maxCoeff() == 0.0);
  CHECK(model.sample(100, 5).allFinite());
}

TEST_CASE("model: from_layers refuses an empty list and layers of different dimensions") {
  CHECK_THROWS_AS(Model::from_layers({}), DimensionError);
  std::vector<Layer> layers;
  layers.push_back(fitted_layer(correlated_sample(100, 1), MarginalKind::Gaussian, 1));
  layers.push_back(fitted_layer(correlated_sample(100, 1).leftCols(2), MarginalKind::Gaussian, 1));
  CHECK_THROWS_WITH_AS(Model::from_layers(std::move(layers)),
                       doctest::Contains("layer 2 has 2 dimensions, the model 3"), DimensionError);
}

TEST_CASE("model: to_bytes is what save writes and from_bytes names the bytes in errors") {
  const Model model = Model::fit(correlated_sample(300, 6), FitOptions{}.greedy());
  std::string bytes = model.to_bytes();
  CHECK(Model::from_bytes(bytes).to_bytes() == bytes);
  bytes[bytes.size() / 2] ^= 0x10;
  CHECK_THROWS_WITH_AS(Model::from_bytes(bytes, "pickled"),
                       doctest::Contains("pickled: checksum mismatch"), ModelFileError);
}
