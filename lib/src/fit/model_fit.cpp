// Greedy fit of the Gaussianization cascade.
//
// Information reduction of layer k (Laparra et al. 2011, "Iterative Gaussianization: from ICA to
// random rotations", eq. 9; the estimate follows "Information theory measures via multidimensional
// Gaussianization", 2020). The marginal step does not change total correlation and the orthogonal
// rotation keeps joint entropy, so the layer removes exactly
//   ΔT_k = Σ_d H(y_d) − Σ_d H(z_d),   y = after the marginal step, z = after the rotation.
// y_d is Gaussian by construction: H(y_d) = ½·log(2πe·var y_d). H(z_d) is read from the next
// layer's marginal fit (its resubstitution entropy, no extra pass over the data). That 1-D
// estimate is biased; its bias b (and spread σ) on exactly Gaussian samples of the same size is
// measured once per fit by fitting the same marginal to seeded Gaussian samples, and b is added
// back, so a Gaussian marginal reads as Gaussian. For PCA the Gaussian part of ΔT_k equals
// −½·log det(corr y), whose expectation on independent data is D(D−1)/(4N): that is subtracted too.
// A layer is "small" when ΔT_k < tol + 2·(its noise level on independent Gaussian data).
//
// Gaussian fallback: a column whose bias-corrected negentropy Ĵ = ½·log(2πe·var) − Ĥ − b is
// within 2σ of zero is Gaussian as far as this sample can tell; it gets the affine Gaussian map,
// which adds no histogram noise to the model (on Gaussian data the held-out loss drops from about
// (B−1)/(2N) nats per column and layer to nearly nothing). Its y_d then keeps that negentropy, so
// H(y_d) = ½·log(2πe·var y_d) − Ĵ in the reduction. (A per-column AIC choice was tried first: its
// price (B−1)/N is larger than the small but useful non-Gaussianity that many-layer fits of rings
// and moons feed on, and those fits stalled.)

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "marginal/kde_bandwidth.hpp"
#include "fit/layer_passes.hpp"
#include "marginal/marginal_damped.hpp"
#include "marginal/marginal_from_moments.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "fit/model_fitter.hpp"
#include "stats/moments.hpp"
#include "stats/normal.hpp"
#include "core/parallel.hpp"
#include "rotation/row_blocks.hpp"
#include "core/rng.hpp"

#include <fmt/format.h>

#include <array>
#include <cassert>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace rbig {
namespace {

constexpr double kTwoPiE = 17.079468445347134;  // 2πe
constexpr std::uint64_t kCalibrationStream = 1'000'000;
constexpr int kCalibrationReplicates = 16;

/// ½·log(2πe·s²), through log s: s² under- or overflows for columns of 1e∓300.
double gaussian_entropy(double sd) { return 0.5 * std::log(kTwoPiE) + std::log(sd); }
double gaussian_entropy(ConstVectorRef x) { return gaussian_entropy(detail::column_moments(x).sd); }

/// Mean and spread of one column's negentropy reading ½·log(2πe·s²) − Ĥ on Gaussian samples.
struct NullLevel {
  double mean = 0.0;
  double stddev = 0.0;
};

NullLevel gaussian_null(MarginalKind kind, const FitOptions& options, Index n) {
  std::array<double, kCalibrationReplicates> readings{};
  // Replicates are independent (one seeded stream each): run them in parallel, reduce in order.
  detail::parallel_for(kCalibrationReplicates, options.threads, [&](Index r) {
    Vector sample(n);
    detail::Rng rng(detail::derive_seed(options.seed, kCalibrationStream + static_cast<std::uint64_t>(r)));
    for (Index i = 0; i < n; ++i) sample[i] = rng.normal();
    const std::unique_ptr<MarginalTransform> marginal = make_marginal(kind, options);
    marginal->fit(sample);
    readings[static_cast<size_t>(r)] =
        gaussian_entropy(marginal->training_moments().sd) - marginal->training_entropy();
  });
  NullLevel level;
  for (double v : readings) level.mean += v / kCalibrationReplicates;
  double squares = 0.0;
  for (double v : readings) squares += (v - level.mean) * (v - level.mean);
  level.stddev = std::sqrt(squares / (kCalibrationReplicates - 1));
  return level;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

void detail::check_training_data(ConstMatrixRef x) {
  const std::string where = "training data";
  if (x.cols() < 1) throw InputError(where, 0, 0, "no columns");
  if (x.rows() < 2) {
    throw InputError(where, 0, 0, fmt::format("need at least 2 rows to fit (got {})", x.rows()));
  }
  detail::check_finite(where, "every value", x);
  for (Index c = 0; c < x.cols(); ++c) {
    if (x.col(c).minCoeff() == x.col(c).maxCoeff()) {
      throw InputError(where, 0, static_cast<std::size_t>(c + 1),
                       fmt::format("column {} is constant (every value is {}): it has no density "
                                   "to model; remove it",
                                   c + 1, x(0, c)));
    }
  }
  if (x.rows() <= x.cols()) {
    // The covariance of each layer would be singular: the fit would be meaningless, not wrong.
    throw InputError(where, 0, 0,
                     fmt::format("need more rows than columns to fit (got {} rows, {} columns)",
                                 x.rows(), x.cols()));
  }
}

std::string_view to_string(FitReport::Stop stop) {
  switch (stop) {
    case FitReport::Stop::Converged:
      return "converged";
    case FitReport::Stop::MaxLayers:
      return "max_layers";
    case FitReport::Stop::Observer:
      return "observer";
    case FitReport::Stop::Validation:
      return "validation";
  }
  return "unknown";
}

Model ModelFitter::run(ConstMatrixRef x, const Matrix* validation, const FitOptions& options,
                       const FitObserver& observer) {
  detail::check_training_data(x);
  assert(options.marginal && options.damping);
  const MarginalKind marginal_kind = *options.marginal;
  const Index n = x.rows();
  const Index dims = x.cols();
  const double nd = static_cast<double>(n);
  const double dd = static_cast<double>(dims);
  const bool pca = options.rotation == RotationKind::Pca;
  const bool pursuit = options.rotation == RotationKind::Pursuit;
  const bool needs_covariance = pca || pursuit;  // pursuit has the PCA axes among its candidates
  // ICA whitens, so its Gaussian part equals PCA's −½·log det corr(y), with the same bias. Pursuit
  // takes the same correction as an approximation: choosing the best of several candidates adds
  // a selection bias of its own, which is not corrected (it only matters without validation).
  const bool decorrelating = needs_covariance || options.rotation == RotationKind::Ica;

  const NullLevel null = gaussian_null(marginal_kind, options, n);
  const double pca_bias = decorrelating ? dd * (dd - 1.0) / (4.0 * nd) : 0.0;
  const double pca_noise = decorrelating ? std::sqrt(dd * (dd - 1.0) / 4.0) / nd : 0.0;
  const double noise = std::sqrt(dd * null.stddev * null.stddev + pca_noise * pca_noise);
  const double small_threshold = options.tol + 2.0 * noise;

  Matrix work = x;  // the one N×D buffer; every layer works on it in place
  // Column moments of `work`, summed by the previous layer's rotation pass (empty for layer 0 and
  // where that pass could not give them): the marginal fits then skip their own moments pass.
  std::vector<std::optional<detail::ColumnMoments>> known_moments(static_cast<size_t>(dims));
  std::vector<Layer> layers;
  FitReport report;
  report.n_samples = n;
  report.stop = FitReport::Stop::MaxLayers;
  Vector entropy_after_marginal(dims);  // H(y_d) of the layer whose reduction is pending
  Vector kept_negentropy(dims);         // Ĵ left in y_d by the Gaussian fallback
  Vector column_entropy(dims);          // Ĥ(z_d) read from this layer's marginal fits
  std::vector<Index> affine(static_cast<size_t>(dims));  // 1: column d got the Gaussian map
  const bool use_fallback = options.gaussian_fallback && marginal_kind != MarginalKind::Gaussian;
  const double damping = *options.damping;
  const bool damped = damping < 1.0 && marginal_kind != MarginalKind::Gaussian;
  double pending_seconds = 0.0;
  double pending_log_abs_det = 0.0;  // log|det R| of the layer whose reduction is pending
  int small_run = 0;
  int last_significant = 0;  // 1-based layer number; 0: none yet

  // Validation rows follow the cascade layer by layer with their log|det J|.
  Matrix validation_rows = validation ? *validation : Matrix();
  Vector validation_log_det = Vector::Zero(validation_rows.rows());
  std::vector<double> validation_curve;  // mean held-out log p after each layer
  size_t best_depth = 0;

  const int max_layers = options.layers.value_or(options.max_layers);
  for (int k = 0; k <= max_layers; ++k) {
    const Clock::time_point start = Clock::now();
    std::vector<std::unique_ptr<MarginalTransform>> marginals(static_cast<size_t>(dims));
    FitOptions layer_options = options;  // the annealed rule gives each layer its bandwidth
    if (options.bandwidth_rule == BandwidthRule::Annealed && !options.bandwidth) {
      layer_options.bandwidth = detail::annealed_bandwidth(k, n);
    }
    // Columns are fitted independently (in parallel); the sums below run in column order.
    detail::parallel_for(dims, options.threads, [&](Index d) {
      std::unique_ptr<detail::MarginalFromMoments> fitted =
          detail::make_marginal_from_moments(marginal_kind, layer_options);
      const std::optional<detail::ColumnMoments>& known = known_moments[static_cast<size_t>(d)];
      if (known) {
        fitted->fit(work.col(d), *known);
      } else {
        fitted->fit(work.col(d));
      }
      std::unique_ptr<MarginalTransform> marginal = std::move(fitted);
      const double entropy = marginal->training_entropy();
      column_entropy[d] = entropy;
      const SampleMoments moments = marginal->training_moments();
      const double negentropy = gaussian_entropy(moments.sd) - entropy - null.mean;
      kept_negentropy[d] = 0.0;
      affine[static_cast<size_t>(d)] = 0;
      if (use_fallback && negentropy < 2.0 * null.stddev) {
        // From the moments just computed: the Gaussian map needs no pass of its own.
        marginal = std::make_unique<detail::GaussianMarginal>(moments.mean, moments.sd);
        kept_negentropy[d] = negentropy;
        affine[static_cast<size_t>(d)] = 1;
      } else if (damped) {
        marginal = std::make_unique<detail::DampedMarginal>(
            std::move(marginal), detail::GaussianMarginal(moments.mean, moments.sd), damping);
      }
      marginals[static_cast<size_t>(d)] = std::move(marginal);
    });
    double entropy_before_marginal = 0.0;  // Σ_d Ĥ(z_d) of the previous layer's output
    Index affine_columns = 0;  // columns given the Gaussian map
    for (Index d = 0; d < dims; ++d) {
      entropy_before_marginal += column_entropy[d];
      affine_columns += affine[static_cast<size_t>(d)];
    }
    if (k > 0) {
      // A non-orthogonal R changes the joint entropy by log|det R|: ΔT = ΣH(y) − ΣH(z) + log|det R|.
      const double reduction = entropy_after_marginal.sum() + pending_log_abs_det -
                               (entropy_before_marginal + dd * null.mean) - pca_bias;
      report.layers.push_back({k, reduction, pending_seconds, {}});
      if (validation) report.layers.back().validation_log_prob = validation_curve[static_cast<size_t>(k - 1)];
      if (observer && !observer(report.layers.back())) {
        report.stop = FitReport::Stop::Observer;
        report.message = fmt::format("stopped by the caller after layer {}", k);
        break;
      }
      small_run = reduction < small_threshold ? small_run + 1 : 0;
      if (small_run == 0) last_significant = k;
      if (!options.layers && !validation && small_run >= options.patience) {
        report.stop = FitReport::Stop::Converged;
        break;
      }
    }
    if (k == max_layers) {
      report.message = options.layers ? fmt::format("fitted the requested {} layers", max_layers)
                                      : fmt::format("reached max_layers ({})", max_layers);
      break;
    }
    // PCA and pursuit need the covariance of y anyway, summed here block by block as the
    // marginal maps write it; its diagonal gives the Gaussian entropies of the columns without
    // another pass over them (y is of order 1 after the marginal step).
    Matrix covariance;
    if (needs_covariance) {
      covariance = detail::forward_with_covariance(work, marginals, options.threads);
    } else {
      detail::parallel_for(dims, options.threads, [&](Index d) {
        marginals[static_cast<size_t>(d)]->forward(work.col(d), work.col(d));
      });
    }
    detail::parallel_for(dims, options.threads, [&](Index d) {
      if (damped && affine[static_cast<size_t>(d)] == 0) {
        // A damped step leaves y_d only partly Gaussian: measure its entropy like any column.
        const std::unique_ptr<MarginalTransform> probe = make_marginal(marginal_kind, options);
        probe->fit(work.col(d));
        entropy_after_marginal[d] = probe->training_entropy() + null.mean;
      } else if (!needs_covariance) {
        entropy_after_marginal[d] = gaussian_entropy(work.col(d)) - kept_negentropy[d];
      }
    });
    if (needs_covariance) {
      for (Index d = 0; d < dims; ++d) {
        if (damped && affine[static_cast<size_t>(d)] == 0) continue;  // measured above
        entropy_after_marginal[d] =
            0.5 * std::log(kTwoPiE * covariance(d, d)) - kept_negentropy[d];
      }
    }
    const std::uint64_t layer_seed = detail::derive_seed(options.seed, static_cast<unsigned>(k));
    Rotation rotation =
        pca       ? Rotation::pca_from_covariance(covariance)
        : pursuit ? Rotation::pursuit(work, covariance, layer_seed, options.threads)
        : options.rotation == RotationKind::Ica ? Rotation::ica(work, layer_seed)
                                                : Rotation::random(dims, layer_seed);
    // rotation.apply(work), over fixed row blocks in parallel (same bits at every thread count),
    // summing the next layer's column moments on the way.
    known_moments =
        detail::multiply_rows_with_moments(work, rotation.matrix().transpose(), options.threads);
    // A PCA layer that is affine in every column and decorrelates nothing (its Gaussian gain
    // ½·Σ log var y − ½·Σ log var z is within noise) would repeat itself forever: the data is
    // marginally Gaussian and uncorrelated. A random rotation then looks for non-Gaussian
    // directions elsewhere; on Gaussian data it finds none and the fit stops.
    if (pca && affine_columns == dims) {
      double gaussian_gain = 0.0;
      for (Index d = 0; d < dims; ++d) {
        const std::optional<detail::ColumnMoments>& z = known_moments[static_cast<size_t>(d)];
        gaussian_gain += entropy_after_marginal[d] + kept_negentropy[d] -
                         (z ? gaussian_entropy(z->sd) : gaussian_entropy(work.col(d)));
      }
      if (gaussian_gain < pca_bias + 2.0 * pca_noise) {
        rotation.apply_inverse(work);
        rotation = Rotation::random(dims, layer_seed);
        known_moments = detail::multiply_rows_with_moments(work, rotation.matrix().transpose(),
                                                           options.threads);
      }
    }
    pending_log_abs_det = rotation.log_abs_det();
    layers.emplace_back(std::move(marginals), std::move(rotation));
    pending_seconds = seconds_since(start);
    if (validation) {
      layers.back().forward(validation_rows, validation_log_det);
      const double mean_log_prob =
          (validation_log_det.array() - 0.5 * validation_rows.rowwise().squaredNorm().array()).mean() -
          dd * detail::kLogSqrt2Pi;
      validation_curve.push_back(mean_log_prob);
      if (best_depth == 0 || mean_log_prob > validation_curve[best_depth - 1]) {
        best_depth = layers.size();
      }
      if (!options.layers &&
          layers.size() - best_depth >= static_cast<size_t>(options.validation_patience)) {
        report.stop = FitReport::Stop::Validation;
        break;
      }
    }
  }

  if (report.stop == FitReport::Stop::Converged) {
    // Drop the trailing small layers but keep one after the last significant layer: its marginal
    // step Gaussianizes the marginals that layer's rotation left behind.
    const size_t keep = std::min(layers.size(), static_cast<size_t>(last_significant) + 1);
    layers.erase(layers.begin() + static_cast<std::ptrdiff_t>(keep), layers.end());
    report.layers.resize(keep);
    report.message = fmt::format("{} small layers in a row (below {:.3g} nats); kept {} layers",
                                 options.patience, small_threshold, keep);
  }
  if (validation && !options.layers && report.stop != FitReport::Stop::Observer) {
    // Keep the depth with the best held-out likelihood.
    layers.erase(layers.begin() + static_cast<std::ptrdiff_t>(best_depth), layers.end());
    assert(report.layers.size() >= best_depth);  // the stop comes validation_patience ≥ 1 later
    report.layers.resize(best_depth);
    report.message = fmt::format("best held-out log-likelihood {:.6g} nats at layer {} of {}",
                                 validation_curve[best_depth - 1], best_depth,
                                 validation_curve.size());
  }
  for (const LayerReport& layer : report.layers) report.total_correlation += layer.info_reduction;
  Model model(dims, options, std::move(report), std::move(layers));
  model.set_threads(options.threads);
  return model;
}

}  // namespace rbig
