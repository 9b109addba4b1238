#pragma once
/// The fit options of `rbig entropy | tc | mi | kld`: those of `rbig fit` that apply to the
/// greedy fits behind a measure (FitOptions::greedy: no validation split, no model selection),
/// with the same names, words and validation. Not listed: --validation*, --damping (the measures'
/// depth is chosen by the information rule, and their estimates assume undamped layers).

#include <rbig/options.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace rbig::cli {

struct MeasureFitFlags {
  FitOptions options;  // numeric defaults live in FitOptions
  std::string marginal{to_string(MarginalKind::Kde)};
  std::string rotation{to_string(options.rotation)};
  std::string bins = "auto";
  std::string bandwidth{to_string(BandwidthRule::Silverman)};
  int layers = 0;  // 0: not given (depth by the information rule)
};

/// Adds --marginal, --rotation, --radial, --layers, --max-layers, --tol, --patience,
/// --gaussian-fallback, --bins, --bandwidth and --seed, in the order of `rbig fit --help`.
void add_measure_fit_options(CLI::App& sub, MeasureFitFlags& flags);

/// The FitOptions the flags describe (validated); warns, as fit does, about --bins without the
/// histogram marginal and --bandwidth without kde.
FitOptions measure_fit_options(const MeasureFitFlags& flags);

}  // namespace rbig::cli
