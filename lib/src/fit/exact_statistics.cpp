#include "fit/exact_statistics.hpp"

#include "core/parallel.hpp"
#include "fit/row_alignment.hpp"
#include "rotation/cross_product_kernel.hpp"
#include "stats/windowed_exact_sum.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace rbig::detail {

std::vector<double> first_row_everywhere(std::vector<double> values, const Reducer& reducer) {
  if (!reducer.is_local()) {
    if (reducer.participant() != 0) std::fill(values.begin(), values.end(), 0.0);
    reducer.sum(values);
  }
  for (double& value : values) value += 0.0;  // −0 → +0, as the sum above gives
  return values;
}

std::vector<std::optional<ColumnMoments>> reduce_column_sums(std::vector<ExactColumnSums>& columns,
                                                             const std::vector<double>& shift,
                                                             const std::vector<int>& exponent,
                                                             Index total_rows,
                                                             const Reducer& reducer) {
  const size_t dims = columns.size();
  std::vector<ExactSum> sums;
  sums.reserve(2 * dims);
  std::vector<double> extremes(2 * dims);
  for (size_t c = 0; c < dims; ++c) {
    sums.push_back(columns[c].sum);
    sums.push_back(columns[c].squares);
    extremes[c] = columns[c].lo;
    extremes[dims + c] = -columns[c].hi;  // negation is exact: one min reduction for both
  }
  if (!reducer.is_local()) {
    reducer.min(extremes);
    sum_exact(sums, reducer);
  }
  std::vector<std::optional<ColumnMoments>> moments(dims);
  for (size_t c = 0; c < dims; ++c) {
    columns[c].lo = extremes[c];
    columns[c].hi = -extremes[dims + c];
    const double half_range = columns[c].hi / 2 - columns[c].lo / 2;
    if (exponent[c] == 0 && !(half_range >= 0x1p-400 && half_range <= 0x1p400)) continue;
    moments[c] =
        MomentSums::from_totals(columns[c].lo, columns[c].hi, sums[2 * c].value(),
                                sums[2 * c + 1].value(), total_rows, shift[c], exponent[c]);
  }
  return moments;
}

namespace {

/// Sums of the listed columns of work, d = x·scale[i] − shift[i], unit by unit.
std::vector<ExactColumnSums> column_sums(const WorkColumns& work, const std::vector<Index>& columns,
                                         const std::vector<double>& shift,
                                         const std::vector<double>& scale, Index unit,
                                         int threads) {
  std::vector<ExactColumnSums> sums(columns.size());
  parallel_for(static_cast<Index>(columns.size()), threads, [&](Index i) {
    const auto at = static_cast<size_t>(i);
    Vector scratch;
    const ConstVectorRef x = work.column(columns[at], scratch);
    for_each_row_block(x.size(), unit, [&](Index start, Index count) {
      MomentSums piece(shift[at], scale[at]);
      piece.add(x.data() + start, count);
      sums[at].add(piece);
    });
  });
  return sums;
}

}  // namespace

std::vector<std::optional<ColumnMoments>> exact_column_moments(const WorkColumns& work,
                                                               const std::vector<bool>& wanted,
                                                               int threads,
                                                               const Reducer& reducer) {
  std::vector<Index> columns;
  for (Index d = 0; d < work.cols(); ++d) {
    if (wanted[static_cast<size_t>(d)]) columns.push_back(d);
  }
  std::vector<std::optional<ColumnMoments>> result(static_cast<size_t>(work.cols()));
  if (columns.empty()) return result;
  const Index total = total_rows(work.rows(), reducer);
  const Index unit = sum_unit_rows(total);
  std::vector<double> first(columns.size(), 0.0);
  Vector scratch;
  for (size_t i = 0; i < columns.size() && work.rows() > 0; ++i)
    first[i] = work.column(columns[i], scratch)[0];
  const std::vector<double> shift = first_row_everywhere(first, reducer);
  std::vector<ExactColumnSums> sums =
      column_sums(work, columns, shift, std::vector<double>(columns.size(), 1.0), unit, threads);
  std::vector<std::optional<ColumnMoments>> moments =
      reduce_column_sums(sums, shift, std::vector<int>(columns.size(), 0), total, reducer);
  // Extreme magnitudes (column_moments' second pass): d = (x − first)·2^−e, e from the range.
  std::vector<Index> extreme;
  std::vector<double> scaled_shift, scale;
  std::vector<int> exponent;
  std::vector<size_t> extreme_at;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (moments[i]) continue;
    const double half_range = sums[i].hi / 2 - sums[i].lo / 2;
    const int e = half_range > 0.0 ? std::clamp(std::ilogb(half_range), -1022, 1022) : 0;
    const double inverse_scale = std::ldexp(1.0, -e);
    extreme.push_back(columns[i]);
    extreme_at.push_back(i);
    scaled_shift.push_back(shift[i] * inverse_scale);
    scale.push_back(inverse_scale);
    exponent.push_back(e);
  }
  if (!extreme.empty()) {
    std::vector<ExactColumnSums> scaled =
        column_sums(work, extreme, scaled_shift, scale, unit, threads);
    const std::vector<std::optional<ColumnMoments>> rescaled =
        reduce_column_sums(scaled, scaled_shift, exponent, total, reducer);
    for (size_t j = 0; j < extreme.size(); ++j) moments[extreme_at[j]] = rescaled[j];
  }
  for (size_t i = 0; i < columns.size(); ++i) result[static_cast<size_t>(columns[i])] = moments[i];
  return result;
}

Matrix exact_covariance(Index rows, Index dims, int threads, const Reducer& reducer,
                        const CovarianceBlock& block) {
  constexpr Index kPieceRows = 512;  // a caller's transform leaves a piece in cache
  const Index total = total_rows(rows, reducer);
  const Index block_rows = row_block_rows(total);
  const Index blocks = (rows + block_rows - 1) / block_rows;
  const auto lower = static_cast<size_t>(dims * (dims + 1) / 2);
  // One windowed exact accumulator per entry (~56 bytes), shared by the threads: exact adds
  // give the same sum in any order, so a thread adds its block's products column by column
  // under that column's lock, whichever thread gets there first.
  std::vector<WindowedExactSum> exact(lower + static_cast<size_t>(dims));
  std::vector<std::mutex> column_locks(static_cast<size_t>(dims) + 1);  // the last: the sums
  // Items are blocks, claimed one at a time: a thread that falls behind (a helper that lost its
  // core) holds up one block, not a fixed share of them.
  parallel_for(blocks, threads, [&](Index b) {
    Matrix product = Matrix::Zero(dims, dims);
    Vector sum = Vector::Zero(dims);
    const Index block_end = std::min(rows, (b + 1) * block_rows);
    for (Index start = b * block_rows; start < block_end; start += kPieceRows) {
      const ConstMatrixRef y = block(start, std::min(kPieceRows, block_end - start));
      add_cross_products(y.data(), y.outerStride(), y.rows(), dims, product.data(), sum.data());
    }
    size_t at = 0;
    for (Index j = 0; j < dims; ++j) {
      const std::lock_guard<std::mutex> hold(column_locks[static_cast<size_t>(j)]);
      for (Index i = j; i < dims; ++i) exact[at++].add(product(i, j));
    }
    const std::lock_guard<std::mutex> hold(column_locks.back());
    for (Index j = 0; j < dims; ++j) exact[at++].add(sum[j]);
  });
  sum_exact(exact, reducer);
  Matrix covariance(dims, dims);
  Vector mean(dims);
  size_t at = 0;
  for (Index j = 0; j < dims; ++j) {
    for (Index i = j; i < dims; ++i) covariance(i, j) = exact[at++].value();
  }
  const double n = static_cast<double>(total);
  for (Index j = 0; j < dims; ++j) mean[j] = exact[at++].value() / n;
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(mean, -n);
  covariance = covariance.selfadjointView<Eigen::Lower>();
  covariance /= n - 1.0;
  return covariance;
}

}  // namespace rbig::detail
