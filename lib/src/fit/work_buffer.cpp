#include "fit/work_buffer.hpp"

#include <rbig/cancel.hpp>

#include "core/huge_pages.hpp"
#include "fit/work_columns.hpp"

namespace rbig::detail {

std::string work_file_path(const std::string& work_file, const char* role) {
  return work_file + "." + role;
}

WorkBuffer::WorkBuffer(const std::string& work_file, const char* role, Index rows, Index cols)
    : rows_(rows), cols_(cols) {
  if (work_file.empty()) {
    heap_.resize(rows, cols);
    data_ = heap_.data();
    advise_huge_pages(data_, static_cast<std::size_t>(heap_.size()) * sizeof(double));
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
  // Column by column: each column is one sequential read (a pread when x is mapped too) and one
  // pwrite, so that no page of either file is mapped, and a check for cancellation.
  const WorkColumns columns(x);
  Vector scratch;
  for (Index c = 0; c < x.cols(); ++c) {
    throw_if_cancelled();
    mapped_->write_column(c, columns.column(c, scratch));
  }
}

}  // namespace rbig::detail
