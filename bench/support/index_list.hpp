#pragma once
// A comma-separated list of sizes from the command line ("1000,10000", "2,10"), for the benches.

#include <rbig/types.hpp>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace rbig::bench {

inline std::vector<Index> parse_index_list(const std::string& text) {
  std::vector<Index> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) values.push_back(std::atol(item.c_str()));
  return values;
}

}  // namespace rbig::bench
