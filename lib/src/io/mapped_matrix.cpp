#include <rbig/mapped_matrix.hpp>

#include <rbig/error.hpp>

#include "io/mapped_registry.hpp"
#include "io/page_trimmer.hpp"
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace rbig {
namespace {

constexpr std::size_t kHeaderBytes = 4096;  // a page: the values start page-aligned
constexpr char kMagic[] = "RBIG-WORK-FILE 1\n";
constexpr std::size_t kMagicBytes = sizeof(kMagic) - 1;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
  throw Error(fmt::format("{}: {}: {}", path.string(), what, detail::errno_message(error)));
}

std::size_t file_bytes(const std::filesystem::path& path, Index rows, Index cols) {
  if (rows < 0 || cols < 0) {
    throw Error(fmt::format("{}: a work matrix needs a non-negative size (got {} x {})",
                            path.string(), rows, cols));
  }
  const auto values = static_cast<unsigned long long>(rows) * static_cast<unsigned long long>(cols);
  if (cols != 0 &&
      values / static_cast<unsigned long long>(cols) != static_cast<unsigned long long>(rows)) {
    throw Error(fmt::format("{}: {} x {} values do not fit in memory addresses", path.string(),
                            rows, cols));
  }
  if (values > (std::numeric_limits<std::size_t>::max() - kHeaderBytes) / sizeof(double)) {
    throw Error(fmt::format("{}: {} x {} values do not fit in memory addresses", path.string(),
                            rows, cols));
  }
  return kHeaderBytes + static_cast<std::size_t>(values) * sizeof(double);
}

/// Opens path for a new work file: creates it, or replaces a stale work file (one no process
/// holds locked). Returns the descriptor, locked.
int open_new(const std::filesystem::path& path) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        ::close(fd);
        fail(path, "cannot lock the work file", error);
      }
      return fd;
    }
    if (errno != EEXIST) fail(path, "cannot create the work file", errno);
    if (!MappedMatrix::is_work_file(path)) {
      throw Error(
          fmt::format("{}: exists and is not an rbig work file; refusing to replace it "
                      "(remove it or choose another path)",
                      path.string()));
    }
    const detail::FileDescriptor old(::open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (old.get() < 0) fail(path, "cannot open the old work file", errno);
    if (::flock(old.get(), LOCK_EX | LOCK_NB) != 0) {
      throw Error(
          fmt::format("{}: is the work file of a running fit; choose another path", path.string()));
    }
    // Left by a process that was killed: nobody holds it.
    if (::unlink(path.c_str()) != 0) fail(path, "cannot remove the old work file", errno);
  }
  throw Error(fmt::format("{}: another process keeps creating this file; choose another path",
                          path.string()));
}

}  // namespace

MappedMatrix MappedMatrix::create(const std::filesystem::path& path, Index rows, Index cols) {
  const std::size_t bytes = file_bytes(path, rows, cols);
  const int fd = open_new(path);
  const auto abandon = [&](const std::string& what, int error) {
    ::unlink(path.c_str());
    ::close(fd);
    fail(path, what, error);
  };
  // Reserve the blocks now: a store into a mapped page the disk has no room for is a SIGBUS.
  if (const int error = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes)); error != 0) {
    abandon(fmt::format("cannot reserve {} bytes", bytes), error);
  }
  void* base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) abandon(fmt::format("cannot map {} bytes", bytes), errno);
  const std::string header = fmt::format("{}{} {}\n", kMagic, rows, cols);
  std::memcpy(base, header.data(), header.size());
  MappedMatrix matrix(path, fd, base, bytes, rows, cols);
  detail::register_trimmed(base, bytes);
  return matrix;
}

bool MappedMatrix::is_work_file(const std::filesystem::path& path) {
  const detail::FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  char start[kMagicBytes];
  return ::pread(fd.get(), start, kMagicBytes, 0) == static_cast<ssize_t>(kMagicBytes) &&
         std::memcmp(start, kMagic, kMagicBytes) == 0;
}

MappedMatrix::MappedMatrix(std::filesystem::path path, int fd, void* base, std::size_t bytes,
                           Index rows, Index cols)
    : path_(std::move(path)), fd_(fd), base_(base), bytes_(bytes), rows_(rows), cols_(cols) {
  detail::register_mapped(this);
}

MappedMatrix::MappedMatrix(MappedMatrix&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      base_(std::exchange(other.base_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)),
      rows_(std::exchange(other.rows_, 0)),
      cols_(std::exchange(other.cols_, 0)) {
  if (base_ != nullptr) detail::move_mapped(&other, this);
}

MappedMatrix& MappedMatrix::operator=(MappedMatrix&& other) noexcept {
  if (this != &other) {
    close();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    base_ = std::exchange(other.base_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
    rows_ = std::exchange(other.rows_, 0);
    cols_ = std::exchange(other.cols_, 0);
    if (base_ != nullptr) detail::move_mapped(&other, this);
  }
  return *this;
}

MappedMatrix::~MappedMatrix() { close(); }

void MappedMatrix::close() noexcept {
  if (base_ == nullptr) return;
  detail::unregister_mapped(this);
  detail::unregister_trimmed(base_);
  ::munmap(base_, bytes_);
  ::unlink(path_.c_str());  // before close: the lock keeps others off until it is gone
  ::close(fd_);
  base_ = nullptr;
  fd_ = -1;
}

Eigen::Map<Matrix> MappedMatrix::view() {
  return Eigen::Map<Matrix>(reinterpret_cast<double*>(static_cast<char*>(base_) + kHeaderBytes),
                            rows_, cols_);
}

Eigen::Map<const Matrix> MappedMatrix::view() const {
  return Eigen::Map<const Matrix>(
      reinterpret_cast<const double*>(static_cast<const char*>(base_) + kHeaderBytes), rows_,
      cols_);
}

void MappedMatrix::shrink_rows(Index rows) {
  if (rows < 0 || rows > rows_) {
    throw Error(fmt::format("{}: cannot shrink {} rows to {}", path_.string(), rows_, rows));
  }
  rows_ = rows;
}

std::size_t MappedMatrix::offset(Index row, Index col) const {
  return kHeaderBytes + (static_cast<std::size_t>(col) * static_cast<std::size_t>(rows_) +
                         static_cast<std::size_t>(row)) *
                            sizeof(double);
}

void MappedMatrix::read_rows(Index first_row, MatrixRef out) const {
  assert(out.cols() == cols_ && first_row >= 0 && first_row + out.rows() <= rows_);
  const auto bytes = static_cast<std::size_t>(out.rows()) * sizeof(double);
  for (Index c = 0; c < cols_; ++c) {
    detail::pread_all(fd_, out.col(c).data(), bytes, offset(first_row, c), path_);
  }
}

void MappedMatrix::write_rows(Index first_row, ConstMatrixRef block) {
  assert(block.cols() == cols_ && first_row >= 0 && first_row + block.rows() <= rows_);
  const auto bytes = static_cast<std::size_t>(block.rows()) * sizeof(double);
  for (Index c = 0; c < cols_; ++c) {
    detail::pwrite_all(fd_, block.col(c).data(), bytes, offset(first_row, c), path_);
  }
}

void MappedMatrix::read_column(Index c, VectorRef out) const {
  assert(out.size() == rows_ && c >= 0 && c < cols_);
  detail::pread_all(fd_, out.data(), static_cast<std::size_t>(rows_) * sizeof(double), offset(0, c),
                    path_);
}

void MappedMatrix::write_column(Index c, ConstVectorRef values) {
  assert(values.size() == rows_ && c >= 0 && c < cols_);
  detail::pwrite_all(fd_, values.data(), static_cast<std::size_t>(rows_) * sizeof(double),
                     offset(0, c), path_);
}

void MappedMatrix::release_pages() const {
  if (base_ != nullptr) detail::trim_pages(base_, bytes_);
}

}  // namespace rbig
