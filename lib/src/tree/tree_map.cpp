// The density-tree destructor as a map (tree.hpp): the cells of a stored tree, and the per-row
// walk and per-coordinate affine maps in probability space, with Φ and Φ⁻¹ on either side.
//
// Precision: a coordinate with x ≤ 0 is carried as u = Φ(x), one with x > 0 as v = Φ(−x) = 1 − u,
// so that tail probabilities keep their relative precision through the cell's affine map (a cell
// whose coordinate reaches 0 or 1 keeps that face in the output, so u' = s·u or v' = s·v there).

#include <rbig/tree.hpp>

#include <rbig/error.hpp>

#include "core/check.hpp"
#include "stats/normal.hpp"

#include <fmt/format.h>

#include <cmath>

namespace rbig {
namespace {

/// Beyond this |x| (Φ below 1e-300) a coordinate uses its cell's tail asymptote.
constexpr double kTail = 37.0;
/// Thresholds must lie this far inside (0, 1): above Φ(−kTail), so a tail coordinate always
/// falls in a cell with a face on the cube's boundary.
constexpr double kMinThreshold = 1e-250;

/// A coordinate in probability space: lower (u = Φ(x), x ≤ 0) or upper (v = Φ(−x), x > 0).
struct Prob {
  bool lower;
  double tail;  // u or v
  double u() const { return lower ? tail : 1.0 - tail; }
};

Prob to_prob(double x) {
  return x <= 0.0 ? Prob{true, detail::normal_cdf(x)} : Prob{false, detail::normal_cdf(-x)};
}

double from_prob(const Prob& p) {
  return p.lower ? detail::normal_quantile(p.tail) : -detail::normal_quantile(p.tail);
}

// Row i of m in probability space, both as tails (exact in either tail) and as u ∈ (0, 1) for the
// cell search.
void row_probabilities(const MatrixRef& m, Index i, std::vector<Prob>& prob, Vector& u) {
  for (Index d = 0; d < m.cols(); ++d) {
    prob[static_cast<size_t>(d)] = to_prob(m(i, d));
    u[d] = prob[static_cast<size_t>(d)].u();
  }
}

}  // namespace

TreeMap::TreeMap(Index dims, std::vector<TreeNode> nodes) : TreeMap(dims, std::move(nodes), 0.0) {}

TreeMap::TreeMap(Index dims, std::vector<TreeNode> nodes, double training_log_density)
    : dims_(dims), nodes_(std::move(nodes)), training_log_density_(training_log_density) {
  if (dims_ < 1) throw DimensionError(fmt::format("tree: {} dimensions", dims_));
  if (nodes_.empty()) throw OptionError("tree: no nodes (a tree has at least its root)");
  const auto count = static_cast<std::int32_t>(nodes_.size());
  std::vector<bool> has_parent(nodes_.size(), false);
  leaf_of_node_.assign(nodes_.size(), -1);
  // Cells by a walk from the root: children come after their parent, so one pass in node order
  // sees every parent's cell before its children's.
  std::vector<Cell> node_cells(nodes_.size());
  node_cells[0] = Cell{Vector::Zero(dims_), Vector::Ones(dims_), Vector::Zero(dims_),
                       Vector::Ones(dims_), Vector::Zero(dims_)};
  for (std::int32_t k = 0; k < count; ++k) {
    const TreeNode& node = nodes_[static_cast<size_t>(k)];
    if (k > 0 && !has_parent[static_cast<size_t>(k)])
      throw OptionError(fmt::format("tree: node {} is nobody's child", k));
    Cell& cell = node_cells[static_cast<size_t>(k)];
    if (node.dim == -1) {
      if (node.left != -1 || node.right != -1)
        throw OptionError(fmt::format("tree: leaf {} has children", k));
      cell.log_slope =
          ((cell.out_b - cell.out_a).array().log() - (cell.b - cell.a).array().log()).matrix();
      leaf_of_node_[static_cast<size_t>(k)] = static_cast<Index>(cells_.size());
      cells_.push_back(cell);
      continue;
    }
    if (node.dim < 0 || node.dim >= dims_)
      throw DimensionError(
          fmt::format("tree: node {} splits dimension {} of {}", k, node.dim, dims_));
    const Index j = node.dim;
    const bool inside = node.threshold > cell.a[j] && node.threshold < cell.b[j] &&
                        node.out_threshold > cell.out_a[j] && node.out_threshold < cell.out_b[j] &&
                        node.threshold >= kMinThreshold && node.out_threshold >= kMinThreshold;
    if (!inside)
      throw OptionError(fmt::format(
          "tree: node {} splits [{}, {}] at {} and [{}, {}] at {} (must lie strictly inside)", k,
          cell.a[j], cell.b[j], node.threshold, cell.out_a[j], cell.out_b[j], node.out_threshold));
    for (std::int32_t child : {node.left, node.right}) {
      if (child <= k || child >= count || has_parent[static_cast<size_t>(child)])
        throw OptionError(
            fmt::format("tree: node {} has child {} (children come after their "
                        "parent, once, among {} nodes)",
                        k, child, count));
      has_parent[static_cast<size_t>(child)] = true;
    }
    Cell left = cell;
    left.b[j] = node.threshold;
    left.out_b[j] = node.out_threshold;
    Cell right = cell;
    right.a[j] = node.threshold;
    right.out_a[j] = node.out_threshold;
    node_cells[static_cast<size_t>(node.left)] = std::move(left);
    node_cells[static_cast<size_t>(node.right)] = std::move(right);
  }
}

Index TreeMap::leaf_at(const double* p, bool output) const {
  std::size_t k = 0;
  while (nodes_[k].dim != -1) {
    const TreeNode& node = nodes_[k];
    const double t = output ? node.out_threshold : node.threshold;
    k = static_cast<std::size_t>(p[node.dim] < t ? node.left : node.right);  // NaN goes right
  }
  return leaf_of_node_[k];
}

void TreeMap::forward(MatrixRef x, VectorRef log_det) const {
  detail::check_map_shape("tree", "forward", x.cols(), x.rows(), log_det.size(), dims_);
  std::vector<Prob> prob(static_cast<size_t>(dims_));
  Vector u(dims_);
  for (Index i = 0; i < x.rows(); ++i) {
    row_probabilities(x, i, prob, u);
    const Cell& cell = cells_[static_cast<size_t>(leaf_at(u.data(), false))];
    double sum = 0.0;
    for (Index d = 0; d < dims_; ++d) {
      const double xd = x(i, d);
      const double log_s = cell.log_slope[d];
      double z = 0.0;
      if (std::abs(xd) > kTail) {
        z = std::copysign(std::sqrt(std::max(xd * xd - 2.0 * log_s, kTail * kTail)), xd);
        sum += std::log(xd / z);
      } else {
        const Prob& p = prob[static_cast<size_t>(d)];
        const double s = std::exp(log_s);
        const double out = p.lower ? cell.out_a[d] + s * (p.tail - cell.a[d])
                                   : (1.0 - cell.out_b[d]) + s * (p.tail - (1.0 - cell.b[d]));
        z = from_prob(Prob{p.lower, out});
        sum += detail::log_normal_pdf(xd) - detail::log_normal_pdf(z) + log_s;
      }
      x(i, d) = z;
    }
    log_det[i] += sum;
  }
}

void TreeMap::inverse(MatrixRef z, VectorRef log_det) const {
  detail::check_map_shape("tree", "inverse", z.cols(), z.rows(), log_det.size(), dims_);
  std::vector<Prob> prob(static_cast<size_t>(dims_));
  Vector u(dims_);
  for (Index i = 0; i < z.rows(); ++i) {
    row_probabilities(z, i, prob, u);
    const Cell& cell = cells_[static_cast<size_t>(leaf_at(u.data(), true))];
    double sum = 0.0;
    for (Index d = 0; d < dims_; ++d) {
      const double zd = z(i, d);
      const double log_s = cell.log_slope[d];
      // The tail asymptote wherever it gives a point beyond kTail (as the forward map decides).
      const double tail_square = zd * zd + 2.0 * log_s;
      double x = 0.0;
      if (tail_square > kTail * kTail) {
        x = std::copysign(std::sqrt(tail_square), zd);
        sum -= std::log(x / zd);
      } else {
        const Prob& p = prob[static_cast<size_t>(d)];
        const double s = std::exp(log_s);
        const double in = p.lower ? cell.a[d] + (p.tail - cell.out_a[d]) / s
                                  : (1.0 - cell.b[d]) + (p.tail - (1.0 - cell.out_b[d])) / s;
        x = from_prob(Prob{p.lower, in});
        sum -= detail::log_normal_pdf(x) - detail::log_normal_pdf(zd) + log_s;
      }
      z(i, d) = x;
    }
    log_det[i] += sum;
  }
}

}  // namespace rbig
