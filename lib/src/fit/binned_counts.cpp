#include "fit/binned_counts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace rbig::detail {
namespace {

constexpr double kUnits = 65536.0;  // 2¹⁶ units of 2⁻¹⁶ a count
constexpr std::uint64_t kNotNarrow = std::numeric_limits<std::uint64_t>::max();
// Field widths of the packed sums: three small totals or two wide ones a 64-bit word, below its
// sign bit. A field whose total stays below 2^bits never carries into the next one, so the word
// sums are the fields' sums side by side.
constexpr int kSmallBits = 21;
constexpr int kWideBits = 31;

/// Bits of a word's highest set bit, plus one (0 for 0).
int bit_length(std::uint64_t word) {
  int bits = 0;
  for (; word != 0; word >>= 1) ++bits;
  return bits;
}

/// ⌈log₂ k⌉: k participants' values below 2^b sum below 2^(b + this).
int participant_bits(int participants) {
  int bits = 0;
  for (int reach = 1; reach < participants; reach *= 2) ++bits;
  return bits;
}

/// The count in units of 2⁻¹⁶, or kNotNarrow when it is no such whole number below 2⁵³.
std::uint64_t units_of(double count) {
  const double units = count * kUnits;  // exact: a power-of-two scale
  if (!(units >= 0.0 && units < 0x1p53) || units != std::floor(units)) return kNotNarrow;
  return static_cast<std::uint64_t>(units);
}

/// Appends the counts of `nodes` in units, 63 / bits of them a word.
void pack(const std::vector<double>& counts, const std::vector<size_t>& nodes, int bits,
          std::vector<std::int64_t>& words) {
  const size_t per = static_cast<size_t>(63 / bits);
  const size_t first = words.size();
  words.resize(first + (nodes.size() + per - 1) / per, 0);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto units = static_cast<std::uint64_t>(counts[nodes[i]] * kUnits);
    words[first + i / per] |=
        static_cast<std::int64_t>(units << (static_cast<size_t>(bits) * (i % per)));
  }
}

/// The inverse of pack from words[at…]; returns the index after the last word read.
size_t unpack(const std::vector<std::int64_t>& words, size_t at, const std::vector<size_t>& nodes,
              int bits, std::vector<double>& counts) {
  const size_t per = static_cast<size_t>(63 / bits);
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto word = static_cast<std::uint64_t>(words[at + i / per]);
    counts[nodes[i]] =
        static_cast<double>((word >> (static_cast<size_t>(bits) * (i % per))) & mask) / kUnits;
  }
  return at + (nodes.size() + per - 1) / per;
}

}  // namespace

void sum_binned_counts(std::vector<double>& counts, const Reducer& reducer) {
  if (reducer.is_local() || counts.empty()) return;
  // Round 1: bit j of the first bitmap for a count at node j here, of the second for one too
  // large for a small field's share; the last word bounds every local count in units (all ones
  // when one is not a whole number of units).
  const size_t nodes = counts.size();
  const size_t span = nodes / 64 + (nodes % 64 != 0);
  const int spread = participant_bits(reducer.participants());
  const std::uint64_t small_share =
      spread < kSmallBits ? std::uint64_t{1} << (kSmallBits - spread) : 1;
  std::vector<std::uint64_t> words(2 * span + 1, 0);
  std::uint64_t& bound = words.back();
  for (size_t j = 0; j < nodes; ++j) {
    if (counts[j] == 0.0) continue;
    const std::uint64_t bit = std::uint64_t{1} << (j % 64);
    words[j / 64] |= bit;
    const std::uint64_t units = units_of(counts[j]);
    if (units >= small_share) words[span + j / 64] |= bit;
    bound = units == kNotNarrow || bound == kNotNarrow ? kNotNarrow : std::max(bound, units);
  }
  reducer.bitwise_or(words);
  const bool whole_units = bound != kNotNarrow;
  // Every local count is below the or of the bounds: every total below K · 2^bits.
  const bool wide_fits = whole_units && bit_length(bound) + spread <= kWideBits;
  std::vector<size_t> small;  // below small_share everywhere: totals below 2^kSmallBits
  std::vector<size_t> wide;
  for (size_t j = 0; j < nodes; ++j) {
    const std::uint64_t bit = std::uint64_t{1} << (j % 64);
    if (!(words[j / 64] & bit)) {
      counts[j] = 0.0;  // +0 everywhere, as the sum of zeros
    } else if (whole_units && !(words[span + j / 64] & bit)) {
      small.push_back(j);
    } else {
      wide.push_back(j);
    }
  }
  // Round 2: the occupied nodes only, packed; wide totals that may reach 2³¹ (or counts that
  // are no whole number of units) as doubles, which is reducer.sum on those nodes.
  std::vector<std::int64_t> packed;
  pack(counts, small, kSmallBits, packed);
  if (wide_fits) pack(counts, wide, kWideBits, packed);
  if (!packed.empty()) reducer.sum(packed);
  const size_t at = unpack(packed, 0, small, kSmallBits, counts);
  if (wide_fits) {
    unpack(packed, at, wide, kWideBits, counts);
  } else if (!wide.empty()) {
    std::vector<double> sums(wide.size());
    for (size_t i = 0; i < wide.size(); ++i) sums[i] = counts[wide[i]];
    reducer.sum(sums);
    for (size_t i = 0; i < wide.size(); ++i) counts[wide[i]] = sums[i];
  }
}

}  // namespace rbig::detail
