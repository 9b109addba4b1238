#include "fit/null_layers.hpp"

#include "core/random_streams.hpp"
#include "core/rng.hpp"
#include "fit/fitted_cascade.hpp"

#include <cmath>
#include <vector>

namespace rbig::detail {
namespace {

constexpr double kFloorFromNat = 1.0;

}  // namespace

bool needs_null_layers(const InformationNoise& noise, const FitOptions& options, bool validating) {
  return !validating && !options.layers && noise.pca_bias >= kFloorFromNat;
}

double null_layer_floor(Index rows, Index dims, const FitOptions& options) {
  Matrix sample(rows, dims);
  Rng rng(derive_seed(options.seed, stream_id(RandomStream::FitNullLayers)));
  for (Index c = 0; c < dims; ++c)
    for (Index r = 0; r < rows; ++r) sample(r, c) = rng.normal();
  FitOptions null_options = options;
  // A fixed depth (no floor of its own, no recursion), twice the patience: the readings creep up
  // over the first layers (0.04 at layer 2, 0.12 by layer 4 at D = 256), and a floor from the
  // first three alone let a fit run 13 layers.
  null_options.layers = 2 * options.patience;
  const FittedCascade fit = fit_cascade(sample, nullptr, null_options, {}, LocalReducer());
  // Mean plus twice the spread of the readings: one sample's largest of six varied from 0.09 to
  // 0.15 nats between seeds at D = 256, N = 3,000, below the data's own floor for some.
  const std::vector<LayerReport>& layers = fit.report.layers;
  double mean = 0.0;
  for (const LayerReport& layer : layers) mean += layer.info_reduction;
  mean /= static_cast<double>(layers.size());
  double squares = 0.0;
  for (const LayerReport& layer : layers) {
    squares += (layer.info_reduction - mean) * (layer.info_reduction - mean);
  }
  const double spread = std::sqrt(squares / static_cast<double>(layers.size() - 1));
  return options.tol + mean + 2.0 * spread;
}

}  // namespace rbig::detail
