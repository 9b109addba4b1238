#pragma once
// The names x1..xD that a table without a header gets, shared by the CSV and NPY readers.

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <vector>

namespace rbig::detail {

inline std::vector<std::string> numbered_column_names(std::size_t columns) {
  std::vector<std::string> names;
  names.reserve(columns);
  for (std::size_t i = 1; i <= columns; ++i) names.push_back(fmt::format("x{}", i));
  return names;
}

}  // namespace rbig::detail
