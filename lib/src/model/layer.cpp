#include <rbig/layer.hpp>

#include <cassert>

namespace rbig {

Layer::Layer(std::vector<std::unique_ptr<MarginalTransform>> marginals, Rotation rotation)
    : marginals_(std::move(marginals)), rotation_(std::move(rotation)) {
  assert(static_cast<Index>(marginals_.size()) == rotation_.dims());
}

Layer::Layer(const Layer& other) : rotation_(other.rotation_) {
  marginals_.reserve(other.marginals_.size());
  for (const auto& marginal : other.marginals_) marginals_.push_back(marginal->clone());
}

Layer& Layer::operator=(const Layer& other) {
  if (this != &other) *this = Layer(other);
  return *this;
}

void Layer::forward(MatrixRef x, VectorRef log_det) const {
  Vector log_derivative(x.rows());
  for (Index d = 0; d < dims(); ++d) {
    marginal(d).forward_with_log_derivative(x.col(d), x.col(d), log_derivative);
    log_det += log_derivative;
  }
  rotation_.apply(x);
  if (rotation_.log_abs_det() != 0.0) log_det.array() += rotation_.log_abs_det();
}

void Layer::forward(MatrixRef x) const {
  for (Index d = 0; d < dims(); ++d) marginal(d).forward(x.col(d), x.col(d));
  rotation_.apply(x);
}

void Layer::inverse(MatrixRef z) const {
  rotation_.apply_inverse(z);
  for (Index d = 0; d < dims(); ++d) marginal(d).inverse(z.col(d), z.col(d));
}

}  // namespace rbig
