#pragma once
/// The linear step of a layer: z = R·y for each row y, with R orthogonal (so log|det| = 0).

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <cstdint>

namespace rbig {

class Rotation {
 public:
  /// Principal axes of the rows of y, by decreasing variance; eigenvector signs fixed so that the
  /// largest component of each is positive (deterministic). Throws NumericalError if the
  /// eigen-decomposition fails.
  static Rotation pca(ConstMatrixRef y);
  /// Haar-distributed orthogonal matrix drawn from the seed (QR of a Gaussian matrix, signs fixed).
  static Rotation random(Index dims, std::uint64_t seed);
  /// Rebuilds a rotation read from a model file; R must be square and orthogonal.
  static Rotation from_matrix(RotationKind kind, Matrix r);

  RotationKind kind() const { return kind_; }
  Index dims() const { return matrix_.rows(); }
  const Matrix& matrix() const { return matrix_; }

  /// x ← x·Rᵀ (each row rotated), in place, in row blocks (no N×D temporary).
  void apply(MatrixRef x) const;
  /// z ← z·R, the inverse of apply.
  void apply_inverse(MatrixRef z) const;

 private:
  Rotation(RotationKind kind, Matrix r) : kind_(kind), matrix_(std::move(r)) {}
  RotationKind kind_;
  Matrix matrix_;
};

}  // namespace rbig
