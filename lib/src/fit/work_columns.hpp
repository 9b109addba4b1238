#pragma once
// The columns of a fit's work matrix, one at a time, for the passes that visit it column by
// column (the marginal fits, their linearity probe, the entropies after the maps): a view of the
// column when the matrix is in memory, a copy read with one pread when it is in a work file
// (work_buffer.hpp) or another mapped matrix (mapped_matrix.hpp), so that those passes map no
// page of the file.

#include <rbig/types.hpp>

#include "fit/work_buffer.hpp"

namespace rbig::detail {

class WorkColumns {
 public:
  /// Any matrix (implicit: the passes also run on plain matrices); read from its file when it is
  /// the whole view() of a live MappedMatrix (the caller's data with --work-file).
  WorkColumns(ConstMatrixRef matrix);  // NOLINT(google-explicit-constructor)
  /// The buffer's matrix, read from its file when it has one.
  explicit WorkColumns(const WorkBuffer& buffer) : matrix_(buffer.ref()), file_(buffer.file()) {}

  /// The file the columns are read from, or null in memory.
  const MappedMatrix* file() const { return file_; }
  Index rows() const { return matrix_.rows(); }
  Index cols() const { return matrix_.cols(); }
  /// Column d: a view into the matrix, or (from a file) a copy in scratch placed at the address
  /// alignment the column has in the matrix, so that vectorised sums over it group the values
  /// as they would in memory. Valid until scratch is reused or freed.
  ConstVectorRef column(Index d, Vector& scratch) const;

 private:
  ConstMatrixRef matrix_;
  const MappedMatrix* file_ = nullptr;
};

}  // namespace rbig::detail
