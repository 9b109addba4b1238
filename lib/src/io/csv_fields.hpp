#pragma once
// The field level of CSV input: one field to a number, one row to a row of a column-major matrix,
// RFC 4180 quoted fields, and the messages that name a bad field by file:line:column. The reader
// (csv_reader.cpp) owns the file, the lines and the table; this part never sees more than a line.

#include <rbig/types.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rbig::detail {

/// Space and tab: the blanks allowed around a field and on a skipped line.
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

/// Where a row came from, for messages.
struct RowSource {
  const std::string& source;
  std::size_t line;
};

/// Number of fields in a line without quotes.
std::size_t count_fields(std::string_view line, char delimiter);

/// Splits a row into trimmed fields. A field in double quotes may contain the delimiter; ""
/// inside it stands for one quote (RFC 4180), which is how write_csv quotes awkward names.
/// Throws InputError at `where` for an unclosed quote or text after a closing one.
std::vector<std::string> split_fields(std::string_view line, char delimiter,
                                      const RowSource& where);

/// Parses a data row of exactly `columns` fields into out[0], out[stride], out[2 * stride], … (one
/// row of a column-major matrix). Returns false if the row holds a missing value and drop_missing
/// is set; the rest of the row is still checked, so a bad field is never hidden by a dropped row.
/// Throws InputError naming the line and column of a bad field or a wrong field count.
bool parse_data_row(std::string_view line, char delimiter, std::size_t columns,
                    const RowSource& where, bool drop_missing, double* out, Index stride);

/// A header names a column unless every field is numeric text or a missing value. Empty fields
/// and NA decide nothing, and "inf" or "1e999" count as numeric, so a first data row with a bad
/// value is reported as bad data (or dropped) instead of being silently taken as column names.
bool looks_like_header(std::string_view line, char delimiter);

}  // namespace rbig::detail
