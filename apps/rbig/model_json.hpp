#pragma once
/// The JSON description of a fitted model shared by `rbig fit --json` and `rbig info --json`:
/// the same keys for the same things (docs/json.md).

#include <rbig/model.hpp>
#include <rbig/options.hpp>

#include <nlohmann/json.hpp>

namespace rbig::cli {

/// The options a model was fitted with. Keys that do not apply to its marginal are left out
/// (bins only for histogram, bandwidth only for kde).
nlohmann::json options_json(const FitOptions& options);

/// dims, n (rows fitted on), layers, unit ("nats"), total_correlation, stop, stop_message,
/// options, info_reduction, validation_log_prob (null where not measured) and, when the fit
/// report holds them (a fresh fit, not a model file), candidates.
nlohmann::json model_json(const ModelSummary& model);
/// The same for a fitted model in memory.
nlohmann::json model_json(const Model& model);

}  // namespace rbig::cli
