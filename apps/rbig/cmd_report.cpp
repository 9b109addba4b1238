// rbig report: one self-contained HTML file describing a model (and, with --data, how well it
// fits that data): fit summary, information per layer, held-out curve, candidates, marginals,
// dependent pairs and latent normality, plotted as inline SVG.

#include "commands.hpp"
#include "common.hpp"
#include "report/html_report.hpp"
#include "report/report_sections.hpp"

#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rbig::cli {
namespace {

struct ReportCommand {
  std::string model;
  std::string data;
  std::string output;
  CsvInput csv;
  Index samples = 5000;
  std::uint64_t seed = 0;
};

/// x1..xD: axis labels for a report without data (a model holds no column names).
std::vector<std::string> numbered_names(Index dims) {
  std::vector<std::string> names;
  for (Index d = 1; d <= dims; ++d) names.push_back(fmt::format("x{}", d));
  return names;
}

std::string build_report(const Model& model, const ReportCommand& cmd, const Table* data,
                         const Matrix& samples) {
  report::ReportData input{model,
                           data,
                           cmd.data == "-" ? "<stdin>" : cmd.data,
                           samples,
                           data != nullptr ? data->column_names : numbered_names(model.dims()),
                           cmd.seed};
  report::HtmlReport html(fmt::format("rbig report: {}", cmd.model));
  report::add_summary_section(html, model, cmd.model, input);
  report::add_information_section(html, model.report());
  report::add_validation_section(html, model.report());
  report::add_candidates_section(html, model.report());
  check_interrupted();
  report::add_marginals_section(html, input);
  report::add_pairs_section(html, input);
  check_interrupted();
  report::add_latent_section(html, input);
  return html.document();
}

int run_report(const ReportCommand& cmd) {
  if (!cmd.output.empty()) check_output_folder(cmd.output, {cmd.model, cmd.data});
  const Model model = Model::load(cmd.model);
  std::optional<Table> data;
  if (!cmd.data.empty()) {
    data = read_input(cmd.data, cmd.csv);
    check_columns(model.dims(), cmd.model, *data, cmd.data);
  }
  check_interrupted();
  const Matrix samples = model.sample(cmd.samples, cmd.seed);
  check_interrupted();
  const std::string html = build_report(model, cmd, data ? &*data : nullptr, samples);
  check_interrupted();
  if (cmd.output.empty()) {
    std::cout << html;
  } else {
    write_file_atomically(cmd.output, [&](std::ostream& out) { out << html; });
  }
  return 0;
}

}  // namespace

void setup_report(CLI::App& app) {
  auto cmd = std::make_shared<ReportCommand>();
  CLI::App* sub = app.add_subcommand(
      "report", "Write a self-contained HTML report of a model, with plots (and data, if given)");

  sub->add_option("MODEL", cmd->model, "Model file written by rbig fit")->required();
  sub->add_option("--data", cmd->data,
                  "CSV of rows to compare with the model (- for stdin): marginals, pairs and the "
                  "latent normality check use it");
  add_csv_input_flags(*sub, cmd->csv);
  sub->add_option("--samples", cmd->samples, "Model samples drawn for the plots")
      ->check(CLI::Range(Index{10}, Index{1000000}))
      ->capture_default_str();
  sub->add_option("--seed", cmd->seed,
                  "Seed of the model samples and of the row subsets plotted; the same seed gives "
                  "the same file")
      ->check(seed_validator())
      ->capture_default_str();
  sub->add_option("-o,--output", cmd->output, "Write the HTML here (atomically) instead of stdout");
  sub->footer(
      "The report is one HTML file with inline SVG plots: no script, no network, readable on a "
      "phone and in print. Sections: fit summary; information removed per layer; held-out curve "
      "and kept depth; candidates' held-out scores (read from the stop message); per-column "
      "histograms of data against model samples (first 12 columns); scatter plots of the 3 "
      "most dependent column pairs (at most 2,000 points each); normal quantile lines of the "
      "latent columns (with --data).\n"
      "\n"
      "Example:\n"
      "  rbig report faithful.rbig --data data/faithful.csv -o faithful.html");

  sub->callback([cmd] {
    if (const int status = run_report(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace rbig::cli
