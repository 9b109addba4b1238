#include "fit/coupling_challenger.hpp"

#include <rbig/coupling.hpp>

#include "fit/mixture_rows.hpp"
#include "rotation/radix_order.hpp"
#include "stats/normal.hpp"

#include <cstdint>
#include <vector>

namespace rbig::detail {
namespace {

/// Rows the gate's coupling fit sees: its cost stays below a layer's on large sets.
constexpr Index kCouplingGateRows = Index{1} << 14;

/// Each column of x mapped to Φ⁻¹((mid-rank + ½)/n): tied values share their mean rank, so
/// discrete columns map to one value per level instead of an arbitrary order.
Matrix gaussianized_by_rank(ConstMatrixRef x) {
  const Index n = x.rows();
  Matrix z(n, x.cols());
  std::vector<Index> order;
  std::vector<std::uint64_t> keys;
  std::vector<Index> scratch;
  for (Index d = 0; d < x.cols(); ++d) {
    radix_order(x.col(d), order, keys, scratch);
    for (Index start = 0; start < n;) {
      Index end = start + 1;
      while (end < n &&
             x(order[static_cast<size_t>(end)], d) == x(order[static_cast<size_t>(start)], d))
        ++end;
      const double mid_rank = 0.5 * static_cast<double>(start + end - 1);
      const double value = normal_quantile((mid_rank + 0.5) / static_cast<double>(n));
      for (Index k = start; k < end; ++k) z(order[static_cast<size_t>(k)], d) = value;
      start = end;
    }
  }
  return z;
}

}  // namespace

bool offers_coupling(const FitOptions& options, Index training_rows, Index dims) {
  return !options.coupling && !options.tree && !options.layers && dims >= 2 &&
         training_rows >= kCouplingRows;
}

bool coupling_gains_after_marginals(ConstMatrixRef x, const Reducer& reducer) {
  const Matrix rows = gather_rows_by_stride(x, kCouplingGateRows, reducer);
  return !CouplingMap::fit(gaussianized_by_rank(rows)).pairs().empty();
}

}  // namespace rbig::detail
