// Parameters that pass each field's own check but compute garbage are refused at load (issue 15,
// item 5): a denormal sd or bin width, spline knots at ±1e308, a kde step of 1e-300, an ica
// matrix diag(1e300). Each case takes a valid model, overwrites one stored parameter in the file
// (found by its exact bytes) and recomputes the checksum, as a crafted file would.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_kde.hpp"
#include "marginal/marginal_spline.hpp"
#include "model/model_file.hpp"
#include "support/known_distributions.hpp"

#include <boost/crc.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace rbig;

namespace {

/// bytes with every stored copy of `from` replaced by `to` and a valid CRC-32 trailer.
std::string patched(std::string bytes, double from, double to) {
  char old_bits[8];
  char new_bits[8];
  std::memcpy(old_bits, &from, 8);
  std::memcpy(new_bits, &to, 8);
  int replaced = 0;
  for (std::size_t at = bytes.find(std::string(old_bits, 8)); at != std::string::npos;
       at = bytes.find(std::string(old_bits, 8), at + 8)) {
    std::memcpy(&bytes[at], new_bits, 8);
    ++replaced;
  }
  REQUIRE(replaced > 0);
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size() - 4);
  const std::uint32_t checksum = crc.checksum();
  std::memcpy(&bytes[bytes.size() - 4], &checksum, 4);
  return bytes;
}

/// A one-layer, two-dimensional model whose marginals are `first` and a copy of it.
std::string one_layer_file(const MarginalTransform& first, const Rotation& rotation) {
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  marginals.push_back(first.clone());
  marginals.push_back(first.clone());
  std::vector<Layer> layers;
  layers.emplace_back(std::move(marginals), rotation);
  return Model::from_layers(std::move(layers)).to_bytes();
}

Vector column(int rows) {
  const Matrix x = test::two_moons_sample(rows, 0.1, 3);
  return x.col(0);
}

void check_refused(const std::string& bytes) {
  CHECK_THROWS_WITH_AS(detail::read_model_file(bytes, "crafted.rbig"),
                       doctest::Contains("crafted.rbig"), ModelFileError);
}

}  // namespace

TEST_CASE("model file: the unpatched base models load (the patches below are what breaks them)") {
  const detail::GaussianMarginal gaussian(0.25, 0.123456789);
  CHECK_NOTHROW(detail::read_model_file(one_layer_file(gaussian, Rotation::random(2, 1)), "ok"));
}

TEST_CASE("model file: a denormal standard deviation is refused at load") {
  const detail::GaussianMarginal gaussian(0.25, 0.123456789);
  const std::string bytes = one_layer_file(gaussian, Rotation::random(2, 1));
  check_refused(patched(bytes, 0.123456789, 5e-324));
}

TEST_CASE("model file: spline knots at ±1e308 are refused at load") {
  detail::SplineMarginal spline;
  spline.fit(column(500));
  const std::string bytes = one_layer_file(spline, Rotation::random(2, 1));
  CHECK_NOTHROW(detail::read_model_file(bytes, "ok"));
  check_refused(
      patched(patched(bytes, spline.knots().front(), -1e308), spline.knots().back(), 1e308));
}

TEST_CASE("model file: a kde grid step of 1e-300 is refused at load") {
  detail::KdeMarginal kde(std::nullopt, BandwidthRule::Silverman);
  kde.fit(column(500));
  const std::string bytes = one_layer_file(kde, Rotation::random(2, 1));
  CHECK_NOTHROW(detail::read_model_file(bytes, "ok"));
  check_refused(patched(bytes, kde.step(), 1e-300));
  check_refused(patched(bytes, kde.step(), 5e-324));
}

TEST_CASE("model file: an ica matrix diag(1e300) is refused at load") {
  const detail::GaussianMarginal gaussian(0.25, 0.75);
  Matrix unmixing = Matrix::Zero(2, 2);
  unmixing(0, 0) = 1.2345678;
  unmixing(1, 1) = 1.2345678;
  const std::string bytes =
      one_layer_file(gaussian, Rotation::from_matrix(RotationKind::Ica, unmixing));
  CHECK_NOTHROW(detail::read_model_file(bytes, "ok"));
  check_refused(patched(bytes, 1.2345678, 1e300));
  check_refused(patched(bytes, 1.2345678, 1e-300));
}
