#pragma once
/// A rows × columns matrix of doubles kept in a memory-mapped file instead of the heap: for data
/// larger than memory (FitOptions::work_file, `rbig fit --work-file`).
///
/// The file is a 4,096-byte header (a magic line, then rows and columns) followed by the values in
/// column-major order, as Matrix stores them, so view() is an ordinary Eigen map and every
/// function taking a ConstMatrixRef or MatrixRef reads and writes it unchanged (and computes the
/// same bits as on a Matrix). The pages stay in the page cache, not in the process: while a
/// MappedMatrix lives, a background thread drops this process's mappings of its pages every few
/// milliseconds (madvise MADV_DONTNEED, which keeps the data: it is read back from the page cache
/// or the file on the next touch), so the resident memory it costs is what a pass touches between
/// two trims, not rows × columns (bench/README.md, "Data larger than memory", measures it).
///
/// The file is created, its space reserved on disk (no SIGBUS later on a full disk), held under
/// an exclusive lock while in use, and removed by the destructor, also when an exception (or
/// rbig::Cancelled) unwinds. An existing file is replaced only when it is a work file that no
/// live process holds (left by a killed process); anything else is refused. Errors are
/// rbig::Error naming the path: `big.work: cannot reserve 8000004096 bytes: No space left on
/// device`.
///
///   rbig::MappedMatrix data = rbig::MappedMatrix::create("data.work", rows, cols);
///   data.view().col(0) = ...;              // fill it column by column or row block by row block
///   FitOptions options;  options.work_file = "data.work";  // the fit's own copies beside it
///   rbig::Model model = rbig::Model::fit(data.view(), options);

#include <rbig/types.hpp>

#include <filesystem>
#include <string>

namespace rbig {

class MappedMatrix {
 public:
  /// Creates path (see above) with room for rows × cols doubles, uninitialised (zeros).
  static MappedMatrix create(const std::filesystem::path& path, Index rows, Index cols);
  /// True when path exists and begins with the work file's magic line (a file create() may
  /// replace when no process holds it).
  static bool is_work_file(const std::filesystem::path& path);

  MappedMatrix(MappedMatrix&& other) noexcept;
  MappedMatrix& operator=(MappedMatrix&& other) noexcept;
  MappedMatrix(const MappedMatrix&) = delete;
  MappedMatrix& operator=(const MappedMatrix&) = delete;
  /// Unmaps and removes the file.
  ~MappedMatrix();

  Eigen::Map<Matrix> view();
  Eigen::Map<const Matrix> view() const;
  Index rows() const { return rows_; }
  Index cols() const { return cols_; }
  const std::filesystem::path& path() const { return path_; }
  /// Rows [first_row, first_row + out.rows()) of every column into out (out.cols() == cols()),
  /// read with pread into the caller's memory: no page of the file is mapped into the process, so
  /// a pass that streams row blocks this way faults nothing (the fit's passes over a work file,
  /// bench/README.md "Data larger than memory"). Coherent with view(): both go through the page
  /// cache. Throws rbig::Error naming the path when the read fails.
  void read_rows(Index first_row, MatrixRef out) const;
  /// Writes block (block.cols() == cols()) over rows [first_row, first_row + block.rows()) with
  /// pwrite.
  void write_rows(Index first_row, ConstMatrixRef block);
  /// Column c into out (out.size() == rows()), with one pread.
  void read_column(Index c, VectorRef out) const;
  /// Writes values (values.size() == rows()) over column c, with one pwrite.
  void write_column(Index c, ConstVectorRef values);
  /// Drops this process's mappings of the pages now (the trimming thread does it anyway).
  void release_pages() const;
  /// Keeps the first `rows` rows as the matrix: its first rows × cols values in column-major
  /// order (the caller has moved them there). The file keeps its size.
  void shrink_rows(Index rows);

 private:
  MappedMatrix(std::filesystem::path path, int fd, void* base, std::size_t bytes, Index rows,
               Index cols);
  void close() noexcept;
  /// Byte offset of value (row, col) in the file.
  std::size_t offset(Index row, Index col) const;

  std::filesystem::path path_;
  int fd_ = -1;
  void* base_ = nullptr;  // the whole mapping, header included
  std::size_t bytes_ = 0;
  Index rows_ = 0;
  Index cols_ = 0;
};

}  // namespace rbig
