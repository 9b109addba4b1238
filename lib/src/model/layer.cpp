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

Layer::Layer(const Layer& other) : rotation_(other.rotation_) {
  marginals_.reserve(other.marginals_.size());
  for (const auto& marginal : other.marginals_) marginals_.push_back(marginal->clone());
}

Layer& Layer::operator=(const Layer& other) {
  if (this != &other) *this = Layer(other);
  return *this;
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
  Vector log_derivative(x.rows());
  for (Index d = 0; d < dims(); ++d) {
    marginal(d).forward_with_log_derivative(x.col(d), x.col(d), log_derivative);
    log_det += log_derivative;
  }
  rotation_.apply(x);
  if (rotation_.log_abs_det() != 0.0) log_det.array() += rotation_.log_abs_det();
}

void Layer::forward(MatrixRef x) const {
  check_shape(x, x.rows(), "forward");
  for (Index d = 0; d < dims(); ++d) marginal(d).forward(x.col(d), x.col(d));
  rotation_.apply(x);
}

void Layer::inverse(MatrixRef z, VectorRef log_det) const {
  check_shape(z, log_det.size(), "inverse");
  inverse(z);
  // The inverse's log-determinant is minus the forward one at the point it returns.
  Vector log_derivative(z.rows());
  for (Index d = 0; d < dims(); ++d) {
    marginal(d).log_derivative(z.col(d), log_derivative);
    log_det -= log_derivative;
  }
  if (rotation_.log_abs_det() != 0.0) log_det.array() -= rotation_.log_abs_det();
}

void Layer::inverse(MatrixRef z) const {
  check_shape(z, z.rows(), "inverse");
  rotation_.apply_inverse(z);
  for (Index d = 0; d < dims(); ++d) marginal(d).inverse(z.col(d), z.col(d));
}

}  // namespace rbig
