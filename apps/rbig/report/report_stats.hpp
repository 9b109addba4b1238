#pragma once
/// The numbers behind the report's plots: seeded row subsets, histograms on a shared grid, the
/// most dependent column pairs and normal quantile–quantile points. Deterministic: the same
/// input and seed give the same result on every platform and thread count.

#include <rbig/types.hpp>

#include <cstdint>
#include <vector>

namespace rbig::cli::report {

/// min(keep, total) distinct row indices in increasing order, chosen uniformly from the seed
/// (std::mt19937_64, whose output the standard fixes; no std distribution, whose output is not).
/// The rows chosen for a smaller keep are among those for a larger one with the same seed.
std::vector<Index> seeded_rows(Index total, Index keep, std::uint64_t seed);
/// The rows of x at these indices.
Matrix select_rows(ConstMatrixRef x, const std::vector<Index>& rows);

/// Densities on equal bins over [lo, hi]: each bin's count / (n · width), n counting every value,
/// so that histograms of different sample sizes compare and values outside show as missing mass.
struct Histogram {
  std::vector<double> edges;    // bins + 1
  std::vector<double> density;  // bins
  Index outside = 0;            // values below lo or above hi
};
Histogram histogram(ConstVectorRef values, double lo, double hi, int bins);

/// The q-quantile (0 ≤ q ≤ 1) of values, linear between order statistics (values not empty).
double quantile(ConstVectorRef values, double q);

/// Two columns and how strongly they depend on each other.
struct ColumnPair {
  Index first = 0, second = 0;
  double rank_correlation = 0.0;  // Spearman's ρ, in [−1, 1]
};
/// The count column pairs of x with the largest |Spearman ρ| (ties in column order), strongest
/// first. Ranks of tied values are averaged; a column with one value only has ρ = 0.
std::vector<ColumnPair> most_dependent_pairs(ConstMatrixRef x, int count);

/// Points of a normal quantile–quantile line: at most `points` evenly spaced order statistics of
/// z against Φ⁻¹((i − ½)/n) (x: normal quantile, y: z's order statistic).
struct QuantilePairs {
  std::vector<double> normal, empirical;
};
QuantilePairs normal_qq(ConstVectorRef z, int points);

}  // namespace rbig::cli::report
