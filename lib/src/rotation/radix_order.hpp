#pragma once
// The ascending order of a column of doubles by a stable LSD radix sort: the sliced rotation
// ranks every projection at every ascent step, and a comparison sort was 64 % of its fit time
// (perf, gmm8 of bench_density). Ties keep the row order, as a sort of (value, row) pairs would,
// so the ranks never depend on the implementation. Finite values only (NaN has no rank).

#include <rbig/types.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

namespace rbig::detail {

/// Rows 0 … n−1 of `values` in ascending order of value (ties: ascending row). `keys` and
/// `scratch` are buffers the caller may reuse between calls.
inline void radix_order(ConstVectorRef values, std::vector<Index>& order,
                        std::vector<std::uint64_t>& keys, std::vector<Index>& scratch) {
  const auto n = static_cast<std::size_t>(values.size());
  keys.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    // +0.0 folds −0.0 into +0.0 (they compare equal); flipping the sign bit of positives and
    // every bit of negatives makes the unsigned order the numeric order.
    const double value = values(static_cast<Index>(i)) + 0.0;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    keys[i] = (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
  }
  order.resize(n);
  scratch.resize(n);
  if (n == 0) return;
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<Index>(i);
  constexpr int kDigitBits = 11;
  constexpr std::uint64_t kMask = (std::uint64_t{1} << kDigitBits) - 1;
  std::vector<std::size_t> count(std::size_t{1} << kDigitBits);
  for (int shift = 0; shift < 64; shift += kDigitBits) {
    std::fill(count.begin(), count.end(), std::size_t{0});
    for (std::size_t i = 0; i < n; ++i) ++count[(keys[i] >> shift) & kMask];
    if (count[(keys[0] >> shift) & kMask] == n) continue;  // one digit everywhere: order kept
    std::size_t start = 0;
    for (std::size_t& c : count) {
      const std::size_t next = start + c;
      c = start;
      start = next;
    }
    // Stable scatter of the current order by this digit.
    for (std::size_t i = 0; i < n; ++i) {
      const Index row = order[i];
      scratch[count[(keys[static_cast<std::size_t>(row)] >> shift) & kMask]++] = row;
    }
    order.swap(scratch);
  }
}

}  // namespace rbig::detail
