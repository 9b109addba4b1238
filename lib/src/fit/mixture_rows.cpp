#include "fit/mixture_rows.hpp"

#include <rbig/error.hpp>

#include <rbig/cancel.hpp>

#include "core/math_constants.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rbig::detail {
namespace {

/// Rows mapped per block: the log-determinant scratch stays small however many rows there are.
constexpr Index kMapBlockRows = Index{1} << 14;

}  // namespace

Matrix gather_rows_by_stride(ConstMatrixRef x, Index max_rows, const Reducer& reducer) {
  const Index total = total_rows(x.rows(), reducer);
  const Index first = rows_before(x.rows(), reducer);
  const Index m = std::min(total, max_rows);
  // Position ⌊j·total / m⌋ is row j of the result; j·total < 2⁶³ for m ≤ 2¹⁵, total < 2⁴⁸.
  const auto position = [&](Index j) { return j * total / m; };
  Index j = (first * m + total - 1) / total;  // the first j whose position is ≥ first
  std::vector<double> mine;
  for (; j < m && position(j) < first + x.rows(); ++j) {
    const Index i = position(j) - first;
    for (Index c = 0; c < x.cols(); ++c) mine.push_back(x(i, c));
  }
  const std::vector<double> all = reducer.gather(mine);
  if (static_cast<Index>(all.size()) != m * x.cols()) {
    throw NumericalError(
        fmt::format("gathered {} values for {} rows of {} columns", all.size(), m, x.cols()));
  }
  Matrix rows(m, x.cols());
  for (Index r = 0; r < m; ++r)
    for (Index c = 0; c < x.cols(); ++c) rows(r, c) = all[static_cast<size_t>(r * x.cols() + c)];
  return rows;
}

MixtureRowSums map_rows(const MixtureMap& map, MatrixRef rows, const char* what) {
  MixtureRowSums sums;
  Vector log_det;
  for (Index start = 0; start < rows.rows(); start += kMapBlockRows) {
    throw_if_cancelled();
    const Index count = std::min(kMapBlockRows, rows.rows() - start);
    auto block = rows.middleRows(start, count);
    log_det.setZero(count);
    map.forward(block, log_det);
    if (!block.allFinite() || !log_det.allFinite())
      throw NumericalError(
          fmt::format("mixture layer: the {} map to values that are not finite", what));
    for (Index i = 0; i < count; ++i) {
      const double norm = block.row(i).squaredNorm();
      sums.log_det.add(log_det[i]);
      sums.log_density.add(log_det[i] - 0.5 * norm -
                           static_cast<double>(rows.cols()) * kLogSqrt2Pi);
    }
  }
  return sums;
}

}  // namespace rbig::detail
