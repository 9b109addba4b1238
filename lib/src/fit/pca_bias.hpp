#pragma once
// The bias of a PCA layer's Gaussian reading −½·log det corr(y) on independent columns.
//
// On fresh data corr(y) is the identity plus sampling noise r_ij of variance 1/N, and the
// reading's expectation is ¼·Σ_{i≠j} E[r_ij²] = D(D−1)/(4N) (calibration.hpp). But after a PCA
// layer the next layer's input z has an exactly diagonal sample covariance, and a marginal map
// y_d = g_d(z_d) ≈ c_d·z_d + (its non-linear part) only adds noise through its non-linear part:
// writing the standardised y_d = c_d·z_d + s_d·h_d (c_d = corr(z_d, y_d), c² + s² = 1), the
// terms c_i·s_j·r(z_i, h_j) + s_i·c_j·r(h_i, z_j) + s_i·s_j·r(h_i, h_j) have variance
// (1 − c_i²·c_j²)/N. The same holds for any pair whose sample correlation
// was zero before the step. Subtracting the full D(D−1)/(4N) there made every layer after the first
// read −D(D−1)/(4N) on Gaussian data (issue 14: MI of 50+50 blocks 1.09 for 1.62, TC of 256
// independent columns −4.4 nats).

#include <rbig/marginal.hpp>
#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "fit/work_columns.hpp"

#include <memory>
#include <vector>

namespace rbig::detail {

/// Mean and spread of a decorrelating rotation's Gaussian reading −½·log det corr(y) on fresh
/// independent Gaussian columns.
struct PcaReading {
  double mean = 0.0;
  double stddev = 0.0;
};

/// The exact law of that reading on N rows and D columns: det corr(y) is a product of independent
/// Beta((N−i)/2, (i−1)/2), i = 2…D (Anderson 2003, th. 7.5.3 with the mean removed), so
///   E = −½·Σ_i [ψ((N−i)/2) − ψ((N−1)/2)],  Var = ¼·Σ_i [ψ′((N−i)/2) − ψ′((N−1)/2)].
/// Its first-order term D(D−1)/(4N) misses ≈ D³/(12N²): 0.165 nats at D = 256, N = 3,000, above
/// the stopping threshold, so every fit of 256 independent columns found "dependence" (issue 14).
PcaReading fresh_pca_reading(Index dims, Index n);

/// c_d = corr(work_d, marginals[d]→forward(work_d)) for each column, on the rows whose index
/// among all participants' rows is a multiple of a stride (at most 4,096 rows in all: c only
/// scales a correction of order D²/N, and a subsample keeps the cost of a layer unchanged; the
/// rows and the sums' totals do not depend on how the rows are split), up to `threads` threads.
/// first_row: the index of work's first row among all participants' rows; total_rows: their
/// number. work is not modified. Collective.
Vector marginal_linearity(const WorkColumns& work,
                          const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                          Index first_row, Index total_rows, int threads, const Reducer& reducer);

/// The pairs of columns (i ≠ j) whose sample correlation in `covariance` is zero to rounding
/// (|r| ≤ 1e-9, where sampling noise is of order N^−½): 1 for such a pair, else 0. Data whose
/// blocks were whitened apart (mutual information) has them before any layer.
Matrix uncorrelated_pairs(const Matrix& covariance);

/// ¼·Σ_{i≠j} (1 − u_ij·c_i²·c_j²)/N: the reading's expectation on independent columns when the
/// marginal step's input had zero sample correlation on the pairs u_ij = 1 and linearity c. No
/// such pair gives the fresh-data bias D(D−1)/(4N).
double pca_bias_after_decorrelation(const Vector& linearity, const Matrix& uncorrelated, Index n);

}  // namespace rbig::detail
