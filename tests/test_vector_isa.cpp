// The runtime-dispatched kernels (core/vector_isa.hpp): the written-out rotation product against
// Eigen's, and the AVX2 clones against the portable code bit for bit, kernel by kernel and for a
// whole fit, its model file and its transform. On a CPU without AVX2 only the portable checks run.

#include <rbig/model.hpp>
#include <rbig/options.hpp>
#include <rbig/rotation.hpp>

#include "core/vector_isa.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_histogram.hpp"
#include "marginal/marginal_kde.hpp"
#include "rotation/product_kernel.hpp"
#include "support/files.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <functional>
#include <limits>
#include <string>

using namespace rbig;
using detail::VectorIsa;

namespace {

bool same_bytes(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

// Restores the CPU's choice when a test ends, whatever it forced.
struct IsaGuard {
  ~IsaGuard() { detail::force_vector_isa(VectorIsa::Avx2); }
};

// `run` under the portable code and under AVX2 (where the CPU has it); true when both returned
// the same bytes, or when there is no AVX2 to compare with.
template <typename Result>
bool same_under_both(const std::function<Result()>& run,
                     const std::function<bool(const Result&, const Result&)>& equal) {
  const IsaGuard guard;
  detail::force_vector_isa(VectorIsa::Portable);
  REQUIRE(detail::vector_isa() == VectorIsa::Portable);
  const Result portable = run();
  if (!detail::cpu_has_avx2()) {
    MESSAGE("this CPU (or build) has no AVX2 clone: only the portable path was run");
    return true;
  }
  detail::force_vector_isa(VectorIsa::Avx2);
  REQUIRE(detail::vector_isa() == VectorIsa::Avx2);
  return equal(portable, run());
}

Matrix block_product(const Matrix& x, Index first, Index rows, const Matrix& m) {
  Matrix out(rows, m.cols());
  detail::multiply_block(x.data() + first, x.outerStride(), rows, m.data(), m.rows(), out.data(),
                         out.outerStride());
  return out;
}

}  // namespace

TEST_CASE(
    "vector isa: the block product equals Eigen's up to rounding, the same bits on both paths") {
  // Row counts around the strip sizes (4 and 8 rows) and column counts around the group of 4.
  for (Index d : {1, 2, 3, 4, 5, 7, 8, 10, 13, 33}) {
    for (Index rows : {1, 3, 4, 7, 8, 9, 17, 256}) {
      CAPTURE(d);
      CAPTURE(rows);
      const Matrix x = test::gaussian_sample(rows + 5, Matrix::Identity(d, d), 11);
      const Matrix m = Rotation::random(d, 4).matrix().transpose();
      const Matrix expected = x.middleRows(3, rows) * m;
      const auto run = [&] { return block_product(x, 3, rows, m); };
      const Matrix got = run();
      CHECK((got - expected).cwiseAbs().maxCoeff() <=
            1e-14 * (1.0 + expected.cwiseAbs().maxCoeff()));
      CHECK(same_under_both<Matrix>(run, same_bytes));
    }
  }
}

TEST_CASE("vector isa: the histogram forward map gives the same bits on both paths") {
  // Cubed Gaussian values: both Φ⁻¹ formulas (centre and tails) and values beyond the support.
  const Matrix train = test::gaussian_sample(5000, Matrix::Identity(1, 1), 3).array().cube();
  detail::HistogramMarginal marginal(std::nullopt);
  marginal.fit(train.col(0));
  Vector x = test::gaussian_sample(3001, Matrix::Identity(1, 1), 5).col(0).array().cube() * 1.3;
  const auto run = [&] {
    Matrix out(x.size(), 2);
    marginal.forward_with_log_derivative(x, out.col(0), out.col(1));
    return out;
  };
  CHECK(same_under_both<Matrix>(run, same_bytes));
}

TEST_CASE("vector isa: a histogram or kde + PCA fit writes the same model bytes on both paths") {
  // For the kde, its fit passes (binning, resubstitution entropy) are dispatched too.
  const test::ScratchDir dir("vector-isa");
  const Matrix x = test::gaussian_sample(3000, test::random_covariance(6, 2), 9).array().cube();
  for (MarginalKind kind : {MarginalKind::Histogram, MarginalKind::Kde}) {
    CAPTURE(to_string(kind));
    FitOptions options;
    options.marginal = kind;
    options.damping = 1.0;
    options.validation = 0.0;
    options.layers = 6;
    options.threads = 2;
    int run_count = 0;
    const auto run = [&] {
      const Model model = Model::fit(x, options);
      const auto path = dir.path() / ("m" + std::to_string(run_count++) + ".rbig");
      model.save(path);
      return std::make_pair(test::read_bytes(path), model.transform(x));
    };
    using Result = std::pair<std::string, Matrix>;
    CHECK(same_under_both<Result>(run, [](const Result& a, const Result& b) {
      return !a.first.empty() && a.first == b.first && same_bytes(a.second, b.second);
    }));
  }
}

TEST_CASE("vector isa: the kde forward map gives the same bits on both paths") {
  const Matrix train = test::gaussian_sample(5000, Matrix::Identity(1, 1), 3).array().cube();
  detail::KdeMarginal marginal(std::nullopt, BandwidthRule::Silverman);
  marginal.fit(train.col(0));
  Vector x = test::gaussian_sample(3001, Matrix::Identity(1, 1), 5).col(0).array().cube() * 1.3;
  const auto run = [&] {
    Matrix out(x.size(), 3);
    marginal.forward_with_log_derivative(x, out.col(0), out.col(1));
    marginal.forward(x, out.col(2));
    return out;
  };
  CHECK(same_under_both<Matrix>(run, same_bytes));
}

TEST_CASE("vector isa: the gaussian forward map gives the same bits on both paths, and map()'s") {
  // Chunks all inside the affine core and chunks with values beyond it (and a NaN), whose
  // values take the tails one by one.
  const detail::GaussianMarginal marginal(0.5, 2.0);
  Vector x = test::gaussian_sample(3001, Matrix::Identity(1, 1), 6).col(0) * 2.0;
  x[2000] = 1e3;
  x[2900] = std::numeric_limits<double>::quiet_NaN();
  const auto run = [&] {
    Matrix out(x.size(), 3);
    marginal.forward(x, out.col(0));
    marginal.forward_with_log_derivative(x, out.col(1), out.col(2));
    return out;
  };
  CHECK(same_under_both<Matrix>(run, same_bytes));
  const Matrix out = run();
  CHECK(same_bytes(out.col(0), out.col(1)));
  for (Index i : {Index{0}, Index{1999}, Index{2000}, Index{2001}}) {
    Vector one(1), z(1);
    one << x[i];
    marginal.forward(one, z);  // alone: its own chunk, whatever its neighbours
    CHECK(z[0] == out(i, 0));
  }
}
