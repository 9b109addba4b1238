#pragma once
/// A small SVG plot writer for rbig report: panels with nice-tick axes holding lines, points and
/// reference lines, laid out in a row inside one <svg> with a viewBox (CSS scales it to the page).
/// The output is well-formed XML with every text escaped, colours as attributes (no stylesheet,
/// no script), so it reads the same in a browser, in print and when parsed.
///
///   Axes axes("Layer information", "layer", "nats");
///   axes.line({1, 2, 3}, {0.5, 0.2, 0.1}, kBlue, "per layer");
///   std::string svg = render_figure({axes}, "information removed per layer");

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rbig::cli::report {

// Okabe–Ito colours: told apart with every common colour-vision deficiency and in grey print.
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kGreen = "#009E73";
inline constexpr const char* kVermillion = "#D55E00";
inline constexpr const char* kPurple = "#CC79A7";
inline constexpr const char* kSky = "#56B4E9";
inline constexpr const char* kGrey = "#777777";

/// The text with & < > " ' replaced by entities and control characters XML 1.0 forbids replaced
/// by '?': safe as element content and inside a double-quoted attribute.
std::string escape_xml(std::string_view text);

/// Up to about max_count round tick positions (1, 2 or 5 times a power of ten) inside [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int max_count);

/// One plot panel in data coordinates. A range covers every series and include_* interval, plus
/// 3 % each side so that nothing sits on the frame, unless fixed by fix_*: then points outside
/// are not drawn (lines are not clipped; keep them inside a fixed range).
class Axes {
 public:
  Axes(std::string title, std::string x_label, std::string y_label);

  /// A polyline through (x[i], y[i]); non-finite points are skipped.
  void line(std::vector<double> x, std::vector<double> y, std::string color, std::string label);
  /// A dot per (x[i], y[i]).
  void points(std::vector<double> x, std::vector<double> y, std::string color, std::string label);
  /// A dashed vertical line at x across the whole panel.
  void vertical_line(double x, std::string color, std::string label);
  /// The dashed line y = x across the panel (for quantile–quantile plots).
  void diagonal(std::string color, std::string label);
  /// Widens the ranges so that they hold [lo, hi].
  void include_x(double lo, double hi);
  void include_y(double lo, double hi);
  /// Sets the range exactly (lo < hi).
  void fix_x(double lo, double hi);
  void fix_y(double lo, double hi);

  /// The panel as an SVG group drawn in the box (left, top, width, height) of the figure.
  std::string render(double left, double top, double width, double height) const;

 private:
  enum class Kind { Line, Points, VerticalLine, Diagonal };
  struct Series {
    Kind kind;
    std::vector<double> x, y;
    std::string color, label;
  };
  struct Range {
    double lo, hi;
  };
  /// The fixed range if any, else the padded extent of the extras and the series' coordinates.
  Range range(const std::optional<Range>& fixed, const std::vector<double>& extras,
              std::vector<double> Series::*coordinates) const;
  std::string render_legend(double left, double top, double width) const;

  std::string title_, x_label_, y_label_;
  std::vector<Series> series_;
  std::vector<double> x_extra_, y_extra_;
  std::optional<Range> x_fixed_, y_fixed_;
};

/// Panels side by side in one <svg> element with a viewBox and an accessible title.
std::string render_figure(const std::vector<Axes>& panels, std::string_view title,
                          double panel_width = 360, double panel_height = 260);

/// Points of a polyline.
struct Polyline {
  std::vector<double> x, y;
};
/// The outline of a histogram with these bin edges (heights.size() + 1 of them): from the
/// baseline up and along each bin, then down to the baseline.
Polyline histogram_outline(const std::vector<double>& edges, const std::vector<double>& heights);

}  // namespace rbig::cli::report
