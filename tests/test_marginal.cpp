// The contracts every marginal kind keeps (marginal.hpp), run on each kind and estimator setting
// of support/marginal_kinds; the kind-specific estimators are in test_marginal_<kind>.cpp.

#include <rbig/error.hpp>
#include <rbig/marginal.hpp>
#include <rbig/model.hpp>

#include "marginal/marginal_from_moments.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_histogram.hpp"
#include "marginal/marginal_kde.hpp"
#include "marginal/marginal_spline.hpp"
#include "stats/moments.hpp"
#include "support/files.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"
#include "support/marginal_kinds.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

using namespace rbig;

namespace {

bool same_bytes(const Vector& a, const Vector& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

const char* const kShapes[] = {"gaussian", "uniform", "exponential", "bimodal"};

}  // namespace

TEST_CASE("marginal: invertible, monotone, exact derivative, finite tails: every kind and shape") {
  for (const test::MarginalVariant& variant : test::all_marginal_variants()) {
    CAPTURE(variant.name);
    for (const char* shape : kShapes) {
      INFO("shape = " << shape);
      for (Index n : {50, 5000}) {
        CAPTURE(n);
        const Vector x = test::shaped_sample(shape, n, 1);
        test::check_marginal_invariants(*test::fitted_marginal(variant.options, x), x);
      }
    }
  }
}

TEST_CASE("marginal: the density of every kind integrates to one, tails included") {
  for (const test::MarginalVariant& variant : test::all_marginal_variants()) {
    CAPTURE(variant.name);
    for (const char* shape : kShapes) {
      INFO("shape = " << shape);
      const Vector x = test::shaped_sample(shape, 3000, 2);
      const double range = x.maxCoeff() - x.minCoeff();
      const double integral = test::marginal_density_integral(
          *test::fitted_marginal(variant.options, x), x.minCoeff() - 2 * range,
          x.maxCoeff() + 2 * range, 2'000'000);
      CHECK(integral == doctest::Approx(1.0).epsilon(1e-5));
    }
  }
}

TEST_CASE("marginal: the training data of every kind maps to a standard normal sample") {
  // Skewed data for the maps that follow the empirical CDF. Not for the kde, whose estimate is
  // the data density convolved with the kernel, so its variance is σ² + h²: F̂(x_i) are then
  // slightly concentrated and Var z ≈ 1/(1 + (h/σ)²), 0.98 on Gaussian data at Silverman's h
  // for N = 20000 (on the bimodal sample, where the rule oversmooths each mode, it is 0.86).
  for (MarginalKind kind : test::kMarginalKinds) {
    CAPTURE(to_string(kind));
    const char* shape = kind == MarginalKind::Kde ? "gaussian" : "exponential";
    const Vector x = test::shaped_sample(shape, 20000, 3);
    test::check_standard_normal_image(*test::fitted_marginal(kind, x), x);
  }
}

TEST_CASE("marginal: the resubstitution entropy of every kind approaches the analytic entropy") {
  // N(3, 2²): H = ½·log(2πe·4) = 2.1121 nats. At N = 1e5 the estimates are within 0.5%
  // (histogram, spline) and 0.3% (kde, and the Gaussian map, whose error is that of log sd:
  // 1/√(2N) = 0.002 nats, 0.1%, for one standard error).
  const Vector x = test::shaped_sample("gaussian", 100000, 5);
  const double analytic = 0.5 * std::log(2 * M_PI * M_E * 4);
  for (MarginalKind kind : test::kMarginalKinds) {
    CAPTURE(to_string(kind));
    const bool close = kind == MarginalKind::Kde || kind == MarginalKind::Gaussian;
    CHECK(test::fitted_marginal(kind, x)->training_entropy() ==
          doctest::Approx(analytic).epsilon(close ? 0.003 : 0.005));
  }
}

TEST_CASE("marginal: a constant sample is refused by every kind with the value named") {
  const Vector x = Vector::Constant(10, 4.5);
  for (MarginalKind kind : test::kMarginalKinds) {
    CAPTURE(to_string(kind));
    const std::unique_ptr<MarginalTransform> marginal = make_marginal(kind, FitOptions{});
    CHECK_THROWS_WITH_AS(marginal->fit(x), doctest::Contains("all 10 values equal 4.5"),
                         NumericalError);
  }
}

namespace {

// Per concrete type: its kind, the map rebuilt from what it stores (its rebuilding constructor's
// arguments, read back from a fitted map), and parameter sets that constructor must refuse.
template <class T>
struct StoredParameters;

template <>
struct StoredParameters<detail::HistogramMarginal> {
  using T = detail::HistogramMarginal;
  static constexpr MarginalKind kKind = MarginalKind::Histogram;
  static T rebuild(const T& h) {
    return T(h.lower_edge(), h.bin_width(), h.bin_mass(), h.tail_mass(), h.training_entropy());
  }
  static std::vector<std::function<void()>> invalid(const T& h) {
    std::vector<double> empty_bin = h.bin_mass();
    empty_bin[3] = 0.0;
    return {[=] { (void)T(h.lower_edge(), h.bin_width(), empty_bin, h.tail_mass(), 0.0); }};
  }
};

template <>
struct StoredParameters<detail::KdeMarginal> {
  using T = detail::KdeMarginal;
  static constexpr MarginalKind kKind = MarginalKind::Kde;
  static T rebuild(const T& k) {
    return T(k.lower_node(), k.step(), k.density(), k.tail_mass(), k.training_entropy());
  }
  static std::vector<std::function<void()>> invalid(const T& k) {
    std::vector<double> zero = k.density();
    zero[3] = 0.0;
    std::vector<double> doubled = k.density();  // integrates to 2
    for (double& f : doubled) f *= 2.0;
    return {[=] { (void)T(k.lower_node(), k.step(), zero, k.tail_mass(), 0.0); },
            [=] { (void)T(k.lower_node(), k.step(), doubled, k.tail_mass(), 0.0); }};
  }
};

template <>
struct StoredParameters<detail::SplineMarginal> {
  using T = detail::SplineMarginal;
  static constexpr MarginalKind kKind = MarginalKind::Spline;
  static T rebuild(const T& s) {
    return T(s.knots(), s.levels(), s.tail_mass(), s.floor_mass(), s.training_entropy());
  }
  static std::vector<std::function<void()>> invalid(const T& s) {
    std::vector<double> unsorted = s.knots();
    std::swap(unsorted[3], unsorted[4]);
    std::vector<double> short_levels = s.levels();  // the CDF stops short of 1
    short_levels.back() = 0.9;
    return {[=] { (void)T(unsorted, s.levels(), s.tail_mass(), s.floor_mass(), 0.0); },
            [=] { (void)T(s.knots(), short_levels, s.tail_mass(), s.floor_mass(), 0.0); }};
  }
};

template <>
struct StoredParameters<detail::GaussianMarginal> {
  using T = detail::GaussianMarginal;
  static constexpr MarginalKind kKind = MarginalKind::Gaussian;
  static T rebuild(const T& g) { return T(g.mean(), g.sd()); }
  static std::vector<std::function<void()>> invalid(const T& g) {
    return {[=] { (void)T(g.mean(), 0.0); }, [=] { (void)T(g.mean(), -g.sd()); },
            [=] { (void)T(std::nan(""), g.sd()); }};
  }
};

}  // namespace

TEST_CASE_TEMPLATE("marginal: stored parameters rebuild the same map, and invalid ones are refused",
                   T, detail::HistogramMarginal, detail::GaussianMarginal, detail::KdeMarginal,
                   detail::SplineMarginal) {
  const Vector x = test::shaped_sample("bimodal", 1000, 6);
  const std::unique_ptr<MarginalTransform> fitted =
      test::fitted_marginal(StoredParameters<T>::kKind, x);
  const T& original = dynamic_cast<const T&>(*fitted);
  test::check_same_map(original, StoredParameters<T>::rebuild(original), x);
  const std::vector<std::function<void()>> invalid = StoredParameters<T>::invalid(original);
  for (size_t i = 0; i < invalid.size(); ++i) {
    CAPTURE(i);
    CHECK_THROWS_AS(invalid[i](), NumericalError);
  }
}

TEST_CASE("marginal: a model of every kind on a ring scores finitely, inverts, saves bit for bit") {
  const Matrix x = test::ring_sample(3000, 7);
  const test::ScratchDir dir("marginal");
  for (MarginalKind kind : test::kMarginalKinds) {
    CAPTURE(to_string(kind));
    FitOptions options;
    options.max_layers = 40;  // bounded depth: the marginal is the subject
    options.mixture = false;  // so is no mixture first layer (test_mixture.cpp has its own)
    options.marginal = kind;
    const Model model = Model::fit(x, options);
    const Vector log_p = model.log_prob(x);
    CHECK(log_p.allFinite());
    const Matrix far = Matrix::Constant(1, 2, 1e6);
    CHECK(model.log_prob(far).allFinite());
    const Matrix back = model.inverse(model.transform(x));
    CHECK((back - x).cwiseAbs().maxCoeff() < 1e-8);

    const auto path = dir.path() / "model.rbig";
    const auto again = dir.path() / "model_again.rbig";
    model.save(path);
    const Model loaded = Model::load(path);
    CHECK(loaded.log_prob(x) == log_p);
    CHECK(loaded.transform(x) == model.transform(x));
    CHECK(loaded.sample(100, 3) == model.sample(100, 3));
    loaded.save(again);
    CHECK(test::read_bytes(again) == test::read_bytes(path));
  }
}

TEST_CASE("marginal: every kind fitted with its known moments gives the map of its own fit") {
  const Vector x = test::shaped_sample("bimodal", 3000, 4);
  const detail::ColumnMoments moments = detail::column_moments(x);
  // A grid over the data and both tails: every piece of each map.
  const Vector grid = Vector::LinSpaced(401, moments.min - 5.0, moments.max + 5.0);
  for (MarginalKind kind : test::kMarginalKinds) {
    CAPTURE(to_string(kind));
    const std::unique_ptr<detail::MarginalFromMoments> own =
        detail::make_marginal_from_moments(kind, FitOptions{});
    const std::unique_ptr<detail::MarginalFromMoments> given =
        detail::make_marginal_from_moments(kind, FitOptions{});
    own->fit(x);
    given->fit(x, moments);
    Vector z_own(grid.size()), z_given(grid.size()), d_own(grid.size()), d_given(grid.size());
    own->forward_with_log_derivative(grid, z_own, d_own);
    given->forward_with_log_derivative(grid, z_given, d_given);
    CHECK(same_bytes(z_own, z_given));
    CHECK(same_bytes(d_own, d_given));
    CHECK(own->training_entropy() == given->training_entropy());
    CHECK(own->training_moments().mean == given->training_moments().mean);
    CHECK(own->training_moments().sd == given->training_moments().sd);
  }
}

TEST_CASE("marginal: known moments of a constant or too short sample are refused as by fit") {
  const Vector x = Vector::Constant(5, 2.5);
  const detail::ColumnMoments constant{2.5, 2.5, 2.5, 0.0};
  for (MarginalKind kind : test::kMarginalKinds) {
    CAPTURE(to_string(kind));
    const std::unique_ptr<detail::MarginalFromMoments> marginal =
        detail::make_marginal_from_moments(kind, FitOptions{});
    CHECK_THROWS_WITH_AS(marginal->fit(x, constant),
                         doctest::Contains("all 5 values equal 2.5 (constant dimension)"),
                         NumericalError);
    CHECK_THROWS_WITH_AS(marginal->fit(x.head(1), constant),
                         doctest::Contains("need at least 2 samples (got 1)"), NumericalError);
  }
}
