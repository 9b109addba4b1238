#include "fit_input.hpp"

#include "console.hpp"
#include "input_hints.hpp"

#include <rbig/error.hpp>
#include <rbig/npy.hpp>

#include <fmt/format.h>

namespace rbig::cli {

FitInput FitInput::read(const std::string& path, const CsvInput& csv, std::uint64_t seed,
                        const std::string& work_file) {
  FitInput input;
  if (work_file.empty()) {
    input.table_.emplace(read_input(path, csv, seed));
    return input;
  }
  if (path == "-") {
    throw OptionError("--work-file",
                      "needs TRAIN to be a file: standard input cannot be read in parts");
  }
  if (csv.dequantize) {
    // dequantize() works on the whole matrix in memory.
    throw OptionError("--work-file", "is not supported with --dequantize: leave one of them out");
  }
  try {
    input.mapped_.emplace(is_npy_path(path)
                              ? read_npy_mapped(path, work_file, {csv.options.drop_missing})
                              : read_csv_mapped(path, work_file, csv.options));
  } catch (const InputError& e) {
    throw with_delimiter_hint(e, csv.options.delimiter);
  }
  if (input.mapped_->dropped_rows > 0) {
    note(fmt::format("{}: dropped {} of {} rows with a missing value", path,
                     input.mapped_->dropped_rows,
                     input.mapped_->dropped_rows + input.mapped_->values.rows()));
  }
  return input;
}

ConstMatrixRef FitInput::values() const {
  if (table_) return table_->values;
  return mapped_->values.view();
}

const std::vector<std::string>& FitInput::column_names() const {
  return table_ ? table_->column_names : mapped_->column_names;
}

}  // namespace rbig::cli
