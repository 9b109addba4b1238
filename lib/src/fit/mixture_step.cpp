#include "fit/mixture_step.hpp"

#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include "fit/mixture_rows.hpp"
#include "fit/work_buffer.hpp"
#include "mixture/mixture_split.hpp"
#include "stats/entropy_1d.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig::detail {
namespace {

constexpr int kComponentSteps[] = {
    1, 2, 3, 5, 8, 12, 16, 24, 32, 48, 64, 96, kMaxMixtureComponents};
/// Values of K in a row without a held-out gain of one standard error before the search stops.
constexpr int kComponentPatience = 2;
/// Training rows per free parameter of the mixture at least (max_mixture_components). The K the
/// held-out rows chose was never below 2.25 rows per parameter (an 8-D five-component mixture on
/// 810 rows: K = 8, test log p −9.58; 5 rows per parameter would have capped it at K = 3, whose
/// mixture scores 1.2 nats lower held out, and 10 would have left no mixture: −10.86), while near
/// one row per parameter held-out scores fall (the same set at K = 16: −0.49 nats against K = 8).
/// bench/README.md, "The mixture layer by default", has the measurements.
constexpr double kRowsPerParameter = 2.0;
/// The sweep's EM stops early: its fits only rank K, and each warm-starts the next; the chosen
/// K is then run to MixtureSettings' own tolerance.
constexpr double kSweepTolerance = 1e-3;
constexpr int kSweepIterations = 40;

/// The chosen K's EM stops at this gain per row (the refit keeps that mixture:
/// refit_after_mixture).
constexpr double kFinalTolerance = 1e-4;

/// The floor component (with_floor): its weight, and its covariance as a multiple of the training
/// rows' (a spread twice theirs).
constexpr double kFloorWeight = 1e-6;
constexpr double kFloorSpread = 4.0;

/// `map` with one more component, of weight kFloorWeight (the others' scaled by 1 − kFloorWeight):
/// a Gaussian with the rows' mean and kFloorSpread times their covariance. Why: between two
/// components far apart in a conditional (more than ~17 of their σ from each), that conditional's
/// cdf adds tails below 1e-17 of the weights to sums of order one, so it is flat to the last bit:
/// the map sends a whole interval to one z, and the inverse cannot know which x it came from (the
/// ring's centre came back 0.07 off, tests/test_model_eval.cpp). The broad component keeps every
/// conditional's density well above zero wherever the data spread reaches, and far from the data,
/// where it dominates, the map follows that one wide Gaussian. Near the data it costs
/// log(1 − 1e-6) ≈ −1e-6 nats per row.
MixtureMap with_floor(const MixtureMap& map, ConstMatrixRef rows) {
  const Index k = map.components();
  const Index dims = map.dims();
  Vector weights(k + 1);
  weights << (1.0 - kFloorWeight) * map.weights(), kFloorWeight;
  Matrix means(k + 1, dims);
  const Vector mean = rows.colwise().mean().transpose();
  means << map.means(), mean.transpose();
  Matrix spread = kFloorSpread * Rotation::covariance(rows);
  // A ridge as EM's (mixture_em.cpp), so that collinear columns still give a positive definite one.
  spread.diagonal().array() *= 1.0 + 1e-6;
  for (Index d = 0; d < dims; ++d) {
    if (!(spread(d, d) > 0.0)) spread(d, d) = 1.0;  // a constant column among these rows
  }
  std::vector<Matrix> covariances = map.covariances();
  covariances.push_back(std::move(spread));
  return MixtureMap(std::move(weights), std::move(means), std::move(covariances));
}

/// A candidate of the sweep: the mixture and its held-out log-density per validation row.
struct Candidate {
  MixtureMap map;
  Vector scores;
  double mean() const { return scores.mean(); }
};

Candidate score(MixtureMap map, ConstMatrixRef validation) {
  Vector scores = map.log_density(validation);
  return Candidate{std::move(map), std::move(scores)};
}

/// Whether `next` beats `best` on the validation rows by more than the standard error of the
/// mean paired difference (rows are scored by both, so their noise largely cancels).
bool clearly_better(const Candidate& next, const Candidate& best) {
  const Vector gain = next.scores - best.scores;
  const double n = static_cast<double>(gain.size());
  const double mean = gain.mean();
  const double sd = n > 1.0 ? std::sqrt((gain.array() - mean).square().sum() / (n - 1.0)) : 0.0;
  return mean > sd / std::sqrt(n);
}

/// "" when the K search saw every training row, else how many of them it saw.
std::string subsample_note(Index seen, ConstMatrixRef train, const Reducer& reducer) {
  const Index total = total_rows(train.rows(), reducer);
  return seen < total ? fmt::format(" on {} of the {} training rows", seen, total) : "";
}

MixtureSettings final_settings(const FitOptions& options) {
  MixtureSettings settings;
  settings.tolerance = kFinalTolerance;
  settings.threads = options.threads;
  return settings;
}

}  // namespace

int max_mixture_components(Index rows, Index dims) {
  // Per component: D means, D(D+1)/2 covariance entries and a weight.
  const double parameters = static_cast<double>(dims + dims * (dims + 1) / 2 + 1);
  const double supported = static_cast<double>(rows) / (kRowsPerParameter * parameters);
  return static_cast<int>(std::min(supported, static_cast<double>(kMaxMixtureComponents)));
}

std::optional<MixtureChoice> choose_mixture(ConstMatrixRef train, ConstMatrixRef validation,
                                            const FitOptions& options) {
  const MixtureSettings settings = final_settings(options);
  MixtureSettings sweep = settings;
  sweep.tolerance = kSweepTolerance;
  sweep.max_iterations = kSweepIterations;
  std::optional<Candidate> best;
  std::optional<Candidate> one_gaussian;  // K = 1, the first step
  std::optional<MixtureMap> previous;
  int worse = 0;
  std::string scores;
  for (const int k : kComponentSteps) {
    if (k > max_mixture_components(train.rows(), train.cols())) break;
    // Warm start: the previous K's fit with its heaviest, widest components split.
    MixtureMap map =
        previous
            ? MixtureMap::refine(train,
                                 split_components(*previous, static_cast<int>(std::min<Index>(
                                                                 k, 2 * previous->components()))),
                                 sweep)
            : MixtureMap::fit(train, k, options.seed, sweep);
    previous = map;
    Candidate next = score(std::move(map), validation);
    scores += fmt::format("{}K={} {:.6g}", scores.empty() ? "" : "; ", next.map.components(),
                          next.mean());
    if (!best) {
      one_gaussian.emplace(next);
      best.emplace(std::move(next));
      continue;
    }
    const bool clear = clearly_better(next, *best);
    if (next.mean() > best->mean()) best.emplace(std::move(next));
    worse = clear ? 0 : worse + 1;
    if (worse >= kComponentPatience) break;
  }
  // A mixture no better than one Gaussian beyond noise is a linear map, which the cascade's own
  // layers already are: offered anyway, it only changes where a long cascade goes (on a 10-D set
  // of 10⁵ rows with a 2-component mixture within 4e-5 nats of one Gaussian, the model scored
  // 0.023 ± 0.006 nats worse on test rows).
  if (!best || best->map.components() == 1 || !clearly_better(*best, *one_gaussian))
    return std::nullopt;
  // The chosen K run to convergence, kept if it scores at least as well held out.
  Candidate converged = score(MixtureMap::refine(train, best->map, settings), validation);
  const bool keep = converged.mean() >= best->mean();
  scores += fmt::format("; K={} converged {:.6g}{}", converged.map.components(), converged.mean(),
                        keep ? "" : " (not kept)");
  if (keep) best.emplace(std::move(converged));
  Candidate floored = score(with_floor(best->map, train), validation);
  const double best_score = floored.mean();
  return MixtureChoice{std::move(floored.map), best_score, std::move(scores)};
}

/// Σ_d H(x_d) − Σ_d H(z_d) + mean_log_det for rows x with images z (1-D spacing entropies).
static double mixture_information(ConstMatrixRef x, ConstMatrixRef z, double mean_log_det) {
  double change = mean_log_det;
  for (Index d = 0; d < x.cols(); ++d)
    change += entropy_centred_spacing(x.col(d)) - entropy_centred_spacing(z.col(d));
  return change;
}

double mapped_information(ConstMatrixRef x, ConstMatrixRef z, const MixtureRowSums& sums,
                          const Reducer& reducer) {
  const Matrix x_rows = gather_rows_by_stride(x, kMixtureRows, reducer);
  const Matrix z_rows = gather_rows_by_stride(z, kMixtureRows, reducer);
  return mixture_information(x_rows, z_rows, mean_over_rows(sums.log_det, x.rows(), reducer));
}

FittedCascade prepend_mixture(MixtureMap map, double information,
                              std::optional<double> validation_log_prob, double validation_log_det,
                              FittedCascade cascade) {
  const Index dims = map.dims();
  FittedCascade out{dims, {}, cascade.options, cascade.report, static_cast<int>(map.components())};
  out.layers.emplace_back(std::move(map),
                          Rotation::from_matrix(RotationKind::Pca, Matrix::Identity(dims, dims)));
  for (Layer& layer : cascade.layers) out.layers.push_back(std::move(layer));
  out.report.layers.insert(out.report.layers.begin(),
                           LayerReport{1, information, 0.0, validation_log_prob});
  for (size_t k = 1; k < out.report.layers.size(); ++k) {
    LayerReport& layer = out.report.layers[k];
    layer.layer = static_cast<int>(k + 1);
    if (layer.validation_log_prob) *layer.validation_log_prob += validation_log_det;
  }
  out.report.total_correlation += information;
  return out;
}

std::optional<MixtureChoice> offered_mixture(ConstMatrixRef train, ConstMatrixRef validation,
                                             const FitOptions& options, const Reducer& reducer,
                                             std::string& declined) {
  // mixture_rows.hpp: the K search on the same bounded subsample in every participant.
  const Matrix train_rows = gather_rows_by_stride(train, kMixtureRows, reducer);
  if (max_mixture_components(train_rows.rows(), train_rows.cols()) < 2) {
    declined = fmt::format(
        "; mixture first layer: {} training rows are too few for two {}-dimensional components, "
        "none offered",
        train_rows.rows(), train_rows.cols());
    return std::nullopt;
  }
  const Matrix validation_rows = gather_rows_by_stride(validation, kMixtureRows, reducer);
  std::optional<MixtureChoice> choice;
  try {
    // Every participant runs this EM on the same gathered rows, so all of them throw or none.
    choice = choose_mixture(train_rows, validation_rows, options);
  } catch (const NumericalError& e) {
    declined = fmt::format("; mixture first layer: EM failed ({}), none used", e.what());
    return std::nullopt;
  }
  if (!choice) {
    declined =
        "; mixture first layer: no number of components beats one Gaussian by a standard error "
        "on the validation rows, none used";
    return std::nullopt;
  }
  choice->scores += subsample_note(train_rows.rows(), train, reducer);
  return choice;
}

MixtureImages::MixtureImages(ConstMatrixRef train, ConstMatrixRef validation, const MixtureMap& map,
                             const std::string& work_file, const Reducer& reducer)
    : train_(work_file, "mixture-train", train),
      validation_(work_file, "mixture-held-out", validation) {
  information = mapped_information(train, train_.ref(),
                                   map_rows(map, train_.ref(), "training rows"), reducer);
  const MixtureRowSums held_out = map_rows(map, validation_.ref(), "held-out rows");
  validation_log_det = mean_over_rows(held_out.log_det, validation.rows(), reducer);
  validation_log_prob = mean_over_rows(held_out.log_density, validation.rows(), reducer);
}

std::string mixture_summary(const MixtureChoice& choice, double score_with,
                            std::optional<double> score_without) {
  return fmt::format(
      "mixture first layer ({} components and a broad floor; held-out scores {}): the model "
      "scores {:.6g} with it, {} without",
      choice.map.components() - 1, choice.scores, score_with,
      score_without ? fmt::format("{:.6g}", *score_without) : std::string("less"));
}

bool offers_mixture(const FitOptions& options, bool explicit_validation) {
  const bool held_out = explicit_validation || options.holds_out();
  if (!options.mixture) return held_out && !options.layers;  // where it can be, silently
  if (*options.mixture && !held_out)
    throw OptionError("mixture",
                      "needs held-out rows to choose its number of components and whether to keep "
                      "it: set validation above 0");
  return *options.mixture;
}

FittedCascade refit_after_mixture(
    ConstMatrixRef x, FittedCascade chosen,
    const std::function<FittedCascade(ConstMatrixRef, const FittedCascade&)>& refit_rest,
    const Reducer& reducer) {
  // The mixture the held-out rows validated, not a new EM: a fresh EM on other rows can land in
  // a worse local optimum that nothing would check (bench/README.md, "Mixture first layer under
  // mpirun": gmm16's KL gap 0.007 → 0.551 when the refit's EM did).
  MixtureMap map = chosen.layers.front().mixture();
  WorkBuffer z(chosen.options.work_file, "mixture-all", x);
  const double information =
      mapped_information(x, z.ref(), map_rows(map, z.ref(), "rows"), reducer);
  const std::vector<LayerReport> scored = chosen.report.layers;
  const std::optional<double> first_score = scored.front().validation_log_prob;
  chosen.layers.erase(chosen.layers.begin());
  chosen.report.layers.erase(chosen.report.layers.begin());
  chosen.mixture_components = 0;
  FittedCascade rest = refit_rest(z.ref(), chosen);
  if (rest.report.stop == FitReport::Stop::Observer) return rest;
  FittedCascade fit =
      prepend_mixture(std::move(map), information, first_score, 0.0, std::move(rest));
  for (size_t k = 0; k < fit.report.layers.size() && k < scored.size(); ++k)
    fit.report.layers[k].validation_log_prob = scored[k].validation_log_prob;
  return fit;
}

}  // namespace rbig::detail
