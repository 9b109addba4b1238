// CSV fields. A data field costs one memchr and one std::from_chars and no allocation; a line
// holding a double quote takes a slower path that splits RFC 4180 quoted fields (the header, and
// spreadsheet exports that quote numbers ("1.5"), both go through it).

#include "io/csv_fields.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace rbig::detail {
namespace {

// Longest field quoted in a message: a binary file must not flood the terminal.
constexpr std::size_t kMaxQuotedField = 40;

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

/// The column named is the first missing field (a short row) or the first extra one (a long row).
[[noreturn]] void throw_field_count_error(const RowSource& where, std::size_t got,
                                          std::size_t expected) {
  throw InputError(where.source, where.line, std::min(got, expected) + 1,
                   fmt::format("expected {} fields like the first row, got {}", expected, got));
}

/// Parses one field into out. A missing value throws unless drop_missing, when it makes the
/// function return false (the row is dropped); any other bad field always throws.
bool parse_data_field(std::string_view text, const RowSource& where, std::size_t column,
                      bool drop_missing, double& out) {
  const FieldStatus status = parse_number(text, out);
  if (status == FieldStatus::Number) return true;
  if (drop_missing && is_missing(status)) return false;
  throw_field_error(where, column + 1, text, status);
}

}  // namespace

std::size_t count_fields(std::string_view line, char delimiter) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), delimiter)) + 1;
}

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

namespace {

/// The common row in one sweep: every field a finite number that std::from_chars reads up to
/// the delimiter (the line's end for the last), with no blank, sign '+', quote or missing value.
/// Such a field is exactly what the general path would parse: a finite number's characters
/// (digits, sign, '.', 'e') can never be the delimiter (check_delimiter), so the number read ends
/// at the field's end, and from_chars reads the same value from the field as from the rest of
/// the line. False for anything else (nothing is reported): the general path then parses the
/// line again, with its messages.
bool parse_plain_row(std::string_view line, char delimiter, std::size_t columns, double* out,
                     Index stride) {
  const char* field = line.data();
  const char* const end = field + line.size();
  for (std::size_t column = 0; column < columns; ++column) {
    double value = 0.0;
    const std::from_chars_result result = std::from_chars(field, end, value);
    if (result.ec != std::errc() || !std::isfinite(value)) return false;
    if (column + 1 == columns) {
      if (result.ptr != end) return false;
    } else if (result.ptr == end || *result.ptr != delimiter) {
      return false;
    }
    out[static_cast<Index>(column) * stride] = value;
    field = result.ptr + 1;
  }
  return true;
}

}  // namespace

// The hot loop: a plain line (parse_plain_row) costs one from_chars per field; any other line is
// parsed again here, a line without quotes with one memchr per field.
bool parse_data_row(std::string_view line, char delimiter, std::size_t columns,
                    const RowSource& where, bool drop_missing, double* out, Index stride) {
  if (parse_plain_row(line, delimiter, columns, out, stride)) return true;
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

}  // namespace rbig::detail
