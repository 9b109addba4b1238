// rbig::mpi: the session, the distributed fit and the small collectives the rbig command needs.

#include <rbig/mpi.hpp>

#include <rbig/error.hpp>

#include "fit/distributed_fit.hpp"
#include "mpi_reducer.hpp"

#include <fmt/format.h>

#include <mpi.h>

#include <cstdint>
#include <vector>

namespace rbig::mpi {
namespace {

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

long long reduce(Index value, MPI_Op op) {
  long long in = value;
  long long out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_LONG_LONG, op, MPI_COMM_WORLD);
  return out;
}

/// Rotations and layers whose fit reads the rows themselves rather than reduced statistics.
void check_supported(const FitOptions& options) {
  if (options.radial)  // its radius map is fitted on this process's rows alone
    throw OptionError("radial", "radial layers are not supported in a distributed fit");
  if (options.rotation == RotationKind::Pca || options.rotation == RotationKind::Random) return;
  throw OptionError("rotation", fmt::format("{} is not supported in a distributed fit (supported: "
                                            "pca, random)",
                                            to_string(options.rotation)));
}

}  // namespace

Session::Session(int& argc, char**& argv) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) throw Error("mpi: MPI_Init failed");
    owner_ = true;
  }
}

Session::~Session() {
  if (owner_) MPI_Finalize();
}

int Session::rank() const { return world_rank(); }

int Session::size() const {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

Model fit(ConstMatrixRef rows, Index first_row, const FitOptions& options,
          const FitObserver& observer, Traffic* traffic) {
  options.validate();
  check_supported(options);
  const detail::MpiReducer reducer(MPI_COMM_WORLD);
  FitObserver counting = observer;
  if (traffic && observer) {
    counting = [&](const LayerReport& layer) {
      *traffic = reducer.traffic();
      return observer(layer);
    };
  }
  Model model = rbig::detail::fit_distributed(rows, first_row, options, counting, reducer);
  if (traffic) *traffic = reducer.traffic();
  return model;
}

Index rows_before(Index count) {
  long long in = count;
  long long out = 0;
  MPI_Exscan(&in, &out, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return world_rank() == 0 ? 0 : static_cast<Index>(out);  // undefined on rank 0
}

Index total(Index count) { return static_cast<Index>(reduce(count, MPI_SUM)); }
Index minimum(Index value) { return static_cast<Index>(reduce(value, MPI_MIN)); }
Index maximum(Index value) { return static_cast<Index>(reduce(value, MPI_MAX)); }

Failure agree_on_failure(const Failure& mine) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int rank = world_rank();
  // The lowest rank with a failure speaks for all.
  int candidate = mine.status != 0 ? rank : size;
  int speaker = size;
  MPI_Allreduce(&candidate, &speaker, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (speaker == size) return {};
  Failure agreed = mine;
  int length = static_cast<int>(mine.message.size());
  MPI_Bcast(&agreed.status, 1, MPI_INT, speaker, MPI_COMM_WORLD);
  MPI_Bcast(&length, 1, MPI_INT, speaker, MPI_COMM_WORLD);
  std::vector<char> text(mine.message.begin(), mine.message.end());
  text.resize(static_cast<size_t>(length));
  MPI_Bcast(text.data(), length, MPI_CHAR, speaker, MPI_COMM_WORLD);
  agreed.message.assign(text.begin(), text.end());
  return agreed;
}

}  // namespace rbig::mpi
