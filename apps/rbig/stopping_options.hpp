#pragma once
/// --max-layers, --tol and --patience: the information rule's stopping options, the same in
/// `rbig fit` and the information measures.

#include <rbig/options.hpp>

#include <CLI/CLI.hpp>

namespace rbig::cli {

/// Adds the three options to `sub`, bound to `options` (their defaults live in FitOptions).
void add_stopping_options(CLI::App& sub, FitOptions& options);

}  // namespace rbig::cli
