// The greedy fit of one configuration: layer after layer, the marginal step (marginal_step.hpp),
// the rotation step (rotation_step.hpp), the information each removed (information_ledger.hpp)
// and the depth to stop at and keep (depth_control.hpp). Every layer works in place on one N×D
// buffer.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>

#include "fit/calibration.hpp"
#include "fit/coupling_step.hpp"
#include "fit/depth_control.hpp"
#include "fit/fitted_cascade.hpp"
#include "fit/information_ledger.hpp"
#include "fit/layer_passes.hpp"
#include "fit/marginal_step.hpp"
#include "fit/null_layers.hpp"
#include "fit/pca_bias.hpp"
#include "fit/radial_step.hpp"
#include "fit/rotation_step.hpp"
#include "fit/row_alignment.hpp"
#include "fit/training_data.hpp"
#include "fit/tree_step.hpp"
#include "fit/work_buffer.hpp"
#include "fit/work_columns.hpp"

#include "core/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <optional>

namespace rbig::detail {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Applies the step's maps to work in place; returns the covariance of the result when the
/// rotation needs it (summed in the same pass), else an empty matrix.
Matrix apply_marginal_step(WorkBuffer& buffer, const MarginalStep& step, const FitOptions& options,
                           const Reducer& reducer) {
  MatrixRef work = buffer.ref();
  if (!rotation_needs_covariance(options.rotation)) {
    MappedMatrix* file = buffer.file();
    parallel_for(work.cols(), options.threads, [&](Index d) {
      const MarginalTransform& map = *step.marginals[static_cast<size_t>(d)];
      if (file == nullptr) {
        map.forward(work.col(d), work.col(d));
        return;
      }
      // A work file's column is read, mapped and written back whole (value by value the same).
      Vector column(work.rows());
      file->read_column(d, column);
      map.forward(column, column);
      file->write_column(d, column);
    });
    return Matrix();
  }
  return forward_with_covariance(buffer, step.marginals, options.threads, reducer);
}

/// The expected Gaussian reading of the layer's rotation on independent columns (pca_bias.hpp):
/// none for a random rotation (PCA's fallback included), the fresh-data bias unless the layer's
/// input was decorrelated by a PCA layer, else the part of it the marginal maps renewed.
double rotation_bias(const Rotation& rotation, const InformationNoise& noise,
                     const std::optional<Vector>& linearity,
                     const std::optional<Matrix>& uncorrelated, Index rows) {
  if (rotation.kind() == RotationKind::Random) return 0.0;
  if (!linearity) return noise.pca_bias;
  return pca_bias_after_decorrelation(*linearity, *uncorrelated, rows);
}

/// The uncorrelated pairs of the training data for a PCA fit, if it has any (one covariance
/// pass, over all participants' rows; none for other rotations, whose bias is not corrected
/// pair by pair).
std::optional<Matrix> initial_uncorrelated_pairs(ConstMatrixRef x, const FitOptions& options,
                                                 const Reducer& reducer) {
  if (options.rotation != RotationKind::Pca || x.cols() < 2) return std::nullopt;
  const Matrix covariance = exact_covariance_of(x, options.threads, reducer);
  Matrix pairs = uncorrelated_pairs(covariance);
  if (pairs.isZero()) return std::nullopt;
  return pairs;
}

/// True when every pair of columns is known to be uncorrelated (after a PCA layer).
bool was_white(const std::optional<Matrix>& uncorrelated) {
  return uncorrelated && uncorrelated->sum() == static_cast<double>(uncorrelated->rows()) *
                                                    static_cast<double>(uncorrelated->rows() - 1);
}

}  // namespace

Model FittedCascade::to_model() && {
  options.work_file.clear();  // where a fit kept its matrices is not part of the model
  // What happened, not what was asked: a model without a mixture layer keeps format ≤ 7.
  options.mixture = !layers.empty() && layers.front().is_mixture();
  options.coupling = options.coupling.value_or(false);  // empty: the challenger was not offered
  return Model(dims, std::move(layers), options, std::move(report));
}

namespace {

/// The rows a fit works on: the caller's, as parts that start on a global row block on every
/// participant (row_alignment.hpp), so that the fit's sums are the same whatever K. Each is
/// copied once, into the work matrix or the held-out rows' buffer, with the rows moved to it.
struct AlignedRows {
  AlignedPart training_part;
  std::optional<AlignedPart> validation_part;
  StackedRows training;
  std::optional<StackedRows> validation;

  AlignedRows(ConstMatrixRef part, const ConstMatrixRef* held_out, const Reducer& reducer)
      : training_part(align_rows(part, reducer)),
        validation_part(held_out ? std::optional<AlignedPart>(align_rows(*held_out, reducer))
                                 : std::nullopt),
        training(training_part.rows(part)),
        validation(held_out ? std::optional<StackedRows>(validation_part->rows(*held_out))
                            : std::nullopt) {}
};

/// What the greedy loop carries from one layer to the next.
struct Cascade {
  const FitOptions& options;
  const Reducer& reducer;
  Index dims;
  Index rows;       // all participants' training rows
  Index first_row;  // this participant's first among them
  InformationNoise noise;
  InformationLedger ledger;
  DepthControl depth;
  HeldOutRows held_out;
  FittedCascade fit;
  WorkBuffer work_buffer;
  // Column moments of the work matrix, summed by the previous layer's rotation pass (empty for
  // layer 0 and where that pass could not give them): the marginal fits then skip their own.
  std::vector<std::optional<ColumnMoments>> known_moments;
  // The pairs of columns of the work matrix with zero sample correlation (pca_bias.hpp): all of
  // them after a PCA layer; before the first layer, those the caller's data has.
  std::optional<Matrix> uncorrelated;
  double pending_seconds = 0.0;     // the time of the layer not yet reported
  int layers_without_coupling = 0;  // in a row, with options.coupling (add_marginal_layer)

  Cascade(const StackedRows& x, const StackedRows* validation, const FitOptions& fit_options,
          const Reducer& sum)
      : options(fit_options),
        reducer(sum),
        dims(x.cols()),
        rows(total_rows(x.rows(), sum)),
        first_row(rows_before(x.rows(), sum)),
        noise(calibrate_information_noise(*fit_options.marginal, fit_options, rows, dims, sum)),
        ledger(noise, dims),
        depth(fit_options, validation != nullptr, small_threshold(validation != nullptr)),
        held_out(validation, fit_options.work_file),
        fit{dims, {}, fit_options, {}},
        work_buffer(fit_options.work_file, "work", x),
        known_moments(static_cast<size_t>(dims)),
        uncorrelated(initial_uncorrelated_pairs(work_buffer.ref(), fit_options, sum)) {
    fit.report.n_samples = rows;
    fit.report.stop = FitReport::Stop::MaxLayers;
  }

  /// The reduction below which a layer counts as small (depth_control.hpp).
  double small_threshold(bool validating) const {
    return needs_null_layers(noise, options, validating)
               ? std::max(noise.small_threshold, null_layer_floor(rows, dims, options))
               : noise.small_threshold;
  }

  /// After a layer that changes every column jointly: no moments or uncorrelated pairs known.
  void forget_column_facts() {
    for (auto& moments : known_moments) moments.reset();
    uncorrelated.reset();
  }
};

/// Reports the previous layer, whose information reduction `step` has just measured; true when
/// the fit stops there (the observer asked, or the reductions converged).
bool report_previous_layer(Cascade& c, const MarginalStep& step, int k,
                           const FitObserver& observer) {
  const double reduction = c.ledger.close_layer(step.entropy_sum());
  c.fit.report.layers.push_back({k, reduction, c.pending_seconds, {}});
  if (c.held_out.active())
    c.fit.report.layers.back().validation_log_prob =
        c.depth.validation_score(static_cast<size_t>(k));
  if (observer && !observer(c.fit.report.layers.back())) {
    c.fit.report.stop = FitReport::Stop::Observer;
    c.fit.report.message = fmt::format("stopped by the caller after layer {}", k);
    return true;
  }
  if (c.depth.record_reduction(k, reduction)) {
    c.fit.report.stop = FitReport::Stop::Converged;
    return true;
  }
  return false;
}

/// Scores the layer just added on the held-out rows; true when validation stops the fit.
bool validation_stops(Cascade& c) {
  if (!c.held_out.active()) return false;
  const double score = c.held_out.advance(c.fit.layers.back(), c.reducer);
  if (!c.depth.record_validation(score, c.fit.layers.size())) return false;
  c.fit.report.stop = FitReport::Stop::Validation;
  return true;
}

/// Adds a radial layer when the options allow one here and it gains more than the noise.
bool add_radial_layer(Cascade& c, const MarginalStep& step) {
  if (!c.options.radial || (!c.fit.layers.empty() && c.fit.layers.back().is_radial())) return false;
  std::optional<RadialStep> radial =
      try_radial_step(c.work_buffer.ref(), step, c.options, c.noise.null, c.noise.small_threshold);
  if (!radial) return false;
  // ΔT of a radial layer (identity rotation): Σ_d H(x_d) − Σ_d H(y_d) + E log|det J|; H(x_d) is
  // the step's bias-corrected entropy and the PCA bias is not incurred.
  Vector entropy_before = step.column_entropy.array() + c.noise.null.mean;
  c.ledger.open_layer(std::move(entropy_before), radial->log_det.mean(), 0.0);
  c.fit.layers.emplace_back(
      std::move(radial->map),
      Rotation::from_matrix(RotationKind::Pca, Matrix::Identity(c.dims, c.dims)));
  c.forget_column_facts();
  return true;
}

/// Adds a layer of the step's marginals, a destructor (`map`, already applied to the work
/// matrix, with `log_det` per row) and no rotation. ΔT of such a layer, as of a radial one:
/// Σ_d H(x_d) − Σ_d H(z_d) + E log|det J| with H(x_d) the step's bias-corrected entropy; no
/// rotation, so no PCA bias.
template <typename Map>
void add_destructor_layer(Cascade& c, MarginalStep& step, const Vector& marginal_log_det, Map map,
                          const Vector& log_det) {
  Vector entropy_before = step.column_entropy.array() + c.noise.null.mean;
  // Summed exactly over all participants' rows: the same bits however they are split.
  ExactSum sum;
  for (Index i = 0; i < log_det.size(); ++i) sum.add(marginal_log_det[i] + log_det[i]);
  c.ledger.open_layer(std::move(entropy_before), mean_over_rows(sum, log_det.size(), c.reducer),
                      0.0);
  c.forget_column_facts();
  c.fit.layers.emplace_back(
      std::move(step.marginals), std::move(map),
      Rotation::from_matrix(RotationKind::Pca, Matrix::Identity(c.dims, c.dims)));
}

/// With options.tree: maps the work matrix by the step's marginals and adds a tree layer when the
/// tree gains more than the noise and the marginal layer (true); else the matrix stays mapped.
/// A tree layer keeps its axes (identity rotation): what its cells leave is axis-aligned too, for
/// the next layer's tree (on the checkerboard a PCA rotation after it gave the same gap).
bool add_tree_layer(Cascade& c, MarginalStep& step) {
  const MatrixRef work = c.work_buffer.ref();
  const double marginal_gain = marginal_step_gain(work, step, c.noise.null);
  const Vector marginal_log_det = apply_marginals_with_log_det(work, step, c.options.threads);
  std::optional<TreeStep> tree =
      try_tree_step(work, std::max(c.noise.small_threshold, marginal_gain));
  if (!tree) return false;
  add_destructor_layer(c, step, marginal_log_det, std::move(tree->map), tree->log_det);
  return true;
}

/// Layers in a row without a kept coupling map after which a fit stops offering one.
constexpr int kCouplingMisses = 3;

/// With options.coupling: maps the work matrix by the step's marginals and adds a coupling layer
/// when the coupling map gains more than the noise (true); else the matrix stays mapped. Unlike
/// a tree, it need not beat the marginal step's own gain: the marginal maps are in the layer too,
/// and what the layer gives up is only its rotation, which cannot remove what the coupling does
/// (a banana's dependence is uncorrelated). No rotation: the next layer picks its pairs afresh.
bool add_coupling_layer(Cascade& c, MarginalStep& step) {
  const MatrixRef work = c.work_buffer.ref();
  const Vector marginal_log_det = apply_marginals_with_log_det(work, step, c.options.threads);
  std::optional<CouplingStep> coupling =
      try_coupling_step(work, c.noise.small_threshold, c.reducer);
  if (!coupling) return false;
  add_destructor_layer(c, step, marginal_log_det, std::move(coupling->map), coupling->log_det);
  return true;
}

/// The usual layer: the step's marginal maps, then the rotation (a tree or coupling layer when
/// the options ask for one and it gains enough).
void add_marginal_layer(Cascade& c, MarginalStep& step, int k) {
  const FitOptions& options = c.options;
  // Measured before the step maps the work matrix: how much fresh correlation noise the maps add.
  std::optional<Vector> linearity;
  if (c.uncorrelated)
    linearity = marginal_linearity(WorkColumns(c.work_buffer), step.marginals, c.first_row, c.rows,
                                   options.threads, c.reducer);
  Matrix covariance;
  // Coupling is offered until kCouplingMisses layers in a row have kept none: the dependence a
  // coupling map removes goes in the first layers, and on sets where it never does (gmm8, gmm16)
  // fitting every pair in every layer made the coupling challenger cost 4× the rest of the fit
  // (bench/README.md, "The coupling challenger").
  const bool offer_coupling =
      options.coupling.value_or(false) && c.layers_without_coupling < kCouplingMisses;
  if (options.tree || offer_coupling) {
    const bool kept = options.tree ? add_tree_layer(c, step) : add_coupling_layer(c, step);
    if (offer_coupling) c.layers_without_coupling = kept ? 0 : c.layers_without_coupling + 1;
    if (kept) return;
    if (rotation_needs_covariance(options.rotation))  // not summed with the maps here
      covariance = exact_covariance_of(c.work_buffer.ref(), options.threads, c.reducer);
  } else {
    covariance = apply_marginal_step(c.work_buffer, step, options, c.reducer);
  }
  Vector entropy_after = entropy_after_marginal_step(WorkColumns(c.work_buffer), step, covariance,
                                                     options, c.noise.null, c.reducer);
  const RotationContext context{step.affine_columns() == c.dims, &entropy_after,
                                &step.kept_negentropy, &c.noise};
  Rotation rotation =
      rotate_work(c.work_buffer, covariance, options, k, context, c.reducer, c.known_moments);
  c.ledger.open_layer(std::move(entropy_after), rotation.log_abs_det(),
                      rotation_bias(rotation, c.noise, linearity, c.uncorrelated, c.rows));
  // A random rotation keeps the columns uncorrelated when they were already, with equal
  // variances: PCA's fallback (rotation_step.hpp) after a PCA layer whose columns all took the
  // affine map. Charging the next PCA layer the fresh-data bias there read −5.5 nats at
  // D = 256, N = 3,000 (issue 14).
  const bool stays_white = rotation.kind() == RotationKind::Pca ||
                           (context.all_columns_affine && was_white(c.uncorrelated));
  c.uncorrelated =
      stays_white
          ? std::optional<Matrix>(Matrix::Ones(c.dims, c.dims) - Matrix::Identity(c.dims, c.dims))
          : std::nullopt;
  c.fit.layers.emplace_back(std::move(step.marginals), std::move(rotation));
}

}  // namespace

FittedCascade fit_cascade(ConstMatrixRef part, const ConstMatrixRef* validation,
                          const FitOptions& options, const FitObserver& observer,
                          const Reducer& reducer) {
  check_training_data(part, reducer);
  // Whole global row blocks on every participant: the fit's sums are then K-independent.
  const AlignedRows aligned(part, validation, reducer);
  if (options.tree && !reducer.is_local())
    throw OptionError("tree",
                      "is not supported in a distributed fit (each participant would "
                      "grow its own tree): leave it out");
  assert(options.marginal && options.damping);
  Cascade c(aligned.training, aligned.validation ? &*aligned.validation : nullptr, options,
            reducer);
  const int max_layers = options.layers.value_or(options.max_layers);
  for (int k = 0; k <= max_layers; ++k) {
    throw_if_cancelled();
    const Clock::time_point start = Clock::now();
    MarginalStep step = fit_marginal_step(WorkColumns(c.work_buffer), c.known_moments, options, k,
                                          c.noise.null, reducer);
    if (k > 0 && report_previous_layer(c, step, k, observer)) break;
    if (k == max_layers) {
      c.fit.report.message = options.layers
                                 ? fmt::format("fitted the requested {} layers", max_layers)
                                 : fmt::format("reached max_layers ({})", max_layers);
      break;
    }
    if (!add_radial_layer(c, step)) add_marginal_layer(c, step, k);
    c.pending_seconds = seconds_since(start);
    if (validation_stops(c)) break;
  }
  c.depth.keep_chosen_depth(c.fit.layers, c.fit.report);
  for (const LayerReport& layer : c.fit.report.layers) {
    c.fit.report.total_correlation += layer.info_reduction;
  }
  return std::move(c.fit);
}

}  // namespace rbig::detail
