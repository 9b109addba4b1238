#include "fit/work_columns.hpp"

#include "io/mapped_registry.hpp"

#include <algorithm>

namespace rbig::detail {

WorkColumns::WorkColumns(ConstMatrixRef matrix) : matrix_(matrix), file_(find_mapped(matrix)) {}

ConstVectorRef WorkColumns::column(Index d, Vector& scratch) const {
  if (file_ == nullptr) return matrix_.col(d);
  // A matrix's data (heap or file mapping) starts at a multiple of EIGEN_MAX_ALIGN_BYTES, so
  // column d starts d·rows doubles past such an address; scratch's data is aligned the same way.
  constexpr Index kAlignDoubles =
      std::max<Index>(1, EIGEN_MAX_ALIGN_BYTES / static_cast<Index>(sizeof(double)));
  const Index shift = (d * rows()) % kAlignDoubles;
  if (scratch.size() < rows() + shift) scratch.resize(rows() + kAlignDoubles);
  Eigen::Map<Vector> copy(scratch.data() + shift, rows());
  file_->read_column(d, copy);
  return copy;
}

}  // namespace rbig::detail
