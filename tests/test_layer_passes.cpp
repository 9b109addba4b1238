// The fused passes of the fitting loop against the unfused pieces they replace: the same
// marginal output bit for bit, the same covariance up to rounding (another summation order), and
// the same bits at 1 and 2 threads.

#include <rbig/marginal.hpp>
#include <rbig/rotation.hpp>

#include "layer_passes.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

using namespace rbig;

namespace {

bool same_bytes(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

// A cubed correlated Gaussian sample: skewed, heavy-tailed columns, as a first layer sees them.
Matrix cubed_sample(Index n, Index dims, std::uint64_t seed) {
  return test::gaussian_sample(n, test::random_covariance(dims, seed), seed + 1).array().cube();
}

// One fitted marginal per column: histograms, and the affine Gaussian map on the last column
// (the fallback a fit gives Gaussian-looking columns).
std::vector<std::unique_ptr<MarginalTransform>> fitted_marginals(const Matrix& x) {
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  for (Index c = 0; c < x.cols(); ++c) {
    const bool last = c + 1 == x.cols() && x.cols() > 1;
    marginals.push_back(
        make_marginal(last ? MarginalKind::Gaussian : MarginalKind::Histogram, FitOptions{}));
    marginals.back()->fit(x.col(c));
  }
  return marginals;
}

// |a − b| ≤ tolerance·√(b_ii·b_jj) for every entry: relative to the scale of the entry's
// variances, so that off-diagonal entries near zero are held to the same absolute precision.
void check_covariance_close(const Matrix& a, const Matrix& b, double tolerance) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  for (Index i = 0; i < b.rows(); ++i) {
    for (Index j = 0; j < b.cols(); ++j) {
      CAPTURE(i);
      CAPTURE(j);
      CHECK(std::abs(a(i, j) - b(i, j)) <= tolerance * std::sqrt(b(i, i) * b(j, j)));
    }
  }
}

}  // namespace

TEST_CASE("layer passes: the fused covariance equals Rotation::covariance of the transformed matrix") {
  // Fewer rows than one 512-row block, exactly one block, a partial last block, several
  // covariance items (8,192 rows each at least) whose lengths are not multiples of the block.
  const Index shapes[][2] = {{3, 2}, {100, 3}, {512, 4}, {1001, 5}, {20000, 7}, {50001, 3}};
  for (const auto& shape : shapes) {
    const Index n = shape[0];
    const Index dims = shape[1];
    CAPTURE(n);
    CAPTURE(dims);
    const Matrix x = cubed_sample(n, dims, 5);
    const std::vector<std::unique_ptr<MarginalTransform>> marginals = fitted_marginals(x);
    Matrix expected_y = x;
    for (Index c = 0; c < dims; ++c) {
      marginals[static_cast<size_t>(c)]->forward(expected_y.col(c), expected_y.col(c));
    }
    const Matrix expected = Rotation::covariance(expected_y);

    Matrix y = x;
    const Matrix covariance = detail::forward_with_covariance(y, marginals, 1);
    CHECK(same_bytes(y, expected_y));  // the maps are element-wise: blocks change no bit
    check_covariance_close(covariance, expected, 1e-12);
    CHECK(covariance == covariance.transpose());

    Matrix y_two = x;
    CHECK(same_bytes(detail::forward_with_covariance(y_two, marginals, 2), covariance));
    CHECK(same_bytes(y_two, y));
  }
}
