// refined_histogram (stats/refined_histogram.hpp): the bins count the column's values exactly,
// hold at most n/1,024 values each wherever the data is not one repeated value, come out the same
// from any split of the rows among participants, cost a bounded number of bytes whatever n, and
// their quantiles sit within one bin's mass of the exact sample quantiles.

#include "stats/refined_histogram.hpp"

#include "support/recording_reducer.hpp"
#include "support/two_shards.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace rbig;
using namespace rbig::detail;
using rbig::test::RecordingReducer;

namespace {

Vector draws(Index n, const char* shape, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::cauchy_distribution<double> cauchy;
  Vector x(n);
  for (Index i = 0; i < n; ++i) {
    const std::string s = shape;
    x[i] = s == "cauchy" ? cauchy(rng)
           : s == "tied" ? (i % 2 == 0 ? 0.0 : normal(rng))
                         : normal(rng);
  }
  return x;
}

LocalReducer local;

std::vector<HistogramBin> whole(const Vector& x) {
  return refined_histogram(x, x.size(), x.minCoeff(), x.maxCoeff(), local);
}

bool same(const std::vector<HistogramBin>& a, const std::vector<HistogramBin>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].low != b[i].low || a[i].high != b[i].high || a[i].count != b[i].count) return false;
  }
  return true;
}

/// The histogram from `parts` participants holding consecutive blocks of x (the first empty),
/// and the most int64 words any of them sent.
std::pair<std::vector<HistogramBin>, size_t> on_participants(const Vector& x, int parts) {
  std::vector<ConstMatrixRef> shards;
  std::vector<Index> cuts{0, 0};
  for (int k = 1; k < parts; ++k) cuts.push_back(x.size() * k / (parts - 1));
  for (int k = 0; k < parts; ++k) {
    shards.emplace_back(x.segment(cuts[static_cast<size_t>(k)],
                                  cuts[static_cast<size_t>(k) + 1] - cuts[static_cast<size_t>(k)]));
  }
  const double min = x.minCoeff();
  const double max = x.maxCoeff();
  struct Result {
    std::vector<HistogramBin> bins;
    size_t sent;
  };
  const auto results = rbig::test::on_shards(shards, [&](ConstMatrixRef shard, const Reducer& r) {
    const RecordingReducer recorder(r);
    return Result{refined_histogram(shard.col(0), x.size(), min, max, recorder), recorder.sent};
  });
  size_t sent = 0;
  for (const Result& result : results) {
    CHECK(same(result.bins, results[0].bins));
    sent = std::max(sent, result.sent);
  }
  return {results[0].bins, sent};
}

}  // namespace

TEST_CASE("refined histogram: exact counts, bins below the cap, the same from any split") {
  for (const char* shape : {"normal", "cauchy"}) {
    CAPTURE(shape);
    const Vector x = draws(20000, shape, 7);
    const std::vector<HistogramBin> bins = whole(x);
    const double cap = 20000.0 / 1024.0;
    Index total = 0;
    for (size_t i = 0; i < bins.size(); ++i) {
      const HistogramBin& bin = bins[i];
      CHECK(bin.low <= bin.high);
      if (i > 0) CHECK(bins[i - 1].high <= bin.low);
      // Each count is the number of values from its low up to the next bin's (the last closed).
      const bool last = i + 1 == bins.size();
      const double next = last ? bin.high : bins[i + 1].low;
      const auto inside = std::count_if(x.begin(), x.end(), [&](double v) {
        return v >= bin.low && (v < next || (last && v == next));
      });
      CHECK(bin.count == inside);
      CHECK(static_cast<double>(bin.count) <= cap);
      total += bin.count;
    }
    CHECK(total == x.size());
    // Heavy tails too: the Cauchy's centre is refined where equal bins on [min, max] would put
    // nearly every value in one bin.
    CHECK(bins.size() >= 1024);
    const auto [split, sent] = on_participants(x, 3);
    CHECK(same(split, bins));
  }
}

TEST_CASE("refined histogram: bytes bounded whatever n, none in one process") {
  const size_t small = on_participants(draws(20000, "normal", 3), 2).second;
  const size_t large = on_participants(draws(200000, "normal", 3), 2).second;
  // Counts of ~2,000 bins, 4–6 a 64-bit word: ~3 kB a column. Not proportional to n: ten times
  // the rows widen each field by log₂ 10 ≈ 3.3 bits (of 9–15 at n = 2·10⁴), nothing else.
  CHECK(small <= 600);
  CHECK(large <= 600);
  CHECK(static_cast<double>(large) <= 1.45 * static_cast<double>(small));
  const Vector x = draws(5000, "normal", 4);
  const RecordingReducer recorder(local);
  refined_histogram(x, x.size(), x.minCoeff(), x.maxCoeff(), recorder);
  CHECK(recorder.sent == 0);
}

TEST_CASE("refined histogram quantiles: within one bin's mass of the exact quantiles") {
  for (const char* shape : {"normal", "cauchy", "tied"}) {
    CAPTURE(shape);
    const Index n = 50000;
    const Vector x = draws(n, shape, 11);
    std::vector<double> sorted(x.begin(), x.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> levels;
    for (int k = 0; k <= 200; ++k) levels.push_back(k / 200.0);
    const std::vector<double> q = histogram_quantiles(whole(x), levels, n);
    const double cap = static_cast<double>(n) / 1024.0;
    for (size_t k = 0; k < levels.size(); ++k) {
      CAPTURE(levels[k]);
      if (k > 0) CHECK(q[k] >= q[k - 1]);
      // The values below q and those at most q bracket the wanted p·(n − 1) + ½ within a cap
      // (a repeated value's bin may hold more: there they bracket it exactly).
      const double wanted = levels[k] * static_cast<double>(n - 1) + 0.5;
      const auto below = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), q[k]) -
                                             sorted.begin());
      const auto at_most = static_cast<double>(
          std::upper_bound(sorted.begin(), sorted.end(), q[k]) - sorted.begin());
      CHECK(below <= wanted + cap);
      CHECK(at_most >= wanted - cap);
    }
    if (std::string(shape) == "tied") {
      // Half the values are 0, levels [¼, ¾] of the mass: a bin [0, 0], quantiles exactly 0.
      for (size_t k = 55; k <= 145; ++k) CHECK(q[k] == 0.0);
    }
  }
}
