// rbig report's reading of the candidates from a default fit's stop message
// (apps/rbig/report/candidates.hpp): the message text is the only record of them in a model file.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "report/candidates.hpp"

using rbig::cli::report::Candidate;
using rbig::cli::report::parse_candidates;

TEST_CASE("report candidates: a stopped candidate is read with its score and flag") {
  // Text as lib/src/fit/model_selection.cpp wrote it for faithful.csv at stop 31 (shortened).
  const std::string message =
      "best selection score -4.04626 nats at layer 29 of 34 (optimistic) (kde, damping 0.3, "
      "bandwidth 0.599 chosen on the validation rows among: kde, damping 1, bandwidth silverman "
      "-4.19974; spline, damping 0.3 -4.20325 (stopped early); kde, damping 0.3, bandwidth 0.599 "
      "-4.04626); mixture first layer (5 components): not used";
  const std::vector<Candidate> candidates = parse_candidates(message);
  REQUIRE(candidates.size() == 3);
  CHECK(candidates[0].description == "kde, damping 1, bandwidth silverman");
  CHECK(candidates[0].score == -4.19974);
  CHECK(!candidates[0].stopped_early);
  CHECK(candidates[1].description == "spline, damping 0.3");
  CHECK(candidates[1].score == -4.20325);
  CHECK(candidates[1].stopped_early);
  CHECK(!candidates[1].chosen);
  // The list ends at its own parenthesis, not at the one closing "(stopped early)".
  CHECK(candidates[2].description == "kde, damping 0.3, bandwidth 0.599");
  CHECK(candidates[2].chosen);
  CHECK(!candidates[2].stopped_early);
}

TEST_CASE("report candidates: the last candidate stopped, and texts that are not a list") {
  const std::vector<Candidate> last = parse_candidates(
      "best (kde, damping 1 chosen on the validation rows among: kde, damping 1 -1.5; spline, "
      "damping 1 -2.25 (stopped early)); refitted");
  REQUIRE(last.size() == 2);
  CHECK(last[0].chosen);
  CHECK(last[1].stopped_early);
  CHECK(last[1].score == -2.25);
  CHECK(parse_candidates("stopped at layer 40 of 40").empty());
  // A score that is not a number: not that text, so no candidates rather than wrong ones.
  CHECK(parse_candidates("(a chosen on the validation rows among: a nan; b x)").empty());
}
