// CSV input. The file is mapped (or read) into memory whole and parsed in place: a data field
// costs one memchr and one std::from_chars and no allocation, and a first pass counts the rows
// so values go straight into the final matrix. A 1e6 x 10 file (190 MB) loads in about a second.
// A line holding a double quote takes a slower path that splits RFC 4180 quoted fields; the header
// and spreadsheet exports that quote numbers ("1.5") both go through it.

#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rbig {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Longest field quoted in a message: a binary file must not flood the terminal.
constexpr std::size_t kMaxQuotedField = 40;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

/// The field in double quotes with control bytes escaped, cut at a UTF-8 character boundary.
std::string quoted(std::string_view field) {
  if (field.size() <= kMaxQuotedField) return fmt::format("{:?}", field);
  std::size_t cut = kMaxQuotedField;
  while (cut > 0 && (static_cast<unsigned char>(field[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{:?}...", field.substr(0, cut));
}

enum class FieldStatus { Number, Empty, Missing, NotANumber, NotFinite, OutOfRange };

/// Empty fields, the usual missing-value markers, NaN and ±inf: dropped with drop_missing.
bool is_missing(FieldStatus status) {
  return status == FieldStatus::Empty || status == FieldStatus::Missing ||
         status == FieldStatus::NotFinite;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

/// NA (R, pandas), N/A and NULL (spreadsheets, databases), in any case.
bool is_missing_marker(std::string_view field) {
  return equals_ignoring_case(field, "na") || equals_ignoring_case(field, "n/a") ||
         equals_ignoring_case(field, "null");
}

/// Parses one field: surrounding spaces/tabs and one leading '+' are allowed (from_chars takes
/// neither); the rest must be a decimal or scientific number, consumed to the last byte.
FieldStatus parse_number(std::string_view field, double& value) {
  field = trim(field);
  if (field.empty()) return FieldStatus::Empty;
  const char* first = field.data();
  const char* last = first + field.size();
  if (*first == '+') {
    ++first;
    if (first != last && (*first == '-' || *first == '+')) return FieldStatus::NotANumber;
  }
  const std::from_chars_result result = std::from_chars(first, last, value);
  if (result.ec == std::errc::result_out_of_range) return FieldStatus::OutOfRange;
  if (result.ec != std::errc() || result.ptr != last) {
    return is_missing_marker(field) ? FieldStatus::Missing : FieldStatus::NotANumber;
  }
  // from_chars accepts "inf", "nan" and "nan(...)"; the library promises finite data.
  if (!std::isfinite(value)) return FieldStatus::NotFinite;
  return FieldStatus::Number;
}

/// Where a row came from, for messages.
struct RowSource {
  const std::string& source;
  std::size_t line;
};

[[noreturn]] void throw_field_error(const RowSource& where, std::size_t column,
                                    std::string_view field, FieldStatus status) {
  const std::string shown = quoted(trim(field));
  switch (status) {
    case FieldStatus::Empty:
      throw InputError(where.source, where.line, column, "empty field (expected a number)");
    case FieldStatus::Missing:
      throw InputError(where.source, where.line, column,
                       fmt::format("missing value {} (expected a finite number)", shown));
    case FieldStatus::NotFinite:
      throw InputError(where.source, where.line, column,
                       fmt::format("expected a finite number, got {}", shown));
    case FieldStatus::OutOfRange:
      throw InputError(
          where.source, where.line, column,
          fmt::format("expected a finite number, got {} (out of double range)", shown));
    case FieldStatus::NotANumber:
    case FieldStatus::Number:
      break;
  }
  throw InputError(where.source, where.line, column,
                   fmt::format("expected a number, got {}", shown));
}

std::size_t count_fields(std::string_view line, char delimiter) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), delimiter)) + 1;
}

/// The column named is the first missing field (a short row) or the first extra one (a long row).
[[noreturn]] void throw_field_count_error(const RowSource& where, std::size_t got,
                                          std::size_t expected) {
  throw InputError(where.source, where.line, std::min(got, expected) + 1,
                   fmt::format("expected {} fields like the first row, got {}", expected, got));
}

std::vector<std::string> split_fields(std::string_view line, char delimiter,
                                      const RowSource& where);

/// Parses one field into out. A missing value throws unless drop_missing, when it makes the
/// function return false (the row is dropped); any other bad field always throws.
bool parse_data_field(std::string_view text, const RowSource& where, std::size_t column,
                      bool drop_missing, double& out) {
  const FieldStatus status = parse_number(text, out);
  if (status == FieldStatus::Number) return true;
  if (drop_missing && is_missing(status)) return false;
  throw_field_error(where, column + 1, text, status);
}

/// Parses a data row of exactly `columns` fields into out[0], out[stride], out[2 * stride], … (one
/// row of a column-major matrix). Returns false if the row holds a missing value and drop_missing
/// is set; the rest of the row is still checked, so a bad field is never hidden by a dropped row.
/// The hot loop: a line without quotes costs one memchr per field.
bool parse_data_row(std::string_view line, char delimiter, std::size_t columns,
                    const RowSource& where, bool drop_missing, double* out, Index stride) {
  bool complete = true;
  if (std::memchr(line.data(), '"', line.size()) != nullptr) {
    const std::vector<std::string> fields = split_fields(line, delimiter, where);
    if (fields.size() != columns) throw_field_count_error(where, fields.size(), columns);
    for (std::size_t column = 0; column < columns; ++column) {
      complete &= parse_data_field(fields[column], where, column, drop_missing,
                                   out[static_cast<Index>(column) * stride]);
    }
    return complete;
  }
  const char* field = line.data();
  const char* const end = field + line.size();
  for (std::size_t column = 0; column < columns; ++column) {
    const bool last_column = column + 1 == columns;
    const void* found = std::memchr(field, delimiter, static_cast<std::size_t>(end - field));
    const char* stop = found == nullptr ? end : static_cast<const char*>(found);
    if ((found == nullptr) != last_column) {
      throw_field_count_error(where, count_fields(line, delimiter), columns);
    }
    const std::string_view text(field, static_cast<std::size_t>(stop - field));
    complete &= parse_data_field(text, where, column, drop_missing,
                                 out[static_cast<Index>(column) * stride]);
    field = stop + 1;
  }
  return complete;
}

/// A header names a column unless every field is numeric text or a missing value. Empty fields and
/// NA decide nothing, and "inf" or "1e999" count as numeric, so a first data row with a bad value
/// is reported as bad data (or dropped) instead of being silently taken as column names.
bool looks_like_header(std::string_view line, char delimiter) {
  std::size_t begin = 0;
  while (true) {
    const std::size_t stop = std::min(line.find(delimiter, begin), line.size());
    double ignored = 0.0;
    const FieldStatus status = parse_number(line.substr(begin, stop - begin), ignored);
    if (status == FieldStatus::NotANumber) return true;
    if (stop == line.size()) return false;
    begin = stop + 1;
  }
}

/// Splits a row into trimmed fields. A field in double quotes may contain the delimiter; ""
/// inside it stands for one quote (RFC 4180), which is how write_csv quotes awkward names.
std::vector<std::string> split_fields(std::string_view line, char delimiter,
                                      const RowSource& where) {
  // Blanks around a field are dropped, but a tab delimiter is a delimiter, not a blank.
  const auto blank = [delimiter](char c) { return c != delimiter && is_blank(c); };
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (true) {
    while (pos < line.size() && blank(line[pos])) ++pos;
    const std::size_t column = names.size() + 1;
    std::string name;
    if (pos < line.size() && line[pos] == '"') {
      ++pos;
      while (true) {
        const std::size_t quote = line.find('"', pos);
        if (quote == std::string_view::npos) {
          throw InputError(where.source, where.line, column,
                           "quoted field has no closing quote (expected \"text\")");
        }
        name.append(line.substr(pos, quote - pos));
        pos = quote + 1;
        if (pos < line.size() && line[pos] == '"') {
          name.push_back('"');
          ++pos;
        } else {
          break;
        }
      }
      while (pos < line.size() && blank(line[pos])) ++pos;
      if (pos < line.size() && line[pos] != delimiter) {
        throw InputError(where.source, where.line, column,
                         fmt::format("expected the delimiter {:?} after a quoted field, "
                                     "got {}",
                                     delimiter, quoted(line.substr(pos, 1))));
      }
    } else {
      const std::size_t stop = std::min(line.find(delimiter, pos), line.size());
      name = std::string(trim(line.substr(pos, stop - pos)));
      pos = stop;
    }
    names.push_back(std::move(name));
    if (pos >= line.size()) return names;
    ++pos;  // the delimiter
  }
}

std::vector<std::string> default_names(std::size_t columns) {
  std::vector<std::string> names;
  names.reserve(columns);
  for (std::size_t i = 1; i <= columns; ++i) names.push_back(fmt::format("x{}", i));
  return names;
}

/// Walks physical lines, skipping blank and comment lines but counting them for messages.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) text_.remove_prefix(kUtf8Bom.size());
  }

  /// Sets line to the next row holding data (without its line ending); false at the end.
  bool next(std::string_view& line) {
    while (pos_ < text_.size()) {
      const std::size_t newline = std::min(text_.find('\n', pos_), text_.size());
      line = text_.substr(pos_, newline - pos_);
      pos_ = newline + 1;
      ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!is_skipped(line)) return true;
    }
    return false;
  }

  /// 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }

 private:
  static bool is_skipped(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && is_blank(line[i])) ++i;
    return i == line.size() || line[i] == '#';
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
};

/// Number of data rows from the cursor's current line (included) to the end of the text.
Index count_rows(LineCursor cursor) {
  Index rows = 1;
  std::string_view ignored;
  while (cursor.next(ignored)) ++rows;
  return rows;
}

void check_delimiter(char delimiter) {
  // A delimiter that can occur inside a number, a quoted name or a line ending makes rows
  // ambiguous.
  if (std::string_view("0123456789+-.eE\"\r\n").find(delimiter) != std::string_view::npos ||
      delimiter == '\0') {
    throw OptionError("delimiter",
                      fmt::format("must not be a digit, sign, '.', 'e', quote, NUL or line break "
                                  "(got {:?})",
                                  delimiter));
  }
}

/// The whole content of a file. A regular file is mapped and pre-faulted in one call
/// (MAP_POPULATE): copying 190 MB into a fresh buffer page by page costs more than parsing it.
/// Pipes such as /dev/stdin, and file systems that cannot map, are read() into a string.
class FileContents {
 public:
  explicit FileContents(const std::filesystem::path& path) {
    const std::string name = path.string();
    const detail::FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0) throw InputError(name, 0, 0, "cannot open file: " + detail::errno_message(errno));
    struct stat status {};
    if (::fstat(file.get(), &status) != 0) {
      throw InputError(name, 0, 0, "cannot open file: " + detail::errno_message(errno));
    }
    if (S_ISDIR(status.st_mode)) {
      throw InputError(name, 0, 0, "cannot open file: " + detail::errno_message(EISDIR));
    }
    if (S_ISREG(status.st_mode) && status.st_size > 0) {
      const std::size_t size = static_cast<std::size_t>(status.st_size);
      void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.get(), 0);
      if (mapped != MAP_FAILED) {
        mapped_ = mapped;
        size_ = size;
        return;
      }
    }
    read_all(file.get(), name);
  }
  ~FileContents() {
    if (mapped_ != nullptr) ::munmap(mapped_, size_);
  }
  FileContents(const FileContents&) = delete;
  FileContents& operator=(const FileContents&) = delete;

  std::string_view text() const {
    if (mapped_ == nullptr) return buffer_;
    return std::string_view(static_cast<const char*>(mapped_), size_);
  }

 private:
  /// Reads until end of file; the size of a pipe is not known in advance.
  void read_all(int fd, const std::string& name) {
    buffer_.resize(std::size_t{1} << 16);
    std::size_t used = 0;
    while (true) {
      if (used == buffer_.size()) buffer_.resize(2 * buffer_.size());
      const ssize_t n = ::read(fd, &buffer_[used], buffer_.size() - used);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw InputError(name, 0, 0, "cannot read file: " + detail::errno_message(errno));
      if (n == 0) break;
      used += static_cast<std::size_t>(n);
    }
    buffer_.resize(used);
  }

  void* mapped_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;
};

}  // namespace

Table read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  check_delimiter(options.delimiter);
  const FileContents contents(path);
  return parse_csv(contents.text(), path.string(), options);
}

Table parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  check_delimiter(options.delimiter);
  const char delimiter = options.delimiter;
  LineCursor cursor(text);
  std::string_view line;
  if (!cursor.next(line)) throw InputError(source, 0, 0, "no data rows");

  Table table;
  const bool header =
      options.header == CsvOptions::Header::Yes ||
      (options.header == CsvOptions::Header::Auto && looks_like_header(line, delimiter));
  bool have_row = true;
  if (header) {
    table.column_names = split_fields(line, delimiter, {source, cursor.line_number()});
    const std::size_t header_line = cursor.line_number();
    have_row = cursor.next(line);
    if (!have_row) {
      throw InputError(source, header_line, 0, "no data rows after the header");
    }
  } else {
    const bool quotes = line.find('"') != std::string_view::npos;
    table.column_names =
        default_names(quotes ? split_fields(line, delimiter, {source, cursor.line_number()}).size()
                             : count_fields(line, delimiter));
  }

  // Counting rows first lets the fields go straight into the final column-major matrix: no growing
  // buffer, no transposing copy, half the memory.
  const std::size_t columns = table.column_names.size();
  const Index rows = count_rows(cursor);
  table.values.resize(rows, static_cast<Index>(columns));
  // A dropped row is overwritten by the next one; the kept rows are the top ones.
  Index kept = 0;
  do {
    if (parse_data_row(line, delimiter, columns, {source, cursor.line_number()},
                       options.drop_missing, table.values.data() + kept, rows)) {
      ++kept;
    }
  } while (cursor.next(line));
  table.dropped_rows = rows - kept;
  if (kept == 0) {
    throw InputError(source, 0, 0,
                     fmt::format("no data rows left: all {} rows hold a missing value", rows));
  }
  if (kept < rows) table.values = table.values.topRows(kept).eval();
  return table;
}

}  // namespace rbig
