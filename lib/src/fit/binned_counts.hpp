#pragma once
// Summing linearly binned grid counts over participants (the kde's grid and the plug-in rule's
// binning grid, marginal/kde_grid_passes.hpp) in few bytes and exactly.
//
// Such counts are multiples of 2⁻¹⁶ (binning_weight), so each is an integer number of 2⁻¹⁶ and
// their totals are the same in any order. Two facts make them cheap to send: a heavy-tailed
// column's grid spans thousands of bandwidths and is mostly empty, and a light one's largest
// node holds ~N^0.8 values (the spacing shrinks as N^−0.2), which in units of 2⁻¹⁶ fits in 31
// bits up to N ≈ 10⁷, while most nodes, in the tails, hold fewer than 32 (21 bits). Issue 18 asks ≤
// 1 MB a layer at D = 100; 1,024 doubles a column's grid were 0.8 MB of it.

#include "fit/reducer.hpp"

#include <vector>

namespace rbig::detail {

/// counts[i] ← Σ over participants of counts[i]: the same bits as reducer.sum(counts) (exact
/// for binned counts). Collective, two reductions: bitmaps of the nodes that hold a count
/// anywhere and of those with a count too large for a 21-bit total, and a bound of the largest
/// local count (bitwise or: 16 bytes a 64 nodes + 8); then only the occupied nodes' counts in
/// units of 2⁻¹⁶, packed into 64-bit integers, three small ones or two below 2³¹ a word (doubles
/// where the bound allows a larger total, or where a count is no multiple of 2⁻¹⁶). Nothing in
/// one process.
void sum_binned_counts(std::vector<double>& counts, const Reducer& reducer);

}  // namespace rbig::detail
