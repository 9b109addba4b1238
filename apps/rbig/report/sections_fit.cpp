// The report's sections drawn from the model file alone: what the fit did and why it stopped.

#include "report/candidates.hpp"
#include "report/report_sections.hpp"
#include "report/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace rbig::cli::report {
namespace {

std::vector<std::pair<std::string, std::string>> option_rows(const FitOptions& options) {
  return {{"marginal", std::string(to_string(options.marginal.value()))},
          {"rotation", std::string(to_string(options.rotation))},
          {"damping", number_text(options.damping.value())},
          {"bandwidth", options.bandwidth_text()},
          {"bins", options.bins ? std::to_string(*options.bins) : "auto"},
          {"max_layers", std::to_string(options.max_layers)},
          {"tol", number_text(options.tol)},
          {"patience", std::to_string(options.patience)},
          {"gaussian_fallback", options.gaussian_fallback ? "true" : "false"},
          {"validation", number_text(options.validation)},
          {"validation_patience", std::to_string(options.validation_patience)},
          {"seed", std::to_string(options.seed)}};
}

std::vector<double> layer_numbers(const FitReport& report) {
  std::vector<double> x;
  for (const LayerReport& layer : report.layers) x.push_back(layer.layer);
  return x;
}

}  // namespace

std::string number_text(double value) { return fmt::format("{:.6g}", value); }

void add_summary_section(HtmlReport& html, const Model& model, const std::string& model_path,
                         const ReportData& input) {
  const FitReport& report = model.report();
  html.begin_section("summary", "Fit summary");
  std::vector<std::pair<std::string, std::string>> rows{
      {"model", model_path},
      {"dimensions", std::to_string(model.dims())},
      {"fitted on rows", std::to_string(report.n_samples)},
      {"layers", std::to_string(report.layers.size())},
      {"stop", std::string(to_string(report.stop))},
      {"stop message", report.message},
      {"total correlation (nats)", number_text(report.total_correlation)},
      {"model samples drawn", std::to_string(input.samples.rows())},
      {"seed (samples, row subsets)", std::to_string(input.seed)}};
  if (input.data != nullptr) {
    const Vector log_p = model.log_prob(input.data->values);
    rows.push_back({"data", input.data_path});
    rows.push_back({"data rows", std::to_string(input.data->values.rows())});
    rows.push_back({"data mean log p (nats)", number_text(log_p.mean())});
  } else {
    rows.push_back({"data", "no data given (--data): data sections show model samples only"});
  }
  html.key_values(rows);
  html.paragraph("Options of the fit:");
  html.key_values(option_rows(model.options()));
}

void add_information_section(HtmlReport& html, const FitReport& report) {
  html.begin_section("information", "Information removed per layer");
  const std::vector<double> layers = layer_numbers(report);
  std::vector<double> removed, cumulative;
  std::vector<std::vector<std::string>> rows;
  double sum = 0.0;
  for (const LayerReport& layer : report.layers) {
    removed.push_back(layer.info_reduction);
    sum += layer.info_reduction;
    cumulative.push_back(sum);
    rows.push_back({std::to_string(layer.layer), number_text(layer.info_reduction),
                    layer.validation_log_prob ? number_text(*layer.validation_log_prob) : "–"});
  }
  Axes per_layer("Per layer", "layer", "information removed (nats)");
  per_layer.include_y(0.0, 0.0);
  per_layer.line(layers, removed, kBlue, "");
  per_layer.points(layers, removed, kBlue, "");
  Axes running("Running sum", "layer", "total correlation removed (nats)");
  running.include_y(0.0, 0.0);
  running.line(layers, cumulative, kGreen, "");
  // Separate figures rather than panels of one: a grid puts them side by side on a wide screen
  // and one under the other, each full width, on a phone.
  html.figures(
      {{render_figure({per_layer}, "information removed per layer"),
        fmt::format("Total correlation removed by each of the {} layers.", report.layers.size())},
       {render_figure({running}, "running sum of the information removed"),
        fmt::format("Removed by all the layers up to each one; the sum is the model's total "
                    "correlation, {} nats.",
                    number_text(report.total_correlation))}});
  html.table({"layer", "information removed (nats)", "held-out mean log p (nats)"}, rows, true);
}

void add_validation_section(HtmlReport& html, const FitReport& report) {
  html.begin_section("validation", "Held-out curve and chosen depth");
  std::vector<double> layers, scores;
  for (const LayerReport& layer : report.layers) {
    if (!layer.validation_log_prob) continue;
    layers.push_back(layer.layer);
    scores.push_back(*layer.validation_log_prob);
  }
  if (scores.empty()) {
    html.paragraph(
        "This fit held out no rows (validation 0, or layers fixed): the depth came from the "
        "information-based stopping rule, and there is no held-out curve.");
    return;
  }
  const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
  const double best_layer = layers[static_cast<size_t>(best)];
  Axes axes("Held-out mean log-likelihood", "layer", "mean log p (nats)");
  axes.line(layers, scores, kBlue, "held-out rows");
  axes.vertical_line(report.layers.back().layer, kVermillion, "kept depth");
  html.figure(render_figure({axes}, "held-out curve"),
              fmt::format("Mean log-likelihood of the held-out rows after each layer. The model "
                          "keeps {} layers; the best held-out score, {} nats, is at layer {}. The "
                          "file stores the curve up to the kept depth only.",
                          report.layers.size(), number_text(scores[static_cast<size_t>(best)]),
                          number_text(best_layer)));
}

void add_candidates_section(HtmlReport& html, const FitReport& report) {
  html.begin_section("candidates", "Model-selection candidates");
  const std::vector<Candidate> candidates = parse_candidates(report.message);
  if (candidates.empty()) {
    html.paragraph(
        "No candidates: this fit chose no configuration on held-out rows (options given, "
        "validation 0 or layers fixed), or its stop message records none.");
    return;
  }
  std::vector<double> index, score, chosen_index, chosen_score;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    index.push_back(static_cast<double>(i + 1));
    score.push_back(c.score);
    if (c.chosen) {
      chosen_index.push_back(static_cast<double>(i + 1));
      chosen_score.push_back(c.score);
    }
    rows.push_back({std::to_string(i + 1), c.description, number_text(c.score),
                    c.chosen ? "chosen" : (c.stopped_early ? "stopped early" : "")});
  }
  Axes axes("Held-out score of each candidate", "candidate (table row)", "mean log p (nats)");
  axes.include_x(0.5, static_cast<double>(candidates.size()) + 0.5);
  axes.points(index, score, kBlue, "candidate");
  axes.points(chosen_index, chosen_score, kVermillion, "chosen");
  html.figure(render_figure({axes}, "candidate scores"),
              "Mean held-out log-likelihood of each configuration at its best depth, on the same "
              "held-out rows (for one stopped early, the best it reached before its curve could "
              "no longer win). The model file keeps no table of candidates: these scores are read "
              "from the fit's stop message (6 significant digits).");
  html.table({"#", "candidate", "held-out mean log p (nats)", ""}, rows);
}

}  // namespace rbig::cli::report
