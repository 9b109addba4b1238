#pragma once
/// Warnings of `rbig fit` about options that another option makes inert, and about a validation
/// split too small to choose anything: the fit runs, but not as the user may think.

#include <rbig/model.hpp>
#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace rbig::cli {

/// Fewer held-out rows than this make the held-out choice mostly noise: the mean
/// log-likelihood of m rows has a standard error of sd/√m, over a fifth of the spread of
/// log p(x) below 20 rows, while candidates typically differ by a few hundredths of a nat.
inline constexpr Index kFewValidationRows = 20;

/// Warns (stderr, silenced by -q) about each option given on the command line of `fit` that the
/// options as parsed make inert. validation_file: --validation-file was given.
void warn_inert_options(const CLI::App& fit, const FitOptions& options, bool validation_file);

/// Warns when the fit will hold out fewer than kFewValidationRows of rows rows.
void warn_small_validation(const FitOptions& options, Index rows);

/// Warns when the depth was set by max_layers rather than by the validation curve or the
/// information rule (issue 20: the 8-D mixture stopped at the cap while still improving).
void warn_binding_max_layers(const FitReport& report, const FitOptions& options);

}  // namespace rbig::cli
