#include "model_json.hpp"

namespace rbig::cli {
namespace {

nlohmann::json bandwidth_json(const FitOptions& options) {
  return options.bandwidth ? nlohmann::json(*options.bandwidth)
                           : nlohmann::json(options.bandwidth_text());
}

/// marginal, damping and, for kde, bandwidth: what model selection varies.
nlohmann::json configuration_json(const FitOptions& options) {
  nlohmann::json object{{"marginal", to_string(options.marginal.value())},
                        {"damping", options.damping.value()}};
  if (options.marginal == MarginalKind::Kde) object["bandwidth"] = bandwidth_json(options);
  return object;
}

nlohmann::json candidates_json(const std::vector<CandidateScore>& candidates) {
  nlohmann::json list = nlohmann::json::array();
  for (const CandidateScore& candidate : candidates) {
    nlohmann::json object = configuration_json(candidate.options);
    object["validation_log_prob"] = candidate.validation_log_prob;
    object["chosen"] = candidate.chosen;
    object["rows"] = candidate.rows;
    object["layers"] = candidate.layers;
    object["seconds"] = candidate.seconds;
    object["layers_fitted"] = candidate.layers_fitted;
    object["stopped_early"] = candidate.stopped_early;
    // With the mixture first layer offered: fitted after it (true) or on the raw rows (false).
    if (candidate.options.mixture) object["after_mixture"] = *candidate.options.mixture;
    list.push_back(object);
  }
  return list;
}

}  // namespace

nlohmann::json options_json(const FitOptions& options) {
  nlohmann::json object = configuration_json(options);
  object.update({{"rotation", to_string(options.rotation)},
                 {"max_layers", options.max_layers},
                 {"tol", options.tol},
                 {"patience", options.patience},
                 {"gaussian_fallback", options.gaussian_fallback},
                 {"validation", options.validation},
                 {"validation_patience", options.validation_patience},
                 {"seed", options.seed}});
  if (options.radial) object["radial"] = true;  // only when on: older models' JSON unchanged
  if (options.tree) object["tree"] = true;
  if (options.coupling.value_or(false)) object["coupling"] = true;
  if (options.mixture.value_or(false)) object["mixture"] = true;  // a mixture first layer
  if (options.marginal == MarginalKind::Histogram) {
    object["bins"] = options.bins ? nlohmann::json(*options.bins) : nlohmann::json("auto");
  }
  return object;
}

nlohmann::json model_json(const ModelSummary& model) {
  const FitReport& report = model.report;
  nlohmann::json info_reduction = nlohmann::json::array();
  nlohmann::json validation_curve = nlohmann::json::array();  // null where not measured
  for (const LayerReport& layer : report.layers) {
    info_reduction.push_back(layer.info_reduction);
    validation_curve.push_back(layer.validation_log_prob
                                   ? nlohmann::json(*layer.validation_log_prob)
                                   : nlohmann::json(nullptr));
  }
  nlohmann::json object{{"dims", model.dims},
                        {"n", report.n_samples},
                        {"layers", report.layers.size()},
                        {"unit", "nats"},
                        {"total_correlation", report.total_correlation},
                        {"stop", to_string(report.stop)},
                        {"stop_message", report.message},
                        {"options", options_json(model.options)},
                        {"info_reduction", info_reduction},
                        {"validation_log_prob", validation_curve}};
  if (!report.candidates.empty()) object["candidates"] = candidates_json(report.candidates);
  return object;
}

nlohmann::json model_json(const Model& model) {
  return model_json(ModelSummary{model.dims(), model.options(), model.report()});
}

}  // namespace rbig::cli
