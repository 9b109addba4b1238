#include "report/candidates.hpp"

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace rbig::cli::report {
namespace {

constexpr std::string_view kChosen = " chosen on the validation rows among: ";

/// "<description> <score>" → a candidate; false when the last word is not a finite number.
bool parse_entry(std::string_view entry, Candidate& candidate) {
  const size_t space = entry.rfind(' ');
  if (space == std::string_view::npos || space == 0) return false;
  const std::string number(entry.substr(space + 1));
  char* end = nullptr;
  const double score = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(score)) return false;
  candidate.description = std::string(entry.substr(0, space));
  candidate.score = score;
  return true;
}

}  // namespace

std::vector<Candidate> parse_candidates(const std::string& stop_message) {
  const size_t marker = stop_message.find(kChosen);
  if (marker == std::string::npos) return {};
  const size_t open = stop_message.rfind('(', marker);
  const size_t close = stop_message.find(')', marker);
  if (open == std::string::npos || close == std::string::npos) return {};
  const std::string chosen = stop_message.substr(open + 1, marker - open - 1);
  const size_t list_start = marker + kChosen.size();
  const std::string_view list =
      std::string_view(stop_message).substr(list_start, close - list_start);

  std::vector<Candidate> candidates;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find("; ", start);
    if (end == std::string_view::npos) end = list.size();
    Candidate candidate;
    if (!parse_entry(list.substr(start, end - start), candidate)) return {};  // not that text
    candidate.chosen = candidate.description == chosen;
    candidates.push_back(std::move(candidate));
    start = end + 2;
  }
  return candidates;
}

}  // namespace rbig::cli::report
