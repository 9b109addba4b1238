// Radial Gaussianization (radial.hpp) as a layer: inverse, log-determinant against finite
// differences, a density that integrates to one, model bytes (format 6), and a fit that picks it
// on a scale mixture where products of 1-D maps struggle.

#include <rbig/byte_codec.hpp>
#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>
#include <rbig/radial.hpp>

#include "support/layer_parts.hpp"
#include "support/files.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace rbig;

namespace {

/// Rows g·w: w ~ N(0, I_dims), one scale w per row: w = sqrt(ν / χ²_ν) (multivariate Student-t)
/// for ν > 0, else uniform on [0.5, 1.5] drawn from a Gaussian's CDF (light tails).
Matrix scale_mixture(Index n, Index dims, int nu, std::uint64_t seed) {
  Matrix x = test::gaussian_sample(n, Matrix::Identity(dims, dims), seed);
  const Matrix extra =
      test::gaussian_sample(n, Matrix::Identity(std::max(nu, 1), std::max(nu, 1)), seed + 1000);
  for (Index i = 0; i < n; ++i) {
    const double scale = nu > 0 ? std::sqrt(nu / extra.row(i).squaredNorm())
                                : 0.5 + 0.5 * std::erfc(-extra(i, 0) / std::sqrt(2.0));
    x.row(i) *= scale;
  }
  return x;
}

Layer radial_layer(ConstMatrixRef x, std::uint64_t rotation_seed) {
  FitOptions options;
  options.bandwidth_rule = BandwidthRule::Silverman;
  return Layer(RadialMap::fit(x, make_marginal(MarginalKind::Kde, options)),
               Rotation::random(x.cols(), rotation_seed));
}

}  // namespace

TEST_CASE("radial layer: inverse undoes forward, log-determinants cancel, NaN stays NaN") {
  const Matrix x = scale_mixture(2000, 3, 3, 1);
  const Layer layer = radial_layer(x, 5);
  CHECK(layer.is_radial());
  CHECK_THROWS_AS(layer.marginal(0), OptionError);
  const Matrix fresh = scale_mixture(500, 3, 3, 77);
  Matrix z = fresh;
  Vector log_det = Vector::Zero(fresh.rows());
  layer.forward(z, log_det);
  REQUIRE(z.allFinite());
  const Vector forward_log_det = log_det;
  layer.inverse(z, log_det);
  CHECK((z - fresh).cwiseAbs().maxCoeff() < 1e-9 * (1.0 + fresh.cwiseAbs().maxCoeff()));
  CHECK(log_det.cwiseAbs().maxCoeff() < 1e-9 * (1.0 + forward_log_det.cwiseAbs().maxCoeff()));
  // Latent points far out (|z| up to 12) come back finite and map forward again to themselves.
  Matrix far(3, 3);
  far << 12.0, 0.0, 0.0, -3.0, 4.0, 5.0, 1e-3, -1e-3, 2e-3;
  Matrix back = far;
  layer.inverse(back);
  REQUIRE(back.allFinite());
  layer.forward(back);
  CHECK((back - far).cwiseAbs().maxCoeff() < 1e-7);
  Matrix nan_row = Matrix::Zero(1, 3);
  nan_row(0, 1) = std::numeric_limits<double>::quiet_NaN();
  Vector nan_log_det = Vector::Zero(1);
  layer.forward(nan_row, nan_log_det);
  CHECK(std::isnan(nan_log_det[0]));
  CHECK(nan_row.array().isNaN().all());
}

TEST_CASE("radial layer: the log-determinant matches a finite-difference Jacobian") {
  const Matrix x = scale_mixture(2000, 3, 2, 2);
  const Layer layer = radial_layer(x, 9);
  test::check_layer_log_det(layer, x, 6);
}

TEST_CASE("radial layer: a 2-D model of it integrates to one and survives its bytes") {
  const Matrix x = scale_mixture(3000, 2, 0, 3);
  std::vector<Layer> layers;
  layers.push_back(radial_layer(x, 4));
  const Model model = Model::from_layers(std::move(layers));
  // Light tails (scale ≤ 1.5): the box holds all but ~1e-11 of the mass.
  CHECK(test::model_density_integral_2d(model, -10, 10, -10, 10, 400) ==
        doctest::Approx(1.0).epsilon(0.01));
  const std::string bytes = model.to_bytes();
  CHECK(test::format_version(bytes) == 6);  // radial layers: format 6 (tree layers: 7)
  const Model loaded = Model::from_bytes(bytes);
  REQUIRE(loaded.layers().front().is_radial());
  const Vector a = model.log_prob(x.topRows(200));
  const Vector b = loaded.log_prob(x.topRows(200));
  CHECK((a - b).cwiseAbs().maxCoeff() == 0.0);
  CHECK(loaded.to_bytes() == bytes);
  // A layer kind the format does not know is refused with the layer's number. The layer is
  // u8 kind | 2·D f64 | u8 type id + the kde's payload | seeded rotation (u8, u8, u64) | CRC.
  ByteWriter kde;
  model.layers().front().radial().log_radius().write(kde);
  const std::size_t kind_at = bytes.size() - 4 - 10 - (1 + kde.data().size()) - 2 * 2 * 8 - 1;
  REQUIRE(bytes[kind_at] == 1);
  std::string forged = bytes;
  forged[kind_at] = 7;
  CHECK_THROWS_WITH_AS(Model::from_bytes(test::with_valid_checksum(forged), "forged.rbig"),
                       doctest::Contains("forged.rbig: layer 1: unknown layer kind 7"),
                       ModelFileError);
}

TEST_CASE("radial fit: chosen on a Student-t, better held out, and off by default") {
  const Matrix x = scale_mixture(3000, 4, 2, 11);
  const Matrix test_rows = scale_mixture(2000, 4, 2, 12);
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.seed = 3;
  options.mixture = false;   // radial layers against the plain cascade, not the mixture layer
  options.coupling = false;  // nor the coupling challenger
  const Model plain = Model::fit(x, options);
  options.radial = true;
  const Model radial = Model::fit(x, options);
  const auto radial_layers = std::count_if(radial.layers().begin(), radial.layers().end(),
                                           [](const Layer& layer) { return layer.is_radial(); });
  CHECK(radial_layers >= 1);
  CHECK(std::none_of(plain.layers().begin(), plain.layers().end(),
                     [](const Layer& layer) { return layer.is_radial(); }));
  const double plain_score = plain.log_prob(test_rows).mean();
  const double radial_score = radial.log_prob(test_rows).mean();
  INFO("held-out log p: plain " << plain_score << ", radial " << radial_score);
  CHECK(radial_score > plain_score + 0.05);
  // Models without radial layers keep version 5's bytes, so older rbig reads them.
  CHECK(test::format_version(plain.to_bytes()) == 5);
  CHECK(radial.sample(2000, 1).allFinite());  // sample throws on a row with no finite result
  const Model loaded = Model::from_bytes(radial.to_bytes());
  CHECK(loaded.options().radial);
  CHECK((loaded.log_prob(test_rows) - radial.log_prob(test_rows)).cwiseAbs().maxCoeff() == 0.0);
}
