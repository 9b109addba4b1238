#include "report/candidates.hpp"

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace rbig::cli::report {
namespace {

constexpr std::string_view kChosen = " chosen on the validation rows among: ";
/// After the score of a candidate the race stopped (lib/src/fit/screening_race.hpp).
constexpr std::string_view kStopped = " (stopped early)";

/// "<description> <score>[ (stopped early)]" → a candidate; false when the last word is not a
/// finite number.
bool parse_entry(std::string_view entry, Candidate& candidate) {
  candidate.stopped_early =
      entry.size() > kStopped.size() && entry.substr(entry.size() - kStopped.size()) == kStopped;
  if (candidate.stopped_early) entry.remove_suffix(kStopped.size());
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
  // The list's closing parenthesis: the first one not closing a "(stopped early)".
  size_t close = stop_message.find(')', marker);
  while (close != std::string::npos && close + 1 >= kStopped.size() &&
         std::string_view(stop_message).substr(close + 1 - kStopped.size(), kStopped.size()) ==
             kStopped)
    close = stop_message.find(')', close + 1);
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
