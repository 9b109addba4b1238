#include "report/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace rbig::cli::report {
namespace {

// Panel layout in viewBox units: room for the title and legend above the plot area, tick
// labels and axis titles below and to the left.
constexpr double kMarginLeft = 58;
constexpr double kMarginRight = 12;
constexpr double kMarginTop = 40;
constexpr double kMarginBottom = 40;

/// A data-to-viewBox map of one axis.
struct Scale {
  double lo, hi, from, to;
  double operator()(double v) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

/// A tick label: few digits, and exactly 0 instead of a rounding residue like 1e-17.
std::string tick_text(double value, double step) {
  if (std::abs(value) < step * 1e-9) return "0";
  return fmt::format("{:.6g}", value);
}

/// Widens an empty or degenerate range so that a scale over it is defined.
std::pair<double, double> usable(double lo, double hi) {
  if (!(lo <= hi)) return {0.0, 1.0};  // no finite value at all
  if (hi - lo > 1e-12 * std::max(1.0, std::abs(lo))) return {lo, hi};
  const double pad = std::max(0.5, std::abs(lo) * 0.1);
  return {lo - pad, hi + pad};
}

/// Extends [lo, hi] by the finite values.
void extend(double& lo, double& hi, const std::vector<double>& values) {
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
}

std::string polyline_points(const std::vector<double>& x, const std::vector<double>& y,
                            const Scale& sx, const Scale& sy) {
  std::string points;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", sx(x[i]), sy(y[i]));
  }
  return points;
}

// Dots as zero-length strokes with round caps in one path: a quarter of the bytes of circles.
std::string dots_path(const std::vector<double>& x, const std::vector<double>& y, const Scale& sx,
                      const Scale& sy) {
  std::string d;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    const bool inside = x[i] >= sx.lo && x[i] <= sx.hi && y[i] >= sy.lo && y[i] <= sy.hi;
    if (!inside) continue;  // outside a fixed range (NaN too)
    d += fmt::format("M{:.1f} {:.1f}h0", sx(x[i]), sy(y[i]));
  }
  return d;
}

std::string axis_ticks(const Scale& sx, const Scale& sy, double plot_left, double plot_top,
                       double plot_right, double plot_bottom) {
  std::string out;
  const std::vector<double> x_ticks = nice_ticks(sx.lo, sx.hi, 6);
  const double x_step = x_ticks.size() > 1 ? x_ticks[1] - x_ticks[0] : 1.0;
  for (double t : x_ticks) {
    const double px = sx(t);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#e4e4e4\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
        px, plot_top, plot_bottom, plot_bottom + 13, escape_xml(tick_text(t, x_step)));
  }
  const std::vector<double> y_ticks = nice_ticks(sy.lo, sy.hi, 6);
  const double y_step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1.0;
  for (double t : y_ticks) {
    const double py = sy(t);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#e4e4e4\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>",
        plot_left, plot_right, py, plot_left - 4, py + 3.5, escape_xml(tick_text(t, y_step)));
  }
  return out;
}

/// The length of the well-formed UTF-8 sequence starting at text[i], 0 if there is none.
size_t utf8_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned min_second = 0x80, max_second = 0xBF;  // RFC 3629 table: no overlong, no surrogate
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const size_t length = utf8_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8 (a path can hold one)
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(text, i, length);
      i += length;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows no control character but tab, newline and carriage return.
        out +=
            (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ? '?' : c;
    }
    ++i;
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int max_count) {
  std::vector<double> ticks;
  if (!(hi > lo) || max_count < 2) return ticks;
  const double raw = (hi - lo) / (max_count - 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * power;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  }
  // Multiples of the step, each from its own index so that rounding never accumulates; a bounded
  // count, because near 1e16 an index plus one can round back to itself.
  const double first = std::ceil(lo / step - 1e-9);
  for (int i = 0; i <= 2 * max_count; ++i) {
    const double tick = (first + i) * step;
    if (tick > hi + step * 1e-9) break;
    ticks.push_back(tick);
  }
  return ticks;
}

Axes::Axes(std::string title, std::string x_label, std::string y_label)
    : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

void Axes::line(std::vector<double> x, std::vector<double> y, std::string color,
                std::string label) {
  series_.push_back({Kind::Line, std::move(x), std::move(y), std::move(color), std::move(label)});
}

void Axes::points(std::vector<double> x, std::vector<double> y, std::string color,
                  std::string label) {
  series_.push_back({Kind::Points, std::move(x), std::move(y), std::move(color), std::move(label)});
}

void Axes::vertical_line(double x, std::string color, std::string label) {
  series_.push_back({Kind::VerticalLine, {x}, {}, std::move(color), std::move(label)});
}

void Axes::diagonal(std::string color, std::string label) {
  series_.push_back({Kind::Diagonal, {}, {}, std::move(color), std::move(label)});
}

void Axes::include_x(double lo, double hi) { x_extra_.insert(x_extra_.end(), {lo, hi}); }

void Axes::include_y(double lo, double hi) { y_extra_.insert(y_extra_.end(), {lo, hi}); }

void Axes::fix_x(double lo, double hi) { x_fixed_ = Range{lo, hi}; }

void Axes::fix_y(double lo, double hi) { y_fixed_ = Range{lo, hi}; }

Axes::Range Axes::range(const std::optional<Range>& fixed, const std::vector<double>& extras,
                        std::vector<double> Series::*coordinates) const {
  if (fixed && fixed->lo < fixed->hi) return *fixed;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  extend(lo, hi, extras);
  for (const Series& s : series_) extend(lo, hi, s.*coordinates);
  const auto [a, b] = usable(lo, hi);
  const double pad = 0.03 * (b - a);
  return {a - pad, b + pad};
}

std::string Axes::render_legend(double left, double top, double width) const {
  std::string out;
  double x = left;
  for (const Series& s : series_) {
    if (s.label.empty()) continue;
    const double item_width = 22 + 6.0 * static_cast<double>(s.label.size());
    if (x > left && x + item_width > left + width) break;  // no room: the caption says the rest
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"{3}\" "
        "stroke-width=\"3\"/><text x=\"{4:.1f}\" y=\"{5:.1f}\">{6}</text>",
        x, top, x + 14, escape_xml(s.color), x + 18, top + 3.5, escape_xml(s.label));
    x += item_width;
  }
  return out;
}

std::string Axes::render(double left, double top, double width, double height) const {
  const double plot_left = left + kMarginLeft;
  const double plot_right = left + width - kMarginRight;
  const double plot_top = top + kMarginTop;
  const double plot_bottom = top + height - kMarginBottom;
  const Range xr = range(x_fixed_, x_extra_, &Series::x);
  const Range yr = range(y_fixed_, y_extra_, &Series::y);
  const Scale sx{xr.lo, xr.hi, plot_left, plot_right};
  const Scale sy{yr.lo, yr.hi, plot_bottom, plot_top};

  std::string out = "<g>";
  out += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"12\" "
      "font-weight=\"bold\">{}</text>",
      left + width / 2, top + 14, escape_xml(title_));
  out += render_legend(plot_left, top + 29, plot_right - plot_left);
  out += axis_ticks(sx, sy, plot_left, plot_top, plot_right, plot_bottom);
  for (const Series& s : series_) {
    const std::string color = escape_xml(s.color);
    switch (s.kind) {
      case Kind::Line:
        out += fmt::format(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\"/>",
            polyline_points(s.x, s.y, sx, sy), color);
        break;
      case Kind::Points:
        out += fmt::format(
            "<path d=\"{}\" stroke=\"{}\" stroke-width=\"3\" stroke-linecap=\"round\" "
            "stroke-opacity=\"0.55\" fill=\"none\"/>",
            dots_path(s.x, s.y, sx, sy), color);
        break;
      case Kind::VerticalLine:
        out += fmt::format(
            "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" "
            "stroke-width=\"1.4\" stroke-dasharray=\"5 3\"/>",
            sx(s.x.front()), plot_top, plot_bottom, color);
        break;
      case Kind::Diagonal: {
        const double lo = std::max(xr.lo, yr.lo);
        const double hi = std::min(xr.hi, yr.hi);
        if (lo >= hi) break;  // y = x does not cross the panel
        out += fmt::format(
            "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
            "stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>",
            sx(lo), sy(lo), sx(hi), sy(hi), color);
        break;
      }
    }
  }
  out += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
      "stroke=\"#999999\"/>",
      plot_left, plot_top, plot_right - plot_left, plot_bottom - plot_top);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                     (plot_left + plot_right) / 2, plot_bottom + 30, escape_xml(x_label_));
  out += fmt::format(
      "<text transform=\"translate({:.1f} {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
      left + 12, (plot_top + plot_bottom) / 2, escape_xml(y_label_));
  return out + "</g>";
}

std::string render_figure(const std::vector<Axes>& panels, std::string_view title,
                          double panel_width, double panel_height) {
  const double width = panel_width * static_cast<double>(std::max<size_t>(panels.size(), 1));
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
      "font-family=\"sans-serif\" font-size=\"10\"><title>{}</title>",
      width, panel_height, escape_xml(title));
  for (size_t i = 0; i < panels.size(); ++i) {
    out += panels[i].render(panel_width * static_cast<double>(i), 0, panel_width, panel_height);
  }
  return out + "</svg>";
}

Polyline histogram_outline(const std::vector<double>& edges, const std::vector<double>& heights) {
  Polyline outline;
  if (edges.size() != heights.size() + 1 || heights.empty()) return outline;
  outline.x.push_back(edges.front());
  outline.y.push_back(0.0);
  for (size_t b = 0; b < heights.size(); ++b) {
    outline.x.insert(outline.x.end(), {edges[b], edges[b + 1]});
    outline.y.insert(outline.y.end(), {heights[b], heights[b]});
  }
  outline.x.push_back(edges.back());
  outline.y.push_back(0.0);
  return outline;
}

}  // namespace rbig::cli::report
