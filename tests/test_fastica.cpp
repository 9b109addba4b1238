#include "rotation/fastica.hpp"
#include "core/rng.hpp"

#include <Eigen/Eigenvalues>
#include <doctest/doctest.h>

#include <cmath>

using namespace rbig;

namespace {

// Amari index of P = W·A_whitened: 0 iff P is a scaled permutation (sources recovered exactly).
double amari_index(const Matrix& p) {
  const Matrix a = p.cwiseAbs();
  const Index d = a.rows();
  double total = 0.0;
  for (Index i = 0; i < d; ++i) total += a.row(i).sum() / a.row(i).maxCoeff() - 1.0;
  for (Index j = 0; j < d; ++j) total += a.col(j).sum() / a.col(j).maxCoeff() - 1.0;
  return total / (2.0 * static_cast<double>(d) * static_cast<double>(d - 1));
}

}  // namespace

TEST_CASE("fastica: recovers linearly mixed uniform and Laplace sources") {
  constexpr Index kRows = 20000;
  constexpr Index kDims = 4;
  detail::Rng rng(5);
  Matrix sources(kRows, kDims);
  for (Index i = 0; i < kRows; ++i) {
    sources(i, 0) = std::sqrt(12.0) * (rng.uniform() - 0.5);
    sources(i, 1) = std::sqrt(12.0) * (rng.uniform() - 0.5);
    sources(i, 2) = std::log(rng.uniform() / rng.uniform()) / std::sqrt(2.0);  // Laplace, var 1
    sources(i, 3) = std::log(rng.uniform() / rng.uniform()) / std::sqrt(2.0);
  }
  Matrix mixing(kDims, kDims);
  for (Index i = 0; i < mixing.size(); ++i) mixing.data()[i] = rng.normal();
  const Matrix x = sources * mixing.transpose();
  // Whiten with the sample covariance.
  const Matrix centred = x.rowwise() - x.colwise().mean();
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(centred.transpose() * centred /
                                                     double(kRows - 1));
  const Matrix whitening = solver.eigenvalues().cwiseSqrt().cwiseInverse().asDiagonal() *
                           solver.eigenvectors().transpose();
  const Matrix whitened = centred * whitening.transpose();
  const detail::FastIcaResult ica = detail::fastica(whitened, 1);
  CHECK(ica.converged);
  const Matrix identity = Matrix::Identity(kDims, kDims);
  CHECK((ica.unmixing * ica.unmixing.transpose() - identity).cwiseAbs().maxCoeff() < 1e-10);
  // Unmixing ∘ whitening ∘ mixing must be close to a scaled permutation. With N = 20,000 the
  // sampling error of the fixed point keeps the index near 0.01; an unrelated rotation gives ~0.5.
  const double index = amari_index(ica.unmixing * whitening * mixing);
  MESSAGE("Amari index " << index << " after " << ica.iterations << " iterations");
  CHECK(index < 0.05);
  CHECK(detail::fastica(whitened, 1).unmixing == ica.unmixing);  // deterministic for a seed
}
