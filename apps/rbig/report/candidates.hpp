#pragma once
/// The model-selection candidates of a default fit, as far as a model file tells them. The file
/// stores no table of candidates: their scores exist only inside the fit's stop message, written
/// by lib/src/fit/model_selection.cpp as
///   "… (<chosen> chosen on the validation rows among: <description> <score>; …)…"
/// where a score may be followed by " (stopped early)"
/// and this reads them back from that text. A message without that part (a fit that chose
/// nothing, or an older format of the text) gives no candidates.

#include <string>
#include <vector>

namespace rbig::cli::report {

struct Candidate {
  std::string description;  // e.g. "kde, damping 0.5, bandwidth silverman"
  double score = 0.0;       // mean held-out log-likelihood at its best depth, nats (6 digits)
  bool chosen = false;
  /// The race stopped it as soon as it could not win: its score is the best it reached.
  bool stopped_early = false;
};

/// The candidates named in a stop message, in the order they were fitted; empty if none.
std::vector<Candidate> parse_candidates(const std::string& stop_message);

}  // namespace rbig::cli::report
