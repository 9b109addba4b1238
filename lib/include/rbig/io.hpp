#pragma once
/// CSV reading and writing, and atomic file output.
///
/// CSV in: one sample per row, fields separated by the delimiter. Blank lines and lines starting
/// with '#' are skipped; a UTF-8 BOM and CRLF line endings are accepted. Any field may be in double
/// quotes (RFC 4180: "" inside stands for one quote), so a column name may hold the delimiter and
/// "1.5" is the number 1.5. With Header::Auto the first row is a header only if one of its fields
/// is neither a number nor a missing value; a numeric first row is data. Every data field must be a
/// finite number: a missing value (an empty field, NA, N/A, NULL, NaN or ±inf) is an error naming
/// line and column unless drop_missing is set, which drops the rows holding one.

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
  /// Any single byte except a digit, sign, '.', 'e'/'E', quote, NUL, CR or LF (OptionError).
  char delimiter = ',';
  /// Drop every data row holding a missing value instead of throwing; Table::dropped_rows counts
  /// them. Rows with any other bad field still throw, and so does a file left with no rows.
  bool drop_missing = false;
};

struct Table {
  std::vector<std::string> column_names;  // from the header, or "x1", "x2", … without one
  Matrix values;                          // rows × columns
  Index dropped_rows = 0;                 // rows left out by CsvOptions::drop_missing
  bool has_header = false;                // column_names came from the file
};

/// Reads a CSV file; throws InputError naming path, line and column of the first bad field.
Table read_csv(const std::filesystem::path& path, const CsvOptions& options = {});
/// Parses CSV text; source names the text in error messages.
Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options = {});

/// One process's part of a CSV file split among several (a distributed fit): the bytes from
/// part·size/parts, moved forward to the next line start, to where the next part starts. The
/// parts of 0…parts−1 hold every line once, in order.
struct CsvPart {
  std::string text;
  std::size_t lines = 0;    // line breaks in text
  bool first_part = false;  // holds the header, if there is one
};
/// Reads part `part` (0-based) of `parts` of a regular file: only that part's bytes (and a few
/// around its ends to find line starts). Throws InputError naming the file.
CsvPart read_csv_part_bytes(const std::filesystem::path& path, int part, int parts);
/// Parses a part; lines_before: line breaks before it in the file (the parts before it together),
/// so that errors name the line of the whole file. Parts after the first have no header. A part
/// without data rows (a file split among more processes than it has lines) gives a table of no
/// rows (0 columns unless it holds the header): check the rows of all parts together.
Table parse_csv_part(const CsvPart& part, std::size_t lines_before, const std::string& source,
                     const CsvOptions& options = {});

/// Writes a header line (if names are given) and one row per matrix row; numbers in the shortest
/// form that reads back to the same double.
void write_csv(std::ostream& out, ConstMatrixRef values, const std::vector<std::string>& names);

/// Calls write(stream) on a temporary file beside path, flushes it, then renames it over path.
/// On any exception (also rbig::Cancelled, see cancel.hpp) the temporary file is removed and path
/// is left untouched. A symbolic link is followed: the file it points to is replaced, the link
/// stays. Temporaries of the same path left by a writer that was killed (its process is gone)
/// are removed first.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

/// Throws Error unless write_file_atomically(path, …) can create its temporary file: a missing
/// or unwritable folder, or a path that names a folder. Cheap: call it before long work.
void check_writable(const std::filesystem::path& path);

}  // namespace rbig
