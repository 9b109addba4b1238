#pragma once
/// CSV reading and writing, and atomic file output.
///
/// CSV in: one sample per row, fields separated by the delimiter. Blank lines and lines starting
/// with '#' are skipped. With Header::Auto the first row is a header only if one of its fields is
/// not a number; a numeric first row is data. Every field must be a finite number.

#include <rbig/types.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace rbig {

struct CsvOptions {
  enum class Header { Auto, Yes, No };
  Header header = Header::Auto;
  char delimiter = ',';
};

struct Table {
  std::vector<std::string> column_names;  // from the header, or "x1", "x2", … without one
  Matrix values;                          // rows × columns
};

/// Reads a CSV file; throws InputError naming path, line and column of the first bad field.
Table read_csv(const std::filesystem::path& path, const CsvOptions& options = {});
/// Parses CSV text; source names the text in error messages.
Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options = {});

/// Writes a header line (if names are given) and one row per matrix row; numbers in the shortest
/// form that reads back to the same double.
void write_csv(std::ostream& out, ConstMatrixRef values, const std::vector<std::string>& names);

/// Calls write(stream) on a temporary file beside path, flushes it, then renames it over path.
/// On any exception the temporary file is removed and path is left untouched.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace rbig
