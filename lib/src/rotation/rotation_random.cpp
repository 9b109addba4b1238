#include <rbig/rotation.hpp>

#include "core/rng.hpp"

#include <Eigen/QR>

namespace rbig {

Rotation Rotation::random(Index dims, std::uint64_t seed) {
  // Haar measure (Mezzadri 2007): Q from the QR decomposition of a Gaussian matrix, with each
  // column's sign set by the sign of R's diagonal so that the distribution is exactly uniform.
  detail::Rng rng(seed);
  Matrix gaussian(dims, dims);
  for (Index c = 0; c < dims; ++c) {
    for (Index r = 0; r < dims; ++r) gaussian(r, c) = rng.normal();
  }
  const Eigen::HouseholderQR<Matrix> qr(gaussian);
  Matrix q = qr.householderQ();
  const Matrix& packed = qr.matrixQR();
  for (Index c = 0; c < dims; ++c) {
    if (packed(c, c) < 0.0) q.col(c) *= -1.0;
  }
  Rotation rotation(RotationKind::Random, std::move(q));
  rotation.seed_ = seed;
  return rotation;
}

}  // namespace rbig
