#pragma once
// `mpirun -np K rbig score|transform|inverse|sample`: each process computes its own rows (of its
// part of the input file, or of the sample), and process 0 writes one output holding every
// process's rows in order (built with RBIG_MPI only).

#include "common.hpp"
#include "mpi_run.hpp"

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

namespace rbig::cli {

/// What load_model_and_data does, collectively: the output folder checked (by process 0), the
/// model's dimensions read, this process's part of DATA read and matched to them, the model
/// loaded. An error on any process ends every process with the same message.
struct ModelAndPart {
  Model model;
  RowPart part;
};
ModelAndPart load_model_and_part(const std::string& model_path, const std::string& data_path,
                                 const CsvInput& csv, const std::string& output);

/// write_output of the rows of every process, in process order, as one output: process 0 writes
/// the header (CSV names, NPY shape) and its rows, then each other process's rows as they
/// arrive, a block at a time (memory: this process's rows plus one block). A file is written
/// atomically: an error or a signal leaves no partial file. Collective.
void write_output_in_order(const std::string& path, ConstMatrixRef values,
                           const std::vector<std::string>& names);
/// The same for one value per row (a 1-D NPY array, or one CSV column headed by name).
void write_output_in_order(const std::string& path, const Vector& values, const std::string& name);

/// Σ of value over all processes.
double sum_over_processes(double value);

/// This process's share of n rows: [n·k/K, n·(k+1)/K) for process k of K.
struct RowRange {
  Index first = 0;
  Index count = 0;
};
RowRange process_rows(Index n);

/// fn() on this process's rows: a NumericalError, which names a row of the rows fn was given,
/// also says where that part starts in the data.
template <typename Fn>
auto in_part(const RowPart& part, const std::string& path, const Fn& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const NumericalError& e) {
    throw NumericalError(
        fmt::format("{} (counting from row {} of {}, the first row of this "
                    "process's part)",
                    e.what(), part.first_row + 1, path));
  }
}

}  // namespace rbig::cli
