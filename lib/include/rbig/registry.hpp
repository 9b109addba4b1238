#pragma once
/// The marginal types a model file can hold, by name and by the byte that stands for them in the
/// file. rbig registers its own (histogram 0, gaussian 1, kde 2, spline 3, damped 255); a user
/// type registers once, before it is saved or loaded, and then round-trips through model files
/// like the built-in ones:
///
///   rbig::register_marginal_type({200, "my_map", [](rbig::ByteReader& in) {
///     return std::make_unique<MyMap>(in.get<double>()); }});

#include <rbig/marginal.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rbig {

class ByteReader;

struct MarginalType {
  /// Stands for the type in model files: never reuse one. 0–127 and 255 are rbig's.
  std::uint8_t file_id = 0;
  /// MarginalTransform::type_name() of the type's objects.
  std::string name;
  /// Rebuilds a fitted marginal from what its write() stored; throws ModelFileError, or
  /// NumericalError for parameters that describe no valid map (reported with the file's name).
  std::function<std::unique_ptr<MarginalTransform>(ByteReader& in)> read;
  /// The FitOptions::marginal value whose fits make this type (rbig's fittable types); empty for
  /// types a fit does not make (damped blends, user types).
  std::optional<MarginalKind> fit_kind;
};

/// Adds a type; throws OptionError if its id or name is taken or it has no reader.
void register_marginal_type(MarginalType type);
/// The registered type with this file id or name; nullptr when there is none.
const MarginalType* find_marginal_type(std::uint8_t file_id);
const MarginalType* find_marginal_type(std::string_view name);

/// Names of the kinds a fit can use (FitOptions::marginal), in MarginalKind order.
std::vector<std::string_view> marginal_kind_names();
/// Names of the rotation kinds (FitOptions::rotation), in RotationKind order.
std::vector<std::string_view> rotation_kind_names();

}  // namespace rbig
