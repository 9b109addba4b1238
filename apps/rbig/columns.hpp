#pragma once
/// Column selections of the measures (--x, --y, --z): 1-based numbers, ranges and header names.
///
/// Columns are numbered from 1 everywhere in rbig's messages and options, like the line:column
/// of CSV errors, editors, cut -f and awk's $1.

#include <rbig/io.hpp>
#include <rbig/types.hpp>

#include <string>
#include <vector>

namespace rbig::cli {

/// Parses a comma-separated list whose items are a column number (1-based), a range of numbers
/// (2-4, inclusive) or a name from the file's header (an item equal to a name is that name,
/// also when it looks like a number or a range). Throws CLI::ValidationError naming the option,
/// the item and what exists (source names the file).
std::vector<Index> parse_columns(const std::string& option, const std::string& text,
                                 const Table& table, const std::string& source);

}  // namespace rbig::cli
