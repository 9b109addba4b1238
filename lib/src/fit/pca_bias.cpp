#include "fit/pca_bias.hpp"

#include "core/parallel.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <algorithm>
#include <cmath>

namespace rbig::detail {
namespace {

constexpr Index kLinearityRows = 4096;
constexpr double kZeroCorrelation = 1e-9;

constexpr int kSums = 6;  // n, Σa, Σb, Σa², Σb², Σab

/// The sums a correlation needs; in one process shifted by the first values (no cancellation
/// for a column far from 0), across processes unshifted (their shifts would differ).
void add_sums(const Vector& a, const Vector& b, bool shift, double* sums) {
  const Eigen::ArrayXd da = a.array() - (shift ? a[0] : 0.0);
  const Eigen::ArrayXd db = b.array() - (shift ? b[0] : 0.0);
  sums[0] += static_cast<double>(a.size());
  sums[1] += da.sum();
  sums[2] += db.sum();
  sums[3] += (da * da).sum();
  sums[4] += (db * db).sum();
  sums[5] += (da * db).sum();
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
  const Index stride = std::max<Index>(1, (total_rows + kLinearityRows - 1) / kLinearityRows);
  // This participant's first row at a multiple of the stride, and how many it holds.
  const Index skip = (stride - first_row % stride) % stride;
  const Index rows = skip < work.rows() ? (work.rows() - skip + stride - 1) / stride : 0;
  std::vector<double> sums(static_cast<size_t>(kSums * work.cols()), 0.0);
  parallel_for(work.cols(), threads, [&](Index d) {
    Vector scratch;
    const ConstVectorRef column = work.column(d, scratch);
    Vector before(rows);
    for (Index r = 0; r < rows; ++r) before[r] = column[skip + r * stride];
    Vector after(rows);
    marginals[static_cast<size_t>(d)]->forward(before, after);
    add_sums(before, after, reducer.is_local(), &sums[static_cast<size_t>(kSums * d)]);
  });
  reducer.sum(sums);
  Vector linearity(work.cols());
  for (Index d = 0; d < work.cols(); ++d) {
    linearity[d] = correlation(&sums[static_cast<size_t>(kSums * d)]);
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
