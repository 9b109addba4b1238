// Parameters that each pass their own check can still overflow together (a support of 1e308, a
// denormal width, an ica matrix diag(1e300)): such a model would answer NaN or "no finite result"
// later, in the middle of someone's work. A few points through each layer at load catch it.

#include "model/layer_probe.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <iterator>

namespace rbig::detail {
namespace {

constexpr double kProbes[] = {-8.0, -3.0, -1.0, -0.25, 0.0, 0.5, 2.0, 8.0};

/// 8 rows of probe values, shifted per column so that columns differ.
Matrix probe_points(Index dims) {
  Matrix z(static_cast<Index>(std::size(kProbes)), dims);
  for (Index r = 0; r < z.rows(); ++r) {
    for (Index c = 0; c < dims; ++c)
      z(r, c) = kProbes[(static_cast<std::size_t>(r + c)) % std::size(kProbes)];
  }
  return z;
}

}  // namespace

void probe_layer(const Layer& layer, std::size_t number, const std::string& path) {
  const Matrix z = probe_points(layer.dims());
  // Latent points back to data and forward again.
  Matrix x = z;
  Vector log_det = Vector::Zero(z.rows());
  layer.inverse(x, log_det);
  const bool inverse_ok = x.allFinite() && log_det.allFinite();
  layer.forward(x, log_det);
  if (!inverse_ok || !x.allFinite() || !log_det.allFinite()) {
    throw ModelFileError(
        fmt::format("{}: layer {} maps latent points within 8 standard deviations "
                    "to values that are not finite (damaged parameters)",
                    path, number));
  }
  // The same points as data: a scale such as diag(1e300) maps them to finite latent values
  // whose log-density −|z|²/2 is not.
  Matrix y = z;
  Vector forward_log_det = Vector::Zero(z.rows());
  layer.forward(y, forward_log_det);
  if (!y.allFinite() || !y.rowwise().squaredNorm().allFinite() || !forward_log_det.allFinite()) {
    throw ModelFileError(
        fmt::format("{}: layer {} maps points near 0 to latent values whose density is not "
                    "finite (damaged parameters)",
                    path, number));
  }
}

}  // namespace rbig::detail
