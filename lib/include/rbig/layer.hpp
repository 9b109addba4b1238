#pragma once
/// One Gaussianization layer: a marginal map per dimension, then a rotation.

#include <rbig/marginal.hpp>
#include <rbig/rotation.hpp>
#include <rbig/types.hpp>

#include <memory>
#include <vector>

namespace rbig {

class Layer {
 public:
  Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, Rotation rotation);
  Layer(const Layer& other);
  Layer& operator=(const Layer& other);
  Layer(Layer&&) noexcept = default;
  Layer& operator=(Layer&&) noexcept = default;
  ~Layer() = default;

  Index dims() const { return static_cast<Index>(marginals_.size()); }
  const MarginalTransform& marginal(Index d) const { return *marginals_[static_cast<size_t>(d)]; }
  const Rotation& rotation() const { return rotation_; }

  /// x ← layer(x) in place; adds each row's log|det J| to log_det (size x.rows()).
  void forward(MatrixRef x, VectorRef log_det) const;
  /// x ← layer(x) in place, without the Jacobian.
  void forward(MatrixRef x) const;
  /// z ← layer⁻¹(z) in place.
  void inverse(MatrixRef z) const;

 private:
  std::vector<std::unique_ptr<MarginalTransform>> marginals_;
  Rotation rotation_;
};

}  // namespace rbig
