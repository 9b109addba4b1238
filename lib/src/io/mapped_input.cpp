// Reading CSV and NPY files into a MappedMatrix piece by piece (mapped_input.hpp): CSV in parts of
// about kPartBytes cut at line starts, each parsed by parse_csv_part (the parser of a distributed
// fit's parts, with the line numbers of the whole file); NPY in chunks of elements read with
// pread. Neither file is ever held whole in memory.

#include <rbig/mapped_input.hpp>

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>

#include "io/column_names.hpp"
#include "io/csv_fields.hpp"
#include "io/mapped_input_parts.hpp"
#include "io/npy_header.hpp"
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string_view>

namespace rbig {
namespace {

using detail::errno_message;
using detail::FileDescriptor;

constexpr std::uint64_t kPartBytes = std::uint64_t{16} << 20;
constexpr std::size_t kNpyChunkBytes = std::size_t{8} << 20;

/// The size of the regular file at path; InputError naming it otherwise.
std::uint64_t regular_file_size(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw InputError(path.string(), 0, 0, errno_message(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    throw InputError(path.string(), 0, 0,
                     "not a regular file (data read into a work file is read in parts, twice "
                     "for CSV: give a file, not a pipe)");
  }
  return static_cast<std::uint64_t>(info.st_size);
}

/// Data lines (not blank, not a '#' comment: the rule of read_csv) in text, and the 1-based
/// line number of the first one (0 if none).
std::pair<Index, std::size_t> data_lines(std::string_view text) {
  Index count = 0;
  std::size_t first = 0;
  std::size_t line = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t newline = std::min(text.find('\n', pos), text.size());
    ++line;
    std::size_t i = pos;
    while (i < newline && (detail::is_blank(text[i]) || text[i] == '\r')) ++i;
    if (i < newline && text[i] != '#') {
      ++count;
      if (first == 0) first = line;
    }
    pos = newline + 1;
  }
  return {count, first};
}

/// Where a part of the CSV file lies, and the rows it holds.
struct Chunk {
  std::uint64_t offset;
  std::size_t bytes;
  std::size_t lines_before;
  Index rows;
};

/// The whole lines from offset on, about part_bytes of them: to the end of the line at
/// offset + part_bytes, or of the file. The first part goes on until it holds two data lines
/// (header detection and the column names need the first row after a header).
std::string read_lines(int fd, const std::string& name, std::uint64_t offset, std::uint64_t size,
                       std::uint64_t part_bytes, bool first_part) {
  std::string text;
  std::uint64_t at = offset;
  const auto extend = [&](std::uint64_t bytes) {
    std::string more = detail::read_at(fd, at, static_cast<std::size_t>(bytes), name);
    at += more.size();
    text += more;
    while (at < size && (text.empty() || text.back() != '\n')) {  // finish the last line
      more = detail::read_at(fd, at, 1 << 16, name);
      const std::size_t newline = more.find('\n');
      const std::size_t take = newline == std::string::npos ? more.size() : newline + 1;
      text.append(more, 0, take);
      at += take;
    }
  };
  extend(part_bytes);
  while (first_part && at < size && data_lines(text).first < 2) extend(part_bytes);
  return text;
}

/// One part of the file, parsed with the line numbers of the whole file.
struct ParsedPart {
  Table table;  // no rows when the part holds none (or drop_missing dropped all of them)
  Index dropped = 0;
};

ParsedPart parse_part(const CsvPart& part, std::size_t lines_before, const std::string& name,
                      const CsvOptions& options, std::optional<Index> columns) {
  const auto [lines, first_line] = data_lines(part.text);
  ParsedPart parsed;
  if (!part.first_part && lines == 0) return parsed;
  try {
    parsed.table = parse_csv_part(part, lines_before, name, options);
  } catch (const InputError& e) {
    // A later part whose every row was dropped: other parts may still hold rows. (The first
    // part names the columns: when drop_missing empties all of its 16 MiB, the fit fails as
    // read_csv would on that part alone.)
    if (part.first_part || !options.drop_missing || e.line() != 0 ||
        e.reason().rfind("no data rows left", 0) != 0) {
      throw;
    }
    parsed.dropped = lines;
    return parsed;
  }
  parsed.dropped = parsed.table.dropped_rows;
  if (columns && parsed.table.values.rows() > 0 && parsed.table.values.cols() != *columns) {
    throw InputError(name, lines_before + first_line, 0,
                     fmt::format("expected {} fields like the first row, got {}", *columns,
                                 parsed.table.values.cols()));
  }
  return parsed;
}

}  // namespace

namespace detail {

MappedTable read_csv_mapped(const std::filesystem::path& path,
                            const std::filesystem::path& work_path, const CsvOptions& options,
                            std::uint64_t part_bytes) {
  const std::string name = path.string();
  const std::uint64_t size = regular_file_size(path);
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw InputError(name, 0, 0, errno_message(errno));
  // First pass: cut the file into parts at line starts, parse each, and keep where it lies, its
  // rows, and the header and column names from the first part.
  std::vector<Chunk> chunks;
  std::optional<Index> columns;
  std::vector<std::string> column_names;
  bool has_header = false;
  Index rows = 0;
  Index dropped = 0;
  std::size_t lines = 0;
  for (std::uint64_t offset = 0; offset < size || chunks.empty();) {
    throw_if_cancelled();
    CsvPart part;
    part.first_part = chunks.empty();
    part.text = read_lines(fd.get(), name, offset, size, part_bytes, part.first_part);
    part.lines = static_cast<std::size_t>(std::count(part.text.begin(), part.text.end(), '\n'));
    const ParsedPart parsed = parse_part(part, lines, name, options, columns);
    if (part.first_part) {
      column_names = parsed.table.column_names;
      has_header = parsed.table.has_header;
      columns = static_cast<Index>(column_names.size());
    }
    chunks.push_back({offset, part.text.size(), lines, parsed.table.values.rows()});
    rows += parsed.table.values.rows();
    dropped += parsed.dropped;
    lines += part.lines;
    offset += part.text.size();
  }
  if (rows == 0) {
    throw InputError(name, 0, 0,
                     fmt::format("no data rows left: all {} rows hold a missing value", dropped));
  }
  MappedTable table{std::move(column_names), MappedMatrix::create(work_path, rows, *columns),
                    dropped, has_header};
  // Second pass: the same parts again, each stored at its offset.
  Eigen::Map<Matrix> values = table.values.view();
  Index offset = 0;
  for (const Chunk& chunk : chunks) {
    if (chunk.rows == 0) continue;
    throw_if_cancelled();
    CsvPart part;
    part.first_part = chunk.offset == 0;
    part.text = detail::read_at(fd.get(), chunk.offset, chunk.bytes, name);
    const ParsedPart parsed = parse_part(part, chunk.lines_before, name, options, columns);
    if (parsed.table.values.rows() != chunk.rows) {
      throw InputError(name, 0, 0, "the file changed while it was read");
    }
    values.middleRows(offset, chunk.rows) = parsed.table.values;
    offset += chunk.rows;
  }
  return table;
}

}  // namespace detail

MappedTable read_csv_mapped(const std::filesystem::path& path,
                            const std::filesystem::path& work_path, const CsvOptions& options) {
  return detail::read_csv_mapped(path, work_path, options, kPartBytes);
}

MappedTable read_npy_mapped(const std::filesystem::path& path,
                            const std::filesystem::path& work_path, const NpyOptions& options) {
  const std::string name = path.string();
  const std::uint64_t size = regular_file_size(path);
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw InputError(name, 0, 0, errno_message(errno));
  const auto read = [&](std::uint64_t offset, std::size_t bytes) {
    return detail::read_at(fd.get(), offset, bytes, name);
  };
  // The header dict is short (numpy pads it to 64 bytes); 1 MiB holds any sane one.
  const detail::NpyHeader header = detail::parse_npy_header(
      read(0, static_cast<std::size_t>(std::min<std::uint64_t>(size, std::uint64_t{1} << 20))),
      name);
  const auto [rows, columns] = detail::npy_matrix_shape(header, size - header.data_offset, name);
  MappedTable table{detail::numbered_column_names(static_cast<std::size_t>(columns)),
                    MappedMatrix::create(work_path, rows, columns), 0, false};
  double* values = table.values.view().data();
  const std::size_t element_bytes = header.element.size;
  const auto elements = static_cast<std::size_t>(rows * columns);
  const std::size_t chunk = std::max<std::size_t>(1, kNpyChunkBytes / element_bytes);
  for (std::size_t first = 0; first < elements; first += chunk) {
    throw_if_cancelled();
    const std::size_t count = std::min(chunk, elements - first);
    const std::string bytes =
        read(header.data_offset + first * element_bytes, count * element_bytes);
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t k = 0; k < count; ++k) {
      // Element first + k is (row, column) = ((first+k) / columns, (first+k) % columns) in C
      // order; Fortran order is column-major like the matrix.
      const std::size_t element = first + k;
      const std::size_t at = header.fortran_order ? element
                                                  : element % static_cast<std::size_t>(columns) *
                                                            static_cast<std::size_t>(rows) +
                                                        element / static_cast<std::size_t>(columns);
      values[at] = detail::npy_load_value(data + k * element_bytes, header.element);
    }
  }
  std::vector<char> keep;
  const Index kept =
      detail::npy_rows_to_keep(table.values.view(), header, name, options.drop_missing, keep);
  if (kept < rows) {
    // In place, column by column: every kept value moves to a position at or before its own.
    Index next = 0;
    for (Index c = 0; c < columns; ++c) {
      for (Index r = 0; r < rows; ++r) {
        if (keep[static_cast<std::size_t>(r)]) values[next++] = values[c * rows + r];
      }
    }
    table.values.shrink_rows(kept);
    table.dropped_rows = rows - kept;
  }
  return table;
}

}  // namespace rbig
