#include "stats/order_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace rbig::detail {
namespace {

// Bins per interval: about count/16, so rounds shrink fast, but at most 32 per wanted rank
// inside it (within [128, 1,024]): the kde's 4 ranks need no 1,024 bins, whose counts were most
// of a distributed layer's bytes at D = 100; the bins only decide the rounds, never the result.
constexpr Index kMinMaxBins = 128;
constexpr Index kMaxBins = 1024;
constexpr Index kBinsPerQuery = 32;
constexpr Index kValuesPerBin = 16;
constexpr Index kGatherLimit = 64;  // an interval with at most this many values is gathered

/// A closed interval [low, high] of values known to hold some wanted ranks (±inf when it is
/// gathered next and was not narrowed): `below` values of all participants lie under it, `count`
/// inside; [first, first + local) are this participant's
/// values inside it (unsorted).
struct Interval {
  double low;
  double high;
  Index below;
  Index count;
  std::vector<size_t> queries;  // indices into the ranks
  const double* first = nullptr;
  size_t local = 0;
};

/// The bin of a value of an interval cut into equal parts: one multiplication per value, and
/// monotone in v (the same rounding everywhere), so a bin's values are exactly those between its
/// smallest and largest. high falls into the last bin.
class Binning {
 public:
  Binning(const Interval& interval, Index bins) : low_(interval.low), bins_(bins) {
    span_ = interval.high - interval.low;
    // Halved when the span overflows (values of both signs near the largest double).
    halve_ = !std::isfinite(span_);
    if (halve_) span_ = 0.5 * interval.high - 0.5 * interval.low;
    scale_ = static_cast<double>(bins) / span_;  // +inf for a subnormal span: divide then
  }
  /// The bins of v[0…count), in short loops without a branch that vectorise (a column's pass
  /// is most of a local kde fit's bandwidth rule): ⌊t⌋ ≤ bins − 1 with t ≥ 0 is min(t, bins − 1)
  /// converted.
  void bins_of(const double* v, int count, int* bin) const {
    const double last = static_cast<double>(bins_ - 1);
    const double low = low_;
    if (halve_) {
      const double scale = scale_;
      const double span = span_;
      const double bins = static_cast<double>(bins_);
      for (int i = 0; i < count; ++i) {
        const double offset = 0.5 * v[i] - 0.5 * low;
        const double t = std::isfinite(scale) ? offset * scale : offset / span * bins;
        bin[i] = static_cast<int>(std::min(t, last));
      }
    } else if (std::isfinite(scale_)) {
      const double scale = scale_;
      for (int i = 0; i < count; ++i)
        bin[i] = static_cast<int>(std::min((v[i] - low) * scale, last));
    } else {
      const double span = span_;
      const double bins = static_cast<double>(bins_);
      for (int i = 0; i < count; ++i) {
        bin[i] = static_cast<int>(std::min((v[i] - low) / span * bins, last));
      }
    }
  }
  Index bins() const { return bins_; }

 private:
  double low_;
  Index bins_;
  double span_;
  double scale_;
  bool halve_;
};

/// Calls visit(values, bins, count) for the interval's local values in chunks, with their bins.
template <typename Visit>
void for_each_chunk(const Interval& interval, const Binning& binning, const Visit& visit) {
  constexpr size_t kChunk = 256;
  int bin[kChunk];
  for (size_t start = 0; start < interval.local; start += kChunk) {
    const int count = static_cast<int>(std::min(kChunk, interval.local - start));
    const double* v = interval.first + start;
    binning.bins_of(v, count, bin);
    visit(v, bin, count);
  }
}

// After the first round, when the counts are sent: 8 bins a wanted rank (at least 16) narrow an
// interval by fewer bytes in all than 32 (4·b + 16 bytes a round for a factor b: least near
// b = 8), at one or two more rounds; a kde layer at D = 100 sent ~1.7 kB a column for its
// quartiles. Not in the first round: its bins decide how many of the column's values the second
// reads and copies (fewer bins made a 10⁶ × 10 fit on two processes ~4 % slower).
constexpr Index kSentBinsPerQuery = 8;
constexpr Index kMinSentBins = 16;

Index bins_for(const Interval& interval, bool lean) {
  const auto queries = static_cast<Index>(interval.queries.size());
  const Index cap = lean ? std::clamp(kSentBinsPerQuery * queries, kMinSentBins, kMaxBins)
                         : std::clamp(kBinsPerQuery * queries, kMinMaxBins, kMaxBins);
  return std::clamp(interval.count / kValuesPerBin, Index{2}, cap);
}

/// Answers every query of the small intervals from their gathered values.
void resolve_by_gathering(const std::vector<Interval>& small, const std::vector<Index>& ranks,
                          const Reducer& reducer, std::vector<double>& result) {
  if (small.empty()) return;
  // Each participant sends, per interval, its count and then its values; the counts say where
  // each participant's block of each interval lies in the concatenation.
  std::vector<double> mine;
  for (const Interval& interval : small) {
    mine.push_back(static_cast<double>(interval.local));
    mine.insert(mine.end(), interval.first, interval.first + interval.local);
  }
  const std::vector<double> all = reducer.gather(mine);
  std::vector<std::vector<double>> values(small.size());
  for (size_t at = 0; at < all.size();) {
    for (size_t s = 0; s < small.size(); ++s) {
      const auto count = static_cast<size_t>(all[at++]);
      values[s].insert(values[s].end(), all.begin() + static_cast<std::ptrdiff_t>(at),
                       all.begin() + static_cast<std::ptrdiff_t>(at + count));
      at += count;
    }
  }
  for (size_t s = 0; s < small.size(); ++s) {
    std::sort(values[s].begin(), values[s].end());
    for (size_t q : small[s].queries) {
      result[q] = values[s][static_cast<size_t>(ranks[q] - small[s].below)];
    }
  }
}

/// One round of counting: every large interval is split into bins and each of its queries moves
/// to the bin that holds its rank, narrowed to the smallest and largest value in that bin. Each
/// local value is read twice (counted, then copied to `storage` if its bin was chosen): a round
/// costs O(values inside the intervals), and the next round reads only the chosen bins' values.
std::vector<Interval> refine(const std::vector<Interval>& large, const std::vector<Index>& ranks,
                             const Reducer& reducer, bool lean, std::vector<double>& storage) {
  std::vector<Binning> binnings;
  std::vector<double> counts;
  Index values = 0;  // in all intervals: bounds every summed count
  for (const Interval& interval : large) {
    values += interval.count;
    binnings.emplace_back(interval, bins_for(interval, lean));
    const size_t offset = counts.size();
    counts.resize(offset + static_cast<size_t>(binnings.back().bins()), 0.0);
    double* bin_counts = counts.data() + offset;
    const Binning& binning = binnings.back();
    for_each_chunk(interval, binning, [&](const double*, const int* bin, int count) {
      for (int i = 0; i < count; ++i) bin_counts[bin[i]] += 1.0;
    });
  }
  const std::vector<double> local_counts = counts;
  sum_counts(counts, values, reducer);
  std::vector<Interval> next;
  std::vector<size_t> next_offsets;  // where each next interval's values start in storage
  size_t stored = 0;
  std::vector<std::vector<std::ptrdiff_t>> slots(large.size());  // bin → index in next, or −1
  size_t offset = 0;
  for (size_t i = 0; i < large.size(); ++i) {
    const Interval& interval = large[i];
    const Index bins = binnings[i].bins();
    const double* bin_counts = counts.data() + offset;
    slots[i].assign(static_cast<size_t>(bins), -1);
    for (size_t q : interval.queries) {
      Index below = interval.below;
      Index bin = 0;
      while (below + static_cast<Index>(bin_counts[bin]) <= ranks[q]) {
        below += static_cast<Index>(bin_counts[bin]);
        ++bin;
      }
      std::ptrdiff_t& slot = slots[i][static_cast<size_t>(bin)];
      if (slot < 0) {
        slot = static_cast<std::ptrdiff_t>(next.size());
        const auto mine = static_cast<size_t>(local_counts[offset + static_cast<size_t>(bin)]);
        next.push_back({0.0, 0.0, below, static_cast<Index>(bin_counts[bin]), {}, nullptr, mine});
        next_offsets.push_back(stored);
        stored += mine;
      }
      next[static_cast<size_t>(slot)].queries.push_back(q);
    }
    offset += static_cast<size_t>(bins);
  }
  // This participant's values of each chosen bin, and its smallest and largest (±inf if none):
  // the smallest in extremes[j], the largest negated in extremes[m + j], so that one min
  // reduction gives both (negation is exact).
  std::vector<double> kept(stored);
  std::vector<size_t> filled = next_offsets;
  const size_t m = next.size();
  std::vector<double> extremes(2 * m, INFINITY);
  for (size_t i = 0; i < large.size(); ++i) {
    const Interval& interval = large[i];
    const std::vector<std::ptrdiff_t>& slot = slots[i];
    for_each_chunk(interval, binnings[i], [&](const double* v, const int* bin, int count) {
      for (int k = 0; k < count; ++k) {
        const std::ptrdiff_t s = slot[static_cast<size_t>(bin[k])];
        if (s < 0) continue;
        const auto j = static_cast<size_t>(s);
        kept[filled[j]++] = v[k];
        extremes[j] = std::min(extremes[j], v[k]);
        extremes[m + j] = std::min(extremes[m + j], -v[k]);
      }
    });
  }
  storage = std::move(kept);
  // Only the intervals that the next round splits need their extremes (its bins span them); the
  // others are gathered whole, so theirs would be 16 bytes an interval sent for nothing (a
  // spline's knots: most of its intervals). They keep [−inf, +inf]: not yet narrowed.
  std::vector<size_t> split;
  for (size_t j = 0; j < m; ++j) {
    if (next[j].count > kGatherLimit) split.push_back(j);
  }
  std::vector<double> reduced(2 * split.size());
  for (size_t s = 0; s < split.size(); ++s) {
    reduced[s] = extremes[split[s]];
    reduced[split.size() + s] = extremes[m + split[s]];
  }
  if (!split.empty()) reducer.min(reduced);  // the same split everywhere: counts are global
  for (size_t j = 0; j < m; ++j) {
    next[j].low = -INFINITY;
    next[j].high = INFINITY;
    next[j].first = storage.data() + next_offsets[j];
  }
  for (size_t s = 0; s < split.size(); ++s) {
    next[split[s]].low = reduced[s];
    next[split[s]].high = -reduced[split.size() + s];
  }
  return next;
}

}  // namespace

std::vector<double> order_statistics(ConstVectorRef x, const std::vector<Index>& ranks, double min,
                                     double max, const Reducer& reducer) {
  const Index n = total_rows(x.size(), reducer);
  std::vector<double> result(ranks.size(), 0.0);
  // The first round reads x in place; later rounds read the values refine kept.
  Interval all{min, max, 0, n, {}, x.data(), static_cast<size_t>(x.size())};
  for (size_t q = 0; q < ranks.size(); ++q) all.queries.push_back(q);
  std::vector<Interval> open{all};
  std::vector<double> storage;
  bool first_round = true;  // the same everywhere, as every round is
  // Every participant holds the same intervals in the same order: the loop runs the same rounds
  // everywhere, and each round's bins hold fewer values than the interval they split.
  while (!open.empty()) {
    std::vector<Interval> small;
    std::vector<Interval> large;
    for (Interval& interval : open) {
      if (interval.low == interval.high) {
        for (size_t q : interval.queries) result[q] = interval.low;
      } else if (interval.count <= kGatherLimit) {
        small.push_back(std::move(interval));
      } else {
        large.push_back(std::move(interval));
      }
    }
    resolve_by_gathering(small, ranks, reducer, result);
    std::vector<double> next_storage;
    const bool lean = !reducer.is_local() && !first_round;
    open =
        large.empty() ? std::vector<Interval>{} : refine(large, ranks, reducer, lean, next_storage);
    storage = std::move(next_storage);
    first_round = false;
  }
  return result;
}
std::vector<double> quantiles(ConstVectorRef x, const std::vector<double>& probabilities, Index n,
                              double min, double max, const Reducer& reducer) {
  std::vector<Index> ranks;
  std::vector<double> fractions;
  for (double p : probabilities) {
    const double position = p * static_cast<double>(n - 1);
    const auto below = static_cast<Index>(position);
    ranks.push_back(below);
    ranks.push_back(std::min(below + 1, n - 1));
    fractions.push_back(position - static_cast<double>(below));
  }
  const std::vector<double> values = order_statistics(x, ranks, min, max, reducer);
  std::vector<double> result;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const double low = values[2 * i];
    const double high = values[2 * i + 1];
    result.push_back(low + fractions[i] * (high - low));
  }
  return result;
}

}  // namespace rbig::detail
