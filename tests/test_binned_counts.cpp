// sum_binned_counts (fit/binned_counts.hpp): participants' linear binnings of their parts of a
// column add up to the binning of the whole column, bit for bit, while only the nodes that hold
// a count are sent, packed as integers of 2⁻¹⁶ when every total fits.

#include "fit/binned_counts.hpp"
#include "marginal/kde_grid_passes.hpp"

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

/// Each participant's sent values and call kinds, after sum_binned_counts of `counts[k]` by
/// participant k; returns the summed counts of every participant.
struct Outcome {
  std::vector<std::vector<double>> sums;
  std::vector<size_t> sent;
  std::vector<int> integer_sums;
  std::vector<int> double_sums;
};

Outcome sum_on_participants(const std::vector<std::vector<double>>& counts) {
  // on_shards hands each participant its index through its shard: a 1 × 1 matrix holding k.
  std::vector<Matrix> ids;
  for (size_t k = 0; k < counts.size(); ++k) ids.push_back(Matrix::Constant(1, 1, double(k)));
  const std::vector<ConstMatrixRef> shards(ids.begin(), ids.end());
  struct Result {
    std::vector<double> sums;
    size_t sent;
    int integer_sums;  // the int64 sums of the packed counts, with the bitmaps' or
    int double_sums;
  };
  const std::vector<Result> results =
      rbig::test::on_shards(shards, [&](ConstMatrixRef id, const Reducer& reducer) {
        const RecordingReducer recorder(reducer);
        std::vector<double> mine = counts[static_cast<size_t>(id(0, 0))];
        sum_binned_counts(mine, recorder);
        return Result{mine, recorder.sent, recorder.others, recorder.double_sums};
      });
  Outcome outcome;
  for (const Result& result : results) {
    outcome.sums.push_back(result.sums);
    outcome.sent.push_back(result.sent);
    outcome.integer_sums.push_back(result.integer_sums);
    outcome.double_sums.push_back(result.double_sums);
  }
  return outcome;
}

}  // namespace

TEST_CASE("sum_binned_counts: three parts' binnings of a Cauchy column add up to its binning") {
  // A Cauchy column on a 1,024-node grid from its minimum to its maximum (a kde grid at its
  // node cap): most nodes hold nothing. Parts of 1,700, 0 and 1,300 rows.
  std::mt19937_64 rng(18);
  std::cauchy_distribution<double> cauchy(0.0, 1.0);
  Vector x(3000);
  for (Index i = 0; i < x.size(); ++i) x[i] = cauchy(rng);
  const double lo = x.minCoeff();
  const double hi = x.maxCoeff();
  const int nodes = 1024;
  const size_t node_count = nodes;
  const KdeGrid grid{lo, (hi - lo) / (nodes - 1), nodes - 2};
  std::vector<double> whole(node_count, 0.0);
  bin_linearly(x, grid, whole.data());
  const Index cuts[4] = {0, 1700, 1700, 3000};
  std::vector<std::vector<double>> parts(3, std::vector<double>(node_count, 0.0));
  for (size_t k = 0; k < 3; ++k) {
    bin_linearly(x.segment(cuts[k], cuts[k + 1] - cuts[k]), grid, parts[k].data());
  }
  const size_t occupied = static_cast<size_t>(
      std::count_if(whole.begin(), whole.end(), [](double c) { return c != 0.0; }));
  REQUIRE(occupied < node_count / 4);  // the point of the sparse round: most nodes are empty
  const Outcome outcome = sum_on_participants(parts);
  for (size_t k = 0; k < 3; ++k) {
    CAPTURE(k);
    CHECK(outcome.sums[k] == whole);  // exact, in any split
    double total = 0.0;
    for (double c : outcome.sums[k]) total += c;
    CHECK(total == 3000.0);
    // Bitmaps and bound (33 words), then the occupied nodes only, at most two a 64-bit word.
    CHECK(outcome.integer_sums[k] == 2);
    CHECK(outcome.double_sums[k] == 0);
    CHECK(outcome.sent[k] <= 2 * node_count / 64 + 1 + (occupied + 1) / 2);
  }
}

TEST_CASE("sum_binned_counts: totals that may reach 2^31 units of 2^-16 go as doubles, exactly") {
  // 40,000.25 is 2,621,456,384 units: over 2³¹, so the bound sends the wide nodes as doubles;
  // the small ones (3.5, 0.75: below 2²⁰ units) are still packed.
  const Outcome outcome =
      sum_on_participants({{0.0, 40000.25, 0.0, 0.0, 3.5}, {0.0, 40000.25, 0.75, 0.0, 0.0}});
  for (size_t k = 0; k < 2; ++k) {
    CAPTURE(k);
    CHECK(outcome.sums[k] == std::vector<double>{0.0, 80000.5, 0.75, 0.0, 3.5});
    CHECK(outcome.double_sums[k] == 1);
    CHECK(outcome.integer_sums[k] == 2);
    CHECK(outcome.sent[k] == size_t{3 + 1 + 1});  // bitmaps and bound; nodes 2 and 4; node 1
  }
  // A count that is no multiple of 2⁻¹⁶ (0.1): every occupied node as reducer.sum would.
  const Outcome odd = sum_on_participants({{0.0, 4.25, 0.1}, {0.0, 1.0, 0.1}});
  CHECK(odd.sums[1] == std::vector<double>{0.0, 5.25, 0.1 + 0.1});
  CHECK(odd.double_sums[1] == 1);
  CHECK(odd.integer_sums[1] == 1);
  // Below 2³¹ the wide nodes are packed too: one integer sum after the bitmaps.
  const Outcome wide = sum_on_participants({{0.0, 10000.5, 1.0}, {7.0, 2000.0, 0.0}});
  CHECK(wide.sums[0] == std::vector<double>{7.0, 12000.5, 1.0});
  CHECK(wide.double_sums[0] == 0);
  CHECK(wide.integer_sums[0] == 2);
}

TEST_CASE("sum_binned_counts: in one process the counts are left as they are") {
  std::vector<double> counts{0.0, 2.5e12, 0.1};
  const std::vector<double> before = counts;
  const LocalReducer local;
  const RecordingReducer recorder(local);
  sum_binned_counts(counts, recorder);
  CHECK(counts == before);
  CHECK(recorder.sent == 0);
}
