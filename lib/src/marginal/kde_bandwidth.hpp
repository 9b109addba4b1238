#pragma once
// Bandwidth rules of the kde marginal (kde_bandwidth.cpp).

#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "stats/moments.hpp"

namespace rbig::detail {

/// Silverman's rule of thumb h = 0.9·min(sd, IQR/1.34)·N^(−1/5); `spread` = min(sd, IQR/1.34)
/// (sd alone when the IQR is 0).
double silverman_bandwidth(double spread, Index n);

/// The annealed rule's bandwidth for layer `layer` (0-based) of a fit on n rows, in units of the
/// column's sd: c·n^(−1/5) with c = kAnnealedStart·(kAnnealedEnd/kAnnealedStart)^(t), t =
/// min(layer, kAnnealedLayers)/kAnnealedLayers. The start is about twice Silverman's
/// normal-reference constant 0.9, the end about a third of it.
inline constexpr double kAnnealedStart = 2.0;
inline constexpr double kAnnealedEnd = 1.0 / 3.0;
inline constexpr int kAnnealedLayers = 100;
double annealed_bandwidth(int layer, Index n);

/// The spread min(sd, IQR/1.34) of x (sd alone when more than half the values are tied).
double robust_spread(ConstVectorRef x, double sd);
/// The same over all participants' rows (reducer.hpp), from their merged moments; exact order
/// statistics, so the same value as robust_spread of all rows given the same sd.
double robust_spread(ConstVectorRef x, const ColumnMoments& moments, const Reducer& reducer);

/// Sheather–Jones two-stage direct plug-in bandwidth for a Gaussian kernel (Wand & Jones,
/// "Kernel Smoothing", 1995, §3.6.1; KernSmooth's dpik): the AMISE-optimal h with the density's
/// roughness ψ₄ estimated from the data by binned kernel functionals, their own bandwidths from a
/// normal-scale start. x: the sample (N ≥ 2, min < max), spread: robust_spread(x, sd).
/// Falls back to Silverman's rule where the binned functionals come out with the wrong sign
/// (possible only for pathological samples).
/// With a reducer: x is this participant's part, min and max those of all rows, and the binned
/// counts are summed over all participants.
double plugin_bandwidth(ConstVectorRef x, double min, double max, double spread,
                        const Reducer& reducer = LocalReducer());

}  // namespace rbig::detail
