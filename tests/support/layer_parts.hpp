#pragma once
// Parts the layer-kind tests (tree, radial, mixture, coupling) share: the kde marginals a
// destructor layer starts with, and the format version a model's bytes declare.

#include <rbig/marginal.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace rbig::test {

/// Kde marginals (Silverman's bandwidth) fitted to each column of x; y ← their output.
inline std::vector<std::unique_ptr<MarginalTransform>> kde_marginals(ConstMatrixRef x, Matrix& y) {
  FitOptions options;
  options.bandwidth_rule = BandwidthRule::Silverman;
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  y = x;
  for (Index d = 0; d < x.cols(); ++d) {
    marginals.push_back(make_marginal(MarginalKind::Kde, options));
    marginals.back()->fit(x.col(d));
    marginals.back()->forward(y.col(d), y.col(d));
  }
  return marginals;
}

/// The model file's format version (bytes 8–11, after the magic).
inline std::uint32_t format_version(const std::string& bytes) {
  std::uint32_t version = 0;
  std::memcpy(&version, bytes.data() + 8, sizeof version);
  return version;
}

}  // namespace rbig::test
