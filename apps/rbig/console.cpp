#include "console.hpp"

#include <cstdio>

namespace rbig::cli {
namespace {

bool g_quiet = false;

}  // namespace

void set_quiet(bool quiet) { g_quiet = quiet; }
bool quiet() { return g_quiet; }

void add_quiet_flag(CLI::App& app, const std::string& extra) {
  app.add_flag_callback(
      "-q,--quiet", [] { set_quiet(true); },
      "Print nothing but errors and the result asked for: no warnings, notes or summary" + extra);
}

void warn(const std::string& message) {
  if (!g_quiet) fmt::print(stderr, "rbig: warning: {}\n", message);
}

void note(const std::string& message) {
  if (!g_quiet) fmt::print(stderr, "rbig: {}\n", message);
}

void summary(const std::string& line) {
  if (!g_quiet) fmt::print("{}\n", line);
}

bool is_stdout(const std::string& path) { return path == "-"; }

std::string wrap(const std::string& text, std::size_t width, std::size_t indent) {
  std::string out;
  std::size_t line_length = indent;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!out.empty() && line_length + 1 + word.size() > width) {
      out += '\n' + std::string(indent, ' ');
      line_length = indent;
    } else if (!out.empty()) {
      out += ' ';
      ++line_length;
    }
    out += word;
    line_length += word.size();
    start = end + 1;
  }
  return out;
}

}  // namespace rbig::cli
