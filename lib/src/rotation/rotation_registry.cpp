#include "rotation/rotation_registry.hpp"

#include <rbig/error.hpp>
#include <rbig/registry.hpp>

namespace rbig::detail {

const std::vector<RotationType>& rotation_types() {
  static const std::vector<RotationType> types{
      {RotationKind::Pca, "pca", true,
       [](const RotationInput& in) { return Rotation::pca_from_covariance(in.covariance); }},
      {RotationKind::Random, "random", false,
       [](const RotationInput& in) { return Rotation::random(in.y.cols(), in.seed); }},
      {RotationKind::Ica, "ica", false,
       [](const RotationInput& in) { return Rotation::ica(in.y, in.seed); }},
      {RotationKind::Pursuit, "pursuit", true,
       [](const RotationInput& in) {
         return Rotation::pursuit(in.y, in.covariance, in.seed, in.threads);
       }},
      {RotationKind::Sliced, "sliced", false,
       [](const RotationInput& in) { return Rotation::sliced(in.y, in.seed, in.threads); }},
  };
  return types;
}

const RotationType& rotation_type(RotationKind kind) {
  for (const RotationType& type : rotation_types()) {
    if (type.kind == kind) return type;
  }
  throw Error("rotation: unknown rotation kind");
}

}  // namespace rbig::detail

namespace rbig {

std::vector<std::string_view> rotation_kind_names() {
  std::vector<std::string_view> names;
  for (const detail::RotationType& type : detail::rotation_types()) names.push_back(type.name);
  return names;
}

}  // namespace rbig
