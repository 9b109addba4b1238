#pragma once
// The fit's reduction seam (lib/src/fit/reducer.hpp) over MPI_Allreduce on one communicator.

#include <rbig/mpi.hpp>

#include "fit/reducer.hpp"

#include <mpi.h>

namespace rbig::mpi::detail {

class MpiReducer final : public rbig::detail::Reducer {
 public:
  explicit MpiReducer(MPI_Comm comm);
  bool is_local() const override { return false; }
  void sum(std::vector<double>& values) const override;
  void sum(std::vector<std::int32_t>& values) const override;
  void sum(std::vector<std::int64_t>& values) const override;
  void min(std::vector<double>& values) const override;
  void max(std::vector<double>& values) const override;
  void min(std::vector<std::uint8_t>& values) const override;
  void bitwise_or(std::vector<std::uint64_t>& values) const override;
  std::vector<double> gather(const std::vector<double>& values) const override;
  int participant() const override { return rank_; }
  int participants() const override { return size_; }
  const Traffic& traffic() const { return traffic_; }

 private:
  void all_reduce(void* values, size_t count, MPI_Datatype type, size_t bytes, MPI_Op op) const;
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  mutable Traffic traffic_;
};

}  // namespace rbig::mpi::detail
