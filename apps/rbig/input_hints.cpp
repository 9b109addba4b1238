#include "input_hints.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace rbig::cli {
namespace {

struct Candidate {
  char delimiter;
  std::string_view shown;   // how the reason shows it ({:?} escapes a tab)
  std::string_view name;    // in the hint
  std::string_view option;  // the --delimiter value that selects it
};

constexpr Candidate kCandidates[] = {{'\t', "\\t", "tabs", "tab"},
                                     {';', ";", "';'", "';'"},
                                     {'|', "|", "'|'", "'|'"},
                                     {' ', " ", "spaces", "space"}};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

InputError with_delimiter_hint(const InputError& error, char delimiter) {
  const std::string& reason = error.reason();
  constexpr std::string_view kNotANumber = "expected a number, got ";
  if (error.line() == 0 || !starts_with(reason, kNotANumber)) return error;
  const std::string_view field = std::string_view(reason).substr(kNotANumber.size());
  for (const Candidate& candidate : kCandidates) {
    if (candidate.delimiter == delimiter || field.find(candidate.shown) == std::string::npos) {
      continue;
    }
    return InputError(error.path(), error.line(), error.column(),
                      fmt::format("{} (the field holds {}: if they separate the columns, use "
                                  "--delimiter {})",
                                  reason, candidate.name, candidate.option));
  }
  return error;
}

}  // namespace rbig::cli
