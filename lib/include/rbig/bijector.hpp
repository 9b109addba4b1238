#pragma once
/// An invertible map of R^D with its log-Jacobian both ways, applied in place to the rows of a
/// matrix (rows = samples). Layers and whole models are bijectors, so a cascade is a chain of
/// them: log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x| with f the chain's forward map.
///
///   rbig::Vector log_det = rbig::Vector::Zero(x.rows());
///   layer.forward(x, log_det);   // x ← f(x), log_det += log|det ∂f/∂x|
///   layer.inverse(x, log_det);   // x ← f⁻¹(x), log_det += log|det ∂f⁻¹/∂z|: back to zero

#include <rbig/types.hpp>

namespace rbig {

class Bijector {
 public:
  virtual ~Bijector() = default;
  /// D: the number of columns forward and inverse accept.
  virtual Index dims() const = 0;
  /// x ← f(x) row by row, in place; log_det[i] += log|det ∂f/∂x| at row i. Throws
  /// DimensionError unless x has dims() columns and log_det has x.rows() entries.
  virtual void forward(MatrixRef x, VectorRef log_det) const = 0;
  /// z ← f⁻¹(z) row by row, in place; log_det[i] += log|det ∂f⁻¹/∂z| at row i (minus the forward
  /// log-determinant at the result). Throws DimensionError as forward does.
  virtual void inverse(MatrixRef z, VectorRef log_det) const = 0;
};

}  // namespace rbig
