#pragma once
// The configurations the default fit compares (model_selection.cpp says how and why these).

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <string>
#include <vector>

namespace rbig::detail {

/// Every combination of the options' empty choices, in a fixed order (kde before spline,
/// damping 1, 0.5, 0.3); one candidate when nothing is left to choose. A kde candidate with no
/// bandwidth uses the requested rule, Silverman's if none.
std::vector<FitOptions> candidates(const FitOptions& options);

/// The second stage: when the first stage's winner is kde and the caller left its bandwidth to
/// the fit, the same configuration with the plug-in rule, with a fixed wide bandwidth for `rows`
/// rows and with the annealed rule; otherwise none.
std::vector<FitOptions> bandwidth_candidates(const FitOptions& requested, const FitOptions& winner,
                                             Index rows);

/// The screening's list (model_selection.cpp): every first-stage candidate and, after each kde
/// one, its bandwidth_candidates, so that each damping is tried with every bandwidth, except those
/// the caller left to the fit and that never reached the finals (candidates.cpp says which and
/// why): the plug-in rule, undamped kde with Silverman's or the wide bandwidth, the spline at
/// damping 1 and 0.3; `rows` as for bandwidth_candidates (the rows the chosen configuration will
/// be fitted on).
std::vector<FitOptions> screening_candidates(const FitOptions& options, Index rows);

/// True when there is more than one configuration to compare.
bool has_choice(const FitOptions& options);

/// "kde, damping 0.5, bandwidth annealed": a candidate's configuration for messages.
std::string describe(const FitOptions& options);

}  // namespace rbig::detail
