// The fit options of the information measures (measure_options.hpp).

#include "measure_options.hpp"

#include "bandwidth_option.hpp"
#include "common.hpp"
#include "console.hpp"
#include "option_values.hpp"
#include "stopping_options.hpp"

namespace rbig::cli {
namespace {

void add_method_options(CLI::App& sub, MeasureFitFlags& flags) {
  sub.add_option(
         "--marginal", flags.marginal,
         "Marginal Gaussianization of each layer: " + join_names(marginal_kind_names(), "|"))
      ->check(kind_validator("marginal", parse_marginal_kind))
      ->type_name("KIND")
      ->capture_default_str();
  sub.add_option("--rotation", flags.rotation,
                 "Rotation after each marginal step: " + join_names(rotation_kind_names(), "|"))
      ->check(kind_validator("rotation", parse_rotation_kind))
      ->type_name("KIND")
      ->capture_default_str();
  sub.add_flag("--radial,!--no-radial", flags.options.radial,
               "Offer each layer a radial Gaussianization, kept where it gains more than the "
               "marginal step (dependence through a shared scale, e.g. a multivariate Student-t; "
               "mi then estimates T(X,Y) - T(X) - T(Y)) (default: " +
                   std::string(flags.options.radial ? "on" : "off") + ")");
}

void add_depth_options(CLI::App& sub, MeasureFitFlags& flags) {
  sub.add_option("--layers", flags.layers,
                 "Fit exactly this many layers (no early stop; the estimate sums their readings)")
      ->check(fit_option_validator<int>("layers", [](FitOptions& o, int v) { o.layers = v; }));
  add_stopping_options(sub, flags.options);
}

void add_marginal_options(CLI::App& sub, MeasureFitFlags& flags) {
  sub.add_flag("--gaussian-fallback,!--no-gaussian-fallback", flags.options.gaussian_fallback,
               "Use the Gaussian map for a column already Gaussian within the estimator's noise "
               "(default: " +
                   std::string(flags.options.gaussian_fallback ? "on" : "off") + ")");
  sub.add_option("--bins", flags.bins,
                 "Histogram bins per dimension, or auto (Scott's rule); --marginal histogram only")
      ->check(number_or_auto_validator<int>("bins", [](FitOptions& o, int v) { o.bins = v; }))
      ->type_name("N|auto")
      ->capture_default_str();
  sub.add_option("--bandwidth", flags.bandwidth,
                 "kde bandwidth: in standard deviations of each column, or a rule (silverman, "
                 "plugin, annealed); --marginal kde only")
      ->check(bandwidth_validator())
      ->type_name("H|RULE")
      ->capture_default_str();
  sub.add_option("--seed", flags.options.seed,
                 "Seeds random rotations, rank scores and the calibration of the information "
                 "estimate")
      ->check(seed_validator())
      ->capture_default_str();
}

}  // namespace

void add_measure_fit_options(CLI::App& sub, MeasureFitFlags& flags) {
  add_method_options(sub, flags);
  add_depth_options(sub, flags);
  add_marginal_options(sub, flags);
}

FitOptions measure_fit_options(const MeasureFitFlags& flags) {
  FitOptions options = flags.options;
  options.marginal = parse_marginal_kind(flags.marginal);
  options.rotation = parse_rotation_kind(flags.rotation);
  options.bins = parse_number_or_auto<int>("--bins", flags.bins);
  parse_bandwidth(flags.bandwidth, options);
  if (flags.layers > 0) options.layers = flags.layers;
  options.validate();
  if (options.bins && options.marginal != MarginalKind::Histogram) {
    warn("--bins is ignored with --marginal {}", flags.marginal);
  }
  if ((options.bandwidth || options.bandwidth_rule != BandwidthRule::Silverman) &&
      options.marginal != MarginalKind::Kde) {
    warn("--bandwidth is ignored with --marginal {}", flags.marginal);
  }
  return options;
}

}  // namespace rbig::cli
