// One process's part of a CSV file, for a fit spread over several processes: a byte range cut at
// line boundaries, read with pread (never the whole file), parsed with the line numbers of the
// whole file.

#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include "io/csv_text.hpp"
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rbig {
namespace {

constexpr std::size_t kScanBlock = 1 << 16;

/// The first line start at or after `offset` (0 stays 0): just past the first '\n' at or after
/// offset − 1; the file size if there is none.
std::uint64_t line_start(int fd, std::uint64_t offset, std::uint64_t size,
                         const std::string& name) {
  if (offset == 0) return 0;
  for (std::uint64_t at = offset - 1; at < size; at += kScanBlock) {
    const std::string block = detail::read_at(fd, at, kScanBlock, name);
    const std::size_t newline = block.find('\n');
    if (newline != std::string::npos) return at + newline + 1;
  }
  return size;
}

}  // namespace

CsvPart read_csv_part_bytes(const std::filesystem::path& path, int part, int parts) {
  const std::string name = path.string();
  const detail::FileDescriptor fd = detail::open_for_parts(path);
  const std::uint64_t size = detail::file_size(fd.get(), name);
  const auto cut = [&](int k) {
    return line_start(fd.get(),
                      size / static_cast<std::uint64_t>(parts) * static_cast<std::uint64_t>(k) +
                          size % static_cast<std::uint64_t>(parts) * static_cast<std::uint64_t>(k) /
                              static_cast<std::uint64_t>(parts),
                      size, name);
  };
  const std::uint64_t begin = cut(part);
  const std::uint64_t end = part + 1 == parts ? size : cut(part + 1);
  CsvPart result;
  result.first_part = part == 0;
  if (end > begin)
    result.text = detail::read_at(fd.get(), begin, static_cast<std::size_t>(end - begin), name);
  result.lines = static_cast<std::size_t>(std::count(result.text.begin(), result.text.end(), '\n'));
  return result;
}

Table parse_csv_part(const CsvPart& part, std::size_t lines_before, const std::string& source,
                     const CsvOptions& options) {
  CsvOptions own = options;
  if (!part.first_part) own.header = CsvOptions::Header::No;  // the header is the first part's
  try {
    return detail::parse_csv_text(part.text, source, own, true);
  } catch (const InputError& e) {
    if (e.line() == 0) {
      if (part.first_part) throw;
      throw InputError(source, 0, 0,
                       fmt::format("{} (in the part of the file after line {}, read by one of the "
                                   "processes)",
                                   e.reason(), lines_before));
    }
    throw InputError(source, e.line() + lines_before, e.column(), e.reason());
  }
}

}  // namespace rbig
