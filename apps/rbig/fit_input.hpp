#pragma once
// The training rows of `rbig fit`: a table in memory, or with --work-file a table read straight
// into a memory-mapped file (mapped_input.hpp), for data larger than memory.

#include "common.hpp"

#include <rbig/io.hpp>
#include <rbig/mapped_input.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rbig::cli {

class FitInput {
 public:
  /// read_input(path, csv, seed) when work_file is empty; else the file read into work_file
  /// (CSV or NPY by extension; a file, not standard input; no --dequantize: OptionError naming
  /// --work-file).
  static FitInput read(const std::string& path, const CsvInput& csv, std::uint64_t seed,
                       const std::string& work_file);

  ConstMatrixRef values() const;
  const std::vector<std::string>& column_names() const;

 private:
  std::optional<Table> table_;
  std::optional<MappedTable> mapped_;
};

}  // namespace rbig::cli
