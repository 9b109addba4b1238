#pragma once
/// One Gaussianization layer: a marginal map per dimension, then a rotation. Build one from
/// fitted marginals and a rotation to stack layers by hand (Model::from_layers). A radial layer
/// (radial.hpp) has a radial map instead of the marginals: it changes each point's distance from
/// a centre, which no product of 1-D maps can do. A tree layer (tree.hpp) has marginals and a
/// density-tree destructor between them and the rotation: it removes dependence on axis-aligned
/// cells (hard edges), which no product of 1-D maps can do either. A coupling layer (coupling.hpp)
/// has marginals and a conditional affine destructor between them and the rotation: it shifts and
/// scales coordinates by smooth functions of others (a funnel, a banana). A mixture layer
/// (mixture.hpp) has a Gaussian mixture's Rosenblatt transform instead of the marginals: it removes
/// the dependence of a multimodal density with correlated modes in one step.

#include <rbig/bijector.hpp>
#include <rbig/coupling.hpp>
#include <rbig/marginal.hpp>
#include <rbig/mixture.hpp>
#include <rbig/radial.hpp>
#include <rbig/rotation.hpp>
#include <rbig/tree.hpp>
#include <rbig/types.hpp>

#include <memory>
#include <vector>

namespace rbig {

class Layer final : public Bijector {
 public:
  /// One fitted marginal per dimension of the rotation; throws DimensionError otherwise, and
  /// OptionError for an empty marginal.
  Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, Rotation rotation);
  /// A radial layer: the radial map, then the rotation (of the same dimensions, else
  /// DimensionError).
  Layer(RadialMap radial, Rotation rotation);
  /// A tree layer: the marginals, then the tree destructor, then the rotation (all of the same
  /// dimensions, else DimensionError).
  Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, TreeMap tree, Rotation rotation);
  /// A coupling layer: the marginals, then the coupling destructor, then the rotation (all of the
  /// same dimensions, else DimensionError).
  Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, CouplingMap coupling,
        Rotation rotation);
  /// A mixture layer: the mixture's Rosenblatt transform, then the rotation (of the same
  /// dimensions, else DimensionError).
  Layer(MixtureMap mixture, Rotation rotation);
  Layer(const Layer& other);
  Layer& operator=(const Layer& other);
  Layer(Layer&&) noexcept = default;
  Layer& operator=(Layer&&) noexcept = default;
  ~Layer() override = default;

  Index dims() const override { return rotation_.dims(); }
  /// True for a layer built from a radial map, which has no per-dimension marginals.
  bool is_radial() const { return radial_ != nullptr; }
  /// True for a layer with a tree destructor after its marginals.
  bool is_tree() const { return tree_ != nullptr; }
  /// True for a layer with a coupling destructor after its marginals.
  bool is_coupling() const { return coupling_ != nullptr; }
  /// True for a layer built from a Gaussian mixture's Rosenblatt transform (no marginals).
  bool is_mixture() const { return mixture_ != nullptr; }
  /// The mixture; throws OptionError for a layer without one.
  const MixtureMap& mixture() const;
  /// The tree destructor; throws OptionError for a layer without one.
  const TreeMap& tree() const;
  /// The coupling destructor; throws OptionError for a layer without one.
  const CouplingMap& coupling() const;
  /// Dimension d's marginal; throws OptionError for a radial or mixture layer.
  const MarginalTransform& marginal(Index d) const;
  /// The radial map; throws OptionError for a marginal layer.
  const RadialMap& radial() const;
  const Rotation& rotation() const { return rotation_; }

  /// x ← R·T(m_1(x_1), …, m_D(x_D)) per row (T the tree or coupling destructor of a tree or
  /// coupling layer, else the identity); log_det += Σ_d log m_d'(x_d) + log|det T'| + log|det R|.
  void forward(MatrixRef x, VectorRef log_det) const override;
  /// The inverse map and its log-determinant, −(the forward one at the result).
  void inverse(MatrixRef z, VectorRef log_det) const override;
  /// x ← layer(x) in place, without the Jacobian.
  void forward(MatrixRef x) const;
  /// z ← layer⁻¹(z) in place, without the Jacobian.
  void inverse(MatrixRef z) const;

 private:
  void check_shape(ConstMatrixRef x, Index log_det_size, const char* what) const;

  /// The map that replaces the marginals in a radial or mixture layer (null otherwise).
  const Bijector* whole_map() const;
  /// The destructor between the marginals and the rotation (tree or coupling; null otherwise).
  const Bijector* after_marginals() const;

  std::vector<std::unique_ptr<MarginalTransform>> marginals_;  // empty for a radial/mixture layer
  std::shared_ptr<const RadialMap> radial_;      // immutable once built, so copies may share it
  std::shared_ptr<const TreeMap> tree_;          // likewise; null unless a tree layer
  std::shared_ptr<const CouplingMap> coupling_;  // likewise; null unless a coupling layer
  std::shared_ptr<const MixtureMap> mixture_;    // likewise; null unless a mixture layer
  Rotation rotation_;
};

}  // namespace rbig
