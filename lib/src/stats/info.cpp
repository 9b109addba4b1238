// Information-theory measures from RBIG models (Laparra et al. 2020, "Information theory measures
// via multidimensional Gaussianization", section 3). The per-layer information reduction and its
// noise correction live in model_fit.cpp; this file only combines fitted models.

#include <rbig/info.hpp>

#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>
#include <rbig/rotation.hpp>

#include "core/random_streams.hpp"
#include "core/math_constants.hpp"
#include "core/check.hpp"
#include "stats/entropy_1d.hpp"
#include "stats/moments.hpp"
#include "stats/normal.hpp"
#include "core/rng.hpp"

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <limits>
#include <string>
#include <vector>

namespace rbig {
namespace {

using detail::kTwoPiE;

/// Below this many rows neither the spacing estimate nor a fitted model means anything.
constexpr Index kMinRows = 10;
/// Seeded Gaussian samples used to measure the spacing estimate's negentropy level (kl_divergence).
constexpr int kCalibrationReplicates = 8;

void check_sample(const std::string& where, const std::string& what, ConstMatrixRef x) {
  if (x.cols() < 1) throw InputError(where, 0, 0, fmt::format("{} has no columns", what));
  if (x.rows() < kMinRows) {
    throw InputError(where, 0, 0,
                     fmt::format("{} needs at least {} rows (got {})", what, kMinRows, x.rows()));
  }
  detail::check_finite(where, fmt::format("every value of {}", what), x);
  for (Index c = 0; c < x.cols(); ++c) {
    if (x.col(c).minCoeff() != x.col(c).maxCoeff()) continue;
    // "total correlation: column 3 of x is constant (...)", as `fit` refuses it.
    throw InputError(where, 0, static_cast<std::size_t>(c + 1),
                     fmt::format("of {} is constant (every value is {}): its entropy is −∞ and it "
                                 "carries no information to measure; remove it",
                                 what, x(0, c)));
  }
}

/// "columns 1 and 3 of x": the members of a linear dependence, numbered from 1.
std::string describe_columns(const std::vector<Index>& members, const std::string& what) {
  std::string text = members.size() == 1 ? "column " : "columns ";
  for (std::size_t k = 0; k < members.size(); ++k) {
    if (k > 0) text += k + 1 == members.size() ? " and " : ", ";
    text += std::to_string(members[k] + 1);
  }
  return text + " of " + what;
}

/// Throws InputError when the columns of x are linearly dependent and the measure needs them
/// independent (entropy, kl divergence, each block of mutual information).
void refuse_dependence(const std::string& where, const std::string& what, ConstMatrixRef x,
                       const char* why) {
  if (const auto members = linear_dependence(x)) {
    throw InputError(where, 0, 0,
                     fmt::format("{} are linearly dependent (collinear or duplicated): {}",
                                 describe_columns(*members, what), why));
  }
}

/// A measure that is infinite exactly (a column known from others): no fit behind it.
InfoEstimate infinite_estimate() {
  return InfoEstimate{std::numeric_limits<double>::infinity(), 0.0, {}};
}

/// Replaces each column by Gaussian scores in the order of its ranks: the sorted values of a
/// seeded N(0,1) sample of N draws, the smallest where the column is smallest. Total correlation
/// is invariant under invertible per-coordinate maps, so T(X) = T(scores(X)) exactly; the fit's
/// input is then blind to the scale and shape of the raw marginals (x³, exp, 10⁻³·x all give the
/// same input). Why random draws and not the quantiles Φ⁻¹((rank − ½)/N): each column is then
/// exactly a Gaussian sample, which is what the fit's noise calibration assumes; the quantile
/// grid is more regular than any sample, its marginal entropy readings sit below the calibrated
/// null level, and the first rotation that mixed them read that as +0.4 nats of dependence on
/// 100 independent columns (issue 14).
Matrix rank_gaussianize(ConstMatrixRef x, std::uint64_t seed) {
  const Index n = x.rows();
  Matrix z(n, x.cols());
  std::vector<Index> order(static_cast<size_t>(n));
  std::vector<double> scores(static_cast<size_t>(n));
  for (Index c = 0; c < x.cols(); ++c) {
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(),
                     [&x, c](Index a, Index b) { return x(a, c) < x(b, c); });
    detail::Rng rng(detail::derive_seed(
        seed, detail::stream_id(detail::RandomStream::InfoScores, static_cast<std::uint64_t>(c))));
    for (double& score : scores) score = rng.normal();
    std::sort(scores.begin(), scores.end());
    for (Index r = 0; r < n; ++r) {
      z(order[static_cast<size_t>(r)], c) = scores[static_cast<size_t>(r)];
    }
  }
  return z;
}

/// The fit behind an estimate: its report, dims and count of radial layers.
EstimateFit describe_fit(const Model& model, std::string role, double weight) {
  const auto& layers = model.layers();
  const int radial = static_cast<int>(
      std::count_if(layers.begin(), layers.end(), [](const Layer& l) { return l.is_radial(); }));
  return EstimateFit{std::move(role), weight, model.dims(), radial, model.report()};
}

/// value = Σ weight·T of the fits + other.
InfoEstimate combine(std::vector<EstimateFit> fits, double other) {
  InfoEstimate estimate{other, other, std::move(fits)};
  for (const EstimateFit& fit : estimate.fits) {
    estimate.value += fit.weight * fit.report.total_correlation;
  }
  return estimate;
}

/// T(x) as a fit of weight `weight`, or no fit for one column (no dependence to measure: T = 0).
std::vector<EstimateFit> total_correlation_fits(ConstMatrixRef x, const FitOptions& options,
                                                const std::string& role, double weight) {
  if (x.cols() == 1) return {};
  const Model model = Model::fit(rank_gaussianize(x, options.seed), options.greedy());
  return {describe_fit(model, role, weight)};
}

/// Latent G_X(X) of a model fitted to x alone (the block's own Gaussianization), whitened: an
/// invertible linear map within the block, so I(X;Y) does not change, but the block's pairs of
/// columns then have zero sample correlation, which the joint fit's PCA bias correction counts
/// as no noise (fit/pca_bias.hpp): only the cross-block pairs carry it. Correcting all pairs read
/// 1.39 for 1.62 nats on two 50-column blocks (issue 14).
Matrix gaussianize_block(ConstMatrixRef x, const FitOptions& options, const std::string& role,
                         std::vector<EstimateFit>& fits) {
  const Matrix ranks = rank_gaussianize(x, options.seed);
  const Model model = Model::fit(ranks, options.greedy());
  fits.push_back(describe_fit(model, role, 0.0));
  Matrix latent = model.transform(ranks);
  if (latent.cols() == 1) return latent;
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(Rotation::covariance(latent, options.threads));
  const Eigen::RowVectorXd mean = latent.colwise().mean();
  latent.rowwise() -= mean;
  return latent * solver.eigenvectors() *
         solver.eigenvalues().cwiseMax(0.0).cwiseSqrt().cwiseInverse().asDiagonal();
}

/// Rank scores of x, whitened symmetrically (ZCA: Σ^(−½), the whitening closest to the identity,
/// so coordinates keep their meaning and an elliptical block stays elliptical): an invertible map
/// within the block, so I(X;Y) does not change, while T of a block falls to its non-Gaussian
/// part. The radial route subtracts T(X) and T(Y) from T(X, Y); unwhitened, on two 25-column
/// equicorrelated Gaussian blocks, that was 13.48 − 6.25 − 6.26 = 0.98 for 1.29 nats.
Matrix whitened_ranks(ConstMatrixRef x, const FitOptions& options) {
  Matrix ranks = rank_gaussianize(x, options.seed);
  if (ranks.cols() == 1) return ranks;
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(Rotation::covariance(ranks, options.threads));
  const Eigen::RowVectorXd mean = ranks.colwise().mean();
  ranks.rowwise() -= mean;
  const Matrix& q = solver.eigenvectors();
  return ranks * (q * solver.eigenvalues().cwiseMax(0.0).cwiseSqrt().cwiseInverse().asDiagonal() *
                  q.transpose());
}

void check_same_rows(const std::string& where, const char* a_name, ConstMatrixRef a,
                     const char* b_name, ConstMatrixRef b) {
  if (a.rows() != b.rows()) {
    throw DimensionError(
        fmt::format("{}: {} has {} rows but {} has {} rows (need one row per "
                    "sample in both)",
                    where, a_name, a.rows(), b_name, b.rows()));
  }
}

}  // namespace

InfoEstimate total_correlation_estimate(ConstMatrixRef x, const FitOptions& options) {
  options.validate();
  check_sample("total correlation", "x", x);
  // A column that is a linear function of others is known from them: T = ∞ exactly.
  if (linear_dependence(x)) return infinite_estimate();
  return combine(total_correlation_fits(x, options, "x", 1.0), 0.0);
}

InfoEstimate entropy_estimate(ConstMatrixRef x, const FitOptions& options) {
  options.validate();
  check_sample("entropy", "x", x);
  refuse_dependence("entropy", "x", x, "their joint density does not exist and H = −∞");
  // H(X) = Σ_d H(Z_d) − T(Z) − log|det W| for any invertible linear Z = W·X, read in two frames:
  // the standardised columns themselves, and their ICA unmixing. Per-column non-linear maps
  // (x³, eˣ, Φ) keep T exact in the first frame (a Gaussian copula after the rank scores) but
  // ICA mixes their skewed, heavy-tailed marginals into columns whose dependence the fit misses
  // (+3.4 nats of 9.7 at D = 10, issue 14); linearly mixed non-Gaussian sources are the reverse
  // (ICA separates them; their non-Gaussianity would otherwise trickle out of T over many
  // layers, each below the noise threshold: 1 nat of 13 lost at D = 10). Dependence the fit
  // misses only raises Σ H(Z_d) − T(Z) above H(X), so the lower reading is kept.
  Matrix z = x;
  double log_abs_det = 0.0;
  for (Index d = 0; d < z.cols(); ++d) {
    const detail::ColumnMoments moments = detail::column_moments(z.col(d));
    const double sd = moments.sd;
    if (!(sd > 0.0) || !std::isfinite(sd)) {
      // The column is data: "entropy: column 2 of x is constant: ...".
      throw InputError("entropy", 0, static_cast<std::size_t>(d + 1),
                       "of x is constant: its entropy is −∞");
    }
    z.col(d) = (z.col(d).array() - moments.mean) / sd;
    log_abs_det -= std::log(sd);
  }
  // Each frame's estimate: Σ_d H(Z_d) outside the layers, T(Z) from its fit (weight −1).
  const auto frame_entropy = [&options](ConstMatrixRef frame, const char* role,
                                        double log_abs_det_frame) {
    double marginals = 0.0;
    for (Index d = 0; d < frame.cols(); ++d) {
      marginals += detail::entropy_centred_spacing(frame.col(d));
    }
    return combine(total_correlation_fits(frame, options, role, -1.0),
                   marginals - log_abs_det_frame);
  };
  InfoEstimate columns = frame_entropy(z, "x", log_abs_det);
  if (z.cols() == 1) return columns;
  InfoEstimate unmixed;
  try {
    const Rotation unmixing = Rotation::ica(
        z,
        detail::derive_seed(options.seed, detail::stream_id(detail::RandomStream::InfoUnmixing)));
    unmixing.apply(z);
    unmixed = frame_entropy(z, "unmixed x", log_abs_det + unmixing.log_abs_det());
  } catch (const NumericalError&) {
    throw InputError("entropy", 0, 0,
                     "the columns of x are linearly dependent (singular covariance): the "
                     "differential entropy is −∞");
  }
  return unmixed.value < columns.value ? unmixed : columns;
}

InfoEstimate mutual_information_estimate(ConstMatrixRef x, ConstMatrixRef y,
                                         const FitOptions& options) {
  options.validate();
  const std::string where = "mutual information";
  check_same_rows(where, "x", x, "y", y);
  check_sample(where, "x", x);
  check_sample(where, "y", y);
  const char* why =
      "each block must have linearly independent columns (the information of a "
      "duplicate is already in its copy)";
  Matrix joint(x.rows(), x.cols() + y.cols());
  joint << x, y;
  // One check of the joint (each is a Gram matrix); the blocks are checked only when it finds
  // a dependence: inside a block it is refused, across them (a shared column, a copy) I = ∞.
  if (linear_dependence(joint)) {
    refuse_dependence(where, "x", x, why);
    refuse_dependence(where, "y", y, why);
    return infinite_estimate();
  }
  std::vector<EstimateFit> fits;
  if (options.radial) {
    // I = T(X, Y) − T(X) − T(Y): the joint and each block stay elliptical when they are, which
    // the radial layers need (header comment). Not rank_gaussianize'd again after whitening.
    joint << whitened_ranks(x, options), whitened_ranks(y, options);
    fits.push_back(describe_fit(Model::fit(joint, options.greedy()), "x,y", 1.0));
    const auto add_block = [&](Index first, Index cols, const char* role) {
      if (cols == 1) return;  // T = 0
      fits.push_back(
          describe_fit(Model::fit(joint.middleCols(first, cols), options.greedy()), role, -1.0));
    };
    add_block(0, x.cols(), "x");
    add_block(x.cols(), y.cols(), "y");
    return combine(std::move(fits), 0.0);
  }
  joint.leftCols(x.cols()) = gaussianize_block(x, options, "x", fits);
  joint.rightCols(y.cols()) = gaussianize_block(y, options, "y", fits);
  // Not rank_gaussianize'd again: its monotone maps would blur the blocks' zero correlations.
  fits.push_back(describe_fit(Model::fit(joint, options.greedy()), "x,y", 1.0));
  return combine(std::move(fits), 0.0);
}

InfoEstimate conditional_mutual_information_estimate(ConstMatrixRef x, ConstMatrixRef y,
                                                     ConstMatrixRef z, const FitOptions& options) {
  options.validate();
  const std::string where = "conditional mutual information";
  check_same_rows(where, "x", x, "y", y);
  check_same_rows(where, "x", x, "z", z);
  check_sample(where, "x", x);
  check_sample(where, "y", y);
  check_sample(where, "z", z);
  Matrix xyz(x.rows(), x.cols() + y.cols() + z.cols());
  xyz << x, y, z;
  // I(X;Y,Z) and I(X;Z) would both be ∞ (∞ − ∞), or a block is partly known from another.
  refuse_dependence(where, "[x y z]", xyz,
                    "I(X;Y|Z) is not defined when a block is partly known from the others");
  Matrix yz(y.rows(), y.cols() + z.cols());
  yz.leftCols(y.cols()) = y;
  yz.rightCols(z.cols()) = z;
  InfoEstimate with_y = mutual_information_estimate(x, yz, options);
  const InfoEstimate without_y = mutual_information_estimate(x, z, options);
  for (EstimateFit& fit : with_y.fits) fit.role = "I(X;Y,Z) " + fit.role;
  for (const EstimateFit& fit : without_y.fits) {
    EstimateFit negated = fit;
    negated.role = "I(X;Z) " + fit.role;
    negated.weight = -fit.weight;
    with_y.fits.push_back(std::move(negated));
  }
  return combine(std::move(with_y.fits), with_y.other - without_y.other);
}

InfoEstimate kl_divergence_estimate(ConstMatrixRef p, ConstMatrixRef q, const FitOptions& options) {
  options.validate();
  const std::string where = "kl divergence";
  if (p.cols() != q.cols()) {
    throw DimensionError(
        fmt::format("{}: p has {} columns but q has {} columns (both samples "
                    "must have the same dimensions)",
                    where, p.cols(), q.cols()));
  }
  check_sample(where, "p", p);
  check_sample(where, "q", q);
  refuse_dependence(where, "p", p, "P has no density and KL(P‖Q) is not defined by densities");
  refuse_dependence(where, "q", q, "Q has no density and KL(P‖Q) is not defined by densities");
  // KL is invariant under the invertible map G_Q, and G_Q(Q) ≈ N(0, I), so KL(P‖Q) ≈
  // KL(G_Q(P) ‖ N(0, I)) = T(latent) + Σ_d KL(latent_d ‖ N(0,1)) (paper, eq. 9), with
  // KL(z_d ‖ N(0,1)) = J(z_d) + ½(μ² + σ² − 1 − log σ²) and negentropy J = ½log(2πeσ²) − H(z_d).
  const Model gaussianizer = Model::fit(q, options.greedy());
  std::vector<EstimateFit> fits{describe_fit(gaussianizer, "q", 0.0)};
  const Matrix latent = gaussianizer.transform(p);
  // The spacing negentropy of a Gaussian sample is not zero: subtract its own level at this N.
  const double bias = detail::spacing_gaussian_bias(
      latent.rows(),
      detail::derive_seed(options.seed, detail::stream_id(detail::RandomStream::InfoCalibration)),
      kCalibrationReplicates);
  double marginal = 0.0;
  for (Index d = 0; d < latent.cols(); ++d) {
    const double mean = latent.col(d).mean();
    const double var = detail::sample_variance(latent.col(d));
    const double negentropy =
        0.5 * std::log(kTwoPiE * var) - detail::entropy_centred_spacing(latent.col(d)) - bias;
    marginal += negentropy + 0.5 * (mean * mean + var - 1.0 - std::log(var));
  }
  std::vector<EstimateFit> latent_fits =
      total_correlation_fits(latent, options, "p in the latent space of q", 1.0);
  fits.insert(fits.end(), latent_fits.begin(), latent_fits.end());
  return combine(std::move(fits), marginal);
}

double total_correlation(ConstMatrixRef x, const FitOptions& options) {
  return total_correlation_estimate(x, options).value;
}

double entropy(ConstMatrixRef x, const FitOptions& options) {
  return entropy_estimate(x, options).value;
}

double mutual_information(ConstMatrixRef x, ConstMatrixRef y, const FitOptions& options) {
  return mutual_information_estimate(x, y, options).value;
}

double conditional_mutual_information(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef z,
                                      const FitOptions& options) {
  return conditional_mutual_information_estimate(x, y, z, options).value;
}

double kl_divergence(ConstMatrixRef p, ConstMatrixRef q, const FitOptions& options) {
  return kl_divergence_estimate(p, q, options).value;
}

}  // namespace rbig
