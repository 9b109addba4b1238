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
    : WorkBuffer(work_file, role, StackedRows{x, x.topRows(0)}) {}

WorkBuffer::WorkBuffer(const std::string& work_file, const char* role, const StackedRows& x)
    : WorkBuffer(work_file, role, x.rows(), x.cols()) {
  if (!mapped_) {
    heap_.topRows(x.head.rows()) = x.head;
    heap_.bottomRows(x.tail.rows()) = x.tail;
    return;
  }
  // Column by column: each column is one sequential read (a pread when x is mapped too) and one
  // pwrite, so that no page of either file is mapped, and a check for cancellation.
  const WorkColumns head(x.head);
  Vector scratch;
  Vector joined(x.tail.rows() > 0 ? x.rows() : 0);
  for (Index c = 0; c < x.cols(); ++c) {
    throw_if_cancelled();
    if (x.tail.rows() == 0) {
      mapped_->write_column(c, head.column(c, scratch));
      continue;
    }
    joined.head(x.head.rows()) = head.column(c, scratch);
    joined.tail(x.tail.rows()) = x.tail.col(c);
    mapped_->write_column(c, joined);
  }
}

}  // namespace rbig::detail
