#include "fit/mixture_step.hpp"

#include <rbig/error.hpp>

#include "fit/mixture_rows.hpp"
#include "fit/work_buffer.hpp"
#include "stats/entropy_1d.hpp"

#include <fmt/format.h>

#include <chrono>

namespace rbig::detail {
namespace {

constexpr int kComponentSteps[] = {
    1, 2, 3, 5, 8, 12, 16, 24, 32, 48, 64, 96, kMaxMixtureComponents};
/// Values of K in a row without a better held-out score before the search stops.
constexpr int kComponentPatience = 2;
/// Training rows per component at least.
constexpr Index kRowsPerComponent = 10;

double mean_log_density(const MixtureMap& map, ConstMatrixRef x) {
  return map.log_density(x).mean();
}

/// "" when the K search saw every training row, else how many of them it saw.
std::string subsample_note(Index seen, ConstMatrixRef train, const Reducer& reducer) {
  const Index total = total_rows(train.rows(), reducer);
  return seen < total ? fmt::format(" on {} of the {} training rows", seen, total) : "";
}

}  // namespace

std::optional<MixtureChoice> choose_mixture(ConstMatrixRef train, ConstMatrixRef validation,
                                            const FitOptions& options) {
  MixtureSettings settings;
  settings.threads = options.threads;
  std::optional<MixtureMap> best;
  double best_score = 0.0;
  int best_k = 0;
  int worse = 0;
  std::string scores;
  for (const int k : kComponentSteps) {
    if (static_cast<Index>(k) * kRowsPerComponent > train.rows()) break;
    MixtureMap map = MixtureMap::fit(train, k, options.seed, settings);
    const double score = mean_log_density(map, validation);
    scores += fmt::format("{}K={} {:.6g}", scores.empty() ? "" : "; ", k, score);
    if (!best || score > best_score) {
      best.emplace(std::move(map));
      best_score = score;
      best_k = k;
      worse = 0;
    } else if (++worse >= kComponentPatience) {
      break;
    }
  }
  if (!best || best_k == 1) return std::nullopt;
  return MixtureChoice{std::move(*best), best_score, std::move(scores)};
}

double mixture_information(ConstMatrixRef x, const MixtureMap& map, Matrix& z) {
  z = x;
  Vector log_det = Vector::Zero(x.rows());
  map.forward(z, log_det);
  if (!z.allFinite() || !log_det.allFinite())
    throw NumericalError("mixture layer: the training rows map to values that are not finite");
  double change = log_det.mean();
  for (Index d = 0; d < x.cols(); ++d)
    change += entropy_centred_spacing(x.col(d)) - entropy_centred_spacing(z.col(d));
  return change;
}

FittedCascade prepend_mixture(MixtureMap map, double information,
                              std::optional<double> validation_log_prob, double validation_log_det,
                              FittedCascade cascade) {
  const Index dims = map.dims();
  FittedCascade out{dims, {}, cascade.options, cascade.report, static_cast<int>(map.components())};
  out.options.mixture = true;
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

FittedCascade offer_mixture_first(ConstMatrixRef train, ConstMatrixRef validation,
                                  FittedCascade without, const FitObserver& observer,
                                  const Reducer& reducer) {
  if (without.report.stop == FitReport::Stop::Observer) return without;
  // mixture_rows.hpp: the K search on the same bounded subsample in every participant.
  const Matrix train_rows = gather_rows_by_stride(train, kMixtureRows, reducer);
  const Matrix validation_rows = gather_rows_by_stride(validation, kMixtureRows, reducer);
  std::optional<MixtureChoice> choice =
      choose_mixture(train_rows, validation_rows, without.options);
  if (!choice) {
    without.report.message +=
        "; mixture first layer: one component is best on the validation "
        "rows, none used";
    return without;
  }
  Matrix z_rows;
  const double information = mixture_information(train_rows, choice->map, z_rows);
  const std::string& work_file = without.options.work_file;
  WorkBuffer z(work_file, "mixture-train", train);
  map_rows(choice->map, z.ref(), "training rows");
  WorkBuffer z_validation(work_file, "mixture-held-out", validation);
  const MixtureRowSums held_out = map_rows(choice->map, z_validation.ref(), "held-out rows");
  const double validation_log_det = mean_over_rows(held_out.log_det, validation.rows(), reducer);
  const double validation_log_prob =
      mean_over_rows(held_out.log_density, validation.rows(), reducer);
  const ConstMatrixRef held_out_z = z_validation.ref();
  FittedCascade rest = fit_cascade(z.ref(), &held_out_z, without.options, observer, reducer);
  if (rest.report.stop == FitReport::Stop::Observer) return rest;
  const double score_without = *without.report.layers.back().validation_log_prob;
  const double score_with = *rest.report.layers.back().validation_log_prob + validation_log_det;
  const std::string summary = fmt::format(
      "mixture first layer ({} components; held-out scores {}{}): the model scores {:.6g} with "
      "it, {:.6g} without",
      choice->map.components(), choice->scores, subsample_note(train_rows.rows(), train, reducer),
      score_with, score_without);
  if (!(score_with > score_without)) {
    without.report.message += "; " + summary + ", not used";
    return without;
  }
  const std::string message = without.report.message;
  FittedCascade with = prepend_mixture(std::move(choice->map), information, validation_log_prob,
                                       validation_log_det, std::move(rest));
  with.report.candidates = without.report.candidates;
  with.report.message = message + "; " + summary + ", used";
  return with;
}

void check_mixture_options(const FitOptions& options, bool explicit_validation) {
  if (!options.mixture) return;
  if (!explicit_validation && !options.holds_out())
    throw OptionError("mixture",
                      "needs held-out rows to choose its number of components and whether to keep "
                      "it: set validation above 0");
}

FittedCascade refit_after_mixture(
    ConstMatrixRef x, FittedCascade chosen,
    const std::function<FittedCascade(ConstMatrixRef, const FittedCascade&)>& refit_rest,
    const Reducer& reducer) {
  // The mixture the held-out rows validated, not a new EM: a fresh EM on other rows can land in
  // a worse local optimum that nothing would check (bench/README.md, "Mixture first layer under
  // mpirun": gmm16's KL gap 0.007 → 0.551 when the refit's EM did).
  MixtureMap map = chosen.layers.front().mixture();
  const Matrix rows = gather_rows_by_stride(x, kMixtureRows, reducer);
  Matrix z_rows;
  const double information = mixture_information(rows, map, z_rows);
  WorkBuffer z(chosen.options.work_file, "mixture-all", x);
  map_rows(map, z.ref(), "rows");
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
