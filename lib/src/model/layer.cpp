#include <rbig/layer.hpp>

#include <rbig/error.hpp>

#include <fmt/format.h>

namespace rbig {

Layer::Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, Rotation rotation)
    : marginals_(std::move(marginals)), rotation_(std::move(rotation)) {
  if (static_cast<Index>(marginals_.size()) != rotation_.dims()) {
    throw DimensionError(fmt::format("layer: {} marginals for a {}-dimensional rotation",
                                     marginals_.size(), rotation_.dims()));
  }
  for (const auto& marginal : marginals_) {
    if (!marginal) throw OptionError("layer: a marginal is empty (null pointer)");
  }
}

Layer::Layer(RadialMap radial, Rotation rotation)
    : radial_(std::make_shared<const RadialMap>(std::move(radial))),
      rotation_(std::move(rotation)) {
  if (radial_->dims() != rotation_.dims()) {
    throw DimensionError(
        fmt::format("layer: a {}-dimensional radial map for a {}-dimensional "
                    "rotation",
                    radial_->dims(), rotation_.dims()));
  }
}

Layer::Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, TreeMap tree,
             Rotation rotation)
    : Layer(std::move(marginals), std::move(rotation)) {
  if (tree.dims() != rotation_.dims()) {
    throw DimensionError(fmt::format("layer: a {}-dimensional tree for a {}-dimensional rotation",
                                     tree.dims(), rotation_.dims()));
  }
  tree_ = std::make_shared<const TreeMap>(std::move(tree));
}

Layer::Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, CouplingMap coupling,
             Rotation rotation)
    : Layer(std::move(marginals), std::move(rotation)) {
  if (coupling.dims() != rotation_.dims()) {
    throw DimensionError(
        fmt::format("layer: a {}-dimensional coupling map for a {}-dimensional rotation",
                    coupling.dims(), rotation_.dims()));
  }
  coupling_ = std::make_shared<const CouplingMap>(std::move(coupling));
}

Layer::Layer(MixtureMap mixture, Rotation rotation)
    : mixture_(std::make_shared<const MixtureMap>(std::move(mixture))),
      rotation_(std::move(rotation)) {
  if (mixture_->dims() != rotation_.dims()) {
    throw DimensionError(
        fmt::format("layer: a {}-dimensional mixture for a {}-dimensional rotation",
                    mixture_->dims(), rotation_.dims()));
  }
}

Layer::Layer(const Layer& other)
    : radial_(other.radial_),
      tree_(other.tree_),
      coupling_(other.coupling_),
      mixture_(other.mixture_),
      rotation_(other.rotation_) {
  marginals_.reserve(other.marginals_.size());
  for (const auto& marginal : other.marginals_) marginals_.push_back(marginal->clone());
}

Layer& Layer::operator=(const Layer& other) {
  if (this != &other) *this = Layer(other);
  return *this;
}

const MarginalTransform& Layer::marginal(Index d) const {
  if (radial_) throw OptionError("layer: a radial layer has no per-dimension marginals");
  if (mixture_) throw OptionError("layer: a mixture layer has no per-dimension marginals");
  return *marginals_.at(static_cast<size_t>(d));
}

const RadialMap& Layer::radial() const {
  if (!radial_) throw OptionError("layer: a marginal layer has no radial map");
  return *radial_;
}

const MixtureMap& Layer::mixture() const {
  if (!mixture_) throw OptionError("layer: this layer has no mixture");
  return *mixture_;
}

const Bijector* Layer::whole_map() const {
  if (radial_) return radial_.get();
  return mixture_.get();
}

const TreeMap& Layer::tree() const {
  if (!tree_) throw OptionError("layer: this layer has no tree destructor");
  return *tree_;
}

const CouplingMap& Layer::coupling() const {
  if (!coupling_) throw OptionError("layer: this layer has no coupling destructor");
  return *coupling_;
}

const Bijector* Layer::after_marginals() const {
  if (tree_) return tree_.get();
  return coupling_.get();
}

void Layer::check_shape(ConstMatrixRef x, Index log_det_size, const char* what) const {
  if (x.cols() != dims()) {
    throw DimensionError(fmt::format("layer {}: the layer has {} dimensions, the data {} columns",
                                     what, dims(), x.cols()));
  }
  if (log_det_size != x.rows()) {
    throw DimensionError(fmt::format("layer {}: {} rows but {} log-determinant entries", what,
                                     x.rows(), log_det_size));
  }
}

void Layer::forward(MatrixRef x, VectorRef log_det) const {
  check_shape(x, log_det.size(), "forward");
  if (const Bijector* map = whole_map()) {
    map->forward(x, log_det);
  } else {
    Vector log_derivative(x.rows());
    for (Index d = 0; d < dims(); ++d) {
      marginals_[static_cast<size_t>(d)]->forward_with_log_derivative(x.col(d), x.col(d),
                                                                      log_derivative);
      log_det += log_derivative;
    }
    if (const Bijector* destructor = after_marginals()) destructor->forward(x, log_det);
  }
  rotation_.apply(x);
  if (rotation_.log_abs_det() != 0.0) log_det.array() += rotation_.log_abs_det();
}

void Layer::forward(MatrixRef x) const {
  check_shape(x, x.rows(), "forward");
  if (const Bijector* map = whole_map()) {
    Vector unused = Vector::Zero(x.rows());
    map->forward(x, unused);
  } else {
    for (Index d = 0; d < dims(); ++d)
      marginals_[static_cast<size_t>(d)]->forward(x.col(d), x.col(d));
    if (const Bijector* destructor = after_marginals()) {
      Vector unused = Vector::Zero(x.rows());
      destructor->forward(x, unused);
    }
  }
  rotation_.apply(x);
}

void Layer::inverse(MatrixRef z, VectorRef log_det) const {
  check_shape(z, log_det.size(), "inverse");
  if (const Bijector* map = whole_map()) {
    rotation_.apply_inverse(z);
    map->inverse(z, log_det);
    if (rotation_.log_abs_det() != 0.0) log_det.array() -= rotation_.log_abs_det();
    return;
  }
  if (const Bijector* destructor = after_marginals()) {
    rotation_.apply_inverse(z);
    destructor->inverse(z, log_det);
    for (Index d = 0; d < dims(); ++d)
      marginals_[static_cast<size_t>(d)]->inverse(z.col(d), z.col(d));
  } else {
    inverse(z);
  }
  // The inverse's log-determinant is minus the forward one at the point it returns.
  Vector log_derivative(z.rows());
  for (Index d = 0; d < dims(); ++d) {
    marginals_[static_cast<size_t>(d)]->log_derivative(z.col(d), log_derivative);
    log_det -= log_derivative;
  }
  if (rotation_.log_abs_det() != 0.0) log_det.array() -= rotation_.log_abs_det();
}

void Layer::inverse(MatrixRef z) const {
  check_shape(z, z.rows(), "inverse");
  rotation_.apply_inverse(z);
  if (const Bijector* map = whole_map()) {
    Vector unused = Vector::Zero(z.rows());
    map->inverse(z, unused);
    return;
  }
  if (const Bijector* destructor = after_marginals()) {
    Vector unused = Vector::Zero(z.rows());
    destructor->inverse(z, unused);
  }
  for (Index d = 0; d < dims(); ++d)
    marginals_[static_cast<size_t>(d)]->inverse(z.col(d), z.col(d));
}

}  // namespace rbig
