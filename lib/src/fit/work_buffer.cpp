#include "fit/work_buffer.hpp"

#include <rbig/cancel.hpp>

namespace rbig::detail {

std::string work_file_path(const std::string& work_file, const char* role) {
  return work_file + "." + role;
}

WorkBuffer::WorkBuffer(const std::string& work_file, const char* role, Index rows, Index cols)
    : rows_(rows), cols_(cols) {
  if (work_file.empty()) {
    heap_.resize(rows, cols);
    data_ = heap_.data();
  } else {
    mapped_.emplace(MappedMatrix::create(work_file_path(work_file, role), rows, cols));
    data_ = mapped_->view().data();
  }
}

WorkBuffer::WorkBuffer(const std::string& work_file, const char* role, ConstMatrixRef x)
    : WorkBuffer(work_file, role, x.rows(), x.cols()) {
  if (!mapped_) {
    heap_ = x;
    return;
  }
  // Column by column: each column is one sequential read and write, and a check for
  // cancellation, on matrices far larger than the cache.
  Eigen::Map<Matrix> to = map();
  for (Index c = 0; c < x.cols(); ++c) {
    throw_if_cancelled();
    to.col(c) = x.col(c);
  }
}

}  // namespace rbig::detail
