#include "large_fit_warning.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace rbig::cli {
namespace {

// A layer's rotation is held twice in memory (the matrix and the transposed inverse it applies).
constexpr double kRotationCopies = 2.0;
constexpr double kLargeModelBytes = 1024.0 * 1024.0 * 1024.0;
// Operations a core does per second in these dense kernels: a rough figure for an estimate that
// only needs the order of magnitude.
constexpr double kOperationsPerSecond = 1e10;
constexpr double kSlowLayerOperations = 1e11;

std::string bytes_text(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.1f} GB", bytes / 1e9);
  return fmt::format("{:.0f} MB", bytes / 1e6);
}

}  // namespace

std::optional<std::string> large_fit_warning(const std::string& what, Index rows, Index dims,
                                             const FitOptions& options) {
  const double n = static_cast<double>(rows);
  const double d = static_cast<double>(dims);
  const int layers = options.layers.value_or(options.max_layers);
  const double layer_bytes = kRotationCopies * 8.0 * d * d;
  const double model_bytes = layer_bytes * layers;
  // Covariance (N·D²), the rotation's product (2·N·D²), the eigen-decomposition (about 10·D³).
  const double layer_operations = 3.0 * n * d * d + 10.0 * d * d * d;
  if (model_bytes < kLargeModelBytes && layer_operations < kSlowLayerOperations) {
    return std::nullopt;
  }
  return fmt::format(
      "{}: {} columns: each layer holds a {}×{} rotation ({} in memory, up to {} for {} layers) "
      "and takes roughly {:.1e} operations (about {:.0f} s on one core); a signal (Ctrl-C) stops "
      "the fit between blocks of work",
      what, dims, dims, dims, bytes_text(layer_bytes), bytes_text(model_bytes), layers,
      layer_operations, layer_operations / kOperationsPerSecond);
}

void warn_if_large_fit(const std::string& what, Index rows, Index dims, const FitOptions& options) {
  if (const std::optional<std::string> warning = large_fit_warning(what, rows, dims, options)) {
    fmt::print(stderr, "rbig: warning: {}\n", *warning);
  }
}

}  // namespace rbig::cli
