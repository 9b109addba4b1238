// Growing a density tree (tree.hpp) on Φ(x): a shallow density-estimation tree in the spirit of
// Ram & Gray 2011 ("Density estimation trees") and of the tree destructors of Inouye & Ravikumar
// 2018. Best first: among the current leaves, the split with the largest log-likelihood gain
//   G = n_l·log(n_l / (n·f)) + n_r·log(n_r / (n·(1 − f)))        (nats, f = the left volume share)
// is made, if G beats the noise level below, until settings.max_leaves leaves. Candidate splits
// are the inner edges of `bins` equal bins of each dimension of the leaf's cell: a grid fixed by
// the cell, not by the data, so an empty margin (a marginal map's leaked tail mass, a density's
// hard edge) is found at the cell's resolution and refined by further splits.
//
// Noise level: on uniform data 2·G of one candidate is about χ²₁, and the best of M candidates
// about 2·log M; a split is made only when G > log M + kSignificance, M = dims·(bins − 1), i.e.
// with a false-split chance of about e^−kSignificance per leaf. Leaves with fewer than
// kMinSplitRows rows are not split. Where no single split passes, one level of lookahead
// (best_lookahead_split) finds structure whose margins are uniform, as a checkerboard's are.
//
// Leaf masses mix the training share with the uniform base: m = (1 − λ)·n_leaf / N + λ·V_leaf
// (λ = settings.uniform_share), so a held-out point in an empty cell has density λ, not 0.

#include <rbig/tree.hpp>

#include <rbig/error.hpp>

#include "stats/normal.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace rbig {
namespace {

constexpr double kSignificance = 3.0;
constexpr Index kMinSplitRows = 40;
/// Narrower cells (in probability units) are not split further: their thresholds would run out
/// of double precision.
constexpr double kMinWidth = 1e-9;

double x_log_ratio(double count, double expected) {
  return count > 0.0 ? count * std::log(count / expected) : 0.0;
}

struct Split {
  double gain = -std::numeric_limits<double>::infinity();
  Index dim = -1;
  double threshold = 0.0;
};

struct Leaf {
  std::vector<Index> rows;
  Vector a, b;  // the cell in probability space
  std::int32_t node = 0;
  Split best;
};

/// Bin of each of the leaf's rows in each dimension of its cell (rows × dims).
std::vector<int> leaf_bins(const Matrix& u, const Leaf& leaf, int bins) {
  const Index dims = u.cols();
  std::vector<int> bin(leaf.rows.size() * static_cast<size_t>(dims));
  for (Index d = 0; d < dims; ++d) {
    const double a = leaf.a[d];
    const double width = leaf.b[d] - a;
    for (size_t r = 0; r < leaf.rows.size(); ++r) {
      const double position = (u(leaf.rows[r], d) - a) / width * bins;
      bin[r * static_cast<size_t>(dims) + static_cast<size_t>(d)] =
          static_cast<int>(std::min<double>(bins - 1, std::max(0.0, position)));
    }
  }
  return bin;
}

/// Gain of cutting `n` rows at the e-th of `bins` edges with `left` rows below it.
double cut_gain(double left, double n, int e, int bins) {
  const double f = static_cast<double>(e) / bins;
  return x_log_ratio(left, n * f) + x_log_ratio(n - left, n * (1.0 - f));
}

/// The best single split of the leaf (gain by cut_gain).
Split best_single_split(const Leaf& leaf, const std::vector<int>& bin, Index dims, int bins) {
  Split best;
  const auto n = static_cast<double>(leaf.rows.size());
  std::vector<double> counts(static_cast<size_t>(bins));
  for (Index d = 0; d < dims; ++d) {
    if (leaf.b[d] - leaf.a[d] < kMinWidth) continue;
    std::fill(counts.begin(), counts.end(), 0.0);
    for (size_t r = 0; r < leaf.rows.size(); ++r)
      counts[static_cast<size_t>(bin[r * static_cast<size_t>(dims) + static_cast<size_t>(d)])] +=
          1.0;
    double left = 0.0;
    for (int e = 1; e < bins; ++e) {
      left += counts[static_cast<size_t>(e - 1)];
      const double gain = cut_gain(left, n, e, bins);
      if (gain > best.gain) best = Split{gain, d, leaf.a[d] + (leaf.b[d] - leaf.a[d]) * e / bins};
    }
  }
  return best;
}

/// The split whose gain plus its two children's best gains (in other dimensions) is largest,
/// from the 2-D histograms of every pair of dimensions: XOR-like structure (a checkerboard) has
/// uniform margins, so no single split gains until one has been made. `gain` holds the sum.
Split best_lookahead_split(const Leaf& leaf, const std::vector<int>& bin, Index dims, int bins) {
  const auto b = static_cast<size_t>(bins);
  const auto n = static_cast<double>(leaf.rows.size());
  // For each first cut (d, e): the children's best follow-up gains over the other dimensions.
  std::vector<double> left_best(static_cast<size_t>(dims) * b, 0.0);
  std::vector<double> right_best(static_cast<size_t>(dims) * b, 0.0);
  std::vector<double> first_gain(static_cast<size_t>(dims) * b, 0.0);
  std::vector<double> cumulative((b + 1) * (b + 1));
  for (Index d = 0; d < dims; ++d) {
    if (leaf.b[d] - leaf.a[d] < kMinWidth) continue;
    for (Index d2 = 0; d2 < dims; ++d2) {
      if (d2 == d || leaf.b[d2] - leaf.a[d2] < kMinWidth) continue;
      // cumulative[i·(b+1) + j]: rows with bin_d < i and bin_d2 < j.
      std::fill(cumulative.begin(), cumulative.end(), 0.0);
      for (size_t r = 0; r < leaf.rows.size(); ++r) {
        const auto i =
            static_cast<size_t>(bin[r * static_cast<size_t>(dims) + static_cast<size_t>(d)]);
        const auto j =
            static_cast<size_t>(bin[r * static_cast<size_t>(dims) + static_cast<size_t>(d2)]);
        cumulative[(i + 1) * (b + 1) + (j + 1)] += 1.0;
      }
      for (size_t i = 1; i <= b; ++i)
        for (size_t j = 1; j <= b; ++j)
          cumulative[i * (b + 1) + j] += cumulative[(i - 1) * (b + 1) + j] +
                                         cumulative[i * (b + 1) + j - 1] -
                                         cumulative[(i - 1) * (b + 1) + j - 1];
      for (size_t e = 1; e < b; ++e) {
        const double n_left = cumulative[e * (b + 1) + b];
        const double n_right = n - n_left;
        const size_t at = static_cast<size_t>(d) * b + e;
        first_gain[at] = cut_gain(n_left, n, static_cast<int>(e), bins);
        for (size_t e2 = 1; e2 < b; ++e2) {
          const double left_low = cumulative[e * (b + 1) + e2];
          const double right_low = cumulative[b * (b + 1) + e2] - left_low;
          left_best[at] =
              std::max(left_best[at], cut_gain(left_low, n_left, static_cast<int>(e2), bins));
          right_best[at] =
              std::max(right_best[at], cut_gain(right_low, n_right, static_cast<int>(e2), bins));
        }
      }
    }
  }
  Split best;
  for (Index d = 0; d < dims; ++d) {
    for (size_t e = 1; e < b; ++e) {
      const size_t at = static_cast<size_t>(d) * b + e;
      const double total = first_gain[at] + left_best[at] + right_best[at];
      if (total > best.gain)
        best = Split{total, d, leaf.a[d] + (leaf.b[d] - leaf.a[d]) * static_cast<double>(e) / bins};
    }
  }
  return best;
}

}  // namespace

TreeMap TreeMap::fit(ConstMatrixRef x, const TreeSettings& settings) {
  if (settings.max_leaves < 1 || settings.bins < 2 || !(settings.uniform_share > 0.0) ||
      !(settings.uniform_share < 1.0))
    throw OptionError(
        fmt::format("tree: max_leaves {} (≥ 1), bins {} (≥ 2), uniform_share {} "
                    "(in (0, 1))",
                    settings.max_leaves, settings.bins, settings.uniform_share));
  if (x.rows() < 2 || x.cols() < 1 || !x.allFinite())
    throw OptionError(
        fmt::format("tree: needs at least 2 finite rows (got {} × {})", x.rows(), x.cols()));
  const Index n = x.rows();
  const Index dims = x.cols();
  const Matrix u = x.unaryExpr([](double v) { return detail::normal_cdf(v); });
  const double min_gain = std::log(static_cast<double>(dims) * (settings.bins - 1)) + kSignificance;

  std::vector<TreeNode> nodes(1);
  std::vector<Leaf> leaves(1);
  leaves[0].rows.resize(static_cast<size_t>(n));
  for (Index r = 0; r < n; ++r) leaves[0].rows[static_cast<size_t>(r)] = r;
  leaves[0].a = Vector::Zero(dims);
  leaves[0].b = Vector::Ones(dims);
  // A leaf's candidate: its best single split if significant, else (D ≥ 2) its best split by
  // one level of lookahead if the three splits together are (threshold 3·log M + margin, the
  // best of M³ combinations of structureless data), entered with the single threshold.
  const double single_log_m = std::log(static_cast<double>(dims) * (settings.bins - 1));
  const auto consider = [&](Leaf& leaf) {
    if (static_cast<Index>(leaf.rows.size()) < kMinSplitRows) return;
    const std::vector<int> bin = leaf_bins(u, leaf, settings.bins);
    leaf.best = best_single_split(leaf, bin, dims, settings.bins);
    if (leaf.best.gain > min_gain || dims < 2) return;
    Split lookahead = best_lookahead_split(leaf, bin, dims, settings.bins);
    if (lookahead.gain > 3.0 * single_log_m + kSignificance) {
      lookahead.gain = min_gain + lookahead.gain / static_cast<double>(leaf.rows.size());
      leaf.best = lookahead;
    }
  };
  consider(leaves[0]);
  while (static_cast<int>(leaves.size()) < settings.max_leaves) {
    size_t pick = leaves.size();
    for (size_t l = 0; l < leaves.size(); ++l) {
      if (leaves[l].best.gain > min_gain &&
          (pick == leaves.size() || leaves[l].best.gain > leaves[pick].best.gain))
        pick = l;
    }
    if (pick == leaves.size()) break;
    Leaf parent = std::move(leaves[pick]);
    const Split split = parent.best;
    const Index j = split.dim;
    Leaf left{{}, parent.a, parent.b, static_cast<std::int32_t>(nodes.size()), {}};
    Leaf right{{}, parent.a, parent.b, static_cast<std::int32_t>(nodes.size() + 1), {}};
    left.b[j] = split.threshold;
    right.a[j] = split.threshold;
    for (Index r : parent.rows) (u(r, j) < split.threshold ? left : right).rows.push_back(r);
    TreeNode& node = nodes[static_cast<size_t>(parent.node)];
    node.dim = static_cast<std::int32_t>(j);
    node.threshold = split.threshold;
    node.left = left.node;
    node.right = right.node;
    nodes.resize(nodes.size() + 2);
    consider(left);
    consider(right);
    leaves[pick] = std::move(left);
    leaves.push_back(std::move(right));
  }

  // Masses bottom-up (children come after parents), then each split's output threshold
  // top-down from its cell in the output cube.
  const double lambda = settings.uniform_share;
  std::vector<double> mass(nodes.size(), 0.0);
  double log_density_sum = 0.0;
  for (const Leaf& leaf : leaves) {
    const double log_volume = (leaf.b - leaf.a).array().log().sum();
    const double m =
        (1.0 - lambda) * static_cast<double>(leaf.rows.size()) / static_cast<double>(n) +
        lambda * std::exp(log_volume);
    mass[static_cast<size_t>(leaf.node)] = m;
    log_density_sum += static_cast<double>(leaf.rows.size()) * (std::log(m) - log_volume);
  }
  for (size_t k = nodes.size(); k-- > 0;) {
    if (nodes[k].dim != -1)
      mass[k] =
          mass[static_cast<size_t>(nodes[k].left)] + mass[static_cast<size_t>(nodes[k].right)];
  }
  std::vector<std::pair<Vector, Vector>> out(nodes.size());
  out[0] = {Vector::Zero(dims), Vector::Ones(dims)};
  for (size_t k = 0; k < nodes.size(); ++k) {
    TreeNode& node = nodes[k];
    if (node.dim == -1) continue;
    const Index j = node.dim;
    const double lo = out[k].first[j];
    const double hi = out[k].second[j];
    double t = lo + (hi - lo) * (mass[static_cast<size_t>(node.left)] / mass[k]);
    // A share below double precision still needs a threshold strictly inside the cell.
    t = std::min(std::max(t, std::nextafter(lo, hi)), std::nextafter(hi, lo));
    node.out_threshold = t;
    out[static_cast<size_t>(node.left)] = out[k];
    out[static_cast<size_t>(node.left)].second[j] = t;
    out[static_cast<size_t>(node.right)] = out[k];
    out[static_cast<size_t>(node.right)].first[j] = t;
  }
  return TreeMap(dims, std::move(nodes), log_density_sum / static_cast<double>(n));
}

}  // namespace rbig
