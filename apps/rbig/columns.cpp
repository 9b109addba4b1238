#include "columns.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace rbig::cli {
namespace {

/// "a", "b", "c" (at most 10, then "..."), for messages.
std::string listed_names(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 10; ++i) {
    text += fmt::format("{}{:?}", i == 0 ? "" : ", ", names[i]);
  }
  return names.size() > 10 ? text + ", ..." : text;
}

/// The items between commas, empty ones too (an error later).
std::vector<std::string> split_items(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

/// The 1-based numbers of item ("3" or "2-4"), or false when it is not one.
bool parse_number_range(const std::string& item, long& first, long& last) {
  const std::size_t dash = item.find('-', 1);
  if (dash == std::string::npos) {
    if (!CLI::detail::lexical_cast(item, first)) return false;
    last = first;
    return true;
  }
  return CLI::detail::lexical_cast(item.substr(0, dash), first) &&
         CLI::detail::lexical_cast(item.substr(dash + 1), last);
}

std::vector<Index> parse_item(const std::string& option, const std::string& item,
                              const Table& table, const std::string& source) {
  const Index columns = table.values.cols();
  if (table.has_header) {
    const auto found = std::find(table.column_names.begin(), table.column_names.end(), item);
    if (found != table.column_names.end()) {
      return {static_cast<Index>(found - table.column_names.begin())};
    }
  }
  long first = 0;
  long last = 0;
  if (!parse_number_range(item, first, last)) {
    throw CLI::ValidationError(
        option, table.has_header
                    ? fmt::format("{} has no column named {:?} (columns: {})", source, item,
                                  listed_names(table.column_names))
                    : fmt::format("expected column numbers from 1 like 1,3-5 (got {:?}; {} has "
                                  "no header, so columns have no names)",
                                  item, source));
  }
  if (first < 1 || last < first || last > columns) {
    throw CLI::ValidationError(
        option, fmt::format("column {:?} does not exist: {} has {} columns, numbered 1 to {}", item,
                            source, columns, columns));
  }
  std::vector<Index> selected;
  for (long c = first; c <= last; ++c) selected.push_back(static_cast<Index>(c - 1));
  return selected;
}

}  // namespace

std::vector<Index> parse_columns(const std::string& option, const std::string& text,
                                 const Table& table, const std::string& source) {
  std::vector<Index> selected;
  for (const std::string& item : split_items(text)) {
    const std::vector<Index> more = parse_item(option, item, table, source);
    selected.insert(selected.end(), more.begin(), more.end());
  }
  return selected;
}

}  // namespace rbig::cli
