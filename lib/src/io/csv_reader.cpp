// CSV input. The file is mapped (or read) into memory whole and parsed in place, and a first pass
// counts the rows so values go straight into the final matrix. A 1e6 x 10 file (190 MB) loads in
// about a second. Fields and rows are parsed in csv_fields.cpp.

#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include "io/csv_fields.hpp"
#include "io/file_contents.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace rbig {
namespace {

using detail::count_fields;
using detail::is_blank;
using detail::looks_like_header;
using detail::parse_data_row;
using detail::split_fields;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::vector<std::string> default_names(std::size_t columns) {
  std::vector<std::string> names;
  names.reserve(columns);
  for (std::size_t i = 1; i <= columns; ++i) names.push_back(fmt::format("x{}", i));
  return names;
}

/// Walks physical lines, skipping blank and comment lines but counting them for messages.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) text_.remove_prefix(kUtf8Bom.size());
  }

  /// Sets line to the next row holding data (without its line ending); false at the end.
  bool next(std::string_view& line) {
    while (pos_ < text_.size()) {
      const std::size_t newline = std::min(text_.find('\n', pos_), text_.size());
      line = text_.substr(pos_, newline - pos_);
      pos_ = newline + 1;
      ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!is_skipped(line)) return true;
    }
    return false;
  }

  /// 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }

 private:
  static bool is_skipped(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && is_blank(line[i])) ++i;
    return i == line.size() || line[i] == '#';
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
};

/// Number of data rows from the cursor's current line (included) to the end of the text.
Index count_rows(LineCursor cursor) {
  Index rows = 1;
  std::string_view ignored;
  while (cursor.next(ignored)) ++rows;
  return rows;
}

void check_delimiter(char delimiter) {
  // A delimiter that can occur inside a number, a quoted name or a line ending makes rows
  // ambiguous.
  if (std::string_view("0123456789+-.eE\"\r\n").find(delimiter) != std::string_view::npos ||
      delimiter == '\0') {
    throw OptionError("delimiter",
                      fmt::format("must not be a digit, sign, '.', 'e', quote, NUL or line break "
                                  "(got {:?})",
                                  delimiter));
  }
}

}  // namespace

Table read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  check_delimiter(options.delimiter);
  const detail::FileContents contents(path);
  return parse_csv(contents.bytes(), path.string(), options);
}

Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  check_delimiter(options.delimiter);
  const char delimiter = options.delimiter;
  LineCursor cursor(text);
  std::string_view line;
  if (!cursor.next(line)) throw InputError(source, 0, 0, "no data rows");

  Table table;
  const bool header =
      options.header == CsvOptions::Header::Yes ||
      (options.header == CsvOptions::Header::Auto && looks_like_header(line, delimiter));
  bool have_row = true;
  table.has_header = header;
  if (header) {
    table.column_names = split_fields(line, delimiter, {source, cursor.line_number()});
    const std::size_t header_line = cursor.line_number();
    have_row = cursor.next(line);
    if (!have_row) {
      throw InputError(source, header_line, 0, "no data rows after the header");
    }
  } else {
    const bool quotes = line.find('"') != std::string_view::npos;
    table.column_names =
        default_names(quotes ? split_fields(line, delimiter, {source, cursor.line_number()}).size()
                             : count_fields(line, delimiter));
  }

  // Counting rows first lets the fields go straight into the final column-major matrix: no growing
  // buffer, no transposing copy, half the memory.
  const std::size_t columns = table.column_names.size();
  const Index rows = count_rows(cursor);
  table.values.resize(rows, static_cast<Index>(columns));
  // A dropped row is overwritten by the next one; the kept rows are the top ones.
  Index kept = 0;
  do {
    if (parse_data_row(line, delimiter, columns, {source, cursor.line_number()},
                       options.drop_missing, table.values.data() + kept, rows)) {
      ++kept;
    }
  } while (cursor.next(line));
  table.dropped_rows = rows - kept;
  if (kept == 0) {
    throw InputError(source, 0, 0,
                     fmt::format("no data rows left: all {} rows hold a missing value", rows));
  }
  if (kept < rows) table.values = table.values.topRows(kept).eval();
  return table;
}

}  // namespace rbig
