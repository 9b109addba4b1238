#include "stats/refined_histogram.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>

namespace rbig::detail {
namespace {

// The cap: a bin of more than n / kFineBins values (and more than one) is cut again. 1,024 bins
// put ~2 bins between the spline's knots at its 500 at most, and each bin's mass is at most
// 1/1,024 of all: a knot read from the histogram is off the exact quantile's level by a fraction
// of that (the values spread unevenly within a bin), far below the spacing of the levels.
constexpr double kFineBins = 1024.0;
// Parts of a cut bin: 1.5 × its count / cap (each part two thirds of the cap on average, so that
// few parts exceed it and need another round), within [2, kMaxParts]; the first cut of [min, max]
// takes kMaxParts. At most kRounds rounds: a bin still above the cap then (a tie mixed with
// values ~10⁻¹⁵ of the range away) stays as it is.
constexpr double kPartsPerCap = 1.5;
constexpr Index kMaxParts = 256;
constexpr int kRounds = 12;
// A part narrower than this share of its values' magnitude is not cut: its edges stay distinct
// doubles, far apart in ulps.
constexpr double kNarrowest = 0x1p-40;

/// A bin being cut this round, into `parts` equal parts. In halves (0.5·v − 0.5·low) so that a
/// span of values of both signs near the largest double does not overflow.
struct Cut {
  double low;
  double high;
  Index count;  // all participants' values: bounds every part's total
  Index parts;
  double half_part;   // (0.5·high − 0.5·low) / parts
  double scale;       // 1 / half_part (finite: half_part ≥ DBL_MIN)
  size_t first;       // index of part 0 in the round's counts
  bool concentrated;  // more than half of its parent's values: narrowed first (narrow below)
};

Index parts_for(Index count, double cap) {
  const double wanted = std::ceil(kPartsPerCap * static_cast<double>(count) / cap);
  return std::clamp(static_cast<Index>(std::min(wanted, static_cast<double>(kMaxParts))), Index{2},
                    kMaxParts);
}

/// The cut of [low, high] if it is to be cut (more values than the cap, wide enough).
bool make_cut(double low, double high, Index count, Index parent, double cap, Cut& cut) {
  if (!(static_cast<double>(count) > cap)) return false;
  const Index parts = parts_for(count, cap);
  const double half_part = (0.5 * high - 0.5 * low) / static_cast<double>(parts);
  if (!(half_part >= DBL_MIN && half_part > kNarrowest * std::max(std::abs(low), std::abs(high)))) {
    return false;
  }
  cut = {low, high, count, parts, half_part, 1.0 / half_part, 0, 2 * count > parent};
  return true;
}

/// The part of cut that holds v: monotone in v, the same rounding on every participant.
Index part_of(const Cut& cut, double v) {
  const double t = (0.5 * v - 0.5 * cut.low) * cut.scale;
  return static_cast<Index>(std::clamp(t, 0.0, static_cast<double>(cut.parts - 1)));
}

/// The lower edge of part j (j = parts: the cut's upper edge).
double edge(const Cut& cut, Index j) {
  if (j == 0) return cut.low;
  if (j == cut.parts) return cut.high;
  return 2.0 * (0.5 * cut.low + static_cast<double>(j) * cut.half_part);
}

int bits_for(Index bound) {
  int bits = 1;
  while (bits < 62 && (Index{1} << bits) <= bound) ++bits;
  return bits;
}

/// counts ← Σ over participants, sent packed: count i's total is at most bounds[i] (its parent
/// bin's total, known everywhere), so it takes ⌊log₂ bound⌋ + 1 bits of a 63-bit word, and no
/// field's sum carries into the next one: the word sums are the fields' sums side by side.
void sum_packed(std::vector<Index>& counts, const std::vector<Index>& bounds,
                const Reducer& reducer) {
  if (reducer.is_local()) return;
  struct Field {
    size_t word;
    int shift;
    int bits;
  };
  std::vector<std::int64_t> words;
  std::vector<Field> fields(counts.size());
  int used = 63;
  for (size_t i = 0; i < counts.size(); ++i) {
    const int bits = bits_for(bounds[i]);
    if (used + bits > 63) {
      words.push_back(0);
      used = 0;
    }
    fields[i] = {words.size() - 1, used, bits};
    words.back() |= static_cast<std::int64_t>(static_cast<std::uint64_t>(counts[i]) << used);
    used += bits;
  }
  reducer.sum(words);
  for (size_t i = 0; i < counts.size(); ++i) {
    const Field& field = fields[i];
    const auto word = static_cast<std::uint64_t>(words[field.word]);
    counts[i] = static_cast<Index>((word >> field.shift) & ((std::uint64_t{1} << field.bits) - 1));
  }
}

constexpr std::uint32_t kNoPart = UINT32_MAX;  // a value of a cut that became a leaf

/// A concentrated cut (more than half of its parent's values in one part) is first narrowed to
/// the smallest and largest of its values (one min reduction, 16 bytes a cut): it is one repeated
/// value (a tie: it becomes a leaf [v, v], so that the quantiles inside it are v and the spline's
/// tied knots collapse as with exact quantiles, where cutting on would leave a spike ~10⁻¹⁵ of
/// the range wide), or the dense centre of a heavy tail, whose values may span few of its parts.
/// Only those: narrowing every cut doubled the bytes of a light column (most of its bins are cut
/// once) and added ~40 % to a Cauchy one.
void narrow(std::vector<Cut>& cuts, const double* v, const std::vector<std::uint32_t>& owner,
            double cap, const Reducer& reducer, std::vector<HistogramBin>& leaves) {
  std::vector<std::int64_t> slot(cuts.size(), -1);  // cut → its place in extremes
  size_t m = 0;
  for (size_t c = 0; c < cuts.size(); ++c) {
    if (cuts[c].concentrated) slot[c] = static_cast<std::int64_t>(m++);
  }
  if (m == 0) return;
  std::vector<double> extremes(2 * m, INFINITY);  // smallest, then largest negated (exact)
  for (size_t i = 0; i < owner.size(); ++i) {
    if (slot[owner[i]] < 0) continue;
    const auto j = static_cast<size_t>(slot[owner[i]]);
    extremes[j] = std::min(extremes[j], v[i]);
    extremes[m + j] = std::min(extremes[m + j], -v[i]);
  }
  if (!reducer.is_local()) reducer.min(extremes);
  for (size_t c = 0; c < cuts.size(); ++c) {
    if (slot[c] < 0) continue;
    Cut& cut = cuts[c];
    const double low = extremes[static_cast<size_t>(slot[c])];
    const double high = -extremes[m + static_cast<size_t>(slot[c])];
    // Narrowed once: the parent of its parts is itself, so none of them is concentrated by this.
    if (!make_cut(low, high, cut.count, 2 * cut.count, cap, cut)) {
      leaves.push_back({low, high, cut.count});
      cut.parts = 0;
    }
  }
}

}  // namespace

std::vector<HistogramBin> refined_histogram(ConstVectorRef x, Index n, double min, double max,
                                            const Reducer& reducer) {
  const double cap = std::max(1.0, static_cast<double>(n) / kFineBins);
  std::vector<HistogramBin> leaves;
  std::vector<Cut> cuts(1);
  if (!make_cut(min, max, n, 2 * n, cap, cuts[0])) return {{min, max, n}};  // [min, max]: narrow
  // This participant's values inside the bins cut this round, and the cut each belongs to. The
  // first round reads x in place; each round keeps only the values of the parts cut next, so a
  // round reads the values of the dense bins only.
  std::vector<double> values;
  std::vector<std::uint32_t> owner;
  const double* v = x.data();
  size_t size = static_cast<size_t>(x.size());
  std::vector<std::uint32_t> part_index;  // each value's part, as an index into the counts
  for (int round = 0; !cuts.empty(); ++round) {
    narrow(cuts, v, owner, cap, reducer, leaves);
    size_t parts = 0;
    for (Cut& cut : cuts) {
      cut.first = parts;
      parts += static_cast<size_t>(cut.parts);
    }
    std::vector<Index> counts(parts, 0);
    part_index.resize(size);
    for (size_t i = 0; i < size; ++i) {
      const Cut& cut = cuts[owner.empty() ? 0 : owner[i]];
      if (cut.parts == 0) {
        part_index[i] = kNoPart;
        continue;
      }
      part_index[i] =
          static_cast<std::uint32_t>(cut.first + static_cast<size_t>(part_of(cut, v[i])));
      ++counts[part_index[i]];
    }
    std::vector<Index> bounds(parts);
    for (const Cut& cut : cuts) {
      std::fill_n(bounds.begin() + static_cast<std::ptrdiff_t>(cut.first), cut.parts, cut.count);
    }
    sum_packed(counts, bounds, reducer);
    // Every participant now holds the same counts: the same parts become leaves or next cuts.
    std::vector<Cut> next;
    std::vector<std::int64_t> next_of(parts, -1);
    for (const Cut& cut : cuts) {
      for (Index j = 0; j < cut.parts; ++j) {
        const size_t at = cut.first + static_cast<size_t>(j);
        const Index count = counts[at];
        if (count == 0) continue;
        const double low = edge(cut, j);
        const double high = edge(cut, j + 1);
        Cut again;
        if (round + 1 < kRounds && make_cut(low, high, count, cut.count, cap, again)) {
          next_of[at] = static_cast<std::int64_t>(next.size());
          next.push_back(again);
        } else {
          leaves.push_back({low, high, count});
        }
      }
    }
    std::vector<double> kept;
    std::vector<std::uint32_t> kept_owner;
    for (size_t i = 0; i < size; ++i) {
      if (part_index[i] == kNoPart) continue;
      const std::int64_t to = next_of[part_index[i]];
      if (to < 0) continue;
      kept.push_back(v[i]);
      kept_owner.push_back(static_cast<std::uint32_t>(to));
    }
    values = std::move(kept);
    owner = std::move(kept_owner);
    v = values.data();
    size = values.size();
    cuts = std::move(next);
  }
  std::sort(leaves.begin(), leaves.end(),
            [](const HistogramBin& a, const HistogramBin& b) { return a.low < b.low; });
  return leaves;
}

std::vector<double> histogram_quantiles(const std::vector<HistogramBin>& bins,
                                        const std::vector<double>& probabilities, Index n) {
  // The quantile function is linear between nodes (mass below, value). A bin of several values
  // spread over [low, high] gives its two edges; a bin of one value (or of one repeated value)
  // gives that value at the centre of each of its units of mass, as a sort's order statistics
  // are: between two such bins this is type 7's interpolation between neighbouring values (with
  // a one-value bin's centre for its value). Placing a knot across a one-value bin by its share
  // of the mass instead cost ~3·10⁻⁴ nats of held-out log-likelihood a marginal at N ≈ 1,400
  // (20 seeds, normal, log-normal and dequantised samples), which a deep fit adds up.
  std::vector<double> masses;
  std::vector<double> values;
  double below = 0.0;
  for (const HistogramBin& bin : bins) {
    const auto count = static_cast<double>(bin.count);
    if (bin.count == 1 || bin.low == bin.high) {
      const double value = 0.5 * bin.low + 0.5 * bin.high;
      masses.push_back(below + 0.5);
      values.push_back(value);
      if (bin.count > 1) {
        masses.push_back(below + count - 0.5);
        values.push_back(value);
      }
    } else {
      masses.push_back(below);
      values.push_back(bin.low);
      masses.push_back(below + count);
      values.push_back(bin.high);
    }
    below += count;
  }
  std::vector<double> result;
  for (double p : probabilities) {
    const double mass = p * static_cast<double>(n - 1) + 0.5;
    const auto j =
        static_cast<size_t>(std::lower_bound(masses.begin(), masses.end(), mass) - masses.begin());
    if (j == 0 || j == masses.size()) {
      result.push_back(j == 0 ? values.front() : values.back());
      continue;
    }
    const double span = masses[j] - masses[j - 1];
    const double share = span > 0.0 ? std::clamp((mass - masses[j - 1]) / span, 0.0, 1.0) : 1.0;
    const double low = values[j - 1];
    const double high = values[j];
    result.push_back(std::min(high, 2.0 * (0.5 * low + share * (0.5 * high - 0.5 * low))));
  }
  return result;
}

}  // namespace rbig::detail
