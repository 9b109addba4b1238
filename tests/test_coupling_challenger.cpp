// The default fit's coupling challenger (fit/coupling_challenger.hpp): on Neal's funnel it is
// tried and the same bits on 1 and 2 threads; it is not tried below 1,000 training rows, with
// coupling = false, or where no pair gains (independent columns); the model's options say what
// happened.

#include <rbig/layer.hpp>
#include <rbig/model.hpp>

#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string>

using namespace rbig;

namespace {

bool tried(const Model& model) {
  const auto& candidates = model.report().candidates;
  return std::any_of(candidates.begin(), candidates.end(), [](const CandidateScore& candidate) {
    return candidate.options.coupling.value_or(false);
  });
}

long coupling_layers(const Model& model) {
  return std::count_if(model.layers().begin(), model.layers().end(),
                       [](const Layer& layer) { return layer.is_coupling(); });
}

}  // namespace

TEST_CASE("coupling challenger: tried on Neal's funnel, the options say its outcome, 2 threads") {
  // Whether it wins is the held-out rows' call (bench/README.md, "The coupling challenger", gives
  // its gaps on five splits); here: that it is tried, that the model and its options agree on
  // the outcome, and that the outcome does not depend on the thread count.
  const Matrix x = test::funnel_sample(6000, 21);
  FitOptions options;
  options.threads = 1;
  const Model chosen = Model::fit(x, options);
  INFO(chosen.report().message);
  CHECK(tried(chosen));
  REQUIRE(chosen.options().coupling.has_value());
  const bool kept = *chosen.options().coupling;
  CHECK(kept == (coupling_layers(chosen) > 0));
  CHECK(chosen.report().message.find(kept ? "the coupling challenger beat"
                                          : "; coupling challenger: ") != std::string::npos);
  CHECK(Model::from_bytes(chosen.to_bytes()).options().coupling == std::optional<bool>(kept));
  options.coupling = false;
  const Model without = Model::fit(x, options);
  CHECK(!tried(without));
  CHECK(without.options().coupling == std::optional<bool>(false));
  CHECK(coupling_layers(without) == 0);
  FitOptions two_threads;
  two_threads.threads = 2;
  CHECK(Model::fit(x, two_threads).to_bytes() == chosen.to_bytes());
}

TEST_CASE("coupling challenger: not tried below 1,000 training rows or where no pair gains") {
  FitOptions options;
  options.mixture = false;  // only to keep the fits short
  const Model small = Model::fit(test::funnel_sample(900, 23), options);
  CHECK(!tried(small));
  CHECK(small.options().coupling == std::optional<bool>(false));
  const Model independent =
      Model::fit(test::gaussian_sample(3000, Matrix::Identity(3, 3), 24), options);
  CHECK(!tried(independent));
  CHECK(independent.options().coupling == std::optional<bool>(false));
  CHECK(independent.report().message.find("coupling: no pair gained") != std::string::npos);
}
