#pragma once
// The mixture-first candidate of a fit (FitOptions::mixture): a Gaussian-mixture destructor
// (mixture.hpp) as the first layer, the rest of the cascade fitted to what it leaves.
//
// The number of components is chosen on the validation rows: K ∈ {1, 2, 3, 5, 8, 12, 16, 24,
// 32, 48, 64, 96, 128} in turn, as many as the training rows support (max_mixture_components),
// each K's EM warm-started from the previous K's fit with its heaviest, widest components split
// (mixture/mixture_split.hpp) and stopped early (1e-3 nats per row or 40 iterations); the search
// stops after two values of K in a row that do not beat the best held-out log-likelihood by one
// standard error of the paired difference. The best K is then run to EM's own tolerance (kept if it
// scores no worse held out), and a broad floor component of weight 1e-6 is added to it (so that
// gaps between components still invert; mixture_step.cpp, with_floor). Unless the best K beats
// one Gaussian (K = 1) by a standard error, no layer is offered (one Gaussian is a linear map,
// which the cascade's own layers already are). Otherwise the model selection runs on the mixture's
// output (model_selection.cpp, select_offering_mixture), the configuration it chooses is fitted on
// the raw rows too, racing the mixture's model, and the mixture layer is kept only when the whole
// model's mean held-out log-likelihood is higher than without it. The refit on all rows keeps that
// mixture and refits the rest of the cascade after it.
//
// The mixture's EM, its K search and its information estimate see at most kMixtureRows training
// (and held-out) rows, chosen by global row position and gathered to every participant
// (mixture_rows.hpp); the map is applied to each participant's own rows (in a work file's blocks
// with FitOptions::work_file) and its held-out sums are added exactly: the same model from any
// number of processes.

#include <rbig/mixture.hpp>
#include <rbig/options.hpp>

#include "fit/fitted_cascade.hpp"
#include "fit/mixture_rows.hpp"
#include "fit/work_buffer.hpp"

#include <functional>
#include <optional>
#include <string>

namespace rbig::detail {

/// The largest number of components tried.
inline constexpr int kMaxMixtureComponents = 128;

/// The most components the K sweep tries on `rows` training rows in `dims` dimensions: at most
/// kMaxMixtureComponents, and at least kRowsPerParameter rows per free parameter
/// (mixture_step.cpp).
int max_mixture_components(Index rows, Index dims);

struct MixtureChoice {
  MixtureMap map;
  double validation_log_prob = 0.0;  // mean held-out log p of the mixture itself
  std::string scores;                // "K=1 -3.21; K=2 -2.95; …"
};

/// The mixture with the best held-out log-likelihood on `validation`, fitted on `train`; nullopt
/// when no K beats one Gaussian (K = 1) by one standard error of the paired difference.
std::optional<MixtureChoice> choose_mixture(ConstMatrixRef train, ConstMatrixRef validation,
                                            const FitOptions& options);

/// The information a mixture layer removes from a participant's rows x with images z under the
/// map (map_rows gave `sums`), Σ_d H(x_d) − Σ_d H(z_d) + E log|det J|: the 1-D spacing entropies on
/// the rows gather_rows_by_stride picks, the log-determinant's mean over all rows. Collective; the
/// images are not computed twice.
double mapped_information(ConstMatrixRef x, ConstMatrixRef z, const MixtureRowSums& sums,
                          const Reducer& reducer);

/// The mixture the held-out rows choose for a fit's first layer (choose_mixture on the rows
/// gather_rows_by_stride picks; its scores note how many rows the sweep saw), or nullopt with
/// `declined` set to why none is offered ("; mixture first layer: …"). Collective.
std::optional<MixtureChoice> offered_mixture(ConstMatrixRef train, ConstMatrixRef validation,
                                             const FitOptions& options, const Reducer& reducer,
                                             std::string& declined);

/// A participant's training and held-out rows through a mixture layer (in work files with
/// FitOptions::work_file), and what the layer's report line and held-out score need. Collective.
class MixtureImages {
 public:
  MixtureImages(ConstMatrixRef train, ConstMatrixRef validation, const MixtureMap& map,
                const std::string& work_file, const Reducer& reducer);
  ConstMatrixRef train() const { return train_.ref(); }
  ConstMatrixRef validation() const { return validation_.ref(); }

  double information = 0.0;          // removed from the training rows (mapped_information)
  double validation_log_det = 0.0;   // mean log|det J| over the held-out rows
  double validation_log_prob = 0.0;  // mean held-out log p of the mixture alone

 private:
  WorkBuffer train_;
  WorkBuffer validation_;
};

/// "mixture first layer (K components and a broad floor; held-out scores …): the model scores
/// X with it, Y without": the fit message's account of the offer ("less without" when the raw
/// rows' fits were all stopped below X).
std::string mixture_summary(const MixtureChoice& choice, double score_with,
                            std::optional<double> score_without);

/// `cascade` (a fit on the mixture's output z of the rows x) with the mixture layer in front:
/// the report gains its line (information `information`, held-out score `validation_log_prob`
/// if any) and every later held-out score the mean log|det J| on the held-out rows
/// (`validation_log_det`).
FittedCascade prepend_mixture(MixtureMap map, double information,
                              std::optional<double> validation_log_prob, double validation_log_det,
                              FittedCascade cascade);

/// Whether a fit with these options offers the mixture first layer (FitOptions::mixture): when
/// empty, wherever rows are held out (holds_out(), or `explicit_validation`) and the depth is not
/// fixed; when true, always, but OptionError without held-out rows; when false, never.
bool offers_mixture(const FitOptions& options, bool explicit_validation);

/// The refit on all rows x of a model whose first layer is a mixture (chosen.mixture_components
/// > 0): chosen's mixture (the one the held-out rows validated, fitted on the training rows),
/// then `refit_rest` on its output for x (given chosen without its first layer); the report
/// keeps chosen's held-out scores. Collective.
FittedCascade refit_after_mixture(
    ConstMatrixRef x, FittedCascade chosen,
    const std::function<FittedCascade(ConstMatrixRef, const FittedCascade&)>& refit_rest,
    const Reducer& reducer);

}  // namespace rbig::detail
