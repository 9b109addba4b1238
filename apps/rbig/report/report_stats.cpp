#include "report/report_stats.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace rbig::cli::report {
namespace {

/// Ranks 1..n of the values, ties sharing their mean rank.
Vector average_ranks(ConstVectorRef values) {
  const Index n = values.size();
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Index a, Index b) { return values(a) < values(b); });
  Vector ranks(n);
  Index start = 0;
  while (start < n) {
    Index end = start + 1;
    while (end < n &&
           values(order[static_cast<size_t>(end)]) == values(order[static_cast<size_t>(start)])) {
      ++end;
    }
    const double mean_rank = 0.5 * static_cast<double>(start + 1 + end);  // of ranks start+1..end
    for (Index k = start; k < end; ++k) ranks(order[static_cast<size_t>(k)]) = mean_rank;
    start = end;
  }
  return ranks;
}

}  // namespace

std::vector<Index> seeded_rows(Index total, Index keep, std::uint64_t seed) {
  keep = std::clamp<Index>(keep, 0, total);
  std::vector<Index> rows(static_cast<size_t>(total));
  std::iota(rows.begin(), rows.end(), Index{0});
  std::mt19937_64 engine(seed);
  // The first `keep` steps of a Fisher–Yates shuffle. The modulo of a 64-bit draw favours some
  // rows by at most span / 2^64 in probability: below 1e-10 for any file that fits in memory.
  for (Index i = 0; i < keep; ++i) {
    const auto span = static_cast<std::uint64_t>(total - i);
    const auto pick = i + static_cast<Index>(engine() % span);
    std::swap(rows[static_cast<size_t>(i)], rows[static_cast<size_t>(pick)]);
  }
  rows.resize(static_cast<size_t>(keep));
  std::sort(rows.begin(), rows.end());
  return rows;
}

Matrix select_rows(ConstMatrixRef x, const std::vector<Index>& rows) {
  Matrix out(static_cast<Index>(rows.size()), x.cols());
  for (size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Index>(i)) = x.row(rows[i]);
  return out;
}

Histogram histogram(ConstVectorRef values, double lo, double hi, int bins) {
  Histogram h;
  const double width = (hi - lo) / bins;
  for (int b = 0; b <= bins; ++b) h.edges.push_back(lo + width * b);
  std::vector<Index> counts(static_cast<size_t>(bins), 0);
  for (Index i = 0; i < values.size(); ++i) {
    const double v = values(i);
    if (!(v >= lo && v <= hi)) {
      ++h.outside;
      continue;
    }
    const int b = std::min(bins - 1, static_cast<int>((v - lo) / width));
    ++counts[static_cast<size_t>(b)];
  }
  const double n = static_cast<double>(std::max<Index>(values.size(), 1));
  for (Index count : counts) h.density.push_back(static_cast<double>(count) / (n * width));
  return h;
}

double quantile(ConstVectorRef values, double q) {
  std::vector<double> sorted(values.data(), values.data() + values.size());
  std::sort(sorted.begin(), sorted.end());
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

std::vector<ColumnPair> most_dependent_pairs(ConstMatrixRef x, int count) {
  const Index d = x.cols();
  Matrix ranks(x.rows(), d);
  for (Index j = 0; j < d; ++j) {
    ranks.col(j) = average_ranks(x.col(j));
    ranks.col(j).array() -= ranks.col(j).mean();
  }
  const Vector norms = ranks.colwise().norm().transpose();
  const Matrix cross = ranks.transpose() * ranks;
  std::vector<ColumnPair> pairs;
  for (Index a = 0; a < d; ++a) {
    for (Index b = a + 1; b < d; ++b) {
      const double scale = norms(a) * norms(b);
      pairs.push_back({a, b, scale > 0.0 ? cross(a, b) / scale : 0.0});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const ColumnPair& p, const ColumnPair& q) {
    return std::abs(p.rank_correlation) > std::abs(q.rank_correlation);
  });
  if (pairs.size() > static_cast<size_t>(std::max(count, 0)))
    pairs.resize(static_cast<size_t>(count));
  return pairs;
}

QuantilePairs normal_qq(ConstVectorRef z, int points) {
  QuantilePairs qq;
  std::vector<double> sorted(z.data(), z.data() + z.size());
  std::sort(sorted.begin(), sorted.end());
  const auto n = static_cast<Index>(sorted.size());
  if (n == 0 || points < 2) return qq;
  const boost::math::normal standard;
  const Index steps = std::min<Index>(points, n);
  Index previous = -1;
  for (Index k = 0; k < steps; ++k) {
    const Index i = steps == 1 ? 0 : (k * (n - 1) + (steps - 1) / 2) / (steps - 1);
    if (i == previous) continue;
    previous = i;
    const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
    qq.normal.push_back(boost::math::quantile(standard, p));
    qq.empirical.push_back(sorted[static_cast<size_t>(i)]);
  }
  return qq;
}

}  // namespace rbig::cli::report
