#include "report/html_report.hpp"

#include "report/svg_plot.hpp"

#include <fmt/format.h>

namespace rbig::cli::report {
namespace {

// Phones: figures take the full width (viewBox scaling) and the grid falls to one column;
// wide tables scroll inside their box, long ones too. Print: every row of a long table (no
// scrolling on paper), black on white, no figure split across pages.
constexpr const char* kStyle = R"(
body { font-family: sans-serif; line-height: 1.4; margin: 0 auto; max-width: 1100px;
       padding: 0 0.8em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; }
svg { width: 100%; height: auto; display: block; }
figure { margin: 0.6em 0; } figcaption { font-size: 0.85em; color: #555; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0.6em; }
.scroll { overflow-x: auto; }
.long { max-height: 22em; overflow-y: auto; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.15em 0.5em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
@media print {
  body { max-width: none; color: #000; }
  figure, table { break-inside: avoid; }
  .grid { grid-template-columns: repeat(2, 1fr); }
  .long { max-height: none; overflow: visible; }
  section { break-before: auto; }
}
)";

/// A cell that is a number is right-aligned so that digits line up.
bool looks_numeric(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (std::string_view("0123456789.-+e").find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string cell(const char* tag, const std::string& text) {
  const bool numeric = std::string_view(tag) == "td" && looks_numeric(text);
  return fmt::format("<{0}{1}>{2}</{0}>", tag, numeric ? " class=\"num\"" : "", escape_xml(text));
}

}  // namespace

HtmlReport::HtmlReport(std::string title) : title_(std::move(title)) {}

void HtmlReport::close_section() {
  if (in_section_) body_ += "</section>\n";
  in_section_ = false;
}

void HtmlReport::begin_section(std::string_view id, std::string_view heading) {
  close_section();
  body_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", escape_xml(id), escape_xml(heading));
  in_section_ = true;
}

void HtmlReport::paragraph(std::string_view text) {
  body_ += fmt::format("<p>{}</p>\n", escape_xml(text));
}

void HtmlReport::key_values(const std::vector<std::pair<std::string, std::string>>& rows) {
  body_ += "<div class=\"scroll\"><table>\n";
  for (const auto& [key, value] : rows) {
    body_ += "<tr>" + cell("th", key) + cell("td", value) + "</tr>\n";
  }
  body_ += "</table></div>\n";
}

void HtmlReport::table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows, bool long_table) {
  body_ += fmt::format("<div class=\"scroll{}\"><table>\n<thead><tr>", long_table ? " long" : "");
  for (const std::string& name : header) body_ += cell("th", name);
  body_ += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : rows) {
    body_ += "<tr>";
    for (const std::string& text : row) body_ += cell("td", text);
    body_ += "</tr>\n";
  }
  body_ += "</tbody></table></div>\n";
}

void HtmlReport::figures(const std::vector<std::pair<std::string, std::string>>& svg_and_caption) {
  body_ += "<div class=\"grid\">\n";
  for (const auto& [svg, caption] : svg_and_caption) figure(svg, caption);
  body_ += "</div>\n";
}

void HtmlReport::figure(const std::string& svg, std::string_view caption) {
  body_ +=
      fmt::format("<figure>{}<figcaption>{}</figcaption></figure>\n", svg, escape_xml(caption));
}

std::string HtmlReport::document() const {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
      "<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<title>{0}</title>\n<style>{1}</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
      escape_xml(title_), kStyle);
  out += body_;
  if (in_section_) out += "</section>\n";
  return out + "</body>\n</html>\n";
}

}  // namespace rbig::cli::report
