#include "fit/pca_bias.hpp"

#include "core/parallel.hpp"
#include "fit/exact_statistics.hpp"
#include "fit/row_alignment.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <algorithm>
#include <cmath>

namespace rbig::detail {
namespace {

constexpr Index kLinearityRows = 4096;
constexpr double kZeroCorrelation = 1e-9;

constexpr int kSums = 6;  // n, Σa, Σb, Σa², Σb², Σab

/// Adds the sums a correlation needs, of da = a − shift_a and db = b − shift_b (shifts every
/// participant agrees on: no cancellation for a column far from 0), unit by unit: each unit of
/// `unit` values in one fixed order, its sums added exactly (the same digits for any split).
void add_sums(const Vector& a, const Vector& b, double shift_a, double shift_b, Index unit,
              ExactSum* sums) {
  for (Index start = 0; start < a.size(); start += unit) {
    const Index end = std::min(a.size(), start + unit);
    double s[kSums] = {static_cast<double>(end - start), 0.0, 0.0, 0.0, 0.0, 0.0};
    for (Index i = start; i < end; ++i) {
      const double da = a[i] - shift_a;
      const double db = b[i] - shift_b;
      s[1] += da;
      s[2] += db;
      s[3] += da * da;
      s[4] += db * db;
      s[5] += da * db;
    }
    for (int k = 0; k < kSums; ++k) sums[k].add(s[k]);
  }
}

double correlation(const double* s) {
  const double n = s[0];
  const double saa = s[3] - s[1] * s[1] / n;
  const double sbb = s[4] - s[2] * s[2] / n;
  const double sab = s[5] - s[1] * s[2] / n;
  const double denominator = std::sqrt(saa * sbb);
  return denominator > 0.0 ? std::clamp(sab / denominator, -1.0, 1.0) : 1.0;  // constant: no noise
}

}  // namespace

PcaReading fresh_pca_reading(Index dims, Index n) {
  PcaReading reading;
  if (dims < 2) return reading;
  const double full = 0.5 * static_cast<double>(n - 1);
  const double psi_full = boost::math::digamma(full);
  const double trigamma_full = boost::math::trigamma(full);
  double variance = 0.0;
  for (Index i = 2; i <= dims; ++i) {
    const double a = 0.5 * static_cast<double>(n - i);
    if (!(a > 0.0)) {  // D ≥ N: a singular sample correlation; keep the first-order terms
      const double pairs = static_cast<double>(dims) * static_cast<double>(dims - 1);
      return {pairs / (4.0 * static_cast<double>(n)),
              std::sqrt(pairs / 4.0) / static_cast<double>(n)};
    }
    reading.mean -= 0.5 * (boost::math::digamma(a) - psi_full);
    variance += 0.25 * (boost::math::trigamma(a) - trigamma_full);
  }
  reading.stddev = std::sqrt(variance);
  return reading;
}

Vector marginal_linearity(const WorkColumns& work,
                          const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                          Index first_row, Index total_rows, int threads, const Reducer& reducer) {
  // A power-of-two stride: with rows aligned to blocks of a power of two (row_alignment.hpp),
  // every block's sample rows lie on one participant and form the units of the sums.
  Index stride = 1;
  while (stride * kLinearityRows < total_rows) stride *= 2;
  const Index unit = std::max<Index>(1, row_block_rows(total_rows) / stride);
  // This participant's first row at a multiple of the stride, and how many it holds.
  const Index skip = (stride - first_row % stride) % stride;
  const Index rows = skip < work.rows() ? (work.rows() - skip + stride - 1) / stride : 0;
  const auto dims = static_cast<size_t>(work.cols());
  std::vector<ExactSum> sums(kSums * dims);
  std::vector<double> first(2 * dims, 0.0);  // this participant's first sample row, mapped
  std::vector<Vector> before(dims), after(dims);
  parallel_for(work.cols(), threads, [&](Index d) {
    const auto at = static_cast<size_t>(d);
    Vector scratch;
    const ConstVectorRef column = work.column(d, scratch);
    before[at].resize(rows);
    for (Index r = 0; r < rows; ++r) before[at][r] = column[skip + r * stride];
    after[at].resize(rows);
    marginals[at]->forward(before[at], after[at]);
    if (rows > 0) {
      first[at] = before[at][0];
      first[dims + at] = after[at][0];
    }
  });
  // Every participant shifts by the first sample row of all rows.
  const std::vector<double> shift = first_row_everywhere(first, reducer);
  parallel_for(work.cols(), threads, [&](Index d) {
    const auto at = static_cast<size_t>(d);
    add_sums(before[at], after[at], shift[at], shift[dims + at], unit, &sums[kSums * at]);
  });
  sum_exact(sums, reducer);
  Vector linearity(work.cols());
  for (size_t d = 0; d < dims; ++d) {
    double totals[kSums];
    for (int k = 0; k < kSums; ++k) totals[k] = sums[kSums * d + static_cast<size_t>(k)].value();
    linearity[static_cast<Index>(d)] = correlation(totals);
  }
  return linearity;
}

Matrix uncorrelated_pairs(const Matrix& covariance) {
  const Index dims = covariance.rows();
  Matrix pairs = Matrix::Zero(dims, dims);
  for (Index j = 0; j < dims; ++j) {
    for (Index i = 0; i < dims; ++i) {
      const double scale = std::sqrt(covariance(i, i) * covariance(j, j));
      if (i != j && std::abs(covariance(i, j)) <= kZeroCorrelation * scale) pairs(i, j) = 1.0;
    }
  }
  return pairs;
}

double pca_bias_after_decorrelation(const Vector& linearity, const Matrix& uncorrelated, Index n) {
  const double dims = static_cast<double>(linearity.size());
  const Vector squares = linearity.array().square().matrix();
  const double linear_pairs = squares.dot(uncorrelated * squares);  // Σ_{i≠j} u_ij·c_i²·c_j²
  return (dims * (dims - 1.0) - linear_pairs) / (4.0 * static_cast<double>(n));
}

}  // namespace rbig::detail
