#include "fit/row_alignment.hpp"

#include <algorithm>
#include <vector>

namespace rbig::detail {

Index row_block_rows(Index total_rows) {
  constexpr Index kMaxBlockRows = 1024;
  constexpr Index kMinBlocks = 16;
  const Index most = std::min(kMaxBlockRows, std::max<Index>(1, total_rows / kMinBlocks));
  Index rows = 1;
  while (2 * rows <= most) rows *= 2;
  return rows;
}

namespace {

/// Where each participant's aligned part starts (and, last, the total): its first row rounded
/// up to a block start, never before the end of the first block (participant 0 holds it), and
/// never before the start of the part before it. Parts then only lose rows to earlier ones.
std::vector<Index> aligned_starts(const std::vector<Index>& first, Index block) {
  const size_t parts = first.size() - 1;
  const Index total = first[parts];
  std::vector<Index> target(parts + 1, 0);
  for (size_t p = 1; p < parts; ++p) {
    const Index rounded = (first[p] + block - 1) / block * block;
    target[p] = std::min(total, std::max({rounded, block, target[p - 1]}));
  }
  target[parts] = total;
  return target;
}

}  // namespace

AlignedPart align_rows(ConstMatrixRef x, const Reducer& reducer) {
  AlignedPart part{0, x.rows(), Matrix(0, x.cols())};
  if (reducer.is_local()) return part;
  const std::vector<double> counts = reducer.gather({static_cast<double>(x.rows())});
  const auto parts = counts.size();
  // first[p]: participant p's first row now; target[p]: its first row once aligned.
  std::vector<Index> first(parts + 1, 0);
  for (size_t p = 0; p < parts; ++p) first[p + 1] = first[p] + static_cast<Index>(counts[p]);
  const std::vector<Index> target = aligned_starts(first, row_block_rows(first[parts]));
  const auto me = static_cast<size_t>(reducer.participant());
  // Every participant sends rows [first, min(target, next first)) to those before it, row-major.
  const auto sent_end = [&](size_t p) { return std::min(target[p], first[p + 1]); };
  std::vector<double> sent;
  for (Index row = first[me]; row < sent_end(me); ++row) {
    for (Index c = 0; c < x.cols(); ++c) sent.push_back(x(row - first[me], c));
  }
  const std::vector<double> moved = reducer.gather(sent);
  // Kept: this participant's rows from its target on (none when it sent them all).
  const Index kept_begin = std::max(first[me], target[me]);
  const Index kept_end = std::max(kept_begin, std::min(first[me + 1], target[me + 1]));
  part.kept_rows = kept_end - kept_begin;
  part.kept_first = part.kept_rows > 0 ? kept_begin - first[me] : 0;
  // Received: the rows [kept_end, target[me + 1]), from the participants after this one, in row
  // order in `moved`.
  part.received.resize(target[me + 1] - kept_end, x.cols());
  size_t offset = 0;  // in `moved`, of participant p's first sent row
  for (size_t p = 0; p < parts; ++p) {
    for (Index row = std::max(first[p], kept_end); row < sent_end(p); ++row) {
      if (row >= target[me + 1]) break;
      const size_t at = offset + static_cast<size_t>((row - first[p]) * x.cols());
      for (Index c = 0; c < x.cols(); ++c)
        part.received(row - kept_end, c) = moved[at + static_cast<size_t>(c)];
    }
    offset += static_cast<size_t>(std::max<Index>(0, sent_end(p) - first[p]) * x.cols());
  }
  return part;
}

}  // namespace rbig::detail
