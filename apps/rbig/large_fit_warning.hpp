#pragma once
/// A warning before a fit whose size makes it slow or its model large (issue 15, item 9): every
/// layer holds a D×D rotation and costs about N·D² + D³ operations, so at D = 10,000 a layer takes
/// minutes and gigabytes before the first progress line.

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <optional>
#include <string>

namespace rbig::cli {

/// The warning for fitting `rows` × `dims` data with `options` (`what` names the data in it),
/// or nothing when the fit is small: under 1 GiB of rotations for all layers and under about
/// 1e11 operations (seconds) per layer.
std::optional<std::string> large_fit_warning(const std::string& what, Index rows, Index dims,
                                             const FitOptions& options);

/// Prints large_fit_warning(...) on stderr, prefixed `rbig: warning: `, if there is one.
void warn_if_large_fit(const std::string& what, Index rows, Index dims, const FitOptions& options);

}  // namespace rbig::cli
