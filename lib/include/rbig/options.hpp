#pragma once
/// Fit options: the one place where defaults, validation rules and their documentation live.
/// The names of the enumerators are the same in the CLI, the model file and this API.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rbig {

/// How each layer maps one dimension to N(0,1): z = Φ⁻¹(F(x)) with F fitted by this method.
/// Gaussian: the affine map z = (x − mean)/sd (with the shared far-tail model), i.e. F is the
/// normal CDF of matched moments. Kde: the CDF of a Gaussian kernel density estimate on a grid
/// (marginal_kde.cpp). Spline: a monotone cubic (PCHIP) through regularly spaced empirical
/// quantiles (marginal_spline.cpp). The numeric values are stored in model files: append only.
enum class MarginalKind { Histogram, Gaussian, Kde, Spline };
/// The orthogonal rotation that follows the marginal step of each layer. Pursuit: the PCA axes or
/// one of a few candidate rotations, whichever leaves the least summed marginal entropy
/// (rotation_pursuit.cpp). Sliced: directions that maximise the sliced Wasserstein distance of
/// the projections to N(0, 1) (rotation_sliced.cpp). Stored in model files: append only.
enum class RotationKind { Pca, Random, Ica, Pursuit, Sliced };
/// How the kde marginal picks its bandwidth when FitOptions::bandwidth is empty
/// (kde_bandwidth.cpp). Silverman: h = 0.9·min(sd, IQR/1.34)·N^(−1/5), the normal-reference rule.
/// PlugIn: the Sheather–Jones two-stage direct plug-in rule, which estimates the roughness of the
/// density from the data (smaller h for multimodal or sharp marginals). Annealed: coarse to fine, a
/// bandwidth per layer, h = c_k·sd·N^(−1/5) with c_k falling geometrically from 2 at layer 0 to
/// 1/3 at layer 100 and staying there (kde_bandwidth.hpp): wide kernels while the first layers
/// remove the large-scale structure, narrow ones for the fine structure left (bench/README.md).
/// Stored in model files: append only.
enum class BandwidthRule { Silverman, PlugIn, Annealed };

std::string_view to_string(MarginalKind kind);   // "histogram", "gaussian", "kde", "spline"
std::string_view to_string(RotationKind kind);   // "pca", "random", "ica", "pursuit", "sliced"
std::string_view to_string(BandwidthRule rule);  // "silverman", "plugin", "annealed"
MarginalKind parse_marginal_kind(std::string_view name);  // throws OptionError listing valid names
RotationKind parse_rotation_kind(std::string_view name);  // throws OptionError listing valid names
BandwidthRule parse_bandwidth_rule(
    std::string_view name);  // throws OptionError listing valid names

struct FitOptions {
  /// The marginal method. Empty (the default): chosen on the validation rows, see below.
  std::optional<MarginalKind> marginal;
  RotationKind rotation = RotationKind::Pca;
  /// Upper bound on the number of layers fitted.
  int max_layers = 500;
  /// Strength α in (0, 1] of each layer's marginal step: y = α·Φ⁻¹(F(x)) + (1 − α)·(x − mean)/sd.
  /// Below 1, many small, regularised steps replace few greedy ones (use with validation, which
  /// then decides how many). Empty (the default): chosen on the validation rows, see below.
  std::optional<double> damping;
  /// Fraction of the rows held out (at seeded random positions) to choose the depth: after each
  /// layer the mean held-out log-likelihood is computed, the fit stops after validation_patience
  /// layers without improvement and keeps the best depth. 0: depth by the information rule.
  ///
  /// Model selection: when validation is on (here or through Model::fit's validation rows) and
  /// marginal or damping is empty, every combination of the empty ones over marginal ∈ {kde,
  /// spline} and damping ∈ {1, 0.5, 0.3} is fitted on the same split, and the one with the best
  /// held-out log-likelihood is kept (bench/README.md shows why these candidates: together they
  /// beat every fixed configuration on held-out data); a kde winner whose bandwidth and
  /// bandwidth_rule are empty is then compared with three other bandwidths (see bandwidth_rule).
  /// The model's options() report the choice.
  /// Without validation, or with layers set, empty means kde and 1. Rows held out by this
  /// fraction are then used too: the chosen configuration is refitted at its chosen depth on all
  /// the rows (explicit validation rows, Model::fit(x, validation, …), are not).
  double validation = 0.1;
  /// Layers without a better held-out log-likelihood before a validated fit stops.
  int validation_patience = 20;
  /// If set, fit exactly this many layers on all the rows (no early stop and no validation split;
  /// max_layers, tol, patience and validation unused).
  std::optional<int> layers;
  /// Nats. A layer whose estimated information reduction is below tol plus twice the
  /// estimator's own noise level on Gaussian data counts as "small".
  double tol = 1e-3;
  /// Stop after this many small layers in a row; trailing small layers are then dropped, keeping
  /// one to Gaussianize the marginals left by the last significant layer.
  int patience = 3;
  /// Per column and layer, use the Gaussian map instead of the fitted marginal when the column is
  /// Gaussian within the noise of the negentropy estimate (see model_fit.cpp): already Gaussian
  /// columns then add no histogram noise to the model.
  bool gaussian_fallback = true;
  /// Offer each layer a radial Gaussianization (radial.hpp) besides the marginal step: the
  /// radial layer is kept instead when it gains more training log-likelihood than the marginal
  /// step would (elliptical structure, e.g. dependence through a shared scale). Off by default.
  bool radial = false;
  /// Offer each layer a density-tree destructor (tree.hpp) after its marginal step: a shallow
  /// tree of axis-aligned cells on the Gaussianized columns' probabilities, kept in the layer when
  /// its splits gain more log-likelihood than the best split of structureless data would (hard
  /// edges, e.g. a checkerboard). Off by default. Not in a distributed fit.
  bool tree = false;
  /// Conditional affine destructors (coupling.hpp) after a layer's marginal step: coordinates
  /// shifted and scaled by smooth functions of other coordinates, fitted in closed form, kept in
  /// the layer when they gain more log-likelihood than such a fit gains on independent columns
  /// (conditionally Gaussian structure, e.g. Neal's funnel), offered until 3 layers in a row
  /// keep none. True: offered so in every candidate's fit. False: never. Empty (the default):
  /// the model selection's one challenger (fit/coupling_challenger.hpp): with held-out rows, no
  /// fixed layer count, at least 1,000 training rows, no tree, and where a coupling map keeps a
  /// pair on the marginally Gaussianized training rows, the configuration the raw rows preferred
  /// (damping at most 0.5) is fitted once more with coupling, and it replaces the chosen model
  /// when its held-out score is better. A fitted model's options() say what happened: true
  /// exactly when its layers were fitted with coupling offered. Not with tree (a layer has one
  /// destructor). The maps are fitted on at most 2¹⁵ rows chosen by global position, so a
  /// distributed fit or one with work_file gives the same model.
  std::optional<bool> coupling;
  /// Offer a Gaussian-mixture destructor (mixture.hpp) as the first layer: a full-covariance
  /// mixture fitted by EM, its number of components chosen on the validation rows, kept when the
  /// whole model's held-out log-likelihood beats the fit without it (mixture_step.hpp). Empty
  /// (the default): offered when the fit holds out rows (holds_out(), or explicit validation rows
  /// without layers), silently not otherwise. True: required, an OptionError without held-out
  /// rows. False: never. A fitted model's options() say
  /// what happened: true exactly when its first layer is a mixture. EM sees at most 2¹⁵ rows,
  /// chosen by global row position, so a distributed fit or one with work_file gives the same model
  /// (fit/mixture_rows.hpp).
  std::optional<bool> mixture;
  /// Histogram bins per dimension; empty: Scott's rule on the extended range (see
  /// marginal_histogram.cpp), clamped to [10, 1000].
  std::optional<int> bins;
  /// KDE bandwidth in units of each column's standard deviation (so h = bandwidth·sd); empty:
  /// by bandwidth_rule. Must lie in (0, 100]. Used by the kde marginal only.
  std::optional<double> bandwidth;
  /// The kde bandwidth rule when bandwidth is empty. Empty (the default): with model selection
  /// (validation on, kde chosen, bandwidth empty), the kde winner of the first stage (Silverman)
  /// is refitted with the plug-in rule, with a fixed bandwidth of twice Silverman's
  /// normal-reference value (1.8·N^(−1/5) sd) and with the annealed rule, and the best held-out
  /// score wins (see model_select.cpp); without validation, Silverman.
  std::optional<BandwidthRule> bandwidth_rule;
  /// Seeds random rotations and the calibration of the information estimate.
  std::uint64_t seed = 0;
  /// Worker threads; 0 means all cores. Never changes a result.
  int threads = 0;
  /// For data larger than memory. Empty (the default): the fit keeps its N×D matrices on the
  /// heap. Otherwise a path prefix: each of them (the work matrix the layers transform, the
  /// validation split's training and held-out rows, the screening subsample, the held-out rows as
  /// the layers transform them) lives in a memory-mapped file named work_file + ".work", ".train",
  /// ".held-out", ".screen" or ".held-out-work", removed when no longer needed (MappedMatrix,
  /// mapped_matrix.hpp, says how such files are created, refused and released). Pass the data as
  /// a MappedMatrix's view() too, and the fit's resident memory stays about (threads + 2) columns
  /// of N values plus O(D²) (bench/README.md, "Data larger than memory"). Never changes a
  /// result: the model is the same bits as without it. Not with radial (its step copies the work
  /// matrix on the heap), not with tree or coupling (likewise) and not in a distributed fit
  /// (OptionError).
  std::string work_file;

  /// Throws OptionError naming the field, its value and the rule it breaks.
  void validate() const;
  /// True when the fit will hold out rows: validation > 0 and no fixed layer count.
  bool holds_out() const { return validation > 0.0 && !layers; }
  /// The kde bandwidth these options describe, as `rbig info` and the selection messages show
  /// it: the fixed value in standard deviations ("0.3"), else the rule's name ("silverman" when
  /// empty).
  std::string bandwidth_text() const;
  /// These options with marginal and damping filled in as a fit without model selection uses
  /// them (kde, 1) and validation 0: the greedy information rule of the information measures.
  FitOptions greedy() const;
};

}  // namespace rbig
