#pragma once
// The seam for a fit spread over several processes: every statistic a layer sums over rows
// passes through one Reducer, which adds the partial sums of all participants in a fixed order.
// In one process (LocalReducer) it is the identity and the fit computes exactly as it always
// has; a distributed fit supplies a reducer over MPI_Allreduce and leaves the fitting code as it
// is. Routed through it today: the column moments and covariance a layer's rotation needs and
// the held-out log-likelihood sums (merge_moments, merge_covariance, mean_over_rows below), and
// inside each marginal's fit (MarginalFromMoments::fit with a reducer) the grid counts, entropy
// sums and exact order statistics (stats/order_statistics.hpp).

#include <rbig/types.hpp>

#include "stats/exact_sum.hpp"
#include "stats/windowed_exact_sum.hpp"
#include "stats/moments.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace rbig::detail {

class Reducer {
 public:
  virtual ~Reducer() = default;
  /// True when this process holds every row: the merges below are then the identity.
  virtual bool is_local() const = 0;
  /// values[i] ← Σ over participants of values[i], in participant order (the same bits in every
  /// process). Called collectively: every participant calls it with the same size.
  virtual void sum(std::vector<double>& values) const = 0;
  /// The same for counts sent as 32-bit integers (half the bytes of doubles): the caller makes
  /// sure every total is below 2³¹ (sum_counts below picks this or doubles).
  virtual void sum(std::vector<std::int32_t>& values) const = 0;
  /// The same for 64-bit integers (exact, so in any order; the digits of sum_exact below).
  virtual void sum(std::vector<std::int64_t>& values) const = 0;
  /// values[i] ← min (max) over participants.
  virtual void min(std::vector<double>& values) const = 0;
  virtual void max(std::vector<double>& values) const = 0;
  /// values[i] ← min over participants of small integers (one byte each: sum_exact's digit
  /// spans). By default through the min of doubles; a transport overrides it to send bytes.
  virtual void min(std::vector<std::uint8_t>& values) const;
  /// values[i] ← the bitwise or over participants (occupancy bitmaps: binned_counts.hpp). By
  /// default through a gather of 32-bit halves; a transport overrides it to reduce the words.
  virtual void bitwise_or(std::vector<std::uint64_t>& values) const;
  /// The concatenation of every participant's `values`, in participant order (sizes may differ).
  virtual std::vector<double> gather(const std::vector<double>& values) const = 0;
  /// This participant's number in [0, participants()), and how many there are.
  virtual int participant() const = 0;
  virtual int participants() const = 0;
  /// The total row count of all participants' parts of `local_rows` rows here, if this reducer
  /// knows it without a reduction (ColumnsReducer below); total_rows asks it first.
  virtual std::optional<Index> known_total(Index /*local_rows*/) const { return std::nullopt; }
};

/// One process holds all rows.
class LocalReducer final : public Reducer {
 public:
  bool is_local() const override { return true; }
  void sum(std::vector<double>&) const override {}
  void sum(std::vector<std::int32_t>&) const override {}
  void sum(std::vector<std::int64_t>&) const override {}
  void min(std::vector<double>&) const override {}
  void max(std::vector<double>&) const override {}
  void min(std::vector<std::uint8_t>&) const override {}
  void bitwise_or(std::vector<std::uint64_t>&) const override {}
  std::vector<double> gather(const std::vector<double>& values) const override { return values; }
  int participant() const override { return 0; }
  int participants() const override { return 1; }
};

/// A reducer for the fits of the columns of one matrix split by rows (a layer's marginal step):
/// every marginal fit asks total_rows of its column several times (its checks, bandwidth, order
/// statistics); this answers from the count it reduced once, where each ask cost a reduction.
/// Every total_rows through it must be of a column of that matrix (asserted): a participant
/// answering from the count while another reduces would wait forever.
class ColumnsReducer final : public Reducer {
 public:
  /// Collective (one reduction unless `inner` is local).
  ColumnsReducer(const Reducer& inner, Index local_rows);
  bool is_local() const override { return inner_.is_local(); }
  void sum(std::vector<double>& values) const override { inner_.sum(values); }
  void sum(std::vector<std::int32_t>& values) const override { inner_.sum(values); }
  void sum(std::vector<std::int64_t>& values) const override { inner_.sum(values); }
  void min(std::vector<double>& values) const override { inner_.min(values); }
  void max(std::vector<double>& values) const override { inner_.max(values); }
  void min(std::vector<std::uint8_t>& values) const override { inner_.min(values); }
  void bitwise_or(std::vector<std::uint64_t>& values) const override { inner_.bitwise_or(values); }
  std::vector<double> gather(const std::vector<double>& values) const override {
    return inner_.gather(values);
  }
  int participant() const override { return inner_.participant(); }
  int participants() const override { return inner_.participants(); }
  std::optional<Index> known_total(Index local_rows) const override;

 private:
  const Reducer& inner_;
  Index local_rows_;
  Index total_rows_;
};

/// counts[i] ← Σ over participants of counts[i] (whole numbers below 2⁵³), sent as 32-bit
/// integers when `bound`, a bound on every total that all participants agree on, is below 2³¹.
void sum_counts(std::vector<double>& counts, Index bound, const Reducer& reducer);

/// sums[i] ← the exact Σ over participants of sums[i] (stats/exact_sum.hpp): the same digits
/// whatever the number of participants and however the summands were split among them. The
/// digits go as 32-bit chunks of 31 − ⌈log₂ K⌉ bits (K participants: their sum fits). A call of
/// a few sums is one reduction of every digit a double sum can use (~300 bytes a sum); a larger
/// one is two: the span of digits each sum uses anywhere (2 bytes a sum), then the chunks of
/// those digits (~16 bytes a sum of similar magnitudes). Collective; nothing in one process.
void sum_exact(std::vector<ExactSum>& sums, const Reducer& reducer);
/// The same for windowed sums (a covariance's entries), widened one at a time.
void sum_exact(std::vector<WindowedExactSum>& sums, const Reducer& reducer);

/// Σ over participants of one local count (exact below 2⁵³).
Index total_rows(Index local_rows, const Reducer& reducer);

/// Σ of local_rows over the participants before this one (0 for the first, and in one process).
Index rows_before(Index local_rows, const Reducer& reducer);

/// Column moments of all participants' rows from each one's moments of its own `rows` rows.
/// Min and max exact; mean and sd by the pairwise (Chan et al.) merge of counts, means and
/// centred sums of squares. An entry that is empty anywhere is empty in the result.
std::vector<std::optional<ColumnMoments>> merge_moments(
    std::vector<std::optional<ColumnMoments>> local, Index rows, const Reducer& reducer);

/// The covariance (divisor N − 1) of all participants' rows from each one's covariance and
/// column means of its own `rows` rows.
Matrix merge_covariance(const Matrix& local_covariance, const Vector& local_mean, Index rows,
                        const Reducer& reducer);

/// (Σ local_sum) / (Σ rows) over all participants: a mean over all rows from each one's sum.
double mean_over_rows(double local_sum, Index rows, const Reducer& reducer);

/// The same from exact sums (sum_exact): the same bits however the rows were split.
double mean_over_rows(ExactSum local_sum, Index rows, const Reducer& reducer);

}  // namespace rbig::detail
