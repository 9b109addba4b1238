#pragma once
// Exact order statistics of a column whose rows are spread over several participants, for the
// marginal fits that need sorted data (the kde's interquartile range, the spline's quantile
// knots) in a distributed fit.
//
// Distributed selection by counting: every participant counts its values in the bins of a
// shared interval, the counts are summed (exact: they are integers), and each wanted rank keeps
// the bin that holds it, narrowed to the smallest and largest value inside when it is split
// again; a bin of few values is gathered and sorted. Every step depends only on the multiset of all
// values, never on how the rows are split: the result is the value a sort of all rows would give,
// bit for bit.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"

#include <vector>

namespace rbig::detail {

/// The k-th smallest value (k 0-based) of all participants' x, for each k in `ranks` (each in
/// [0, N) with N the total count). min and max: the smallest and largest value of all
/// participants. Called collectively with the same ranks everywhere.
std::vector<double> order_statistics(ConstVectorRef x, const std::vector<Index>& ranks, double min,
                                     double max, const Reducer& reducer);

/// The sample quantile at probability p of all participants' x (linear interpolation between
/// order statistics, type 7 of Hyndman & Fan 1996), for each p; n is the total count.
std::vector<double> quantiles(ConstVectorRef x, const std::vector<double>& probabilities, Index n,
                              double min, double max, const Reducer& reducer);

}  // namespace rbig::detail
