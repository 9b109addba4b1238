// The greedy fit of one configuration: layer after layer, the marginal step (marginal_step.hpp),
// the rotation step (rotation_step.hpp), the information each removed (information_ledger.hpp)
// and the depth to stop at and keep (depth_control.hpp). Every layer works in place on one N×D
// buffer.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>

#include "fit/calibration.hpp"
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
  return Model(dims, std::move(layers), options, std::move(report));
}

FittedCascade fit_cascade(ConstMatrixRef part, const ConstMatrixRef* validation,
                          const FitOptions& options, const FitObserver& observer,
                          const Reducer& reducer) {
  check_training_data(part, reducer);
  // Whole global row blocks on every participant: the fit's sums are then K-independent.
  const std::optional<Matrix> aligned = align_rows(part, reducer, "training data");
  const ConstMatrixRef x = aligned ? ConstMatrixRef(*aligned) : part;
  const std::optional<Matrix> aligned_validation =
      validation ? align_rows(*validation, reducer, "validation data") : std::nullopt;
  const Matrix no_rows;
  const ConstMatrixRef validation_rows = aligned_validation ? ConstMatrixRef(*aligned_validation)
                                         : validation       ? *validation
                                                            : ConstMatrixRef(no_rows);
  if (options.tree && !reducer.is_local())
    throw OptionError("tree",
                      "is not supported in a distributed fit (each participant would "
                      "grow its own tree): leave it out");
  assert(options.marginal && options.damping);
  const Index dims = x.cols();
  const Index rows = total_rows(x.rows(), reducer);
  const Index first_row = rows_before(x.rows(), reducer);  // x's first among all training rows
  const InformationNoise noise =
      calibrate_information_noise(*options.marginal, options, rows, dims, reducer);
  InformationLedger ledger(noise, dims);
  const double small_threshold =
      needs_null_layers(noise, options, validation != nullptr)
          ? std::max(noise.small_threshold, null_layer_floor(rows, dims, options))
          : noise.small_threshold;
  DepthControl depth(options, validation != nullptr, small_threshold);
  HeldOutRows held_out(validation ? &validation_rows : nullptr, options.work_file);
  FittedCascade fit{dims, {}, options, {}};
  fit.report.n_samples = rows;
  fit.report.stop = FitReport::Stop::MaxLayers;
  WorkBuffer work_buffer(options.work_file, "work", x);
  const MatrixRef work = work_buffer.ref();
  // Column moments of `work`, summed by the previous layer's rotation pass (empty for layer 0
  // and where that pass could not give them): the marginal fits then skip their own pass.
  std::vector<std::optional<ColumnMoments>> known_moments(static_cast<size_t>(dims));
  double pending_seconds = 0.0;
  const int max_layers = options.layers.value_or(options.max_layers);
  // The pairs of columns of `work` with zero sample correlation (pca_bias.hpp): all of them
  // after a PCA layer; before the first layer, those the caller's data has (whitened blocks).
  std::optional<Matrix> uncorrelated = initial_uncorrelated_pairs(x, options, reducer);
  // Scores the layer just added on the held-out rows; true when validation stops the fit.
  const auto validation_stops = [&] {
    if (!held_out.active()) return false;
    const double score = held_out.advance(fit.layers.back(), reducer);
    if (!depth.record_validation(score, fit.layers.size())) return false;
    fit.report.stop = FitReport::Stop::Validation;
    return true;
  };
  for (int k = 0; k <= max_layers; ++k) {
    throw_if_cancelled();
    const Clock::time_point start = Clock::now();
    MarginalStep step =
        fit_marginal_step(WorkColumns(work_buffer), known_moments, options, k, noise.null, reducer);
    if (k > 0) {
      const double reduction = ledger.close_layer(step.entropy_sum());
      fit.report.layers.push_back({k, reduction, pending_seconds, {}});
      if (held_out.active())
        fit.report.layers.back().validation_log_prob =
            depth.validation_score(static_cast<size_t>(k));
      if (observer && !observer(fit.report.layers.back())) {
        fit.report.stop = FitReport::Stop::Observer;
        fit.report.message = fmt::format("stopped by the caller after layer {}", k);
        break;
      }
      if (depth.record_reduction(k, reduction)) {
        fit.report.stop = FitReport::Stop::Converged;
        break;
      }
    }
    if (k == max_layers) {
      fit.report.message = options.layers
                               ? fmt::format("fitted the requested {} layers", max_layers)
                               : fmt::format("reached max_layers ({})", max_layers);
      break;
    }
    if (options.radial && (fit.layers.empty() || !fit.layers.back().is_radial())) {
      if (std::optional<RadialStep> radial =
              try_radial_step(work, step, options, noise.null, noise.small_threshold)) {
        // ΔT of a radial layer (identity rotation): Σ_d H(x_d) − Σ_d H(y_d) + E log|det J|;
        // H(x_d) is the step's bias-corrected entropy and the PCA bias is not incurred.
        Vector entropy_before = step.column_entropy.array() + noise.null.mean;
        ledger.open_layer(std::move(entropy_before), radial->log_det.mean(), 0.0);
        fit.layers.emplace_back(
            std::move(radial->map),
            Rotation::from_matrix(RotationKind::Pca, Matrix::Identity(dims, dims)));
        for (auto& moments : known_moments) moments.reset();
        uncorrelated.reset();  // the radial map leaves no pair's correlation known to be zero
        pending_seconds = seconds_since(start);
        if (validation_stops()) break;
        continue;
      }
    }
    // Measured before the step maps `work`: how much fresh correlation noise the maps add.
    std::optional<Vector> linearity;
    if (uncorrelated)
      linearity = marginal_linearity(WorkColumns(work_buffer), step.marginals, first_row, rows,
                                     options.threads, reducer);
    Matrix covariance;
    std::optional<TreeStep> tree;
    Vector marginal_log_det;
    if (options.tree) {
      const double marginal_gain = marginal_step_gain(work, step, noise.null);
      marginal_log_det = apply_marginals_with_log_det(work, step, options.threads);
      tree = try_tree_step(work, std::max(noise.small_threshold, marginal_gain));
    } else {
      covariance = apply_marginal_step(work_buffer, step, options, reducer);
    }
    // A tree layer keeps its axes (identity rotation): what its cells leave is axis-aligned too,
    // for the next layer's tree (on the checkerboard a PCA rotation after it gave the same gap).
    if (tree) {
      // ΔT of a tree layer, as of a radial one: Σ_d H(x_d) − Σ_d H(z_d) + E log|det J| with
      // H(x_d) the step's bias-corrected entropy; no rotation, so no PCA bias.
      Vector entropy_before = step.column_entropy.array() + noise.null.mean;
      ledger.open_layer(std::move(entropy_before), marginal_log_det.mean() + tree->log_det.mean(),
                        0.0);
      for (auto& moments : known_moments) moments.reset();
      uncorrelated.reset();  // the tree leaves no pair's correlation known to be zero
      fit.layers.emplace_back(
          std::move(step.marginals), std::move(tree->map),
          Rotation::from_matrix(RotationKind::Pca, Matrix::Identity(dims, dims)));
      pending_seconds = seconds_since(start);
      if (validation_stops()) break;
      continue;
    }
    if (options.tree && rotation_needs_covariance(options.rotation))
      covariance = Rotation::covariance(work, options.threads);  // not summed with the maps here
    Vector entropy_after = entropy_after_marginal_step(WorkColumns(work_buffer), step, covariance,
                                                       options, noise.null, reducer);
    const RotationContext context{step.affine_columns() == dims, &entropy_after,
                                  &step.kept_negentropy, &noise};
    Rotation rotation =
        rotate_work(work_buffer, covariance, options, k, context, reducer, known_moments);
    ledger.open_layer(std::move(entropy_after), rotation.log_abs_det(),
                      rotation_bias(rotation, noise, linearity, uncorrelated, rows));
    // A random rotation keeps the columns uncorrelated when they were already, with equal
    // variances: PCA's fallback (rotation_step.hpp) after a PCA layer whose columns all took the
    // affine map. Charging the next PCA layer the fresh-data bias there read −5.5 nats at
    // D = 256, N = 3,000 (issue 14).
    const bool stays_white = rotation.kind() == RotationKind::Pca ||
                             (context.all_columns_affine && was_white(uncorrelated));
    uncorrelated =
        stays_white ? std::optional<Matrix>(Matrix::Ones(dims, dims) - Matrix::Identity(dims, dims))
                    : std::nullopt;
    fit.layers.emplace_back(std::move(step.marginals), std::move(rotation));
    pending_seconds = seconds_since(start);
    if (validation_stops()) break;
  }
  depth.keep_chosen_depth(fit.layers, fit.report);
  for (const LayerReport& layer : fit.report.layers) {
    fit.report.total_correlation += layer.info_reduction;
  }
  return fit;
}

}  // namespace rbig::detail
