// The reducer's helpers for counts and row totals (fit/reducer.hpp): sum_counts sends counts as
// 32-bit integers only when every total fits, and ColumnsReducer answers a layer's row-count
// questions from the one reduction it made. A recording reducer wraps the two-shard test reducer
// (support/two_shards.hpp) and counts which collective each participant called
// (support/recording_reducer.hpp).

#include "fit/reducer.hpp"

#include "support/recording_reducer.hpp"
#include "support/two_shards.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <cstdint>
#include <limits>
#include <vector>

using namespace rbig;
using namespace rbig::detail;
using rbig::test::Exchange;
using rbig::test::RecordingReducer;
using rbig::test::ShardReducer;

namespace {

/// Runs f(rank, reducer) on both participants concurrently, each with its own recording
/// reducer; returns both recorders' call counts through `calls`.
template <typename F>
void on_two_recorded(F f, int (&double_sums)[2], int (&narrow_sums)[2], int (&others)[2]) {
  Exchange exchange;
  const ShardReducer inner0(exchange, 0), inner1(exchange, 1);
  RecordingReducer r0(inner0), r1(inner1);
  std::thread other([&] { f(0, r0); });
  f(1, r1);
  other.join();
  const RecordingReducer* recorders[2] = {&r0, &r1};
  for (int k = 0; k < 2; ++k) {
    double_sums[k] = recorders[k]->double_sums;
    narrow_sums[k] = recorders[k]->narrow_sums;
    others[k] = recorders[k]->others;
  }
}

}  // namespace

TEST_CASE("sum_counts: whole-number counts are summed exactly, as 32-bit integers below 2^31") {
  // Counts of each participant: distinct per rank, so a wrong combination shows.
  const std::vector<double> counts[2] = {{0, 1, 7, 1000, 123456}, {5, 0, 9, 24, 654321}};
  std::vector<double> result[2];
  int double_sums[2], narrow_sums[2], others[2];
  on_two_recorded(
      [&](int rank, const Reducer& r) {
        std::vector<double> mine = counts[rank];
        sum_counts(mine, 2 * 654321, r);  // bound: a total no count reaches
        result[rank] = mine;
      },
      double_sums, narrow_sums, others);
  for (int rank = 0; rank < 2; ++rank) {
    CAPTURE(rank);
    REQUIRE(result[rank].size() == counts[0].size());
    for (size_t i = 0; i < counts[0].size(); ++i) {
      CHECK(result[rank][i] == counts[0][i] + counts[1][i]);
    }
    CHECK(narrow_sums[rank] == 1);
    CHECK(double_sums[rank] == 0);
  }
}

TEST_CASE("sum_counts: totals that may reach 2^31 go as doubles and stay exact") {
  // 3·2^30 + 1 on each side: the total 3·2^31 + 2 overflows 32 bits but is exact in a double.
  const double big = 3.0 * 1073741824.0 + 1.0;
  std::vector<double> result[2];
  int double_sums[2], narrow_sums[2], others[2];
  on_two_recorded(
      [&](int rank, const Reducer& r) {
        std::vector<double> mine{big, static_cast<double>(rank)};
        sum_counts(mine, std::numeric_limits<std::int32_t>::max(), r);
        result[rank] = mine;
      },
      double_sums, narrow_sums, others);
  for (int rank = 0; rank < 2; ++rank) {
    CHECK(result[rank][0] == 2.0 * big);
    CHECK(result[rank][1] == 1.0);
    CHECK(double_sums[rank] == 1);
    CHECK(narrow_sums[rank] == 0);
  }
}

TEST_CASE("sum_counts: in one process the counts are left as they are, with no reduction") {
  std::vector<double> counts{3, 0, 2.5e9};
  const std::vector<double> before = counts;
  const LocalReducer local;
  sum_counts(counts, 10, local);
  CHECK(counts == before);
}

TEST_CASE("ColumnsReducer: one reduction for the row total, then every ask is answered from it") {
  const Index local_rows[2] = {1100, 1900};
  Index totals[2][3] = {};
  int double_sums[2], narrow_sums[2], others[2];
  int sums_after_construction[2] = {};
  int place[2][3] = {};
  double passed_sum[2] = {};
  on_two_recorded(
      [&](int rank, const Reducer& r) {
        const RecordingReducer& recorder = static_cast<const RecordingReducer&>(r);
        const ColumnsReducer columns(r, local_rows[rank]);
        sums_after_construction[rank] = recorder.double_sums;
        // A layer's marginal fits ask the total several times (checks, bandwidth, ranks).
        for (Index& total : totals[rank]) total = total_rows(local_rows[rank], columns);
        // Other collectives pass through to the wrapped reducer, with this participant's place.
        place[rank][0] = columns.participant();
        place[rank][1] = columns.participants();
        place[rank][2] = columns.is_local() ? 1 : 0;
        std::vector<double> values{static_cast<double>(rank + 1)};
        columns.sum(values);
        passed_sum[rank] = values[0];
      },
      double_sums, narrow_sums, others);
  for (int rank = 0; rank < 2; ++rank) {
    CAPTURE(rank);
    for (Index total : totals[rank]) CHECK(total == local_rows[0] + local_rows[1]);
    CHECK(sums_after_construction[rank] == 1);
    CHECK(place[rank][0] == rank);
    CHECK(place[rank][1] == 2);
    CHECK(place[rank][2] == 0);
    CHECK(passed_sum[rank] == 3.0);
    CHECK(double_sums[rank] == 2);  // the construction's count and the pass-through sum only
  }
  // Without the wrapper each ask is a reduction of its own.
  on_two_recorded(
      [&](int rank, const Reducer& r) {
        for (Index& total : totals[rank]) total = total_rows(local_rows[rank], r);
      },
      double_sums, narrow_sums, others);
  for (Index total : totals[0]) CHECK(total == 3000);
  CHECK(double_sums[0] == 3);
  CHECK(double_sums[1] == 3);
}

TEST_CASE("ColumnsReducer: over a local reducer it reduces nothing and answers the local count") {
  const LocalReducer local;
  const RecordingReducer recorder(local);
  const ColumnsReducer columns(recorder, 42);
  CHECK(columns.is_local());
  CHECK(total_rows(42, columns) == 42);
  CHECK(recorder.double_sums == 0);
}
