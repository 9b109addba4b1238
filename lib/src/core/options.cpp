#include <rbig/error.hpp>
#include <rbig/options.hpp>
#include <rbig/registry.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <string>
#include <vector>

namespace rbig {
namespace {

// The names of each family come from its registry (registry.hpp): a kind is known in one place.
// Enumerator values are positions in these lists (options.hpp: append only).
const std::vector<std::string_view>& bandwidth_rule_names() {
  static const std::vector<std::string_view> names{"silverman", "plugin", "annealed"};
  return names;
}

template <typename Kind>
std::string_view name_of(Kind kind, const std::vector<std::string_view>& names) {
  const auto index = static_cast<std::size_t>(kind);
  return index < names.size() ? names[index] : "unknown";
}

template <typename Kind>
Kind parse_kind(std::string_view what, std::string_view name,
                const std::vector<std::string_view>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Kind>(i);
  }
  throw OptionError(std::string(what),
                    fmt::format("unknown name \"{}\" (valid: {})", name, fmt::join(names, ", ")));
}

}  // namespace

std::string_view to_string(MarginalKind kind) { return name_of(kind, marginal_kind_names()); }
std::string_view to_string(RotationKind kind) { return name_of(kind, rotation_kind_names()); }
std::string_view to_string(BandwidthRule rule) { return name_of(rule, bandwidth_rule_names()); }

MarginalKind parse_marginal_kind(std::string_view name) {
  return parse_kind<MarginalKind>("marginal", name, marginal_kind_names());
}

RotationKind parse_rotation_kind(std::string_view name) {
  return parse_kind<RotationKind>("rotation", name, rotation_kind_names());
}

BandwidthRule parse_bandwidth_rule(std::string_view name) {
  return parse_kind<BandwidthRule>("bandwidth rule", name, bandwidth_rule_names());
}

void FitOptions::validate() const {
  if (max_layers < 1) {
    throw OptionError("max_layers", fmt::format("must be at least 1 (got {})", max_layers));
  }
  if (layers && (*layers < 1 || *layers > 100000)) {
    throw OptionError("layers", fmt::format("must be between 1 and 100000 (got {})", *layers));
  }
  if (damping && !(*damping > 0.0 && *damping <= 1.0)) {
    throw OptionError("damping", fmt::format("must be in (0, 1] (got {})", *damping));
  }
  if (!(validation >= 0.0 && validation < 1.0)) {
    throw OptionError("validation",
                      fmt::format("must be a fraction in [0, 1) (got {})", validation));
  }
  if (validation_patience < 1) {
    throw OptionError("validation_patience",
                      fmt::format("must be at least 1 (got {})", validation_patience));
  }
  if (!std::isfinite(tol) || tol < 0.0) {
    throw OptionError("tol", fmt::format("must be a finite number >= 0 (got {})", tol));
  }
  if (patience < 1) {
    throw OptionError("patience", fmt::format("must be at least 1 (got {})", patience));
  }
  if (bins && (*bins < 2 || *bins > 100000)) {
    throw OptionError("bins", fmt::format("must be between 2 and 100000 (got {})", *bins));
  }
  if (bandwidth && !(std::isfinite(*bandwidth) && *bandwidth > 0.0 && *bandwidth <= 100.0)) {
    throw OptionError("bandwidth",
                      fmt::format("must be in (0, 100] standard deviations (got {})", *bandwidth));
  }
  if (threads < 0) {
    throw OptionError("threads", fmt::format("must be 0 (all cores) or more (got {})", threads));
  }
  if (!work_file.empty() && radial) {
    throw OptionError("work_file",
                      "is not supported with radial (the radial step copies the work matrix "
                      "into memory): leave one of them out");
  }
  if (!work_file.empty() && tree) {
    throw OptionError("work_file",
                      "is not supported with tree (the tree step keeps the layer's log-derivatives "
                      "and probabilities in memory): leave one of them out");
  }
  if (tree && coupling.value_or(false)) {
    throw OptionError("coupling",
                      "is not supported with tree (a layer has one destructor after its "
                      "marginals): leave one of them out");
  }
}

std::string FitOptions::bandwidth_text() const {
  return bandwidth ? fmt::format("{}", *bandwidth)
                   : std::string(to_string(bandwidth_rule.value_or(BandwidthRule::Silverman)));
}

FitOptions FitOptions::greedy() const {
  FitOptions options = *this;
  options.marginal = marginal.value_or(MarginalKind::Kde);
  options.damping = damping.value_or(1.0);
  options.validation = 0.0;
  return options;
}

}  // namespace rbig
