// bench_radial_mi: mutual information that rotations cannot see (issue 14 item 5, issue 20),
// estimated by rbig::mutual_information with and without radial layers (FitOptions::radial).
// A plain program, not a test. Prints one markdown row per case and seed: analytic MI, the
// estimate without and with radial layers, the recovered fractions, and the seconds of each.
//
// Cases (N rows each, default 5,000; seeds 1..S, default 3):
//  - Student-t p+q: X, Y the first p and last q coordinates of a multivariate Student-t with ν
//    degrees of freedom and identity scale (w·g, g ~ N(0, I_{p+q}), w = sqrt(ν/χ²_ν) shared by the
//    whole row): uncorrelated, dependent only through w. I = h_p + h_q − h_{p+q} with
//    h_d = log(Γ(ν/2)·(νπ)^{d/2} / Γ((ν+d)/2)) + (ν+d)/2·(ψ((ν+d)/2) − ψ(ν/2)).
//  - spiral 2+2: (X, Y) Gaussian with X_1, Y_1 correlated ρ = 0.8 and all else independent,
//    I = −log(1 − ρ²) = 1.0217; then each block rotated in its own plane by the angle |block|²/2
//    (a spiral). An invertible map of each block leaves I unchanged.
//
// Estimates: "G blocks" is rbig::mutual_information, T([G_X(X), G_Y(Y)]) with each block's own
// Gaussianization; "T difference" is T(X, Y) − T(X) − T(Y) from rbig::total_correlation (the
// same identity, I = T of the joint less the blocks' own T), both with the options given.
//
//   bench_radial_mi [--rows N] [--seeds S]

#include <rbig/info.hpp>
#include <rbig/options.hpp>

#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;

namespace {

constexpr double kPi = 3.14159265358979323846;

double t_entropy(double nu, double d) {
  return std::lgamma(nu / 2) + 0.5 * d * std::log(nu * kPi) - std::lgamma((nu + d) / 2) +
         0.5 * (nu + d) * (boost::math::digamma((nu + d) / 2) - boost::math::digamma(nu / 2));
}

Matrix student_t(Index n, Index dims, int nu, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, dims);
  for (Index i = 0; i < n; ++i) {
    double chi2 = 0.0;
    for (int k = 0; k < nu; ++k) {
      const double g = rng.normal();
      chi2 += g * g;
    }
    const double w = std::sqrt(nu / chi2);
    for (Index j = 0; j < dims; ++j) x(i, j) = w * rng.normal();
  }
  return x;
}

Matrix spiral(Index n, double rho, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, 4);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 2; ++j) {
      const double a = rng.normal();
      const double r = j == 0 ? rho : 0.0;
      x(i, j) = a;
      x(i, 2 + j) = r * a + std::sqrt(1.0 - r * r) * rng.normal();
    }
    for (Index block = 0; block < 4; block += 2) {
      const double u = x(i, block);
      const double v = x(i, block + 1);
      const double angle = 0.5 * (u * u + v * v);
      x(i, block) = std::cos(angle) * u - std::sin(angle) * v;
      x(i, block + 1) = std::sin(angle) * u + std::cos(angle) * v;
    }
  }
  return x;
}

struct Case {
  std::string name;
  Index p;
  double analytic;
  std::function<Matrix(Index n, std::uint64_t seed)> sample;
};

}  // namespace

int main(int argc, char** argv) {
  Index rows = 5000;
  int seeds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) {
      rows = std::stol(argv[++i]);
    } else if (arg == "--seeds" && i + 1 < argc) {
      seeds = std::stoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bench_radial_mi [--rows N] [--seeds S]\n");
      return 2;
    }
  }
  std::vector<Case> cases;
  for (int nu : {1, 2, 3}) {
    for (Index p : {1, 2, 5}) {
      const double truth =
          2 * t_entropy(nu, static_cast<double>(p)) - t_entropy(nu, static_cast<double>(2 * p));
      cases.push_back(
          {fmt::format("Student-t nu={} {}+{}", nu, p, p), p, truth,
           [nu, p](Index n, std::uint64_t seed) { return student_t(n, 2 * p, nu, seed); }});
    }
  }
  cases.push_back({"spiral 2+2", 2, -std::log(1.0 - 0.64),
                   [](Index n, std::uint64_t seed) { return spiral(n, 0.8, seed); }});
  std::printf(
      "| case | N | seed | analytic | G blocks | with radial | T difference | with radial "
      "| seconds (4 estimates) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  const auto percent = [](double estimate, double truth) {
    return fmt::format("{:.4f} ({:.0f}%)", estimate, 100.0 * estimate / truth);
  };
  for (const Case& c : cases) {
    for (int seed = 1; seed <= seeds; ++seed) {
      const Matrix x = c.sample(rows, static_cast<std::uint64_t>(seed));
      const auto start = rbig::bench::Clock::now();
      std::string cells;
      for (int difference = 0; difference < 2; ++difference) {
        for (int radial = 0; radial < 2; ++radial) {
          rbig::FitOptions options;
          options.radial = radial == 1;
          const Matrix left = x.leftCols(c.p);
          const Matrix right = x.rightCols(x.cols() - c.p);
          const double estimate =
              difference == 0 ? rbig::mutual_information(left, right, options)
                              : rbig::total_correlation(x, options) -
                                    (c.p > 1 ? rbig::total_correlation(left, options) : 0.0) -
                                    (c.p > 1 ? rbig::total_correlation(right, options) : 0.0);
          cells += " " + percent(estimate, c.analytic) + " |";
        }
      }
      std::printf("| %s | %ld | %d | %.4f |%s %.1f |\n", c.name.c_str(), static_cast<long>(rows),
                  seed, c.analytic, cells.c_str(), rbig::bench::seconds_since(start));
      std::fflush(stdout);
    }
  }
  return 0;
}
