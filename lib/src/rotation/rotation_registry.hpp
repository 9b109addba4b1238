#pragma once
// The rotation kinds: each one's name (CLI, model files, messages) and how a fit makes it. Adding
// a kind = its file (rotation_<name>.cpp), a RotationKind value and one line in rotation_types().
// Every kind is stored the same way in model files (its matrix, or a random rotation's seed).

#include <rbig/options.hpp>
#include <rbig/rotation.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace rbig::detail {

/// What a layer's rotation is fitted to: y (N×D, the marginal step's output), its covariance
/// when the kind needs one (else empty), the layer's seed and the thread budget.
struct RotationInput {
  ConstMatrixRef y;
  const Matrix& covariance;
  std::uint64_t seed;
  int threads;
};

struct RotationType {
  RotationKind kind;
  std::string_view name;
  bool needs_covariance;  // fitted from the covariance of y, which the marginal pass then sums
  Rotation (*fit)(const RotationInput& input);
};

/// Every kind, in RotationKind order.
const std::vector<RotationType>& rotation_types();
/// The entry of `kind`.
const RotationType& rotation_type(RotationKind kind);

}  // namespace rbig::detail
