#pragma once
// CSV text to a table, for a whole file (parse_csv) or one process's part of it (parse_csv_part),
// which may hold no data rows when a file is split among more processes than it has lines.

#include <rbig/io.hpp>

#include <string>
#include <string_view>

namespace rbig::detail {

/// parse_csv; with `part`, text without data rows (none at all, a header alone, or rows all
/// dropped as missing) gives a table of no rows, of the header's width if there is one, where
/// parse_csv throws InputError: the caller checks the rows of all parts together.
Table parse_csv_text(std::string_view text, const std::string& source, const CsvOptions& options,
                     bool part);

}  // namespace rbig::detail
