#pragma once
/// The sections of `rbig report`, each added to an HtmlReport with its plots. Section ids (the
/// tests find sections by them): summary, information, validation, candidates (from the model
/// file alone), marginals, pairs, latent (from data and model samples).

#include "report/html_report.hpp"

#include <rbig/io.hpp>
#include <rbig/model.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rbig::cli::report {

/// Caps that keep the file small and the page readable; the report says when one applied.
inline constexpr Index kMaxColumnsShown = 12;   // marginal histograms and latent QQ lines
inline constexpr Index kMaxScatterRows = 2000;  // points per scatter panel
inline constexpr Index kMaxLatentRows = 5000;   // data rows mapped to the latent space
inline constexpr int kPairsShown = 3;           // most dependent column pairs

/// What the data-dependent sections draw from.
struct ReportData {
  const Model& model;
  const Table* data = nullptr;     // the --data rows, or null
  std::string data_path;           // as given on the command line
  const Matrix& samples;           // draws from the model
  std::vector<std::string> names;  // column names: the data's header, or x1..xD
  std::uint64_t seed = 0;          // row subsets
};

/// Sizes, options, stop reason and total correlation; the data's mean log-likelihood if given.
void add_summary_section(HtmlReport& html, const Model& model, const std::string& model_path,
                         const ReportData& input);
/// Information removed by each layer and its running sum, with the table of values.
void add_information_section(HtmlReport& html, const FitReport& report);
/// The held-out log-likelihood after each layer and the depth the fit kept.
void add_validation_section(HtmlReport& html, const FitReport& report);
/// The candidate configurations' held-out scores, as far as the stop message records them.
void add_candidates_section(HtmlReport& html, const FitReport& report);

/// Per-column histograms of the data against the model samples (samples only without data).
void add_marginals_section(HtmlReport& html, const ReportData& input);
/// Scatter plots of the most dependent column pairs: data beside samples.
void add_pairs_section(HtmlReport& html, const ReportData& input);
/// Normal quantile–quantile lines of the data's latent columns; "no data given" without data.
void add_latent_section(HtmlReport& html, const ReportData& input);

/// Numbers as the report prints them: 6 significant digits, like `rbig info`.
std::string number_text(double value);

}  // namespace rbig::cli::report
