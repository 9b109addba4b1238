// The damped blend's inverse: Newton from a table of the blend (InverseTable) inside the fitted
// grid, bisection beyond it. Checked against a plain bisection on the forward map, in the tails
// and at extreme latent values. The contracts every marginal keeps are in test_marginal.cpp.

#include <rbig/marginal.hpp>

#include "marginal/marginal_damped.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"
#include "support/marginal_kinds.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace rbig;

namespace {

detail::DampedMarginal damped_of(MarginalKind kind, const Vector& x, double strength) {
  detail::GaussianMarginal gaussian;
  gaussian.fit(x);
  return detail::DampedMarginal(test::fitted_marginal(kind, x), gaussian, strength);
}

// The reference: midpoint bisection on the forward map between g⁻¹(z) and s⁻¹(z) (which bracket
// the solution) until the bracket holds adjacent doubles.
double bisected_inverse(const detail::DampedMarginal& damped, double z) {
  Vector target = Vector::Constant(1, z);
  Vector a(1), b(1), at(1), image(1);
  damped.fitted().inverse(target, a);
  damped.gaussian().inverse(target, b);
  double lo = std::min(a[0], b[0]);
  double hi = std::max(a[0], b[0]);
  for (int step = 0; step < 2000 && std::nextafter(lo, hi) < hi; ++step) {
    at[0] = 0.5 * (lo + hi);
    damped.forward(at, image);
    (image[0] < z ? lo : hi) = at[0];
  }
  return 0.5 * (lo + hi);
}

}  // namespace

TEST_CASE("damped: the tabulated inverse equals a bisection of the map, every kind and strength") {
  for (MarginalKind kind : test::kMarginalKinds) {
    for (const char* shape : {"gaussian", "exponential", "bimodal"}) {
      const Vector x = test::shaped_sample(shape, 2000, 5);
      const double range = x.maxCoeff() - x.minCoeff();
      for (double strength : {0.3, 0.5, 1.0}) {
        CAPTURE(std::string(to_string(kind)));
        CAPTURE(std::string(shape));
        CAPTURE(strength);
        const detail::DampedMarginal damped = damped_of(kind, x, strength);
        // Latent values across the grid and into the tails, and the images of the data.
        Vector z(800 + x.size());
        z.head(800) = Vector::LinSpaced(800, -6.5, 6.5);
        Vector images(x.size());
        damped.forward(x, images);
        z.tail(x.size()) = images;
        Vector fast(z.size());
        damped.inverse(z, fast);
        for (Index i = 0; i < z.size(); ++i) {
          INFO("z = " << z[i]);
          const double reference = bisected_inverse(damped, z[i]);
          CHECK(std::abs(fast[i] - reference) <= 1e-11 * std::max(std::abs(reference), range));
        }
        // Increasing targets give non-decreasing points (the table's cells join up).
        for (Index i = 1; i < 800; ++i) CHECK(fast[i] >= fast[i - 1]);
      }
    }
  }
}

TEST_CASE("damped: extreme latent values invert to finite points that map back") {
  const Vector x = test::shaped_sample("bimodal", 3000, 11);
  for (MarginalKind kind : test::kMarginalKinds) {
    for (double strength : {0.3, 1.0}) {
      CAPTURE(std::string(to_string(kind)));
      CAPTURE(strength);
      const detail::DampedMarginal damped = damped_of(kind, x, strength);
      Vector z(8);
      z << -37.0, -8.0, -5.0, -4.5, 4.5, 5.0, 8.0, 37.0;
      Vector back(z.size()), image(z.size());
      damped.inverse(z, back);
      REQUIRE(back.allFinite());
      damped.forward(back, image);
      for (Index i = 0; i < z.size(); ++i) {
        INFO("z = " << z[i] << ", x = " << back[i]);
        CHECK(image[i] == doctest::Approx(z[i]).epsilon(1e-9));
        CHECK(back[i] == doctest::Approx(bisected_inverse(damped, z[i])).epsilon(1e-12));
        if (i > 0) CHECK(back[i] > back[i - 1]);
      }
    }
  }
}
