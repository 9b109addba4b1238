// bench_entropy_1d: bias of the 1-D entropy estimate behind `rbig entropy` (the marginal terms
// Σ_d H(Z_d)) against analytic entropies, on shapes with light, heavy, one-sided and bounded
// tails. rbig::entropy of one column is exactly that estimate (no fit: a single column has no
// dependence). For each shape and N: the mean error over `reps` seeded samples (the bias, with
// its standard error), the spread of one estimate and the RMSE, in nats.
//
//   bench_entropy_1d [--n 1000,10000] [--reps 400] [--seed 1]

#include <rbig/info.hpp>

#include "support/index_list.hpp"
#include "support/samplers.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;

namespace {

constexpr double kPi = 3.14159265358979324;
constexpr double kEulerGamma = 0.57721566490153286;

struct Shape {
  std::string name;
  double entropy;                                 // analytic, nats
  std::function<double(rbig::bench::Rng&)> draw;  // one value
};

/// Entropy of Student's t with ν degrees of freedom.
double student_entropy(double nu) {
  using boost::math::digamma;
  const double log_beta = std::lgamma(nu / 2.0) + std::lgamma(0.5) - std::lgamma((nu + 1.0) / 2.0);
  return (nu + 1.0) / 2.0 * (digamma((nu + 1.0) / 2.0) - digamma(nu / 2.0)) + 0.5 * std::log(nu) +
         log_beta;
}

/// Student's t draw: Z / √(χ²_ν / ν), ν an integer.
double student_draw(rbig::bench::Rng& rng, int nu) {
  const double z = rng.normal();
  double chi2 = 0.0;
  for (int k = 0; k < nu; ++k) {
    const double g = rng.normal();
    chi2 += g * g;
  }
  return z / std::sqrt(chi2 / nu);
}

std::vector<Shape> shapes() {
  const double gaussian = 0.5 * std::log(2.0 * kPi * std::exp(1.0));
  return {
      {"gaussian", gaussian, [](rbig::bench::Rng& r) { return r.normal(); }},
      {"uniform", 0.0, [](rbig::bench::Rng& r) { return r.uniform(); }},
      {"exponential", 1.0, [](rbig::bench::Rng& r) { return -std::log(r.uniform()); }},
      {"laplace", 1.0 + std::log(2.0),
       [](rbig::bench::Rng& r) {
         const double e = -std::log(r.uniform());
         return r.uniform() < 0.5 ? -e : e;
       }},
      // Median of three uniforms.
      {"beta(2,2)", 5.0 / 3.0 - std::log(6.0),
       [](rbig::bench::Rng& r) {
         const double a = r.uniform(), b = r.uniform(), c = r.uniform();
         return std::max(std::min(a, b), std::min(std::max(a, b), c));
       }},
      {"lognormal(0,.5)", gaussian + std::log(0.5),
       [](rbig::bench::Rng& r) { return std::exp(0.5 * r.normal()); }},
      {"student t5", student_entropy(5.0), [](rbig::bench::Rng& r) { return student_draw(r, 5); }},
      {"student t3", student_entropy(3.0), [](rbig::bench::Rng& r) { return student_draw(r, 3); }},
      // H(Z³) = H(Z) + log 3 + E[log Z²] = H(Z) + log 3 − γ − log 2.
      {"gaussian cubed", gaussian + std::log(3.0) - kEulerGamma - std::log(2.0),
       [](rbig::bench::Rng& r) {
         const double z = r.normal();
         return z * z * z;
       }},
      {"cauchy", std::log(4.0 * kPi),
       [](rbig::bench::Rng& r) { return std::tan(kPi * (r.uniform() - 0.5)); }},
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Index> sizes = {1000, 10000};
  int reps = 400;
  std::uint64_t seed = 1;
  for (int a = 1; a + 1 < argc; a += 2) {
    const std::string key = argv[a];
    const std::string value = argv[a + 1];
    if (key == "--n") sizes = rbig::bench::parse_index_list(value);
    if (key == "--reps") reps = std::atoi(value.c_str());
    if (key == "--seed") seed = std::strtoull(value.c_str(), nullptr, 10);
  }
  fmt::print("{:<16} {:>6} {:>5} {:>9} {:>9} {:>8} {:>8} {:>8}\n", "shape", "N", "reps", "truth",
             "bias", "± s.e.", "sd", "rmse");
  for (Index n : sizes) {
    for (const Shape& shape : shapes()) {
      double sum = 0.0, squares = 0.0;
      Matrix x(n, 1);
      for (int r = 0; r < reps; ++r) {
        rbig::bench::Rng rng(seed * 1000003u + static_cast<std::uint64_t>(r));
        for (Index i = 0; i < n; ++i) x(i, 0) = shape.draw(rng);
        const double error = rbig::entropy(x) - shape.entropy;
        sum += error;
        squares += error * error;
      }
      const double bias = sum / reps;
      const double sd = std::sqrt(std::max(0.0, (squares - reps * bias * bias) / (reps - 1)));
      fmt::print("{:<16} {:>6} {:>5} {:>9.4f} {:>+9.4f} {:>8.4f} {:>8.4f} {:>8.4f}\n", shape.name,
                 n, reps, shape.entropy, bias, sd / std::sqrt(reps), sd, std::sqrt(squares / reps));
      std::fflush(stdout);
    }
  }
  return 0;
}
