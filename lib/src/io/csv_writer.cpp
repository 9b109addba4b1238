// CSV output. Numbers use fmt's shortest round-trip form, so read_csv(write_csv(x)) == x bit for
// bit; rows are formatted into a memory buffer and handed to the stream in large chunks.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include <fmt/format.h>

#include <charconv>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace rbig {
namespace {

constexpr char kDelimiter = ',';
// Large enough that the stream sees few writes, small enough to stay in cache.
constexpr std::size_t kChunkBytes = std::size_t{1} << 16;

/// True if the reader's header detection would take the name for a number ("1", "+2", "inf").
bool reads_as_number(std::string_view name) {
  if (!name.empty() && name.front() == '+') name.remove_prefix(1);
  double ignored = 0.0;
  const std::from_chars_result result =
      std::from_chars(name.data(), name.data() + name.size(), ignored);
  return result.ec != std::errc::invalid_argument && result.ptr == name.data() + name.size();
}

/// Names that read_csv would not give back verbatim are written in double quotes: empty names, the
/// delimiter or a quote inside, surrounding blanks (trimmed), a leading '#' (a comment line) and
/// numbers (a numeric first row is data).
bool needs_quotes(std::string_view name) {
  return name.empty() || name.find_first_of("\",") != std::string_view::npos ||
         name.front() == ' ' || name.front() == '\t' || name.back() == ' ' || name.back() == '\t' ||
         name.front() == '#' || reads_as_number(name);
}

void append_name(fmt::memory_buffer& buffer, std::string_view name) {
  if (name.find_first_of("\r\n") != std::string_view::npos) {
    throw Error(fmt::format("column name {:?}: must not contain a line break", name));
  }
  if (!needs_quotes(name)) {
    buffer.append(name);
    return;
  }
  buffer.push_back('"');
  for (char c : name) {
    if (c == '"') buffer.push_back('"');  // RFC 4180: a quote inside is doubled
    buffer.push_back(c);
  }
  buffer.push_back('"');
}

void flush(std::ostream& out, fmt::memory_buffer& buffer) {
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  buffer.clear();
}

}  // namespace

void write_csv(std::ostream& out, ConstMatrixRef values, const std::vector<std::string>& names) {
  if (!names.empty() && static_cast<Index>(names.size()) != values.cols()) {
    throw DimensionError(
        fmt::format("csv output: {} column names for {} columns", names.size(), values.cols()));
  }
  fmt::memory_buffer buffer;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) buffer.push_back(kDelimiter);
    append_name(buffer, names[i]);
  }
  if (!names.empty()) buffer.push_back('\n');

  for (Index r = 0; r < values.rows(); ++r) {
    for (Index c = 0; c < values.cols(); ++c) {
      if (c > 0) buffer.push_back(kDelimiter);
      fmt::format_to(std::back_inserter(buffer), "{}", values(r, c));
    }
    buffer.push_back('\n');
    if (buffer.size() >= kChunkBytes) {
      flush(out, buffer);
      if (!out) return;  // the caller checks the stream; more rows would be wasted work
      throw_if_cancelled();
    }
  }
  flush(out, buffer);
}

}  // namespace rbig
