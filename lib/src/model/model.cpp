// A model as a chain of layers: construction, its checks, and the single-threaded Bijector maps.
// The blocked, multi-threaded evaluation is in model_eval.cpp, the bytes in model_file.cpp and
// the fit in ../fit/.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include <fmt/format.h>

namespace rbig {
namespace {

void check_shape(const char* what, Index dims, ConstMatrixRef x, Index log_det_size) {
  if (x.cols() != dims) {
    throw DimensionError(fmt::format("model {}: the model has {} dimensions, the data {} columns",
                                     what, dims, x.cols()));
  }
  if (log_det_size != x.rows()) {
    throw DimensionError(fmt::format("model {}: {} rows but {} log-determinant entries", what,
                                     x.rows(), log_det_size));
  }
}

}  // namespace

std::string_view to_string(FitReport::Stop stop) {
  switch (stop) {
    case FitReport::Stop::Converged:
      return "converged";
    case FitReport::Stop::MaxLayers:
      return "max_layers";
    case FitReport::Stop::Observer:
      return "observer";
    case FitReport::Stop::Validation:
      return "validation";
  }
  return "unknown";
}

Model::Model(Index dims, std::vector<Layer> layers, FitOptions options, FitReport report)
    : dims_(dims), options_(options), report_(std::move(report)), layers_(std::move(layers)) {
  if (dims_ < 1) throw DimensionError(fmt::format("model: {} dimensions (need 1 or more)", dims_));
  for (size_t k = 0; k < layers_.size(); ++k) {
    if (layers_[k].dims() != dims_) {
      throw DimensionError(fmt::format("model: layer {} has {} dimensions, the model {}", k + 1,
                                       layers_[k].dims(), dims_));
    }
  }
  if (report_.layers.size() != layers_.size()) {
    throw OptionError(fmt::format("model: the report describes {} layers, the model has {}",
                                  report_.layers.size(), layers_.size()));
  }
  if (!options_.marginal || !options_.damping) {
    throw OptionError("model: options.marginal and options.damping must be set (the fit's)");
  }
  options_.validate();
  set_threads(options_.threads);
}

Model Model::from_layers(std::vector<Layer> layers) {
  if (layers.empty()) throw DimensionError("model: from_layers needs at least one layer");
  const Index dims = layers.front().dims();
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  FitReport report;
  report.message = "built from layers";
  for (size_t k = 0; k < layers.size(); ++k)
    report.layers.push_back({static_cast<int>(k + 1), 0.0, 0.0, {}});
  return Model(dims, std::move(layers), options, std::move(report));
}

void Model::set_threads(int threads) {
  if (threads < 0) {
    throw OptionError(fmt::format("threads: must be 0 (all cores) or more (got {})", threads));
  }
  threads_ = threads;
}

void Model::forward(MatrixRef x, VectorRef log_det) const {
  check_shape("forward", dims_, x, log_det.size());
  for (const Layer& layer : layers_) layer.forward(x, log_det);
}

void Model::inverse(MatrixRef z, VectorRef log_det) const {
  check_shape("inverse", dims_, z, log_det.size());
  for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) layer->inverse(z, log_det);
}

}  // namespace rbig
