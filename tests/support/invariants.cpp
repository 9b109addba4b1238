#include "support/invariants.hpp"

#include "stats/normal.hpp"
#include "core/rng.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

namespace rbig::test {

void check_marginal_invariants(const MarginalTransform& marginal, ConstVectorRef sample) {
  const double lo = sample.minCoeff();
  const double hi = sample.maxCoeff();
  const double mean = sample.mean();
  const double sd = std::sqrt((sample.array() - mean).square().sum() / double(sample.size() - 1));
  const double range = hi - lo;

  // Grid inside the sample range, then far outside it.
  constexpr Index kInside = 2001;
  Vector inside = Vector::LinSpaced(kInside, lo, hi);
  // Up to ±DBL_MAX: the README promises a finite log-density for every finite input.
  constexpr double kMax = std::numeric_limits<double>::max();
  Vector far(16);
  far << lo - 10 * sd, hi + 10 * sd, lo - 1e3 * range, hi + 1e3 * range, -1e12, 1e12, -1e100, 1e100,
      -1e300, 1e300, lo - 0.05 * range, hi + 0.05 * range, -1e307, 1e307, -kMax, kMax;

  for (const Vector* points : {&inside, &far}) {
    Vector z(points->size()), back(points->size()), log_derivative(points->size());
    marginal.forward(*points, z);
    marginal.inverse(z, back);
    marginal.log_derivative(*points, log_derivative);
    REQUIRE(z.allFinite());
    REQUIRE(log_derivative.allFinite());
    REQUIRE(back.allFinite());
    const bool is_inside = points == &inside;
    for (Index i = 0; i < points->size(); ++i) {
      const double x = (*points)[i];
      const double tolerance =
          is_inside ? 1e-9 * std::max(std::abs(x), range) : 1e-6 * std::max(std::abs(x), range);
      INFO("x = " << x << ", z = " << z[i]);
      CHECK(std::abs(back[i] - x) <= tolerance);
    }
    Vector z_once(points->size()), log_derivative_once(points->size());
    marginal.forward_with_log_derivative(*points, z_once, log_derivative_once);
    CHECK(z_once == z);
    CHECK(log_derivative_once == log_derivative);
    // Layers call the maps in place (output = input memory): same results as out of place.
    Vector in_place = *points;
    marginal.forward(in_place, in_place);
    CHECK(in_place == z);
    in_place = *points;
    Vector log_derivative_in_place(points->size());
    marginal.forward_with_log_derivative(in_place, in_place, log_derivative_in_place);
    CHECK(in_place == z);
    CHECK(log_derivative_in_place == log_derivative);
    marginal.inverse(in_place, in_place);
    CHECK(in_place == back);
  }

  // NaN (an earlier layer's overflow in a damaged model) goes through as NaN, so the model's
  // finiteness check reports it; no map may turn it into a number or an index (UB, which the
  // sanitizer build of these tests reports).
  Vector nan_point = Vector::Constant(3, std::nan(""));
  Vector nan_out(3), nan_log_derivative(3);
  marginal.forward_with_log_derivative(nan_point, nan_out, nan_log_derivative);
  CHECK(nan_out.array().isNaN().all());
  CHECK(nan_log_derivative.array().isNaN().all());
  marginal.inverse(nan_point, nan_out);
  CHECK(nan_out.array().isNaN().all());

  // Strictly increasing on the inside grid (bins never collapse: the density is positive).
  Vector z(kInside);
  marginal.forward(inside, z);
  for (Index i = 1; i < kInside; ++i) CHECK(z[i] > z[i - 1]);

  // log dz/dx against a central difference, away from bin edges: check at points where the
  // one-sided differences agree (a kink of a piecewise-linear CDF would make them differ).
  int compared = 0;
  for (double x : {lo + 0.123 * range, lo + 0.377 * range, mean, hi - 0.251 * range, lo - 3 * sd,
                   hi + 3 * sd, lo - 50 * sd, hi + 50 * sd}) {
    const double h = 1e-6 * std::max(sd, std::abs(x) * 1e-3);
    Vector points(3);
    points << x - h, x, x + h;
    Vector zz(3), ld(3);
    marginal.forward(points, zz);
    marginal.log_derivative(points, ld);
    const double left = (zz[1] - zz[0]) / h;
    const double right = (zz[2] - zz[1]) / h;
    if (std::abs(std::log(left / right)) > 1e-4) continue;  // straddles a bin edge
    INFO("x = " << x);
    CHECK(std::log((zz[2] - zz[0]) / (2 * h)) == doctest::Approx(ld[1]).epsilon(1e-5));
    ++compared;
  }
  CHECK(compared >= 6);
}

void check_same_map(const MarginalTransform& original, const MarginalTransform& rebuilt,
                    ConstVectorRef sample) {
  Vector z1(sample.size()), z2(sample.size());
  original.forward(sample, z1);
  rebuilt.forward(sample, z2);
  CHECK(z1 == z2);
}

void check_standard_normal_image(const MarginalTransform& marginal, ConstVectorRef sample) {
  Vector z(sample.size());
  marginal.forward(sample, z);
  const double mean = z.mean();
  const double var = (z.array() - mean).square().sum() / double(z.size() - 1);
  CHECK(std::abs(mean) < 0.03);
  CHECK(var == doctest::Approx(1.0).epsilon(0.04));
}

double marginal_density_integral(const MarginalTransform& marginal, double lo, double hi,
                                 Index points) {
  const double h = (hi - lo) / static_cast<double>(points);
  Vector x(points);
  for (Index i = 0; i < points; ++i) x[i] = lo + (static_cast<double>(i) + 0.5) * h;
  Vector z(points), log_derivative(points);
  marginal.forward_with_log_derivative(x, z, log_derivative);
  double integral = 0.0;
  for (Index i = 0; i < points; ++i) {
    integral += std::exp(detail::log_normal_pdf(z[i]) + log_derivative[i]) * h;
  }
  Vector ends(2), z_ends(2);
  ends << lo, hi;
  marginal.forward(ends, z_ends);
  return integral + detail::normal_cdf(z_ends[0]) + detail::normal_cdf(-z_ends[1]);
}

void check_layer_log_det(const Layer& layer, const Matrix& x, Index rows) {
  const Index dims = x.cols();
  const double h = 1e-6;
  for (Index r = 0; r < rows; ++r) {
    Matrix point = x.row(r);
    Vector log_det = Vector::Zero(1);
    layer.forward(point, log_det);
    Matrix jacobian(dims, dims);
    for (Index j = 0; j < dims; ++j) {
      Matrix plus = x.row(r);
      Matrix minus = x.row(r);
      plus(0, j) += h;
      minus(0, j) -= h;
      layer.forward(plus);
      layer.forward(minus);
      jacobian.col(j) = ((plus - minus) / (2 * h)).transpose();
    }
    CHECK(log_det[0] == doctest::Approx(std::log(std::abs(jacobian.determinant()))).epsilon(1e-5));
  }
}

void check_orthogonal(const Rotation& rotation) {
  const Matrix& r = rotation.matrix();
  const Matrix identity = Matrix::Identity(r.rows(), r.cols());
  CHECK((r.transpose() * r - identity).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((r * r.transpose() - identity).cwiseAbs().maxCoeff() < 1e-12);
}

double model_density_integral_2d(const Model& model, double lo0, double hi0, double lo1, double hi1,
                                 Index points) {
  const double h0 = (hi0 - lo0) / static_cast<double>(points);
  const double h1 = (hi1 - lo1) / static_cast<double>(points);
  // One uniformly jittered point per cell (stratified sampling): unbiased, and unlike the midpoint
  // rule its error does not grow with the many density discontinuities at histogram bin edges.
  detail::Rng rng(2024);
  Matrix grid(points * points, 2);
  for (Index i = 0; i < points; ++i) {
    for (Index j = 0; j < points; ++j) {
      grid(i * points + j, 0) = lo0 + (static_cast<double>(i) + rng.uniform()) * h0;
      grid(i * points + j, 1) = lo1 + (static_cast<double>(j) + rng.uniform()) * h1;
    }
  }
  const Vector log_p = model.log_prob(grid);
  return log_p.array().exp().sum() * h0 * h1;
}

}  // namespace rbig::test
