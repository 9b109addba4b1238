#pragma once
/// A fitted Gaussianization cascade G = L_K ∘ … ∘ L_1 with base density N(0, I):
/// log p(x) = log N(G(x); 0, I) + Σ_k log|det J_k|.
///
///   rbig::Model model = rbig::Model::fit(x, rbig::FitOptions{});
///   rbig::Vector logp = model.log_prob(x_new);      // nats, one per row
///   rbig::Matrix draws = model.sample(1000, 42);
///
/// A model is also a chain of layers a user can build by hand (Model::from_layers) and save.

#include <rbig/bijector.hpp>
#include <rbig/layer.hpp>
#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rbig {

/// What one layer of a fit did. info_reduction (nats) is the total correlation the layer removed,
/// estimated as described in model_fit.cpp; seconds is wall time and is not stored in model files.
struct LayerReport {
  int layer = 0;
  double info_reduction = 0.0;
  double seconds = 0.0;
  /// Mean log-likelihood (nats) of the validation rows under the cascade truncated after this
  /// layer; empty when the fit had no validation rows.
  std::optional<double> validation_log_prob;
  /// For the observer of a fit that chooses its configuration (model selection): the fit this
  /// layer belongs to, 1-based, of the fits planned so far (the count grows when a kde winner
  /// adds its bandwidth candidates and when the coupling challenger is tried; the refit on all
  /// rows is the last), and that fit's
  /// configuration ("kde, damping 0.5, bandwidth silverman"; "refit: …"). A fit of one
  /// configuration reports 1 of 1 and no name. Not stored in the model's report.
  int candidate = 1;
  int candidates = 1;
  std::string candidate_name = {};
};

/// Called after each layer's information reduction is known; return false to stop the fit.
using FitObserver = std::function<bool(const LayerReport&)>;

/// The newest model file format version Model::save writes (9, for a model with coupling layers
/// or fitted with FitOptions::coupling; 8 for one with a mixture layer or fitted with
/// FitOptions::mixture; 7 for one with tree layers or fitted with
/// FitOptions::tree; 6 for one with radial layers or fitted with FitOptions::radial;
/// other models are written as version 5, whose layout they fit, so older readers still read
/// them), and the oldest one Model::load reads.
inline constexpr std::uint32_t kModelFormatVersion = 9;
inline constexpr std::uint32_t kOldestReadableModelFormatVersion = 3;

/// One configuration the model selection fitted (model_selection.cpp): its options (marginal and
/// damping set), its mean held-out log-likelihood (nats) at its best depth, whether it won, and
/// what it cost: the training rows it was fitted on (a subsample when the selection screened),
/// the layers kept (its best depth) and the wall time of its fit.
struct CandidateScore {
  FitOptions options;
  double validation_log_prob = 0.0;
  bool chosen = false;
  Index rows = 0;
  int layers = 0;
  double seconds = 0.0;
  /// Layers fitted before the fit stopped (its cost): the kept ones and those after them.
  int layers_fitted = 0;
  /// The race stopped this candidate when its held-out curve could no longer reach the finals
  /// (the screening), the best candidate before it (small sets) or the mixture's model; its score
  /// is then the best it had reached (screening_race.hpp).
  bool stopped_early = false;
};

/// What a fit did and why it stopped.
struct FitReport {
  enum class Stop { Converged, MaxLayers, Observer, Validation };
  Stop stop = Stop::Converged;
  std::string message;              // one line, e.g. "3 small layers in a row after layer 5"
  std::vector<LayerReport> layers;  // one per kept layer
  double total_correlation = 0.0;   // nats: Σ info_reduction over kept layers
  Index n_samples = 0;              // rows the model was fitted on
  /// The configurations model selection compared, in the order fitted (empty when there was no
  /// choice). Not stored in model files.
  std::vector<CandidateScore> candidates;
};
// "converged", "max_layers", "observer", "validation"
std::string_view to_string(FitReport::Stop stop);

/// What a model file says about the fit that made it, read without building its layers.
struct ModelSummary {
  Index dims = 0;
  FitOptions options;
  FitReport report;  // report.layers: one entry per layer
};

class Model final : public Bijector {
 public:
  /// Fits layers greedily to the rows of x (N × D, N ≥ 2, finite, no constant column).
  /// Throws InputError for bad data, OptionError for bad options.
  static Model fit(ConstMatrixRef x, const FitOptions& options, const FitObserver& observer = {});
  /// Fits to x and chooses the depth on the given validation rows (options.validation unused).
  static Model fit(ConstMatrixRef x, ConstMatrixRef validation, const FitOptions& options,
                   const FitObserver& observer = {});
  /// The cascade of `layers`, applied first to last (at least one; every layer of the same
  /// dimensions, else DimensionError). Its options are the defaults with marginal kde and
  /// damping 1 filled in, its report one zero-information entry per layer: they describe a fit,
  /// and this model had none.
  static Model from_layers(std::vector<Layer> layers);
  /// The cascade of `layers` in `dims` dimensions with the options and report of the fit that
  /// made it (options.marginal and options.damping set; report.layers one entry per layer).
  /// Throws DimensionError or OptionError when they do not fit together.
  Model(Index dims, std::vector<Layer> layers, FitOptions options, FitReport report);

  /// Reads a model file written by save(); throws ModelFileError naming the file and the problem.
  static Model load(const std::filesystem::path& path);
  /// The dimensions, options and report of a model file, its envelope checked (magic, version,
  /// size, checksum) but no layer built or checked: cost proportional to the file's size, for a
  /// description (rbig info) or a dimension check before an expensive load.
  static ModelSummary read_summary(const std::filesystem::path& path);
  /// Writes the model atomically (temporary file in the same folder, then rename).
  void save(const std::filesystem::path& path) const;
  /// The bytes save() writes (format in model_file.cpp, checksummed): for pickling and transfer.
  std::string to_bytes() const;
  /// The model those bytes describe; `name` stands for them in ModelFileError messages.
  static Model from_bytes(std::string_view bytes, const std::string& name = "model bytes");

  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() override = default;

  Index dims() const override { return dims_; }
  const FitOptions& options() const { return options_; }
  const FitReport& report() const { return report_; }
  const std::vector<Layer>& layers() const { return layers_; }

  /// Worker threads for log_prob, transform, inverse and sample; 0 (the default for a loaded
  /// model) means all cores, a fitted model starts with FitOptions::threads. Never changes a
  /// result.
  void set_threads(int threads);
  int threads() const { return threads_; }

  /// Log-density in nats, one value per row; finite for every finite row.
  Vector log_prob(ConstMatrixRef x) const;
  /// Latent coordinates G(x), N × D; throws NumericalError naming the first row whose latent
  /// value is not finite (a damaged model's overflow), never returns NaN or inf.
  Matrix transform(ConstMatrixRef x) const;
  /// G⁻¹(z); throws NumericalError if a latent value lies beyond what any finite x maps to.
  Matrix inverse(ConstMatrixRef z) const;
  /// n draws G⁻¹(ε), ε ~ N(0, I), from the seed.
  Matrix sample(Index n, std::uint64_t seed) const;
  /// Rows [first, first + count) of sample(n, seed), for any n ≥ first + count: a row's draw
  /// depends only on its index and the seed, so processes can each draw their own rows.
  Matrix sample_rows(Index first, Index count, std::uint64_t seed) const;

  /// The chain's maps in place, one thread (Bijector); log_det accumulates every layer's term.
  void forward(MatrixRef x, VectorRef log_det) const override;
  void inverse(MatrixRef z, VectorRef log_det) const override;

 private:
  Index dims_ = 0;
  FitOptions options_;
  FitReport report_;
  std::vector<Layer> layers_;
  int threads_ = 0;
};

}  // namespace rbig
