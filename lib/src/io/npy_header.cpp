// The .npy header (numpy/lib/format.py): "\x93NUMPY", a major and a minor version byte, the header
// length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), then a Python dict
// literal such as {'descr': '<f8', 'fortran_order': False, 'shape': (272, 2), } padded with
// spaces and ended by '\n'. Version 3 only allows UTF-8 in the header; no field we read needs it.

#include "io/npy_header.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <limits>
#include <optional>

namespace rbig::detail {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

/// Reads the dict literal left to right; offsets in messages are from the start of the file.
class DictCursor {
 public:
  DictCursor(std::string_view text, std::size_t base, const std::string& source)
      : text_(text), base_(base), source_(source) {}

  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  /// Fails naming an earlier position, e.g. where a value that turned out wrong started.
  [[noreturn]] void fail_at(std::size_t pos, const std::string& what) const {
    throw InputError(source_, 0, 0, fmt::format("byte {}: header: {}", base_ + pos, what));
  }
  /// Where the next token starts.
  std::size_t position() {
    skip_spaces();
    return pos_;
  }
  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  /// Consumes c (after spaces) if it is next.
  bool accept(char c) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c, const char* context) {
    if (!accept(c)) fail(fmt::format("expected '{}' {}, got {}", c, context, next_token()));
  }
  /// A string literal in single or double quotes (no escapes: none of NumPy's keys or type
  /// strings holds one).
  std::string string_literal(const char* context) {
    skip_spaces();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
      fail(fmt::format("expected a quoted string {}, got {}", context, next_token()));
    }
    const char quote = text_[pos_];
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return value;
  }
  std::optional<bool> boolean() {
    skip_spaces();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      const std::string_view w(word);
      if (text_.substr(pos_, w.size()) == w) {
        pos_ += w.size();
        return value;
      }
    }
    return std::nullopt;
  }
  /// A tuple of non-negative integers: "()", "(5,)", "(272, 2)"; a trailing L is Python 2's long.
  std::vector<std::uint64_t> shape_tuple() {
    expect('(', "to open 'shape'");
    std::vector<std::uint64_t> shape;
    while (!accept(')')) {
      if (!shape.empty()) expect(',', "between the sizes of 'shape'");
      if (accept(')')) break;  // "(5,)"
      skip_spaces();
      const std::size_t start = pos_;
      std::uint64_t value = 0;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        const std::uint64_t digit = static_cast<std::uint64_t>(text_[pos_] - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
          fail("a size in 'shape' is too large");
        }
        value = value * 10 + digit;
        ++pos_;
      }
      if (pos_ == start) fail(fmt::format("expected a size in 'shape', got {}", next_token()));
      if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;
      shape.push_back(value);
    }
    return shape;
  }
  bool at_end() {
    skip_spaces();
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r' ||
                                   text_[pos_] == ' ' || text_[pos_] == '\0')) {
      ++pos_;
    }
    return pos_ == text_.size();
  }

 private:
  std::string next_token() const {
    if (pos_ >= text_.size()) return "the end of the header";
    std::size_t end = pos_;
    while (end < text_.size() && end - pos_ < 12 && text_[end] != ',' && text_[end] != '}') ++end;
    return fmt::format("{:?}", std::string(text_.substr(pos_, std::max(end, pos_ + 1) - pos_)));
  }

  std::string_view text_;
  std::size_t base_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

/// '<f8', '>f4', '=f8', '|u1': byte order, kind, size. Anything else (structured, complex,
/// strings, objects) is not a numeric matrix.
NpyElement parse_descr(DictCursor& cursor) {
  const std::size_t start = cursor.position();
  const std::string descr = cursor.string_literal("for 'descr'");
  NpyElement element;
  const std::string size_text = descr.size() >= 3 ? descr.substr(2) : "";
  const bool known_size =
      size_text == "1" || size_text == "2" || size_text == "4" || size_text == "8";
  element.kind = descr.size() >= 3 ? descr[1] : '?';
  element.size = known_size ? static_cast<std::size_t>(size_text[0] - '0') : 0;
  const bool known_order =
      descr.size() >= 3 && std::string_view("<>=|").find(descr[0]) != std::string_view::npos;
  const bool is_float = element.kind == 'f' && (element.size == 4 || element.size == 8);
  const bool is_integer = (element.kind == 'i' || element.kind == 'u') && known_size;
  if (!known_order || (!is_float && !is_integer)) {
    cursor.fail_at(start, fmt::format("unsupported 'descr' {:?}: expected float64 ('<f8'), "
                                      "float32 ('<f4') or an integer type",
                                      descr));
  }
  element.big_endian = descr[0] == '>';
  return element;
}

/// Where the dict starts and its length, by version, from the length field alone.
std::pair<std::size_t, std::size_t> header_length_field(std::string_view bytes,
                                                        const std::string& source) {
  if (bytes.size() < 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    throw InputError(source, 0, 0, "byte 0: not an .npy file (no \\x93NUMPY magic string)");
  }
  const auto major = static_cast<unsigned char>(bytes[6]);
  const auto minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0) {
    throw InputError(source, 0, 0,
                     fmt::format("byte 6: unsupported .npy format version {}.{} (1.0, 2.0 and 3.0 "
                                 "are read)",
                                 major, minor));
  }
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  const std::size_t start = 8 + length_bytes;
  if (bytes.size() < start) {
    throw InputError(source, 0, 0,
                     fmt::format("byte {}: file ends inside the header length", bytes.size()));
  }
  std::size_t length = 0;
  for (std::size_t i = 0; i < length_bytes; ++i) {
    length |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  }
  return {start, length};
}

/// The header length field and where the dict starts, by version.
std::pair<std::size_t, std::size_t> header_extent(std::string_view bytes,
                                                  const std::string& source) {
  const auto [start, length] = header_length_field(bytes, source);
  if (length > bytes.size() - start) {
    throw InputError(source, 0, 0,
                     fmt::format("byte {}: the header says it is {} bytes long but the file ends "
                                 "after {}",
                                 8, length, bytes.size() - start));
  }
  return {start, length};
}

}  // namespace

std::size_t npy_data_offset(std::string_view prefix, const std::string& source) {
  const auto [start, length] = header_length_field(prefix, source);
  return start + length;
}

NpyHeader parse_npy_header(std::string_view bytes, const std::string& source) {
  const auto [start, length] = header_extent(bytes, source);
  DictCursor cursor(bytes.substr(start, length), start, source);
  NpyHeader header;
  header.data_offset = start + length;
  bool have_descr = false, have_order = false, have_shape = false;
  cursor.expect('{', "at the start of the header dict");
  while (!cursor.accept('}')) {
    const std::string key = cursor.string_literal("as a key");
    cursor.expect(':', fmt::format("after '{}'", key).c_str());
    if (key == "descr") {
      header.element = parse_descr(cursor);
      have_descr = true;
    } else if (key == "fortran_order") {
      const std::optional<bool> value = cursor.boolean();
      if (!value) cursor.fail("expected 'fortran_order' to be True or False");
      header.fortran_order = *value;
      have_order = true;
    } else if (key == "shape") {
      header.shape = cursor.shape_tuple();
      have_shape = true;
    } else {
      cursor.fail(
          fmt::format("unexpected key '{}' (expected 'descr', 'fortran_order', 'shape')", key));
    }
    if (!cursor.accept(',')) {
      cursor.expect('}', "or ',' after a value");
      break;
    }
  }
  if (!cursor.at_end()) cursor.fail("unexpected text after the header dict");
  if (!have_descr || !have_order || !have_shape) {
    cursor.fail(fmt::format("missing key '{}'", !have_descr   ? "descr"
                                                : !have_order ? "fortran_order"
                                                              : "shape"));
  }
  return header;
}

std::string format_npy_header(const std::vector<std::uint64_t>& shape) {
  std::string dims;
  for (const std::uint64_t size : shape) dims += fmt::format("{}, ", size);
  if (shape.size() > 1) dims.resize(dims.size() - 2);  // "(5,)" but "(272, 2)"
  if (shape.size() == 1) dims.pop_back();
  std::string dict =
      fmt::format("{{'descr': '<f8', 'fortran_order': False, 'shape': ({}), }}", dims);
  const bool version1 = dict.size() + 1 + 10 <= 65535;
  const std::size_t prefix = version1 ? 10 : 12;
  const std::size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict.push_back('\n');
  std::string out(kMagic);
  out.push_back(static_cast<char>(version1 ? 1 : 2));
  out.push_back('\0');
  const std::size_t length = dict.size();
  for (std::size_t i = 0; i < prefix - 8; ++i)
    out.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
  return out + dict;
}

}  // namespace rbig::detail
