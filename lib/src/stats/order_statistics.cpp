#include "stats/order_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace rbig::detail {
namespace {

constexpr Index kMaxBins = 1024;
constexpr Index kValuesPerBin = 16;  // bins per interval: about count/16, so rounds shrink fast
constexpr Index kGatherLimit = 64;   // an interval with at most this many values is gathered

/// A closed interval [low, high] of values known to hold some wanted ranks: `below` values of
/// all participants lie under it, `count` inside.
struct Interval {
  double low;
  double high;
  Index below;
  Index count;
  std::vector<size_t> queries;  // indices into the ranks
};

/// Bin of v in [low, high] cut into `bins` equal parts; high falls into the last one.
Index bin_of(double v, const Interval& interval, Index bins) {
  const double span = interval.high - interval.low;
  // Halved when the span overflows (values of both signs near the largest double).
  const double t = std::isfinite(span)
                       ? (v - interval.low) / span * static_cast<double>(bins)
                       : (0.5 * v - 0.5 * interval.low) /
                             (0.5 * interval.high - 0.5 * interval.low) * static_cast<double>(bins);
  return std::clamp(static_cast<Index>(t), Index{0}, bins - 1);
}

Index bins_for(const Interval& interval) {
  return std::clamp(interval.count / kValuesPerBin, Index{2}, kMaxBins);
}

/// The sorted local values inside the interval.
std::pair<const double*, const double*> inside(const std::vector<double>& sorted,
                                               const Interval& interval) {
  const auto first = std::lower_bound(sorted.begin(), sorted.end(), interval.low);
  const auto last = std::upper_bound(first, sorted.end(), interval.high);
  return {sorted.data() + (first - sorted.begin()), sorted.data() + (last - sorted.begin())};
}

/// Answers every query of the small intervals from their gathered values.
void resolve_by_gathering(const std::vector<double>& sorted, const std::vector<Interval>& small,
                          const std::vector<Index>& ranks, const Reducer& reducer,
                          std::vector<double>& result) {
  if (small.empty()) return;
  // Each participant sends, per interval, its count and then its values; the counts say where
  // each participant's block of each interval lies in the concatenation.
  std::vector<double> mine;
  for (const Interval& interval : small) {
    const auto [first, last] = inside(sorted, interval);
    mine.push_back(static_cast<double>(last - first));
    mine.insert(mine.end(), first, last);
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
/// to the bin that holds its rank, narrowed to the smallest and largest value in that bin (bin_of
/// is monotone in v, so the values inside the narrowed interval are exactly the bin's).
std::vector<Interval> refine(const std::vector<double>& sorted, const std::vector<Interval>& large,
                             const std::vector<Index>& ranks, const Reducer& reducer) {
  std::vector<double> counts;
  for (const Interval& interval : large) {
    const Index bins = bins_for(interval);
    const size_t offset = counts.size();
    counts.resize(offset + static_cast<size_t>(bins), 0.0);
    const auto [first, last] = inside(sorted, interval);
    for (const double* v = first; v != last; ++v) {
      counts[offset + static_cast<size_t>(bin_of(*v, interval, bins))] += 1.0;
    }
  }
  reducer.sum(counts);
  std::vector<Interval> next;
  std::vector<double> low;
  std::vector<double> high;
  size_t offset = 0;
  for (const Interval& interval : large) {
    const Index bins = bins_for(interval);
    const auto [first, last] = inside(sorted, interval);
    std::map<Index, size_t> chosen;  // bin → index in next
    for (size_t q : interval.queries) {
      Index below = interval.below;
      Index bin = 0;
      while (below + static_cast<Index>(counts[offset + static_cast<size_t>(bin)]) <= ranks[q]) {
        below += static_cast<Index>(counts[offset + static_cast<size_t>(bin)]);
        ++bin;
      }
      const auto [it, added] = chosen.emplace(bin, next.size());
      if (added) {
        next.push_back(
            {0.0, 0.0, below, static_cast<Index>(counts[offset + static_cast<size_t>(bin)]), {}});
        // This participant's smallest and largest value in the bin (±inf if it has none).
        double lo = INFINITY;
        double hi = -INFINITY;
        for (const double* v = first; v != last; ++v) {
          if (bin_of(*v, interval, bins) != bin) continue;
          lo = std::min(lo, *v);
          hi = std::max(hi, *v);
        }
        low.push_back(lo);
        high.push_back(hi);
      }
      next[it->second].queries.push_back(q);
    }
    offset += static_cast<size_t>(bins);
  }
  reducer.min(low);
  reducer.max(high);
  for (size_t i = 0; i < next.size(); ++i) {
    next[i].low = low[i];
    next[i].high = high[i];
  }
  return next;
}

}  // namespace

std::vector<double> order_statistics(ConstVectorRef x, const std::vector<Index>& ranks, double min,
                                     double max, const Reducer& reducer) {
  std::vector<double> sorted(x.data(), x.data() + x.size());
  std::sort(sorted.begin(), sorted.end());
  const Index n = total_rows(x.size(), reducer);
  std::vector<double> result(ranks.size(), 0.0);
  Interval all{min, max, 0, n, {}};
  for (size_t q = 0; q < ranks.size(); ++q) all.queries.push_back(q);
  std::vector<Interval> open{all};
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
    resolve_by_gathering(sorted, small, ranks, reducer, result);
    open = large.empty() ? std::vector<Interval>{} : refine(sorted, large, ranks, reducer);
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
