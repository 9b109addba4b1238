#pragma once
// Where a fit keeps its N×D matrices (the work matrix each layer transforms, the training and
// held-out rows of the validation split, the screening subsample, the held-out rows as the layers
// transform them): on the heap, or, with FitOptions::work_file, each in its own memory-mapped file
// named work_file + "." + role (mapped_matrix.hpp), so that the fit's resident memory does not
// grow with N·D. Either way the fit computes the same bits: its hot passes stream a file's blocks
// and columns through file() (pread/pwrite, the same blocks as in memory), the others use ref().

#include <rbig/mapped_matrix.hpp>
#include <rbig/types.hpp>

#include <optional>
#include <string>

namespace rbig::detail {

/// Rows given as two runs, one after the other (a participant's aligned rows, row_alignment.hpp:
/// its own rows and the few moved to it), so that a copy of them is made only once.
struct StackedRows {
  ConstMatrixRef head;
  ConstMatrixRef tail;  // tail.cols() == head.cols()

  Index rows() const { return head.rows() + tail.rows(); }
  Index cols() const { return head.cols(); }
};

class WorkBuffer {
 public:
  /// rows × cols, on the heap when work_file is empty, else in the file work_file.role.
  WorkBuffer(const std::string& work_file, const char* role, Index rows, Index cols);
  /// A copy of x, the same way.
  WorkBuffer(const std::string& work_file, const char* role, ConstMatrixRef x);
  /// A copy of x.head followed by x.tail, the same way.
  WorkBuffer(const std::string& work_file, const char* role, const StackedRows& x);

  MatrixRef ref() { return MatrixRef(map()); }
  ConstMatrixRef ref() const { return ConstMatrixRef(map()); }
  Index rows() const { return rows_; }
  Index cols() const { return cols_; }
  /// The work file, or null on the heap. The fit's hot passes (layer_passes.hpp, work_columns.hpp)
  /// stream a file's row blocks and columns through it with pread/pwrite instead of ref(): under
  /// this machine's virtualised paging every page a mapping touches again costs microseconds,
  /// which made the mapped fit 4× slower than in memory (bench/README.md).
  MappedMatrix* file() { return mapped_ ? &*mapped_ : nullptr; }
  const MappedMatrix* file() const { return mapped_ ? &*mapped_ : nullptr; }

 private:
  Eigen::Map<Matrix> map() const { return Eigen::Map<Matrix>(data_, rows_, cols_); }

  Matrix heap_;
  std::optional<MappedMatrix> mapped_;
  double* data_ = nullptr;
  Index rows_ = 0;
  Index cols_ = 0;
};

/// The file of role `role` beside work_file.
std::string work_file_path(const std::string& work_file, const char* role);

}  // namespace rbig::detail
