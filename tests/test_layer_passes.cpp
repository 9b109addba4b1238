// The fused passes of the fitting loop against the unfused pieces they replace: the same
// marginal output and rotated matrix bit for bit, the same covariance and column moments up to
// rounding (another summation order), and the same bits at 1 and 2 threads and streamed from a
// work file.

#include <rbig/marginal.hpp>
#include <rbig/rotation.hpp>

#include "fit/layer_passes.hpp"
#include "fit/work_buffer.hpp"
#include "stats/moments.hpp"
#include "rotation/row_blocks.hpp"
#include "support/files.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
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

TEST_CASE(
    "layer passes: the fused covariance equals Rotation::covariance of the transformed matrix") {
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

TEST_CASE("layer passes: the fused moments equal column_moments of the rotated matrix") {
  // Fewer rows than one 256-row product block, exactly one, a partial last block, several
  // 8,192-row product items; data centred and far from 0 (where the shift keeps Σd² − (Σd)²/N
  // from cancelling), an orthogonal and a general matrix.
  const Index shapes[][2] = {{2, 1}, {3, 2}, {100, 3}, {256, 4}, {1001, 5}, {20000, 3}, {50001, 6}};
  for (const auto& shape : shapes) {
    for (double offset : {0.0, 1e6}) {
      for (bool orthogonal : {true, false}) {
        const Index n = shape[0];
        const Index dims = shape[1];
        CAPTURE(n);
        CAPTURE(dims);
        CAPTURE(offset);
        CAPTURE(orthogonal);
        const Matrix x = cubed_sample(n, dims, 7).array() + offset;
        const Matrix m = orthogonal ? Matrix(Rotation::random(dims, 3).matrix().transpose())
                                    : Matrix(test::random_covariance(dims, 4));
        Matrix expected_z = x;
        detail::multiply_rows_in_place(expected_z, m, 1);

        Matrix z = x;
        const std::vector<std::optional<detail::ColumnMoments>> moments =
            detail::multiply_rows_with_moments(z, m, 1);
        CHECK(same_bytes(z, expected_z));
        REQUIRE(static_cast<Index>(moments.size()) == dims);
        for (Index c = 0; c < dims; ++c) {
          CAPTURE(c);
          const detail::ColumnMoments expected = detail::column_moments(expected_z.col(c));
          const std::optional<detail::ColumnMoments>& fused = moments[static_cast<size_t>(c)];
          REQUIRE(fused.has_value());
          CHECK(fused->min == expected.min);
          CHECK(fused->max == expected.max);
          CHECK(fused->mean == doctest::Approx(expected.mean).epsilon(1e-12));
          CHECK(fused->sd == doctest::Approx(expected.sd).epsilon(1e-12));
        }

        Matrix z_two = x;
        const std::vector<std::optional<detail::ColumnMoments>> moments_two =
            detail::multiply_rows_with_moments(z_two, m, 2);
        CHECK(same_bytes(z_two, z));
        for (Index c = 0; c < dims; ++c) {
          const detail::ColumnMoments& a = *moments[static_cast<size_t>(c)];
          const detail::ColumnMoments& b = *moments_two[static_cast<size_t>(c)];
          CHECK(std::memcmp(&a, &b, sizeof a) == 0);  // bit for bit
        }
      }
    }
  }
}

TEST_CASE("layer passes: columns of extreme magnitude are left to column_moments") {
  // Half-ranges beyond 2^±400 need column_moments' rescaled second pass: the fused pass reports
  // nothing for them and the right moments for the ordinary columns beside them.
  Matrix x = test::gaussian_sample(3000, Matrix::Identity(3, 3), 8);
  x.col(0) *= 1e300;
  x.col(2) *= 1e-300;
  const Matrix identity = Matrix::Identity(3, 3);
  const std::vector<std::optional<detail::ColumnMoments>> moments =
      detail::multiply_rows_with_moments(x, identity, 2);
  CHECK_FALSE(moments[0].has_value());
  REQUIRE(moments[1].has_value());
  CHECK(moments[1]->sd == doctest::Approx(detail::column_moments(x.col(1)).sd).epsilon(1e-12));
  CHECK_FALSE(moments[2].has_value());
}

TEST_CASE("layer passes: streamed from a work file, the same bytes as in memory") {
  const test::ScratchDir dir("passes");
  const std::string work_file = (dir.path() / "w").string();
  // A partial last block, several covariance and product items, one and two threads.
  const Index shapes[][2] = {{100, 3}, {1001, 5}, {20000, 7}};
  for (const auto& shape : shapes) {
    for (const int threads : {1, 2}) {
      CAPTURE(shape[0]);
      CAPTURE(shape[1]);
      CAPTURE(threads);
      const Matrix x = cubed_sample(shape[0], shape[1], 6);
      const std::vector<std::unique_ptr<MarginalTransform>> marginals = fitted_marginals(x);
      const Matrix m = test::random_covariance(shape[1], 8);
      detail::WorkBuffer heap({}, "work", x);
      detail::WorkBuffer file(work_file, "work", x);
      REQUIRE(file.file() != nullptr);
      CHECK(
          same_bytes(detail::covariance_of(file.ref(), threads), Rotation::covariance(x, threads)));
      CHECK(same_bytes(detail::forward_with_covariance(file, marginals, threads),
                       detail::forward_with_covariance(heap, marginals, threads)));
      CHECK(same_bytes(Matrix(file.ref()), Matrix(heap.ref())));
      const auto from_file = detail::multiply_rows_with_moments(file, m, threads);
      const auto in_memory = detail::multiply_rows_with_moments(heap, m, threads);
      CHECK(same_bytes(Matrix(file.ref()), Matrix(heap.ref())));
      REQUIRE(from_file.size() == in_memory.size());
      for (size_t c = 0; c < in_memory.size(); ++c) {
        REQUIRE(from_file[c].has_value() == in_memory[c].has_value());
        CHECK(std::memcmp(&*from_file[c], &*in_memory[c], sizeof(detail::ColumnMoments)) == 0);
      }
    }
  }
}
