// CSV input. The file is mapped (or read) into memory whole and parsed in place, and a first pass
// counts the rows so values go straight into the final matrix. A 1e6 x 10 file (190 MB) loads in
// about a second. Fields and rows are parsed in csv_fields.cpp.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include "core/huge_pages.hpp"
#include "io/csv_fields.hpp"
#include "io/column_names.hpp"
#include "io/csv_text.hpp"
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

/// Rows of `columns` fields that `text_bytes` of text can hold, at most `rows`: a row of C fields
/// takes at least C bytes (C − 1 delimiters and a line break; the last line may lack the break),
/// so a first row of 200,000 fields followed by short rows reserves a few rows, not gigabytes.
Index row_capacity(std::size_t text_bytes, Index rows, std::size_t columns) {
  const std::size_t fitting = (text_bytes + 1) / std::max<std::size_t>(columns, 1);
  return std::max<Index>(1, std::min(rows, static_cast<Index>(fitting)));
}

/// Doubles the rows of values (at most to `rows`), keeping its contents. By row_capacity a
/// correct file never needs this; it keeps a row being checked inside the matrix.
void grow_rows(Matrix& values, Index rows) {
  values.conservativeResize(std::min(rows, 2 * values.rows()), values.cols());
}

// Between cancellation checks (rbig/cancel.hpp): a few milliseconds of parsing.
constexpr Index kRowsPerCancelCheck = 1 << 14;

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
  return detail::parse_csv_text(text, source, options, false);
}

Table detail::parse_csv_text(std::string_view text, const std::string& source,
                             const CsvOptions& options, bool part) {
  check_delimiter(options.delimiter);
  const char delimiter = options.delimiter;
  LineCursor cursor(text);
  std::string_view line;
  Table table;
  if (!cursor.next(line)) {
    if (part) return table;
    throw InputError(source, 0, 0, "no data rows");
  }

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
      if (part) {
        table.values.resize(0, static_cast<Index>(table.column_names.size()));
        return table;
      }
      throw InputError(source, header_line, 0, "no data rows after the header");
    }
  } else {
    const bool quotes = line.find('"') != std::string_view::npos;
    table.column_names = detail::numbered_column_names(
        quotes ? split_fields(line, delimiter, {source, cursor.line_number()}).size()
               : count_fields(line, delimiter));
  }

  // Counting rows first lets the fields go straight into the final column-major matrix: no
  // transposing copy, half the memory. The first row's field count only sizes it as far as the
  // text can hold rows that long (row_capacity), so a wide first row is not trusted blindly.
  const std::size_t columns = table.column_names.size();
  const Index rows = count_rows(cursor);
  table.values.resize(row_capacity(text.size(), rows, columns), static_cast<Index>(columns));
  detail::advise_huge_pages(table.values.data(),
                            static_cast<std::size_t>(table.values.size()) * sizeof(double));
  // A dropped row is overwritten by the next one; the kept rows are the top ones.
  Index kept = 0;
  Index line_count = 0;
  do {
    if (kept == table.values.rows()) grow_rows(table.values, rows);
    if (parse_data_row(line, delimiter, columns, {source, cursor.line_number()},
                       options.drop_missing, table.values.data() + kept, table.values.rows())) {
      ++kept;
    }
    if (++line_count % kRowsPerCancelCheck == 0) throw_if_cancelled();
  } while (cursor.next(line));
  table.dropped_rows = rows - kept;
  if (kept == 0 && part) {
    table.values.resize(0, static_cast<Index>(columns));
    return table;
  }
  if (kept == 0) {
    throw InputError(source, 0, 0,
                     fmt::format("no data rows left: all {} rows hold a missing value", rows));
  }
  if (kept < table.values.rows()) table.values = table.values.topRows(kept).eval();
  return table;
}

}  // namespace rbig
