#include "xml_tree.hpp"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace rbig::cli_test {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  XmlElement document() {
    skip_misc();
    if (!starts_with("<")) fail("expected the root element");
    XmlElement root = element();
    skip_misc();
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("xml offset " + std::to_string(pos_) + ": " + what);
  }
  bool starts_with(const char* prefix) const {
    return s_.compare(pos_, std::string(prefix).size(), prefix) == 0;
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void skip_past(const char* end) {
    const size_t found = s_.find(end, pos_);
    if (found == std::string::npos) fail(std::string("unterminated, expected ") + end);
    pos_ = found + std::string(end).size();
  }
  // Whitespace, comments, processing instructions and a doctype outside the root.
  void skip_misc() {
    for (;;) {
      skip_space();
      if (starts_with("<!--")) {
        skip_past("-->");
      } else if (starts_with("<?")) {
        skip_past("?>");
      } else if (starts_with("<!DOCTYPE")) {
        skip_past(">");
      } else {
        return;
      }
    }
  }
  std::string name() {
    const size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                std::string("_:-.").find(s_[pos_]) != std::string::npos)) {
      ++pos_;
    }
    if (pos_ == start || std::isdigit(static_cast<unsigned char>(s_[start])) || s_[start] == '-')
      fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  static void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }
  // At '&': appends the character it stands for.
  void reference(std::string& out) {
    const size_t end = s_.find(';', pos_);
    if (end == std::string::npos || end - pos_ > 12) fail("'&' that starts no reference");
    const std::string ref = s_.substr(pos_ + 1, end - pos_ - 1);
    static const std::map<std::string, std::string> named{
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
    if (auto it = named.find(ref); it != named.end()) {
      out += it->second;
    } else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits = ref.substr(hex ? 2 : 1);
      char* stop = nullptr;
      const unsigned long code = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
      if (digits.empty() || *stop != '\0' || code == 0 || code > 0x10FFFF) fail("bad reference");
      append_utf8(out, static_cast<std::uint32_t>(code));
    } else {
      fail("unknown entity &" + ref + ";");
    }
    pos_ = end + 1;
  }
  std::string attribute_value() {
    if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) fail("unquoted attribute");
    const char quote = s_[pos_++];
    std::string value;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '<') fail("'<' in an attribute value");
      if (s_[pos_] == '&') {
        reference(value);
      } else {
        value += s_[pos_++];
      }
    }
    if (pos_ >= s_.size()) fail("unterminated attribute value");
    ++pos_;
    return value;
  }
  // At '<' of a start tag: the element and everything up to its end tag.
  XmlElement element() {
    ++pos_;
    XmlElement e;
    e.name = name();
    for (;;) {
      skip_space();
      if (starts_with("/>")) {
        pos_ += 2;
        return e;
      }
      if (starts_with(">")) break;
      const std::string key = name();
      skip_space();
      if (!starts_with("=")) fail("attribute " + key + " without '='");
      ++pos_;
      skip_space();
      if (!e.attributes.emplace(key, attribute_value()).second) fail("repeated attribute " + key);
    }
    ++pos_;
    content(e);
    return e;
  }
  // Text and child elements up to the matching end tag.
  void content(XmlElement& e) {
    while (pos_ < s_.size()) {
      if (starts_with("</")) {
        pos_ += 2;
        if (name() != e.name) fail("end tag does not match <" + e.name + ">");
        skip_space();
        if (!starts_with(">")) fail("expected '>'");
        ++pos_;
        return;
      }
      if (starts_with("<!--")) {
        skip_past("-->");
      } else if (starts_with("<![CDATA[") || starts_with("<!") || starts_with("<?")) {
        fail("unexpected markup");
      } else if (starts_with("<")) {
        e.children.push_back(element());
        e.text += e.children.back().text;
      } else if (s_[pos_] == '&') {
        reference(e.text);
      } else {
        e.text += s_[pos_++];
      }
    }
    fail("<" + e.name + "> is never closed");
  }

  const std::string& s_;
  size_t pos_ = 0;
};

void collect(const XmlElement& e, const std::string& name, std::vector<const XmlElement*>& out) {
  if (e.name == name) out.push_back(&e);
  for (const XmlElement& child : e.children) collect(child, name, out);
}

}  // namespace

XmlElement parse_xml(const std::string& text) { return Parser(text).document(); }

std::vector<const XmlElement*> find_all(const XmlElement& root, const std::string& name) {
  std::vector<const XmlElement*> found;
  collect(root, name, found);
  return found;
}

const XmlElement* find_by_id(const XmlElement& root, const std::string& id) {
  if (auto it = root.attributes.find("id"); it != root.attributes.end() && it->second == id)
    return &root;
  for (const XmlElement& child : root.children) {
    if (const XmlElement* found = find_by_id(child, id)) return found;
  }
  return nullptr;
}

}  // namespace rbig::cli_test
