// rbig info: what a model file holds: sizes, the options it was fitted with, why the fit stopped
// and how much information each layer removed.

#include "commands.hpp"
#include "common.hpp"

#include <rbig/model.hpp>

#include <fmt/format.h>

#include <memory>
#include <string>

namespace rbig::cli {
namespace {

struct InfoCommand {
  std::string model;
  bool json = false;
};

std::string bins_text(const FitOptions& options) {
  return options.bins ? std::to_string(*options.bins) : "auto";
}

void print_json_info(const Model& model) {
  const FitOptions& options = model.options();
  const FitReport& report = model.report();
  nlohmann::json info_reduction = nlohmann::json::array();
  nlohmann::json validation_curve = nlohmann::json::array();  // null where not measured
  for (const LayerReport& layer : report.layers) {
    info_reduction.push_back(layer.info_reduction);
    validation_curve.push_back(layer.validation_log_prob
                                   ? nlohmann::json(*layer.validation_log_prob)
                                   : nlohmann::json(nullptr));
  }
  nlohmann::json bins = options.bins ? nlohmann::json(*options.bins) : nlohmann::json("auto");
  print_json({{"dims", model.dims()},
              {"layers", report.layers.size()},
              {"n_samples", report.n_samples},
              {"options",
               {{"marginal", to_string(options.marginal.value())},
                {"rotation", to_string(options.rotation)},
                {"max_layers", options.max_layers},
                {"tol", options.tol},
                {"patience", options.patience},
                {"gaussian_fallback", options.gaussian_fallback},
                {"damping", options.damping.value()},
                {"validation", options.validation},
                {"validation_patience", options.validation_patience},
                {"bins", bins},
                {"bandwidth", bandwidth_json(options)},
                {"seed", options.seed}}},
              {"stop", to_string(report.stop)},
              {"stop_message", report.message},
              {"total_correlation", report.total_correlation},
              {"info_reduction", info_reduction},
              {"validation_log_prob", validation_curve}});
}

void print_text_info(const Model& model, const std::string& path) {
  const FitOptions& options = model.options();
  const FitReport& report = model.report();
  fmt::print("model              {}\n", path);
  fmt::print("dimensions         {}\n", model.dims());
  fmt::print("fitted on          {} rows\n", report.n_samples);
  fmt::print(
      "options            marginal={} rotation={} max_layers={} tol={} patience={} "
      "gaussian_fallback={} damping={} validation={} bins={} bandwidth={} seed={}\n",
      to_string(options.marginal.value()), to_string(options.rotation), options.max_layers,
      options.tol, options.patience, options.gaussian_fallback, options.damping.value(),
      options.validation, bins_text(options), options.bandwidth_text(), options.seed);
  fmt::print("layers             {}\n", report.layers.size());
  fmt::print("stop               {} ({})\n", to_string(report.stop), report.message);
  fmt::print("total correlation  {:.6g} nats\n", report.total_correlation);
  const bool validated = !report.layers.empty() && report.layers.front().validation_log_prob;
  fmt::print("layer  information reduction (nats){}\n",
             validated ? "  validation mean log p (nats)" : "");
  for (const LayerReport& layer : report.layers) {
    if (validated) {
      fmt::print("{:5}  {:<30.6g}  {:.6g}\n", layer.layer, layer.info_reduction,
                 layer.validation_log_prob.value_or(0.0));
    } else {
      fmt::print("{:5}  {:.6g}\n", layer.layer, layer.info_reduction);
    }
  }
}

int run_info(const InfoCommand& cmd) {
  const Model model = Model::load(cmd.model);
  if (cmd.json) {
    print_json_info(model);
  } else {
    print_text_info(model, cmd.model);
  }
  return 0;
}

}  // namespace

void setup_info(CLI::App& app) {
  auto cmd = std::make_shared<InfoCommand>();
  CLI::App* sub = app.add_subcommand(
      "info", "Describe a model: sizes, fit options, stop reason, information removed per layer");

  sub->add_option("MODEL", cmd->model, "Model file written by rbig fit")->required();
  sub->add_flag("--json", cmd->json,
                "Print one JSON object (dims, layers, n_samples, options, stop, "
                "total_correlation, info_reduction)");
  sub->footer(
      "Example:\n"
      "  rbig info faithful.rbig --json");

  sub->callback([cmd] {
    if (const int status = run_info(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace rbig::cli
