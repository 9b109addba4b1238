#pragma once
/// One Gaussianization layer: a marginal map per dimension, then a rotation. Build one from
/// fitted marginals and a rotation to stack layers by hand (Model::from_layers).

#include <rbig/bijector.hpp>
#include <rbig/marginal.hpp>
#include <rbig/rotation.hpp>
#include <rbig/types.hpp>

#include <memory>
#include <vector>

namespace rbig {

class Layer final : public Bijector {
 public:
  /// One fitted marginal per dimension of the rotation; throws DimensionError otherwise, and
  /// OptionError for an empty marginal.
  Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, Rotation rotation);
  Layer(const Layer& other);
  Layer& operator=(const Layer& other);
  Layer(Layer&&) noexcept = default;
  Layer& operator=(Layer&&) noexcept = default;
  ~Layer() override = default;

  Index dims() const override { return static_cast<Index>(marginals_.size()); }
  const MarginalTransform& marginal(Index d) const { return *marginals_[static_cast<size_t>(d)]; }
  const Rotation& rotation() const { return rotation_; }

  /// x ← R·(m_1(x_1), …, m_D(x_D)) per row; log_det += Σ_d log m_d'(x_d) + log|det R|.
  void forward(MatrixRef x, VectorRef log_det) const override;
  /// The inverse map and its log-determinant, −(the forward one at the result).
  void inverse(MatrixRef z, VectorRef log_det) const override;
  /// x ← layer(x) in place, without the Jacobian.
  void forward(MatrixRef x) const;
  /// z ← layer⁻¹(z) in place, without the Jacobian.
  void inverse(MatrixRef z) const;

 private:
  void check_shape(ConstMatrixRef x, Index log_det_size, const char* what) const;

  std::vector<std::unique_ptr<MarginalTransform>> marginals_;
  Rotation rotation_;
};

}  // namespace rbig
