#include "fit_warnings.hpp"

#include "console.hpp"

#include <cmath>
#include <vector>

namespace rbig::cli {
namespace {

bool given(const CLI::App& fit, const std::string& option) { return fit.count(option) > 0; }

// Fixed depth: no early stop and no validation split.
void warn_with_layers(const CLI::App& fit, int layers) {
  for (const char* option :
       {"--validation", "--validation-patience", "--max-layers", "--tol", "--patience"}) {
    if (given(fit, option)) {
      warn("{} is ignored with --layers (exactly {} layers are fitted on all rows)", option,
           layers);
    }
  }
}

// The information rule decides the depth; nothing is chosen on held-out rows.
void warn_without_validation(const CLI::App& fit, const FitOptions& options) {
  if (given(fit, "--validation-patience")) {
    warn("--validation-patience is ignored with --validation 0 (no rows are held out)");
  }
  if (options.damping && *options.damping < 1.0) {
    warn(
        "--damping {} without validation: damped layers each remove little information, so "
        "the information rule may stop early; damping is meant for use with --validation, "
        "which chooses how many damped layers to keep",
        *options.damping);
  }
  for (const char* option : {"--marginal", "--damping", "--bandwidth"}) {
    if (given(fit, option) && fit.get_option(option)->as<std::string>() == "auto") {
      warn(
          "{} auto chooses on held-out rows, and --validation 0 holds out none: the default "
          "(kde, damping 1, Silverman's bandwidth) is used",
          option);
    }
  }
}

}  // namespace

void warn_inert_options(const CLI::App& fit, const FitOptions& options, bool validation_file) {
  if (options.layers) {
    warn_with_layers(fit, *options.layers);
  } else if (!options.holds_out() && !validation_file) {
    warn_without_validation(fit, options);
  } else {
    for (const char* option : {"--tol", "--patience"}) {
      if (given(fit, option)) {
        warn("{} is ignored when held-out rows choose the depth (it applies with --validation 0)",
             option);
      }
    }
  }
  if (validation_file && given(fit, "--validation")) {
    warn("--validation is ignored with --validation-file");
  }
}

void warn_small_validation(const FitOptions& options, Index rows) {
  if (!options.holds_out()) return;
  const auto held_out =
      static_cast<Index>(std::llround(options.validation * static_cast<double>(rows)));
  if (held_out < 1 || held_out >= kFewValidationRows) return;  // none: the library's error
  warn(
      "the depth and the method are chosen on {} held-out row{} ({} of {}): too few to tell "
      "candidates apart; give more rows, a larger --validation, a --validation-file, or "
      "--validation 0 (depth by the information rule)",
      held_out, held_out == 1 ? "" : "s", options.validation, rows);
}

void warn_binding_max_layers(const FitReport& report, const FitOptions& options) {
  if (report.stop != FitReport::Stop::MaxLayers || options.layers) return;
  warn(
      "the fit stopped at --max-layers {} (stop reason max_layers), not where the validation "
      "curve or the information rule would have: a larger --max-layers may fit better",
      options.max_layers);
}

}  // namespace rbig::cli
