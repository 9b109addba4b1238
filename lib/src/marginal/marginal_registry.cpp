// The marginal type registry: rbig's own types, registered on first use, and user types.
// Adding a built-in type = its file + one line in builtin_types().

#include "marginal/marginal_registry.hpp"

#include <rbig/error.hpp>
#include <rbig/registry.hpp>

#include "marginal/marginal_damped.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_histogram.hpp"
#include "marginal/marginal_kde.hpp"
#include "marginal/marginal_spline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <mutex>

namespace rbig {
namespace {

std::vector<MarginalType> builtin_types() {
  return {detail::histogram_marginal_type(), detail::gaussian_marginal_type(),
          detail::kde_marginal_type(), detail::spline_marginal_type(),
          detail::damped_marginal_type()};
}

// A deque keeps the addresses find_marginal_type hands out valid while types are added.
struct Registry {
  Registry() {
    for (MarginalType& type : builtin_types()) types.push_back(std::move(type));
  }
  std::mutex mutex;
  std::deque<MarginalType> types;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

template <typename Match>
const MarginalType* find_type(Match&& match) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  for (const MarginalType& type : r.types) {
    if (match(type)) return &type;
  }
  return nullptr;
}

}  // namespace

void register_marginal_type(MarginalType type) {
  if (type.name.empty() || !type.read) {
    throw OptionError(fmt::format("marginal type \"{}\": needs a name and a reader", type.name));
  }
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  for (const MarginalType& known : r.types) {
    if (known.file_id == type.file_id || known.name == type.name) {
      throw OptionError(
          fmt::format("marginal type \"{}\" (file id {}): id or name already "
                      "taken by \"{}\" (file id {})",
                      type.name, int{type.file_id}, known.name, int{known.file_id}));
    }
  }
  r.types.push_back(std::move(type));
}

const MarginalType* find_marginal_type(std::uint8_t file_id) {
  return find_type([&](const MarginalType& type) { return type.file_id == file_id; });
}

const MarginalType* find_marginal_type(std::string_view name) {
  return find_type([&](const MarginalType& type) { return type.name == name; });
}

std::vector<std::string_view> marginal_kind_names() {
  std::vector<std::pair<MarginalKind, std::string_view>> kinds;
  Registry& r = registry();
  {
    const std::lock_guard<std::mutex> lock(r.mutex);
    for (const MarginalType& type : r.types) {
      if (type.fit_kind) kinds.emplace_back(*type.fit_kind, type.name);
    }
  }
  std::sort(kinds.begin(), kinds.end());
  std::vector<std::string_view> names;
  for (const auto& kind : kinds) names.push_back(kind.second);
  return names;
}

std::unique_ptr<detail::MarginalFromMoments> detail::make_marginal_from_moments(
    MarginalKind kind, const FitOptions& options) {
  switch (kind) {
    case MarginalKind::Histogram:
      return std::make_unique<detail::HistogramMarginal>(options.bins);
    case MarginalKind::Gaussian:
      return std::make_unique<detail::GaussianMarginal>();
    case MarginalKind::Kde:
      return std::make_unique<detail::KdeMarginal>(
          options.bandwidth, options.bandwidth_rule.value_or(BandwidthRule::Silverman));
    case MarginalKind::Spline:
      return std::make_unique<detail::SplineMarginal>();
  }
  throw Error("make_marginal: unknown marginal kind");
}

std::unique_ptr<MarginalTransform> make_marginal(MarginalKind kind, const FitOptions& options) {
  return detail::make_marginal_from_moments(kind, options);
}

void detail::write_marginal(ByteWriter& out, const MarginalTransform& marginal) {
  const MarginalType* type = find_marginal_type(marginal.type_name());
  if (type == nullptr) {
    throw Error(
        fmt::format("cannot save a marginal of unregistered type \"{}\" "
                    "(register_marginal_type)",
                    marginal.type_name()));
  }
  out.put(type->file_id);
  marginal.write(out);
}

std::unique_ptr<MarginalTransform> detail::read_marginal(ByteReader& in) {
  const auto id = in.get<std::uint8_t>();
  const MarginalType* type = find_marginal_type(id);
  if (type == nullptr) {
    throw ModelFileError(fmt::format("{}: unknown marginal kind {}", in.path(), int{id}));
  }
  try {
    return type->read(in);
  } catch (const NumericalError& e) {
    throw ModelFileError(fmt::format("{}: {}", in.path(), e.what()));
  }
}

std::vector<double> detail::read_doubles(ByteReader& in, std::uint32_t count,
                                         std::uint32_t min_count, std::string_view what) {
  if (count < min_count || count > in.remaining() / sizeof(double)) {
    throw ModelFileError(fmt::format("{}: invalid {} {}", in.path(), what, count));
  }
  std::vector<double> values(count);
  for (double& v : values) v = in.get<double>();
  return values;
}

}  // namespace rbig
