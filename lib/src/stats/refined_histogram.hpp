#pragma once
// A fine histogram of a column whose rows are spread over several participants, refined where
// the values are dense, and the quantiles read from it: the spline marginal's knots in a fit of
// any number of processes (issue 18: at most 1 MB sent a layer at D = 100, whatever N).
//
// Why not exact order statistics (order_statistics.hpp): the spline's up to 500 knots need two
// order statistics each, and locating them sent ~200 bytes a knot, 2.8–9.1 MB a layer at D = 100.
// A histogram's bins are shared by all knots, and its counts are small integers.
//
// Refinement by counting rounds: the range [min, max] is cut into equal bins; each bin holding
// more than n / kFineBins values (the cap) is cut again, into as many equal parts as make each
// part hold about two thirds of the cap, in the next round, at most 12 rounds (a bin holding
// more than half of its parent's values is first narrowed to its values' extremes: a repeated
// value becomes a bin of width 0, so that ties give tied quantiles as a sort would). Equal bins
// alone fail on heavy tails (a Cauchy column's range is ~10⁵ spreads wide; its centre falls in
// one bin); refinement follows the data wherever it is dense. Every round's counts are summed
// over participants exactly (integers, packed: each count is below its parent bin's known
// total, so a few bits each), so every step depends only on the multiset of all values: the same
// histogram, bit for bit, from any number of participants, one included.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"

#include <vector>

namespace rbig::detail {

/// A bin and the number of all participants' values in it: those in [low, high), or up to the
/// next bin's low where high is the largest of its values (a bin narrowed to its values; low ==
/// high for one repeated value), the last bin closed.
struct HistogramBin {
  double low;
  double high;
  Index count;
};

/// The refined histogram of all participants' x: its non-empty bins in increasing order; their
/// counts add up to n, the total count. min and max: the smallest and largest value of all
/// participants (finite). Collective: every participant calls it with the same n, min and max.
std::vector<HistogramBin> refined_histogram(ConstVectorRef x, Index n, double min, double max,
                                            const Reducer& reducer);

/// The histogram's quantile at each probability p: the value with p·(n − 1) + ½ of the n values
/// below it, each value a unit of mass centred on itself (so that p = k/(n − 1) falls on the k-th
/// smallest value, as type 7 of Hyndman & Fan 1996 does), the values of a bin of several spread
/// evenly over it, a bin of one value (or one repeated value) read as that value (its centre).
/// Increasing in p.
std::vector<double> histogram_quantiles(const std::vector<HistogramBin>& bins,
                                        const std::vector<double>& probabilities, Index n);

}  // namespace rbig::detail
