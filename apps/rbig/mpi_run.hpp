#pragma once
// `mpirun -np K rbig fit …`: the command as one of K processes (built with RBIG_MPI only).
// Each process reads its own part of the training file, the fit goes through rbig::mpi, and
// process 0 writes the model and speaks; an error on any process ends all of them with the same
// message and exit status.

#include "common.hpp"

#include <rbig/error.hpp>
#include <rbig/model.hpp>
#include <rbig/options.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace rbig::cli {

/// An error every process of the run has agreed on: each exits with it normally. Any other
/// exception under mpirun aborts the whole run (MPI_Abort), since the other processes may be
/// waiting in a collective call.
class AgreedError : public Error {
 public:
  using Error::Error;
};

/// MPI for the lifetime of the command when started by mpirun (Open MPI sets
/// OMPI_COMM_WORLD_SIZE in each process it starts); nothing otherwise, so that plain `rbig`
/// never touches MPI.
class MpiLaunch {
 public:
  MpiLaunch(int& argc, char**& argv);
  ~MpiLaunch();
  MpiLaunch(const MpiLaunch&) = delete;
  MpiLaunch& operator=(const MpiLaunch&) = delete;
  /// Ends every process at once with this status (after an error not agreed on).
  [[noreturn]] void abort(int status) const;
  bool active() const { return session_ != nullptr; }
  int processes() const;
  /// Lets this process print (an error only it has seen).
  static void speak_alone();

 private:
  std::shared_ptr<void> session_;
};

/// Why `command` does not run under mpirun with `processes` processes, or nothing when it does:
/// fit, score, transform, inverse and sample split their rows among the processes; the
/// measures (entropy, tc, mi, kld) do not (their rank transform needs every row in one process)
/// and are refused under mpirun whatever the number of processes; other commands run in one
/// process only.
std::optional<std::string> mpi_refusal(const std::string& command, int processes);
/// Adds to the measures' --help that they do not run under mpirun.
void note_mpi_support(CLI::App& app);

/// True in a process started by mpirun (under a build with RBIG_MPI).
bool distributed();
/// The process that writes output and prints: process 0, or the only one.
bool speaks();

/// Runs step on every process; if it throws rbig::Error on any, every process throws the
/// AgreedError of the lowest-numbered failing one.
void collectively(const std::function<void()>& step);

/// This process's rows of a CSV file (byte ranges cut at line starts) or an .npy file (row
/// ranges from the header's shape) split among all processes, with the row number of its first
/// row among all (after rows dropped by --drop-missing). Errors name the line of the whole file.
struct RowPart {
  Table table;
  Index first_row = 0;
  Index total_rows = 0;
};
RowPart read_row_part(const std::string& path, const CsvInput& input);

/// rbig::mpi::fit on this process's rows.
Model fit_rows(const RowPart& part, const std::string& path, const FitOptions& options,
               const FitObserver& observer);

}  // namespace rbig::cli
