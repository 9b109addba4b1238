// The finalists' last choice (fit/simplest_within_noise.hpp): the fewest layers within one
// standard error of the best held-out score.
#include "fit/simplest_within_noise.hpp"

#include <rbig/model.hpp>

#include "fit/fitted_cascade.hpp"
#include "fit/reducer.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace rbig;

namespace {

detail::FittedCascade fixed_depth(const Matrix& x, int layers) {
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.layers = layers;
  return detail::fit_cascade(x, nullptr, options, {}, detail::LocalReducer());
}

double held_out_score(const detail::FittedCascade& fit, const Matrix& validation) {
  return Model::from_layers(fit.layers).log_prob(validation).mean();
}

}  // namespace

TEST_CASE("simplest within noise: a deeper fit that is clearly better is kept") {
  // Two moons: one layer is far from the density (tenths of a nat), twenty are close.
  const Matrix x = test::two_moons_sample(3000, 0.1, 40);
  const Matrix validation = test::two_moons_sample(1000, 0.1, 41);
  const detail::FittedCascade shallow = fixed_depth(x, 1);
  const detail::FittedCascade deep = fixed_depth(x, 20);
  const std::vector<double> scores{held_out_score(shallow, validation),
                                   held_out_score(deep, validation)};
  REQUIRE(scores[1] > scores[0] + 0.1);
  CHECK(detail::simplest_within_noise({&shallow, &deep}, scores, validation,
                                      detail::LocalReducer()) == 1);
}

TEST_CASE("simplest within noise: among fits of Gaussian data the shallowest is kept") {
  // On N(0, I) every layer after the first only adds estimation noise: the deeper fits' held-out
  // scores differ from the one-layer fit's by less than their standard error, in either
  // direction, so the one-layer fit is kept whatever the order.
  const Matrix x = test::gaussian_sample(2000, Matrix::Identity(2, 2), 42);
  const Matrix validation = test::gaussian_sample(1000, Matrix::Identity(2, 2), 43);
  const detail::FittedCascade one = fixed_depth(x, 1);
  const detail::FittedCascade three = fixed_depth(x, 3);
  const detail::FittedCascade six = fixed_depth(x, 6);
  const std::vector<double> scores{held_out_score(six, validation), held_out_score(one, validation),
                                   held_out_score(three, validation)};
  CHECK(std::abs(scores[0] - scores[1]) < 0.01);
  CHECK(detail::simplest_within_noise({&six, &one, &three}, scores, validation,
                                      detail::LocalReducer()) == 1);
}
