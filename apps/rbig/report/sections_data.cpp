// The report's sections that compare data with the model: marginals, dependent pairs and the
// latent space. Without data they show the model samples alone, or say that data is needed.

#include "report/report_sections.hpp"
#include "report/report_stats.hpp"
#include "report/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace rbig::cli::report {
namespace {

constexpr int kBins = 30;
const char* const kLineColors[] = {kBlue, kOrange, kGreen, kVermillion, kPurple, kSky};

/// The plotted range of column j: the data's (widened by 5 %) when given, so that a model's
/// tails show as mass outside; else the samples' central 99 %, so that a few far draws do not
/// squeeze the histogram into one bin.
std::pair<double, double> column_range(const ReportData& input, Index j) {
  double lo = 0.0, hi = 0.0;
  if (input.data != nullptr) {
    lo = input.data->values.col(j).minCoeff();
    hi = input.data->values.col(j).maxCoeff();
  } else {
    lo = quantile(input.samples.col(j), 0.005);
    hi = quantile(input.samples.col(j), 0.995);
  }
  const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(0.5, std::abs(lo) * 0.1);
  return {lo - pad, hi + pad};
}

std::string shown_columns_note(Index dims) {
  return dims > kMaxColumnsShown ? fmt::format(" Only the first {} of the {} columns are shown.",
                                               kMaxColumnsShown, dims)
                                 : std::string();
}

/// One panel of a scatter plot, its ranges fixed so that data and samples panels compare.
Axes scatter_panel(const std::string& title, const Matrix& rows, const ColumnPair& pair,
                   const std::vector<std::string>& names, const char* color,
                   const std::pair<double, double>& x_range,
                   const std::pair<double, double>& y_range) {
  Axes axes(title, names[static_cast<size_t>(pair.first)], names[static_cast<size_t>(pair.second)]);
  axes.fix_x(x_range.first, x_range.second);
  axes.fix_y(y_range.first, y_range.second);
  const Vector x = rows.col(pair.first);
  const Vector y = rows.col(pair.second);
  axes.points({x.data(), x.data() + x.size()}, {y.data(), y.data() + y.size()}, color, "");
  return axes;
}

/// Rows with a value outside the plotted ranges of the pair's columns (not drawn).
Index rows_outside(const Matrix& rows, const ColumnPair& pair, const std::pair<double, double>& x,
                   const std::pair<double, double>& y) {
  Index count = 0;
  for (Index i = 0; i < rows.rows(); ++i) {
    const double a = rows(i, pair.first), b = rows(i, pair.second);
    if (a < x.first || a > x.second || b < y.first || b > y.second) ++count;
  }
  return count;
}

}  // namespace

void add_marginals_section(HtmlReport& html, const ReportData& input) {
  html.begin_section("marginals", "Column marginals: data against model samples");
  const Index dims = input.model.dims();
  std::vector<std::pair<std::string, std::string>> figures;
  for (Index j = 0; j < std::min(dims, kMaxColumnsShown); ++j) {
    const auto [lo, hi] = column_range(input, j);
    const std::string& name = input.names[static_cast<size_t>(j)];
    Axes axes(name, name, "density");
    axes.fix_x(lo, hi);
    axes.include_y(0.0, 0.0);
    if (input.data != nullptr) {
      const Histogram h = histogram(input.data->values.col(j), lo, hi, kBins);
      const Polyline outline = histogram_outline(h.edges, h.density);
      axes.line(outline.x, outline.y, kBlue, "data");
    }
    const Histogram s = histogram(input.samples.col(j), lo, hi, kBins);
    const Polyline outline = histogram_outline(s.edges, s.density);
    axes.line(outline.x, outline.y, kOrange, "samples");
    figures.push_back({render_figure({axes}, name + " marginal"),
                       fmt::format("{}: {} of {} model samples outside the plotted range.", name,
                                   s.outside, input.samples.rows())});
  }
  html.paragraph(
      (input.data != nullptr
           ? fmt::format("Histograms of each column of {} ({} rows, blue) and of {} model samples "
                         "(orange), as densities over the data's range.",
                         input.data_path, input.data->values.rows(), input.samples.rows())
           : fmt::format("No data given (--data): histograms of {} model samples only, over their "
                         "central 99 %.",
                         input.samples.rows())) +
      shown_columns_note(dims));
  html.figures(figures);
}

void add_pairs_section(HtmlReport& html, const ReportData& input) {
  html.begin_section("pairs", "Most dependent column pairs");
  if (input.model.dims() < 2) {
    html.paragraph("The model has one dimension: there are no column pairs.");
    return;
  }
  const Matrix samples =
      select_rows(input.samples, seeded_rows(input.samples.rows(), kMaxScatterRows, input.seed));
  Matrix data;
  if (input.data != nullptr) {
    data = select_rows(input.data->values,
                       seeded_rows(input.data->values.rows(), kMaxScatterRows, input.seed));
  }
  const Matrix& basis = input.data != nullptr ? data : samples;
  const std::vector<ColumnPair> pairs = most_dependent_pairs(basis, kPairsShown);
  html.paragraph(fmt::format(
      "The {} column pairs with the largest |Spearman rank correlation| of the {} ({} rows "
      "plotted, seeded subset), {}.",
      pairs.size(), input.data != nullptr ? "data" : "model samples", basis.rows(),
      input.data != nullptr
          ? fmt::format("each beside {} model samples on the same axes", samples.rows())
          : std::string("no data given (--data)")));
  for (const ColumnPair& pair : pairs) {
    const auto x_range = column_range(input, pair.first);
    const auto y_range = column_range(input, pair.second);
    const std::string& a = input.names[static_cast<size_t>(pair.first)];
    const std::string& b = input.names[static_cast<size_t>(pair.second)];
    std::vector<std::pair<std::string, std::string>> figures;
    if (input.data != nullptr) {
      figures.push_back(
          {render_figure({scatter_panel("data", data, pair, input.names, kBlue, x_range, y_range)},
                         fmt::format("{} against {}, data", b, a), 360, 300),
           fmt::format("{} against {} in the data: Spearman ρ = {}.", b, a,
                       number_text(pair.rank_correlation))});
    }
    const Axes panel =
        scatter_panel("model samples", samples, pair, input.names, kOrange, x_range, y_range);
    figures.push_back(
        {render_figure({panel}, fmt::format("{} against {}, model samples", b, a), 360, 300),
         fmt::format("{} against {}, model samples{}: {} of {} fall outside the {} range.", b, a,
                     input.data != nullptr
                         ? std::string()
                         : fmt::format(" (Spearman ρ = {})", number_text(pair.rank_correlation)),
                     rows_outside(samples, pair, x_range, y_range), samples.rows(),
                     input.data != nullptr ? "data's" : "samples' central 99 %")});
    html.figures(figures);
  }
}

void add_latent_section(HtmlReport& html, const ReportData& input) {
  html.begin_section("latent", "Normality of the latent space");
  if (input.data == nullptr) {
    html.paragraph(
        "No data given (--data): this check maps data through the model, z = G(x), and compares "
        "each latent column with N(0, 1).");
    return;
  }
  const std::vector<Index> rows =
      seeded_rows(input.data->values.rows(), kMaxLatentRows, input.seed);
  const Matrix latent = input.model.transform(select_rows(input.data->values, rows));
  const Index dims = input.model.dims();
  Axes axes("Latent quantiles against N(0, 1)", "N(0, 1) quantile", "latent quantile");
  std::vector<std::vector<std::string>> table;
  axes.diagonal(kGrey, "y = x");  // first, so that its legend entry is never crowded out
  for (Index j = 0; j < std::min(dims, kMaxColumnsShown); ++j) {
    const QuantilePairs qq = normal_qq(latent.col(j), 200);
    axes.line(qq.normal, qq.empirical, kLineColors[j % 6], fmt::format("z{}", j + 1));
  }
  for (Index j = 0; j < dims; ++j) {
    const Vector z = latent.col(j);
    const double mean = z.mean();
    const double sd = std::sqrt((z.array() - mean).square().sum() /
                                static_cast<double>(std::max<Index>(z.size() - 1, 1)));
    table.push_back({fmt::format("z{}", j + 1), number_text(mean), number_text(sd)});
  }
  html.figure(render_figure({axes}, "latent normal quantile plot", 480, 360),
              fmt::format("Quantiles of each latent column of {} of the {} data rows (seeded "
                          "subset) against those of N(0, 1): a Gaussianized column lies on the "
                          "dashed line y = x.{}",
                          rows.size(), input.data->values.rows(), shown_columns_note(dims)));
  html.table({"latent column", "mean", "standard deviation"}, table, dims > kMaxColumnsShown);
}

}  // namespace rbig::cli::report
