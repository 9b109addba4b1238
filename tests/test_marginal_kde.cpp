#include <rbig/error.hpp>
#include <rbig/marginal.hpp>
#include <rbig/model.hpp>

#include "marginal/marginal_kde.hpp"
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

std::unique_ptr<MarginalTransform> fitted(const Vector& x, std::optional<double> bandwidth = {},
                                          BandwidthRule rule = BandwidthRule::Silverman) {
  FitOptions options;
  options.bandwidth = bandwidth;
  options.bandwidth_rule = rule;
  auto marginal = make_marginal(MarginalKind::Kde, options);
  marginal->fit(x);
  return marginal;
}

double sample_sd(const Vector& x) {
  const double mean = x.mean();
  return std::sqrt((x.array() - mean).square().sum() / double(x.size() - 1));
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("kde: invertible, monotone, exact derivative and finite tails on every shape") {
  for (const char* shape : {"gaussian", "uniform", "exponential", "bimodal"}) {
    for (Index n : {50, 5000}) {
      CAPTURE(shape);
      CAPTURE(n);
      const Vector x = test::shaped_sample(shape, n, 1);
      test::check_marginal_invariants(*fitted(x), x);
      test::check_marginal_invariants(*fitted(x, 0.5), x);
      test::check_marginal_invariants(*fitted(x, {}, BandwidthRule::PlugIn), x);
    }
  }
}

TEST_CASE("kde: the density integrates to one, tails included") {
  for (const char* shape : {"gaussian", "uniform", "exponential", "bimodal"}) {
    CAPTURE(shape);
    const Vector x = test::shaped_sample(shape, 3000, 2);
    const double range = x.maxCoeff() - x.minCoeff();
    for (BandwidthRule rule : {BandwidthRule::Silverman, BandwidthRule::PlugIn}) {
      CAPTURE(to_string(rule));
      const double integral = test::marginal_density_integral(
          *fitted(x, {}, rule), x.minCoeff() - 2 * range, x.maxCoeff() + 2 * range, 2'000'000);
      CHECK(integral == doctest::Approx(1.0).epsilon(1e-5));
    }
  }
}

TEST_CASE("kde: the binned density matches the direct kernel sum") {
  // Oracle: f(x) = (1/N)·Σ φ((x − x_i)/h)/h summed naively. The binned grid estimate differs by
  // O((step/h)²) ≈ 1/16² relative in the curvature term, plus the 1/(N+1) pseudo-sample share.
  const Vector x = test::shaped_sample("bimodal", 2000, 3);
  const auto marginal = fitted(x);
  const auto& kde = dynamic_cast<const detail::KdeMarginal&>(*marginal);
  const double h = kde.bandwidth();
  for (double at : {-6.0, -5.0, -4.2, 0.0, 4.0, 5.0, 6.5}) {
    CAPTURE(at);
    double direct = 0.0;
    for (Index i = 0; i < x.size(); ++i) {
      const double u = (at - x[i]) / h;
      direct += std::exp(-0.5 * u * u);
    }
    direct /= double(x.size()) * h * std::sqrt(2.0 * M_PI);
    Vector point(1), z(1), log_derivative(1);
    point << at;
    marginal->forward_with_log_derivative(point, z, log_derivative);
    const double density = std::exp(log_derivative[0] + detail::log_normal_pdf(z[0]));
    CHECK(density == doctest::Approx(direct).epsilon(0.01));
  }
}

TEST_CASE("kde: bandwidth follows Silverman's rule, or the option in standard deviations") {
  const Vector x = test::shaped_sample("gaussian", 8000, 4);
  std::vector<double> sorted(x.data(), x.data() + x.size());
  std::sort(sorted.begin(), sorted.end());
  const auto at = [&](double p) {
    const double position = p * double(sorted.size() - 1);
    const size_t below = static_cast<size_t>(position);
    return sorted[below] + (position - double(below)) * (sorted[below + 1] - sorted[below]);
  };
  const double sd = sample_sd(x);
  const double silverman =
      0.9 * std::min(sd, (at(0.75) - at(0.25)) / 1.34) * std::pow(8000.0, -0.2);
  const auto automatic = fitted(x);
  CHECK(dynamic_cast<const detail::KdeMarginal&>(*automatic).bandwidth() ==
        doctest::Approx(silverman).epsilon(1e-12));
  const auto fixed = fitted(x, 0.3);
  CHECK(dynamic_cast<const detail::KdeMarginal&>(*fixed).bandwidth() ==
        doctest::Approx(0.3 * sd).epsilon(1e-12));
  FitOptions options;
  options.bandwidth = 0.0;
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("bandwidth: must be in (0, 100]"),
                       OptionError);
}

TEST_CASE("kde: training data maps to a standard normal sample") {
  // Gaussian data. The KDE is the data density convolved with the kernel, so its variance is
  // σ² + h²: F̂(x_i) are then slightly concentrated and Var z ≈ 1/(1 + (h/σ)²) = 0.98 at
  // Silverman's h for N = 20000 (on the bimodal sample, where the rule oversmooths each mode,
  // it is 0.86). Standard errors: 0.007 for the mean, 0.01 for the variance.
  const Vector x = test::shaped_sample("gaussian", 20000, 3);
  test::check_standard_normal_image(*fitted(x), x);
}

TEST_CASE("kde: resubstitution entropy approaches the analytic entropy") {
  // N(3, 2²): H = ½·log(2πe·4) = 2.1121 nats; the KDE estimate is within 0.3% at N = 1e5.
  const Vector x = test::shaped_sample("gaussian", 100000, 5);
  CHECK(fitted(x)->training_entropy() ==
        doctest::Approx(0.5 * std::log(2 * M_PI * M_E * 4)).epsilon(0.003));
}

TEST_CASE("kde: a constant sample is refused with the value named") {
  const Vector x = Vector::Constant(10, 4.5);
  CHECK_THROWS_WITH_AS(fitted(x), doctest::Contains("all 10 values equal 4.5"), NumericalError);
}

TEST_CASE("kde: stored parameters rebuild the same map, and invalid ones are refused") {
  const Vector x = test::shaped_sample("bimodal", 1000, 6);
  const auto original = fitted(x);
  const auto& k = dynamic_cast<const detail::KdeMarginal&>(*original);
  const detail::KdeMarginal copy(k.lower_node(), k.step(), k.density(), k.tail_mass(),
                                 k.training_entropy());
  test::check_same_map(*original, copy, x);
  std::vector<double> bad = k.density();
  bad[3] = 0.0;
  CHECK_THROWS_AS(detail::KdeMarginal(k.lower_node(), k.step(), bad, k.tail_mass(), 0.0),
                  NumericalError);
  std::vector<double> doubled = k.density();
  for (double& f : doubled) f *= 2.0;
  CHECK_THROWS_AS(detail::KdeMarginal(k.lower_node(), k.step(), doubled, k.tail_mass(), 0.0),
                  NumericalError);
}

TEST_CASE("kde: a model on a ring scores finitely, inverts, and saves bit for bit") {
  const Matrix x = test::ring_sample(3000, 7);
  FitOptions options;
  options.max_layers = 40;  // bounded depth: the marginal is the subject
  options.marginal = MarginalKind::Kde;
  const Model model = Model::fit(x, options);
  const Vector log_p = model.log_prob(x);
  CHECK(log_p.allFinite());
  const Matrix far = Matrix::Constant(1, 2, 1e6);
  CHECK(model.log_prob(far).allFinite());
  const Matrix back = model.inverse(model.transform(x));
  CHECK((back - x).cwiseAbs().maxCoeff() < 1e-8);

  const auto path = std::filesystem::temp_directory_path() / "rbig_test_kde_model.rbig";
  const auto again = std::filesystem::temp_directory_path() / "rbig_test_kde_model_again.rbig";
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

TEST_CASE("kde: beyond the grid the inverse steps at most 0.9 sd per latent unit, even for wide kernels") {
  // The bound that keeps draws through the tails of hundreds of layers finite (marginal_kde.cpp,
  // rebuild()). The kde's own spread is √(s² + h²) for sample sd s and bandwidth h.
  Vector x(5000);
  detail::Rng rng(71);
  for (Index i = 0; i < x.size(); ++i) x[i] = rng.normal();
  for (double bandwidth : {0.1, 0.3, 0.6}) {
    CAPTURE(bandwidth);
    const auto marginal = fitted(x, bandwidth);
    const double s = sample_sd(x);
    const double spread = std::sqrt(s * s + bandwidth * bandwidth * s * s);
    Vector z(4);
    z << 7.0, 9.0, -7.0, -9.0;  // beyond z0 = Φ⁻¹(1 − ¼/5001) ≈ 3.9: the linear tail
    Vector out(4);
    marginal->inverse(z, out);
    // 1 %: the estimate also holds the floor pseudo-sample, spread over the whole grid.
    CHECK(out[1] - out[0] <= 2.0 * 0.9 * spread * 1.01);
    CHECK(out[2] - out[3] <= 2.0 * 0.9 * spread * 1.01);
    CHECK(out[1] > out[0]);
    CHECK(out[2] > out[3]);
  }
}
