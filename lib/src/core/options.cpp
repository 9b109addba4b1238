#include <rbig/error.hpp>
#include <rbig/options.hpp>

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace rbig {
namespace {

template <typename Kind, std::size_t N>
Kind parse_kind(std::string_view what, std::string_view name, const Kind (&kinds)[N]) {
  std::string valid;
  for (Kind kind : kinds) {
    if (to_string(kind) == name) return kind;
    valid += (valid.empty() ? "" : ", ") + std::string(to_string(kind));
  }
  throw OptionError(std::string(what), fmt::format("unknown name \"{}\" (valid: {})", name, valid));
}

constexpr MarginalKind kMarginalKinds[] = {MarginalKind::Histogram, MarginalKind::Gaussian,
                                           MarginalKind::Kde, MarginalKind::Spline};
constexpr RotationKind kRotationKinds[] = {RotationKind::Pca, RotationKind::Random,
                                           RotationKind::Ica, RotationKind::Pursuit};
constexpr BandwidthRule kBandwidthRules[] = {BandwidthRule::Silverman, BandwidthRule::PlugIn,
                                             BandwidthRule::Annealed};

}  // namespace

std::string_view to_string(MarginalKind kind) {
  switch (kind) {
    case MarginalKind::Histogram:
      return "histogram";
    case MarginalKind::Gaussian:
      return "gaussian";
    case MarginalKind::Kde:
      return "kde";
    case MarginalKind::Spline:
      return "spline";
  }
  return "unknown";
}

std::string_view to_string(RotationKind kind) {
  switch (kind) {
    case RotationKind::Pca:
      return "pca";
    case RotationKind::Random:
      return "random";
    case RotationKind::Ica:
      return "ica";
    case RotationKind::Pursuit:
      return "pursuit";
  }
  return "unknown";
}

std::string_view to_string(BandwidthRule rule) {
  switch (rule) {
    case BandwidthRule::Silverman:
      return "silverman";
    case BandwidthRule::PlugIn:
      return "plugin";
    case BandwidthRule::Annealed:
      return "annealed";
  }
  return "unknown";
}

MarginalKind parse_marginal_kind(std::string_view name) {
  return parse_kind("marginal", name, kMarginalKinds);
}

RotationKind parse_rotation_kind(std::string_view name) {
  return parse_kind("rotation", name, kRotationKinds);
}

BandwidthRule parse_bandwidth_rule(std::string_view name) {
  return parse_kind("bandwidth rule", name, kBandwidthRules);
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
