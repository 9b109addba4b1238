#include <rbig/error.hpp>
#include <rbig/marginal.hpp>
#include <rbig/model.hpp>

#include "marginal/marginal_spline.hpp"
#include "stats/normal.hpp"
#include "core/rng.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

using namespace rbig;

namespace {

std::unique_ptr<MarginalTransform> fitted(const Vector& x) {
  auto marginal = make_marginal(MarginalKind::Spline, FitOptions{});
  marginal->fit(x);
  return marginal;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("spline: invertible, monotone, exact derivative and finite tails on every shape") {
  for (const char* shape : {"gaussian", "uniform", "exponential", "bimodal"}) {
    for (Index n : {50, 5000}) {
      CAPTURE(shape);
      CAPTURE(n);
      const Vector x = test::shaped_sample(shape, n, 1);
      test::check_marginal_invariants(*fitted(x), x);
    }
  }
}

TEST_CASE("spline: the density integrates to one, tails included") {
  for (const char* shape : {"gaussian", "uniform", "exponential", "bimodal"}) {
    CAPTURE(shape);
    const Vector x = test::shaped_sample(shape, 3000, 2);
    const double range = x.maxCoeff() - x.minCoeff();
    const double integral = test::marginal_density_integral(
        *fitted(x), x.minCoeff() - 2 * range, x.maxCoeff() + 2 * range, 2'000'000);
    CHECK(integral == doctest::Approx(1.0).epsilon(1e-5));
  }
}

TEST_CASE("spline: knots are clamp(√N, 20, 500) + 1 quantiles, and F passes through them") {
  for (Index n : {100, 10000, 1000000}) {
    CAPTURE(n);
    const Vector x = test::shaped_sample("gaussian", n, 3);
    const auto marginal = fitted(x);
    const auto& spline = dynamic_cast<const detail::SplineMarginal&>(*marginal);
    const Index intervals =
        std::clamp<Index>(static_cast<Index>(std::lround(std::sqrt(double(n)))), 20, 500);
    REQUIRE(Index(spline.knots().size()) == intervals + 1);
    CHECK(spline.knots().front() == x.minCoeff());
    CHECK(spline.knots().back() == x.maxCoeff());
    // F(x_k) = τ + a·k/K + b·(x_k − x_0)/(x_K − x_0), a = 1 − 2τ − b, τ = 1/(N+1) per tail and
    // b = ½/(N+1) of floor: within 2.5/(N+1) of the empirical level k/K.
    const Eigen::Map<const Vector> knots(spline.knots().data(), Index(spline.knots().size()));
    Vector z(knots.size());
    marginal->forward(knots, z);
    for (Index k = 0; k <= intervals; ++k) {
      CHECK(std::abs(detail::normal_cdf(z[k]) - double(k) / double(intervals)) <=
            2.5 / double(n + 1) + 1e-12);
    }
  }
}

TEST_CASE("spline: tied quantiles collapse to one knot and the map stays strictly increasing") {
  Vector x = test::shaped_sample("uniform", 2000, 4);
  for (Index i = 0; i < 1200; ++i) x[i] = 0.5;  // 60% of the sample at one value
  const auto marginal = fitted(x);
  const auto& spline = dynamic_cast<const detail::SplineMarginal&>(*marginal);
  CHECK(std::adjacent_find(spline.knots().begin(), spline.knots().end(),
                           [](double a, double b) { return !(b > a); }) == spline.knots().end());
  test::check_marginal_invariants(*marginal, x);
}

TEST_CASE("spline: training data maps to a standard normal sample") {
  const Vector x = test::shaped_sample("exponential", 20000, 3);
  test::check_standard_normal_image(*fitted(x), x);
}

TEST_CASE("spline: resubstitution entropy approaches the analytic entropy") {
  // N(3, 2²): H = ½·log(2πe·4) = 2.1121 nats; the spline estimate is within 0.5% at N = 1e5.
  const Vector x = test::shaped_sample("gaussian", 100000, 5);
  CHECK(fitted(x)->training_entropy() ==
        doctest::Approx(0.5 * std::log(2 * M_PI * M_E * 4)).epsilon(0.005));
}

TEST_CASE("spline: a constant sample is refused with the value named") {
  const Vector x = Vector::Constant(10, 4.5);
  CHECK_THROWS_WITH_AS(fitted(x), doctest::Contains("all 10 values equal 4.5"), NumericalError);
}

TEST_CASE("spline: stored parameters rebuild the same map, and invalid ones are refused") {
  const Vector x = test::shaped_sample("bimodal", 1000, 6);
  const auto original = fitted(x);
  const auto& s = dynamic_cast<const detail::SplineMarginal&>(*original);
  const detail::SplineMarginal copy(s.knots(), s.levels(), s.tail_mass(), s.floor_mass(),
                                    s.training_entropy());
  test::check_same_map(*original, copy, x);
  std::vector<double> unsorted = s.knots();
  std::swap(unsorted[3], unsorted[4]);
  CHECK_THROWS_AS(detail::SplineMarginal(unsorted, s.levels(), s.tail_mass(), s.floor_mass(), 0.0),
                  NumericalError);
  std::vector<double> short_levels = s.levels();
  short_levels.back() = 0.9;
  CHECK_THROWS_AS(
      detail::SplineMarginal(s.knots(), short_levels, s.tail_mass(), s.floor_mass(), 0.0),
      NumericalError);
}

TEST_CASE("spline: a model on a ring scores finitely, inverts, and saves bit for bit") {
  const Matrix x = test::ring_sample(3000, 7);
  FitOptions options;
  options.max_layers = 40;  // bounded depth: the marginal is the subject
  options.marginal = MarginalKind::Spline;
  const Model model = Model::fit(x, options);
  const Vector log_p = model.log_prob(x);
  CHECK(log_p.allFinite());
  const Matrix far = Matrix::Constant(1, 2, 1e6);
  CHECK(model.log_prob(far).allFinite());
  const Matrix back = model.inverse(model.transform(x));
  CHECK((back - x).cwiseAbs().maxCoeff() < 1e-8);

  const auto path = std::filesystem::temp_directory_path() / "rbig_test_spline_model.rbig";
  const auto again = std::filesystem::temp_directory_path() / "rbig_test_spline_model_again.rbig";
  model.save(path);
  const Model loaded = Model::load(path);
  CHECK(loaded.log_prob(x) == log_p);
  CHECK(loaded.transform(x) == model.transform(x));
  CHECK(loaded.sample(100, 3) == model.sample(100, 3));
  loaded.save(again);
  CHECK(read_bytes(again) == read_bytes(path));
  std::filesystem::remove(path);
  std::filesystem::remove(again);
}
