#pragma once
/// The linear step of a layer: z = R·y for each row y. PCA, random, pursuit and sliced
/// rotations are orthogonal (log|det R| = 0); ICA is whitening followed by an orthogonal unmixing,
/// so its log|det R| enters the layer's Jacobian.

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <optional>

namespace rbig {

class Rotation {
 public:
  /// Principal axes of the rows of y, by decreasing variance; eigenvector signs fixed so that the
  /// largest component of each is positive (deterministic). Throws NumericalError if the
  /// eigen-decomposition fails.
  static Rotation pca(ConstMatrixRef y);
  /// The same from the covariance matrix of y (symmetric D×D), for callers that need it anyway.
  static Rotation pca_from_covariance(const Matrix& covariance);
  /// Sample covariance of the rows of y (divisor N − 1) as YᵀY − N·μμᵀ through symmetric rank-k
  /// updates: no centred N×D copy. Meant for data of order 1 (a layer's marginal output), where
  /// the subtraction does not cancel. Row blocks of a fixed size are summed on up to `threads`
  /// threads (0: all cores) and reduced in block order: the same bits at every thread count.
  static Matrix covariance(ConstMatrixRef y, int threads = 1);
  /// Haar-distributed orthogonal matrix drawn from the seed (QR of a Gaussian matrix, signs fixed).
  /// It remembers the seed, so a model file stores 8 bytes instead of D² doubles.
  static Rotation random(Index dims, std::uint64_t seed);
  /// ICA (Hyvärinen 1999): R = W·Λ^(−1/2)·Vᵀ, whitening by the covariance C = VΛVᵀ of y, then the
  /// symmetric FastICA unmixing W of the whitened rows (fitted on at most 20,000 evenly spaced
  /// rows, at most 50 iterations, W seeded from `seed`). Throws NumericalError if C is singular.
  static Rotation ica(ConstMatrixRef y, std::uint64_t seed);
  /// Projection pursuit (rotation_pursuit.cpp): of the PCA axes of `covariance` (the covariance
  /// of y) and a few candidate rotations drawn from `seed` (in 2-D, 16 angles at a
  /// seeded offset; otherwise 8 Haar rotations), the one that minimises the
  /// summed m-spacing entropy of the rotated columns, measured on at most 8,192 evenly
  /// spaced rows: the greedy choice for the layer's information reduction. Candidates are scored
  /// on up to `threads` threads (0: all cores) with the same result at every count.
  static Rotation pursuit(ConstMatrixRef y, const Matrix& covariance, std::uint64_t seed,
                          int threads = 1);
  /// Sliced Wasserstein (rotation_sliced.cpp; GIS/SINF, Dai & Seljak 2021): min(D, 16) orthonormal
  /// directions that maximise Σ_k W₂²(projection on w_k, N(0,1)), by 10 steps of gradient ascent
  /// on the Stiefel manifold from the PCA axes, on all rows up to 20,000 (beyond, about 20,000
  /// chosen by a hash of `seed` and the row index); completed (when D > 16) by the principal axes
  /// of the rest. Directions are scored on up to `threads` threads (0: all cores) with the same
  /// result at every count.
  static Rotation sliced(ConstMatrixRef y, std::uint64_t seed, int threads = 1);
  /// Rebuilds a rotation read from a model file: R must be square, orthogonal for pca, random,
  /// pursuit and sliced, and well-conditioned for ica.
  static Rotation from_matrix(RotationKind kind, Matrix r);

  RotationKind kind() const { return kind_; }
  Index dims() const { return matrix_.rows(); }
  const Matrix& matrix() const { return matrix_; }
  /// The seed that regenerates a random rotation (random(dims(), *seed()) gives the same bits);
  /// empty for the other kinds and for a matrix read from a file.
  std::optional<std::uint64_t> seed() const { return seed_; }
  /// log|det R|: 0 for orthogonal kinds.
  double log_abs_det() const { return log_abs_det_; }

  /// x ← x·Rᵀ (each row rotated), in place, in row blocks (no N×D temporary).
  void apply(MatrixRef x) const;
  /// z ← z·R⁻ᵀ, the inverse of apply (z·R for orthogonal kinds).
  void apply_inverse(MatrixRef z) const;

 private:
  Rotation(RotationKind kind, Matrix r);
  RotationKind kind_;
  Matrix matrix_;
  Matrix inverse_transposed_;  // R⁻ᵀ (= R when orthogonal)
  double log_abs_det_ = 0.0;
  std::optional<std::uint64_t> seed_;
};

}  // namespace rbig
