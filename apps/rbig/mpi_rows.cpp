#include "mpi_rows.hpp"

#include "console.hpp"

#include <rbig/io.hpp>
#include <rbig/mpi.hpp>
#include <rbig/npy.hpp>

#include <fmt/format.h>

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <sstream>

namespace rbig::cli {
namespace {

// Values per block sent to process 0: a few MB of text, and well below MPI's int counts.
constexpr Index kBlockValues = Index{1} << 18;
constexpr int kTagSize = 1;
constexpr int kTagBytes = 2;

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int world_size() {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

Index block_rows(Index columns) {
  return std::max<Index>(1, kBlockValues / std::max<Index>(1, columns));
}

/// The output bytes of some rows: CSV lines, or NPY row bytes (no header either way).
std::string format_rows(ConstMatrixRef rows, bool npy) {
  std::ostringstream out;
  if (npy) {
    write_npy_rows(out, rows);
  } else {
    write_csv(out, rows, {});
  }
  return std::move(out).str();
}

/// Sends this process's rows to process 0: the number of blocks, then each block's size and bytes.
void send_rows(ConstMatrixRef values, bool npy) {
  const Index step = block_rows(values.cols());
  const auto blocks = static_cast<std::uint64_t>((values.rows() + step - 1) / step);
  MPI_Send(&blocks, 1, MPI_UINT64_T, 0, kTagSize, MPI_COMM_WORLD);
  for (Index start = 0; start < values.rows(); start += step) {
    const std::string bytes =
        format_rows(values.middleRows(start, std::min(step, values.rows() - start)), npy);
    const auto size = static_cast<std::uint64_t>(bytes.size());
    MPI_Send(&size, 1, MPI_UINT64_T, 0, kTagSize, MPI_COMM_WORLD);
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, kTagBytes, MPI_COMM_WORLD);
  }
}

/// Receives process `from`'s blocks (send_rows) and writes them to out. Always receives every
/// block, even after out failed, so that the sender is never left waiting.
void receive_rows(int from, std::ostream& out) {
  std::uint64_t blocks = 0;
  MPI_Recv(&blocks, 1, MPI_UINT64_T, from, kTagSize, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  std::string bytes;
  for (std::uint64_t b = 0; b < blocks; ++b) {
    std::uint64_t size = 0;
    MPI_Recv(&size, 1, MPI_UINT64_T, from, kTagSize, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    bytes.resize(static_cast<size_t>(size));
    MPI_Recv(bytes.data(), static_cast<int>(size), MPI_CHAR, from, kTagBytes, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
}

/// Process 0's part: the header, its own rows, then every other process's in order.
void write_all(std::ostream& out, ConstMatrixRef values, const std::vector<std::string>& names,
               bool npy, bool one_dimensional, Index total_rows) {
  if (npy) {
    write_npy_header(out, total_rows, values.cols(), one_dimensional);
    write_npy_rows(out, values);
  } else {
    write_csv(out, values, names);
  }
  for (int from = 1; from < world_size(); ++from) receive_rows(from, out);
}

void write_in_order(const std::string& path, ConstMatrixRef values,
                    const std::vector<std::string>& names, bool one_dimensional) {
  const Index total_rows = mpi::total(values.rows());
  const bool to_file = !path.empty() && !is_stdout(path);
  const bool npy = to_file && is_npy_path(path);
  collectively([&] {
    if (world_rank() != 0) {
      send_rows(values, npy);
      return;
    }
    bool received = false;
    try {
      if (to_file) {
        write_file_atomically(path, [&](std::ostream& out) {
          write_all(out, values, names, npy, one_dimensional, total_rows);
          received = true;
          check_interrupted();  // a signal during the transfer leaves no file
        });
      } else {
        write_all(std::cout, values, names, false, one_dimensional, total_rows);
        received = true;
        std::cout.flush();
        if (!std::cout) throw Error("<stdout>: write failed");
      }
    } catch (...) {
      // The file could not be opened: take the other processes' rows anyway, so that none
      // waits in a send while this one reports the error.
      if (!received) {
        std::ostream nowhere(nullptr);
        for (int from = 1; from < world_size(); ++from) receive_rows(from, nowhere);
      }
      throw;
    }
  });
}

}  // namespace

ModelAndPart load_model_and_part(const std::string& model_path, const std::string& data_path,
                                 const CsvInput& csv, const std::string& output) {
  Index dims = 0;
  collectively([&] {
    if (!output.empty() && speaks()) check_output_folder(output, {model_path, data_path});
    dims = Model::read_summary(model_path).dims;
  });
  RowPart part = read_row_part(data_path, csv);
  collectively([&] { check_columns(dims, model_path, part.table, data_path); });
  check_interrupted();
  std::optional<Model> model;
  collectively([&] { model.emplace(Model::load(model_path)); });
  check_interrupted();
  return {std::move(*model), std::move(part)};
}

void write_output_in_order(const std::string& path, ConstMatrixRef values,
                           const std::vector<std::string>& names) {
  write_in_order(path, values, names, false);
}

void write_output_in_order(const std::string& path, const Vector& values, const std::string& name) {
  write_in_order(path, values, {name}, true);
}

RowRange process_rows(Index n) {
  const auto share = [&](int k) {  // n·k/K without overflowing for n near the largest Index
    const Index size = world_size();
    return n / size * k + n % size * k / size;
  };
  const int rank = world_rank();
  return {share(rank), share(rank + 1) - share(rank)};
}

double sum_over_processes(double value) {
  double total = 0.0;
  MPI_Allreduce(&value, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

}  // namespace rbig::cli
