#include "mpi_reducer.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <chrono>
#include <climits>

namespace rbig::mpi::detail {
namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void check(int status, const char* call) {
  if (status != MPI_SUCCESS) throw Error(fmt::format("mpi: {} failed (error {})", call, status));
}

int as_count(size_t size) {
  if (size > static_cast<size_t>(INT_MAX)) {
    throw Error(fmt::format("mpi: {} values in one reduction (at most {})", size, INT_MAX));
  }
  return static_cast<int>(size);
}

}  // namespace

MpiReducer::MpiReducer(MPI_Comm comm) : comm_(comm) {
  check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
}

void MpiReducer::all_reduce(void* values, size_t count, MPI_Datatype type, size_t bytes,
                            MPI_Op op) const {
  const double start = now();
  check(MPI_Allreduce(MPI_IN_PLACE, values, as_count(count), type, op, comm_), "MPI_Allreduce");
  traffic_.calls += 1;
  traffic_.bytes += static_cast<double>(count * bytes);
  traffic_.received += static_cast<double>(count * bytes);
  traffic_.seconds += now() - start;
}

void MpiReducer::sum(std::vector<double>& values) const {
  all_reduce(values.data(), values.size(), MPI_DOUBLE, sizeof(double), MPI_SUM);
}
void MpiReducer::sum(std::vector<std::int32_t>& values) const {
  all_reduce(values.data(), values.size(), MPI_INT32_T, sizeof(std::int32_t), MPI_SUM);
}
void MpiReducer::sum(std::vector<std::int64_t>& values) const {
  all_reduce(values.data(), values.size(), MPI_INT64_T, sizeof(std::int64_t), MPI_SUM);
}
void MpiReducer::min(std::vector<double>& values) const {
  all_reduce(values.data(), values.size(), MPI_DOUBLE, sizeof(double), MPI_MIN);
}
void MpiReducer::max(std::vector<double>& values) const {
  all_reduce(values.data(), values.size(), MPI_DOUBLE, sizeof(double), MPI_MAX);
}
void MpiReducer::min(std::vector<std::uint8_t>& values) const {
  all_reduce(values.data(), values.size(), MPI_UINT8_T, sizeof(std::uint8_t), MPI_MIN);
}
void MpiReducer::bitwise_or(std::vector<std::uint64_t>& values) const {
  all_reduce(values.data(), values.size(), MPI_UINT64_T, sizeof(std::uint64_t), MPI_BOR);
}

std::vector<double> MpiReducer::gather(const std::vector<double>& values) const {
  const double start = now();
  int mine = as_count(values.size());
  std::vector<int> counts(static_cast<size_t>(size_));
  check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm_), "MPI_Allgather");
  std::vector<int> offsets(counts.size(), 0);
  size_t total = 0;
  for (size_t r = 0; r < counts.size(); ++r) {
    offsets[r] = as_count(total);
    total += static_cast<size_t>(counts[r]);
  }
  std::vector<double> all(total);
  check(MPI_Allgatherv(values.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                       MPI_DOUBLE, comm_),
        "MPI_Allgatherv");
  traffic_.calls += 2;
  traffic_.bytes += static_cast<double>(values.size() * sizeof(double) + sizeof(int));
  traffic_.received += static_cast<double>(total * sizeof(double) + counts.size() * sizeof(int));
  traffic_.seconds += now() - start;
  return all;
}

}  // namespace rbig::mpi::detail
