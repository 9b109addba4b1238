#pragma once
/// --bandwidth of fit and the information measures: a number of standard deviations, a rule name
/// (silverman, plugin, annealed) or "auto", the same words in both.

#include <rbig/options.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace rbig::cli {

/// Sets options.bandwidth (a number) or options.bandwidth_rule (a rule name); "auto" leaves both
/// empty. Throws OptionError naming bandwidth for any other text.
void parse_bandwidth(const std::string& text, FitOptions& options);

/// Checks --bandwidth's text by parsing it as parse_bandwidth does and validating the result.
CLI::Validator bandwidth_validator();

}  // namespace rbig::cli
