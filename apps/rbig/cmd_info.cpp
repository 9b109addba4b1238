// rbig info: what a model file holds: sizes, the options it was fitted with, why the fit stopped
// and how much information each layer removed.

#include "commands.hpp"
#include "common.hpp"
#include "console.hpp"
#include "model_json.hpp"

#include <rbig/model.hpp>

#include <fmt/format.h>

#include <memory>
#include <string>

namespace rbig::cli {
namespace {

// Text lines wrap at this width, continuation lines aligned under the values.
constexpr std::size_t kWidth = 100;
constexpr std::size_t kIndent = 19;

struct InfoCommand {
  std::string model;
  bool json = false;
};

void print_json_info(const ModelSummary& model, const std::string& path) {
  nlohmann::json object = model_json(model);
  object["command"] = "info";
  object["model"] = path;
  print_json(object);
}

/// key=value for each option, only those that apply to the model's marginal.
std::string options_text(const FitOptions& options) {
  std::string text;
  const nlohmann::json object = options_json(options);  // items() refers into it
  for (const auto& [key, value] : object.items()) {
    text += fmt::format("{}{}={}", text.empty() ? "" : " ", key,
                        value.is_string() ? value.get<std::string>() : value.dump());
  }
  return text;
}

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

void print_text_info(const ModelSummary& model, const std::string& path) {
  const FitOptions& options = model.options;
  const FitReport& report = model.report;
  fmt::print("model              {}\n", printable(path));
  fmt::print("dimensions         {}\n", model.dims);
  fmt::print("fitted on          {} rows\n", report.n_samples);
  fmt::print("options            {}\n", wrap(options_text(options), kWidth, kIndent));
  fmt::print("layers             {}\n", report.layers.size());
  fmt::print("stop               {}\n",
             wrap(printable(fmt::format("{} ({})", to_string(report.stop), report.message)), kWidth,
                  kIndent));
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
    print_json_info(model, cmd.model);
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
                "Print one JSON object (dims, n, layers, unit, total_correlation, stop, options, "
                "info_reduction, ...; docs/json.md)");
  sub->footer(
      "Example:\n"
      "  rbig info faithful.rbig --json");

  sub->callback([cmd] {
    if (const int status = run_info(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace rbig::cli
