#include "mpi_run.hpp"

#include "console.hpp"

#include <rbig/cancel.hpp>
#include <rbig/io.hpp>
#include <rbig/mpi.hpp>
#include <rbig/npy.hpp>

#include <fmt/format.h>

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace rbig::cli {
namespace {

bool g_distributed = false;
int g_rank = 0;

}  // namespace

MpiLaunch::MpiLaunch(int& argc, char**& argv) {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) return;
  auto session = std::make_shared<mpi::Session>(argc, argv);
  g_rank = session->rank();
  g_distributed = true;
  session_ = std::move(session);
  if (g_rank != 0) set_quiet(true);  // process 0 prints warnings, progress and the summary
}

MpiLaunch::~MpiLaunch() { g_distributed = false; }

void MpiLaunch::abort(int status) const {
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);  // not reached: MPI_Abort ends the process
}

int MpiLaunch::processes() const {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

void MpiLaunch::speak_alone() { g_rank = 0; }

namespace {

const std::vector<std::string> kDistributedCommands{"fit", "score", "transform", "inverse",
                                                    "sample"};
const std::vector<std::string> kMeasures{"entropy", "tc", "mi", "kld"};

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::optional<std::string> mpi_refusal(const std::string& command, int processes) {
  if (command.empty() || command[0] == '-' || listed(kDistributedCommands, command)) return {};
  if (listed(kMeasures, command)) {
    return fmt::format(
        "{}: the measures (entropy, tc, mi, kld) do not run under mpirun: their "
        "rank transform needs every row in one process (run rbig {} without "
        "mpirun)",
        command, command);
  }
  if (processes == 1) return {};
  return fmt::format(
      "{}: runs in one process only (under mpirun, fit, score, transform, inverse "
      "and sample split their rows among processes)",
      command);
}

void note_mpi_support(CLI::App& app) {
  for (const std::string& name : kMeasures) {
    CLI::App* sub = app.get_subcommand(name);
    sub->footer(sub->get_footer() +
                "\n\nNot under mpirun: the rank transform needs every row in one process "
                "(fit, score, transform, inverse and sample run on several processes).");
  }
}

bool distributed() { return g_distributed; }
bool speaks() { return !g_distributed || g_rank == 0; }

void collectively(const std::function<void()>& step) {
  mpi::Failure mine;
  try {
    step();
  } catch (const std::bad_alloc&) {
    mine = {1, "out of memory"};
  } catch (const Cancelled&) {
    throw;
  } catch (const Error& e) {
    mine = {1, e.what()};
  }
  const mpi::Failure agreed = mpi::agree_on_failure(mine);
  if (agreed.status != 0) throw AgreedError(agreed.message);
}

/// This process's rows of a CSV file (its byte range), errors naming the line of the whole file.
Table read_csv_rows(const std::string& path, const CsvInput& input, int rank, int size) {
  CsvPart bytes;
  collectively([&] { bytes = read_csv_part_bytes(path, rank, size); });
  const auto lines_before =
      static_cast<std::size_t>(mpi::rows_before(static_cast<Index>(bytes.lines)));
  Table table;
  collectively([&] { table = parse_csv_part(bytes, lines_before, path, input.options); });
  bytes = CsvPart();
  // A part without rows (more processes than lines) has no width of its own: it takes the
  // others'. The file as a whole needs a row, as in one process.
  const bool rows = table.values.rows() > 0;
  const Index columns = table.values.cols();
  Index fewest = 0;
  collectively([&] {
    fewest = mpi::minimum(rows ? columns : std::numeric_limits<Index>::max());
    const Index most = mpi::maximum(rows ? columns : -1);
    if (most < 0) {
      const Index dropped = mpi::total(table.dropped_rows);
      throw InputError(path, 0, 0,
                       dropped > 0 ? fmt::format("no data rows left: all {} rows hold a missing "
                                                 "value",
                                                 dropped)
                                   : std::string("no data rows"));
    }
    if (fewest != most) {
      throw InputError(path, 0, 0,
                       fmt::format("rows have {} columns in one part of the file and {} in another",
                                   fewest, most));
    }
  });
  if (!rows) table.values.resize(0, fewest);
  return table;
}

RowPart read_row_part(const std::string& path, const CsvInput& input) {
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  collectively([&] {
    if (path == "-")
      throw Error("<stdin>: cannot be split among processes under mpirun: give a file");
    if (input.dequantize) throw Error("--dequantize is not supported under mpirun");
  });
  RowPart part;
  if (is_npy_path(path)) {  // row ranges from the header's shape
    collectively([&] {
      part.table = read_npy_part(path, rank, size, NpyOptions{input.options.drop_missing});
    });
  } else {
    part.table = read_csv_rows(path, input, rank, size);
  }
  const Index dropped = mpi::total(part.table.dropped_rows);
  part.first_row = mpi::rows_before(part.table.values.rows());
  part.total_rows = mpi::total(part.table.values.rows());
  if (dropped > 0) {
    note(fmt::format("{}: dropped {} of {} rows with a missing value", path, dropped,
                     dropped + part.total_rows));
  }
  return part;
}

Model fit_rows(const RowPart& part, const std::string& path, const FitOptions& options,
               const FitObserver& observer) {
  std::optional<Model> model;
  collectively([&] {
    try {
      model.emplace(mpi::fit(part.table.values, part.first_row, options, observer));
    } catch (const InputError& e) {
      if (e.path() != "training data") throw;
      throw InputError(path, e.line(), e.column(), e.reason());
    }
  });
  return std::move(*model);
}

}  // namespace rbig::cli
