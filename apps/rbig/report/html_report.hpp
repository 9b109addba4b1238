#pragma once
/// A self-contained HTML report built section by section: one file, inline SVG figures, a small
/// stylesheet for phones and print, no script and no external resource. The document is
/// well-formed XML (XHTML syntax served as HTML): every element closed, every text escaped.
///
///   HtmlReport html("rbig report: faithful.rbig");
///   html.begin_section("summary", "Fit summary");
///   html.key_values({{"layers", "12"}});
///   std::string text = html.document();

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rbig::cli::report {

class HtmlReport {
 public:
  explicit HtmlReport(std::string title);

  /// Starts <section id="id"> with an <h2>; later content goes into it until the next section.
  void begin_section(std::string_view id, std::string_view heading);
  /// A paragraph of plain text (escaped).
  void paragraph(std::string_view text);
  /// A two-column table: a header cell (the key) and a data cell per row.
  void key_values(const std::vector<std::pair<std::string, std::string>>& rows);
  /// A table with a header row. long_table: scrolls inside a box of limited height on screen,
  /// printed in full.
  void table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, bool long_table = false);
  /// Figures (SVG elements from render_figure) in a grid that wraps on narrow screens, each with a
  /// caption.
  void figures(const std::vector<std::pair<std::string, std::string>>& svg_and_caption);
  /// One full-width figure with a caption.
  void figure(const std::string& svg, std::string_view caption);

  /// The whole document.
  std::string document() const;

 private:
  void close_section();

  std::string title_;
  std::string body_;
  bool in_section_ = false;
};

}  // namespace rbig::cli::report
