#pragma once
/// A density-tree destructor (Inouye & Ravikumar 2018, "Deep density destructors", §3.2): a
/// piecewise-constant density p on axis-aligned cells of the unit cube, found by a shallow
/// density-estimation tree, and the map that sends each cell affinely onto a cell of volume equal
/// to its mass, so that data drawn from p come out uniform. It works in Gaussian space:
///
///   u = Φ(x) (per column),   u' = T(u) (the tree's destructor),   z = Φ⁻¹(u'),
///   log|det ∂z/∂x| = Σ_d [log φ(x_d) − log φ(z_d)] + log p(u).
///
/// T walks the tree: a node splitting dimension j at t (input) and t' (output) sends the part
/// u_j < t of its cell [a, b] onto [a', t'] and the rest onto [t', b']; t' − a' : b' − t' is the
/// ratio of the two children's masses. So on a leaf, each coordinate is the affine map
/// u'_d = a'_d + s_d·(u_d − a_d) with Π_d s_d = p(u), and the inverse walks the output thresholds.
/// Each leaf's mass mixes the training share with the cell's volume (a uniform base), so p is
/// never zero. Coordinates beyond |x| = 37 (Φ below 1e-300) use the tail asymptote
/// z = sign(x)·√(x² − 2·log s) of the same cell (the leaf's cell touches the cube's face there).

#include <rbig/bijector.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <vector>

namespace rbig {

/// One node of a density tree; the root is node 0 and children come after their parent.
struct TreeNode {
  std::int32_t dim = -1;       // the split dimension; -1 for a leaf
  double threshold = 0.0;      // input: u_dim < threshold goes left (within the node's cell)
  double out_threshold = 0.0;  // output: the same split in the destroyed cube
  std::int32_t left = -1;      // children (leaves: -1)
  std::int32_t right = -1;
};

/// How TreeMap::fit grows the tree (defaults in tree_fit.cpp's documentation).
struct TreeSettings {
  int max_leaves = 32;          // best-first growth stops here
  int bins = 64;                // candidate thresholds: the inner edges of this many equal bins
  double uniform_share = 0.01;  // weight of the uniform base in every leaf's mass
};

class TreeMap final : public Bijector {
 public:
  /// Fits the tree to Φ(x) for the rows of x (N ≥ 2, finite; columns roughly N(0, 1), as after a
  /// marginal step): best-first splits that gain more log-likelihood than the best of as many
  /// splits of uniform data would (tree_fit.cpp). A tree with no split is the identity.
  static TreeMap fit(ConstMatrixRef x, const TreeSettings& settings = {});
  /// A fitted tree from its nodes (model files); throws OptionError for nodes that do not form
  /// a tree of nested cells (children after parents, each once, thresholds strictly inside the
  /// node's cell in both cubes) and DimensionError for a split dimension outside [0, dims).
  TreeMap(Index dims, std::vector<TreeNode> nodes);
  /// The same, recording the mean training log-density the fit reached.
  TreeMap(Index dims, std::vector<TreeNode> nodes, double training_log_density);

  Index dims() const override { return dims_; }
  const std::vector<TreeNode>& nodes() const { return nodes_; }
  Index leaves() const { return static_cast<Index>(cells_.size()); }
  /// Mean of log p(Φ(x)) over the rows fitted (0 for a tree built from nodes).
  double training_log_density() const { return training_log_density_; }

  void forward(MatrixRef x, VectorRef log_det) const override;
  void inverse(MatrixRef z, VectorRef log_det) const override;

 private:
  struct Cell {  // a leaf's input [a, b] and output [a', b'] per dimension
    Vector a, b, out_a, out_b, log_slope;
  };
  Index leaf_at(const double* p, bool output) const;

  Index dims_ = 0;
  std::vector<TreeNode> nodes_;
  std::vector<Index> leaf_of_node_;  // cells_ index of each leaf node, -1 elsewhere
  std::vector<Cell> cells_;
  double training_log_density_ = 0.0;
};

}  // namespace rbig
