#pragma once
/// Reading a CSV or NPY file straight into a MappedMatrix (mapped_matrix.hpp), for data larger
/// than memory: the file is never held whole in memory. The values, column names, dropped rows
/// and errors are those of read_csv / read_npy (io.hpp, npy.hpp) on the same file, with two
/// limits: the file must be a regular file (CSV is read twice: once to count the rows, once to
/// store them), and a CSV field in quotes may not span lines.

#include <rbig/io.hpp>
#include <rbig/mapped_matrix.hpp>
#include <rbig/npy.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace rbig {

struct MappedTable {
  std::vector<std::string> column_names;
  MappedMatrix values;
  Index dropped_rows = 0;
  bool has_header = false;
};

/// Reads the CSV file at path into a new MappedMatrix at work_path (MappedMatrix::create).
MappedTable read_csv_mapped(const std::filesystem::path& path,
                            const std::filesystem::path& work_path, const CsvOptions& options = {});
/// Reads the NPY file at path into a new MappedMatrix at work_path.
MappedTable read_npy_mapped(const std::filesystem::path& path,
                            const std::filesystem::path& work_path, const NpyOptions& options = {});

}  // namespace rbig
