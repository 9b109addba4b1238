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

/// Text from a model file, safe to print on a terminal: C0 controls, DEL and the C1 controls
/// (U+0080–U+009F in UTF-8) become \xNN, so that a crafted stop message cannot send escape
/// sequences (`\x1b[2J` clears the screen); backslashes are doubled so the result is unambiguous.
std::string printable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool c1 = byte == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (c1) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[++i]));
    } else if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\x{:02x}", byte);
    } else if (byte == '\\') {
      out += "\\\\";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string bins_text(const FitOptions& options) {
  return options.bins ? std::to_string(*options.bins) : "auto";
}

void print_json_info(const ModelSummary& model) {
  const FitOptions& options = model.options;
  const FitReport& report = model.report;
  nlohmann::json info_reduction = nlohmann::json::array();
  nlohmann::json validation_curve = nlohmann::json::array();  // null where not measured
  for (const LayerReport& layer : report.layers) {
    info_reduction.push_back(layer.info_reduction);
    validation_curve.push_back(layer.validation_log_prob
                                   ? nlohmann::json(*layer.validation_log_prob)
                                   : nlohmann::json(nullptr));
  }
  nlohmann::json bins = options.bins ? nlohmann::json(*options.bins) : nlohmann::json("auto");
  print_json({{"dims", model.dims},
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

void print_text_info(const ModelSummary& model, const std::string& path) {
  const FitOptions& options = model.options;
  const FitReport& report = model.report;
  fmt::print("model              {}\n", printable(path));
  fmt::print("dimensions         {}\n", model.dims);
  fmt::print("fitted on          {} rows\n", report.n_samples);
  fmt::print(
      "options            marginal={} rotation={} max_layers={} tol={} patience={} "
      "gaussian_fallback={} damping={} validation={} bins={} bandwidth={} seed={}\n",
      to_string(options.marginal.value()), to_string(options.rotation), options.max_layers,
      options.tol, options.patience, options.gaussian_fallback, options.damping.value(),
      options.validation, bins_text(options), options.bandwidth_text(), options.seed);
  fmt::print("layers             {}\n", report.layers.size());
  fmt::print("stop               {} ({})\n", to_string(report.stop), printable(report.message));
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
  // Only what is printed: the layers (rebuilt rotations, probes) are not needed to describe them.
  const ModelSummary model = Model::read_summary(cmd.model);
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
